/**
 * Individualised glycaemic goals (ADA Standards of Care 2025 §6, §13, §14, §15; KDIGO 2022
 * Rec 2.2.1). Thresholds as data: age 65 (older-adult goals), age 80 (counted as complex health:
 * a GlycoPilot practical cut-off as in RULES.md, not a guideline threshold), eGFR 30.
 */
import type { Facts } from "./facts.js";
import { G } from "./sources.js";
import type { OutLang } from "./terms.js";
import type { GlycaemicTarget } from "./types.js";

export const OLDER_AGE = 65;
export const OLDEST_AGE = 80;
/** Chronic conditions that make an older adult's health "complex/intermediate" (ADA §13). */
export const COMPLEX_CONDITIONS = 3;
/** HbA1c this far above goal counts as "far above goal" (ADA §9: 1.5–2.0% above goal → combination). */
export const FAR_ABOVE = 1.5;

const fmt = (v: number) => v.toFixed(1);

export function glycaemicTarget(f: Facts, lang: OutLang): GlycaemicTarget {
  const zh = lang === "zh";
  if (f.pregnant)
    return {
      a1c: 6.0,
      text: zh
        ? "妊娠期HbA1c目标 < 6.0%（如不引起明显低血糖），为避免低血糖可放宽至 < 7.0%；空腹血糖 < 95 mg/dL（5.3 mmol/L）。"
        : "HbA1c goal in pregnancy < 6.0% if reached without significant hypoglycaemia (up to < 7.0% to avoid it); fasting glucose < 95 mg/dL (5.3 mmol/L).",
      source: G.pregnancy,
    };
  if (f.age < 18)
    return {
      a1c: 7.0,
      text: zh
        ? "儿童青少年HbA1c目标 < 7.0%（能安全达到时可更低）。"
        : "HbA1c goal < 7.0% for this young person (lower if safely reachable).",
      source: G.youth,
    };
  if (f.age >= OLDER_AGE) {
    if (f.veryComplex)
      return {
        a1c: null,
        text: zh
          ? "健康状况非常复杂（长期照护/中重度痴呆）：不以HbA1c为主要目标，重点避免低血糖和有症状的高血糖（血糖约 100–200 mg/dL）。"
          : "Very complex health (long-term care or moderate–severe dementia): do not rely on HbA1c; aim to avoid hypoglycaemia and symptomatic hyperglycaemia (glucose roughly 100–200 mg/dL).",
        source: G.olderTargets,
      };
    const complex =
      f.hypo ||
      f.cognitive ||
      f.hf ||
      f.chronicConditions >= COMPLEX_CONDITIONS ||
      (f.egfr !== undefined && f.egfr < 30) ||
      f.age >= OLDEST_AGE;
    const v = complex ? 8.0 : 7.5;
    return {
      a1c: v,
      text: zh
        ? `老年患者HbA1c目标 < ${fmt(v)}%（${complex ? "合并低血糖、多种慢病、认知障碍或高龄，目标放宽" : "健康状况良好"}），避免低血糖。`
        : `HbA1c goal < ${fmt(v)}% for an older adult (${complex ? "hypoglycaemia, multiple chronic illnesses, cognitive impairment or age ≥ 80: less stringent" : "good health"}); avoid hypoglycaemia.`,
      source: G.olderTargets,
    };
  }
  const relaxed = f.hypo || f.dialysis || (f.egfr !== undefined && f.egfr < 30);
  const v = relaxed ? 8.0 : 7.0;
  const ckd = f.ckd && relaxed && !f.hypo;
  return {
    a1c: v,
    text: zh
      ? `HbA1c目标 < ${fmt(v)}%${relaxed ? "（低血糖风险高或晚期肾病，目标放宽）" : ""}，在不发生明显低血糖的前提下达到。`
      : `HbA1c goal < ${fmt(v)}%${relaxed ? " (less stringent: hypoglycaemia risk or advanced CKD)" : ""}, reached without significant hypoglycaemia.`,
    source: ckd ? G.ckdTarget : G.targets,
  };
}

export interface GlycaemicStatus {
  above: boolean;
  far: boolean;
  /** ADA §9: HbA1c > 10%, glucose ≥ 300 mg/dL, or catabolic symptoms with hyperglycaemia. */
  insulinNeeded: boolean;
}

export const INSULIN_A1C = 10;
export const INSULIN_GLUCOSE = 300;

export function glycaemicStatus(f: Facts, t: GlycaemicTarget): GlycaemicStatus {
  const a1c = f.a1c?.value;
  const above = a1c !== undefined && t.a1c !== null && a1c > t.a1c;
  const far = a1c !== undefined && t.a1c !== null && a1c >= t.a1c + FAR_ABOVE;
  const high = (a1c !== undefined && a1c > INSULIN_A1C) || (f.glucoseMax !== undefined && f.glucoseMax >= INSULIN_GLUCOSE);
  return { above, far, insulinNeeded: high || (f.catabolic && (above || (f.glucoseMax ?? 0) >= 200)) };
}
