/**
 * A patient's own glycaemic targets (individualised as ADA Standards of Care §6 and §13 and §15
 * describe) and where one reading sits against them. Pure: the rules are data, each with its
 * source. Readings that need a person (lows, very high values) are not interpreted here: the
 * caller holds them for review.
 */
import type { PatientContext } from "../../core/domain.js";
import { findDrug, isInsulin, isSulfonylurea } from "../../guardrails/meds/formulary.js";
import { MGDL_PER_MMOL } from "../../guardrails/text/extract.js";

export type ReadingContext = "fasting" | "before-meal" | "after-meal" | "bedtime" | "unspecified";

export interface Targets {
  profile: "adult" | "adult-hypoglycemia-risk" | "older-healthy" | "older-complex" | "pregnancy";
  /** Before meals / fasting, mg/dL [low, high]. */
  premeal: [number, number];
  /** Peak after meals (1–2 h), upper bound mg/dL. */
  postMeal: number;
  /** Bedtime, mg/dL [low, high]. */
  bedtime: [number, number];
  /** HbA1c goal: below this %, with an upper "acceptable" bound for ranges such as < 7.0–7.5 %. */
  a1c: { goal: number; upTo?: number };
  source: { en: string; zh: string };
}

const ADA6 = {
  en: "ADA Standards of Care in Diabetes 2025, §6 Glycemic Goals (Table 6.3)",
  zh: "美国糖尿病协会（ADA）《糖尿病诊疗标准 2025》第6章 血糖目标（表6.3）",
};
const ADA13 = {
  en: "ADA Standards of Care in Diabetes 2025, §13 Older Adults (Table 13.1)",
  zh: "ADA《糖尿病诊疗标准 2025》第13章 老年人（表13.1）",
};
const ADA15 = {
  en: "ADA Standards of Care in Diabetes 2025, §15 Management of Diabetes in Pregnancy",
  zh: "ADA《糖尿病诊疗标准 2025》第15章 妊娠期糖尿病管理",
};

/** The target table. Values in mg/dL; mmol/L = mg/dL ÷ 18.016. */
export const TARGETS: Readonly<Record<Targets["profile"], Targets>> = {
  // §6: premeal 80–130 mg/dL, peak postprandial < 180 mg/dL, A1C < 7% for many nonpregnant adults.
  adult: { profile: "adult", premeal: [80, 130], postMeal: 180, bedtime: [80, 180], a1c: { goal: 7 }, source: ADA6 },
  // §6: less stringent A1C goals (e.g. < 8%) where hypoglycaemia risk outweighs benefit.
  "adult-hypoglycemia-risk": {
    profile: "adult-hypoglycemia-risk",
    premeal: [80, 130],
    postMeal: 180,
    bedtime: [90, 180],
    a1c: { goal: 8 },
    source: ADA6,
  },
  // §13 Table 13.1, healthy older adult: A1C < 7.0–7.5%, fasting 80–130, bedtime 80–180 mg/dL.
  "older-healthy": {
    profile: "older-healthy",
    premeal: [80, 130],
    postMeal: 180,
    bedtime: [80, 180],
    a1c: { goal: 7, upTo: 7.5 },
    source: ADA13,
  },
  // §13 Table 13.1, complex/intermediate health: A1C < 8.0%, fasting 90–150, bedtime 100–180 mg/dL.
  "older-complex": {
    profile: "older-complex",
    premeal: [90, 150],
    postMeal: 180,
    bedtime: [100, 180],
    a1c: { goal: 8 },
    source: ADA13,
  },
  // §15: fasting < 95, 1-h < 140, 2-h < 120 mg/dL; A1C < 6% if achievable without significant hypoglycaemia.
  pregnancy: {
    profile: "pregnancy",
    premeal: [70, 95],
    postMeal: 140,
    bedtime: [70, 120],
    a1c: { goal: 6, upTo: 7 },
    source: ADA15,
  },
};

/**
 * Above this a reading is not interpreted automatically: ADA patient guidance asks for a ketone
 * check and clinician advice above 240 mg/dL (13.3 mmol/L). Below 70 mg/dL (3.9 mmol/L) is
 * hypoglycaemia (ADA §6 level 1) and goes to the triage rules and a person.
 */
export const NOT_INTERPRETED = { belowMgdl: 70, aboveMgdl: 240 } as const;

const COMPLEX =
  /dementia|cognitive|heart failure|ckd|chronic kidney|stroke|copd|arthritis|cancer|long-term care|nursing home|认知|痴呆|心衰|心力衰竭|慢性肾|卒中|中风|肿瘤|癌/i;
const HYPO_HISTORY = /hypoglyc|低血糖/i;

/** The patient's targets: pregnancy first, then age ≥ 65 (complex or not), then hypoglycaemia risk, else the adult default. */
export function targetsFor(p: PatientContext | undefined): Targets {
  if (!p) return TARGETS.adult;
  if (p.pregnancy) return TARGETS.pregnancy;
  const onHypoDrug = p.medications.some((m) => {
    const d = findDrug(m.name);
    return d ? isInsulin(d) || isSulfonylurea(d) : /insulin|胰岛素|格列/i.test(m.name);
  });
  const hypoHistory = [...p.diagnoses, ...p.recentEvents].some((x) => HYPO_HISTORY.test(x));
  const complex = p.diagnoses.some((d) => COMPLEX.test(d)) || p.medications.length >= 5 || (p.egfr !== undefined && p.egfr < 45);
  if (p.age >= 65) return complex || (onHypoDrug && hypoHistory) ? TARGETS["older-complex"] : TARGETS["older-healthy"];
  if (hypoHistory && onHypoDrug) return TARGETS["adult-hypoglycemia-risk"];
  return TARGETS.adult;
}

export type Position = "below" | "low-end" | "within" | "top" | "above";

export interface ReadingVerdict {
  /** What the reading was compared with, mg/dL. */
  range: [number, number];
  position: Position;
  /** For an unspecified time of day: within the after-meal limit though above the before-meal range. */
  fitsAfterMeal?: boolean;
}

/** Where a glucose reading (mg/dL) sits in the patient's range for its time of day. */
export function placeGlucose(mgdl: number, ctx: ReadingContext, t: Targets): ReadingVerdict {
  const range: [number, number] = ctx === "after-meal" ? [t.premeal[0], t.postMeal] : ctx === "bedtime" ? t.bedtime : t.premeal;
  const [lo, hi] = range;
  const band = hi - lo;
  let position: Position;
  if (mgdl < lo) position = "below";
  else if (mgdl > hi) position = "above";
  else if (mgdl >= hi - band * 0.1) position = "top";
  else if (mgdl <= lo + band * 0.1) position = "low-end";
  else position = "within";
  const fitsAfterMeal = ctx === "unspecified" && position === "above" && mgdl <= t.postMeal;
  return { range, position, ...(fitsAfterMeal ? { fitsAfterMeal } : {}) };
}

/** Where an HbA1c (%) sits against the goal. */
export function placeA1c(pct: number, t: Targets): Position {
  const { goal, upTo } = t.a1c;
  if (pct < goal - 0.5) return "within";
  if (pct < goal) return "top";
  if (upTo !== undefined && pct <= upTo) return "top";
  return "above";
}

export const toMmol = (mgdl: number) => Math.round((mgdl / MGDL_PER_MMOL) * 10) / 10;
