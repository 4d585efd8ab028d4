/**
 * Language detection for routing replies and choosing the safety-net template.
 * Han characters carry roughly three Latin letters of content each, so they are weighted ×3;
 * units and lab abbreviations (mg/dL, HbA1c, HI/LO) are ignored because Chinese messages use them.
 */
import type { Lang } from "../../core/domain.js";
import { fold, stripZeroWidth } from "./normalize.js";

const NEUTRAL_WORDS = new Set([
  "mg",
  "dl",
  "mmol",
  "mol",
  "l",
  "hba1c",
  "a1c",
  "hi",
  "lo",
  "egfr",
  "bp",
  "kg",
  "iu",
  "u",
  "g",
  "mcg",
  "ml",
  "mmhg",
  "ldl",
  "hdl",
  "ck",
  "ok",
  "uacr",
  "bmi",
  "ct",
  "x",
  "xr",
  "sr",
  "er",
]);

/** "zh" when Han text dominates (≥ 80 % weighted), "en" when Latin dominates (≥ 80 %), else "mixed". */
export function detectLang(text: string): Lang {
  const t = fold(stripZeroWidth(text));
  const han = (t.match(/\p{Script=Han}/gu) ?? []).length;
  let latin = 0;
  for (const w of t.match(/[A-Za-z]+/g) ?? []) if (!NEUTRAL_WORDS.has(w.toLowerCase())) latin += w.length;
  if (han === 0) return "en";
  if (latin === 0) return "zh";
  const share = (han * 3) / (han * 3 + latin);
  if (share >= 0.8) return "zh";
  if (share <= 0.2) return "en";
  return "mixed";
}
