/**
 * Audience policy: a reply to a patient never contains a dosing directive ("take 4 units",
 * "increase to 20 mg", 加到20单位, 每次吃2片) or a new prescription ("start metformin",
 * 开始服用二甲双胍). Education ("metformin can cause stomach upset") is allowed.
 * Clinician-facing text is not restricted here (medication checks cover it).
 */
import type { Finding } from "../core/domain.js";
import { mentionedDrugs } from "./meds/formulary.js";
import { SRC } from "./sources.js";
import { normalizeForMatch } from "./text/normalize.js";
import { sentences } from "./text/segment.js";

const AMOUNT = String.raw`(?:\d+(?:\.\d+)?|[一二两三四五六七八九十半]+)\s*(?:units?|u\b|iu\b|mg\b|mcg\b|g\b|tablets?|pills?|capsules?|caps\b|puffs?|单位|个单位|毫克|mg|片|粒|颗|克|支|针)`;
const EN_DIRECTIVE = new RegExp(
  String.raw`\b(?:take|inject|use|give yourself|administer|increase|decrease|reduce|raise|lower|bump|adjust|change|go up|go down|titrate|up your|cut|double|dose (?:is|of)|you should take|start(?:ing)? (?:at|on|with))\b[^.!?\n]{0,40}?${AMOUNT}`,
  "i",
);
const EN_TO_AMOUNT = new RegExp(
  String.raw`\b(?:increase|decrease|reduce|raise|lower|change|adjust|titrate)\w*\b[^.!?\n]{0,30}?\bto\s+${AMOUNT}`,
  "i",
);
const ZH_DIRECTIVE = new RegExp(
  String.raw`(?:打|注射|吃|服用?|用|加到|加至|增加到|增加|减到|减至|减少到|减少|调到|调整为|调整到|改为|改成|每次|每天|每日|每晚|睡前|一次|餐前|饭前|饭后)[^。！？!?\n]{0,12}?${AMOUNT}`,
  "i",
);
const EN_PRESCRIBE =
  /\b(?:start(?:ing)?|begin|initiate|add(?:ing)?|switch(?:ing)? to|i(?:'ll| will) prescribe|prescrib(?:e|ing)|you (?:should|need to|must) (?:start|take|begin))\b/i;
const ZH_PRESCRIBE = /开始(?:服用|使用|吃|打|用)|给你开|为你开|加用|换成|改用|开一些|需要服用|应该服用|建议(?:服用|使用|吃|打)/;
const EDUCATION =
  /\b(?:can cause|may cause|side effects?|usually|commonly|is a|works by|helps|some people)\b|可能会|副作用|常见|一般来说|是一种/i;

/**
 * "Take 15 g of fast sugar" / 吃15克左右的快速升糖食物 is the standard first aid for a low (ADA
 * Standards of Care 2025 §6: 15–20 g of glucose), told to every patient — an amount of food,
 * not a dose. Only food named right after the amount counts ("2 tablets of your sugar pill" stays a dose).
 */
const FOOD_AFTER_AMOUNT =
  /^(?:\s*(?:左右|上下))?的?(?:快速)?(?:升糖食物|含糖(?:食物|饮料)|葡萄糖(?:片|粉)?|糖块|方糖|果汁)|^\s*(?:grams?\s+)?(?:of\s+)?(?:fast[- ]acting\s+|fast\s+|quick\s+)?(?:sugar|glucose(?:\s+tablets?)?|juice|carbs?|carbohydrates?)\b(?!\s*(?:pills?|tablets?|medicines?))/i;
function isFoodAmount(sentence: string, m: RegExpExecArray): boolean {
  return FOOD_AFTER_AMOUNT.test(sentence.slice(m.index + m[0].length));
}

export function checkAudience(text: string, audience: "clinician" | "patient"): Finding[] {
  if (audience !== "patient") return [];
  const findings: Finding[] = [];
  const t = normalizeForMatch(text);
  for (const s of sentences(t)) {
    const st = s.text;
    const dose = EN_DIRECTIVE.exec(st) ?? EN_TO_AMOUNT.exec(st) ?? ZH_DIRECTIVE.exec(st);
    if (dose && !isFoodAmount(st, dose)) {
      findings.push({
        code: "patient-dosing-directive",
        severity: "block",
        item: dose[0].trim(),
        message: "dosing directive in a patient-facing reply",
        source: SRC.audience,
      });
      continue;
    }
    const drugs = mentionedDrugs(st);
    if (drugs.length === 0 || EDUCATION.test(st)) continue;
    const pres = EN_PRESCRIBE.exec(st) ?? ZH_PRESCRIBE.exec(st);
    if (pres) {
      findings.push({
        code: "patient-new-prescription",
        severity: "block",
        item: st.trim(),
        message: "new prescription in a patient-facing reply",
        source: SRC.audience,
      });
    }
  }
  return findings;
}
