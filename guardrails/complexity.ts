/**
 * Complexity router (RULES.md "Complexity → human review"): patients whose care a model should
 * not answer alone. Reads the patient context and, for conditions the message itself asserts
 * ("I have heart failure", 我是一型糖尿病), the text. Recent events count when dated within
 * 3 months before `now` (undated recent events count: the record says they are recent).
 */
import type { ComplexityReason, PatientContext } from "../core/domain.js";
import { SRC } from "./sources.js";
import { isAsserted } from "./text/context.js";
import { extractMeasurements } from "./text/extract.js";
import { normalizeForMatch } from "./text/normalize.js";

interface ConditionRule {
  code: string;
  reason: string;
  re: RegExp;
  /** Text that turns the match off (cancer in remission is not "under treatment"). */
  unless?: RegExp;
}

export const CONDITIONS: ConditionRule[] = [
  {
    code: "heart-failure",
    reason: "heart failure",
    re: /heart failure|hfref|hfpef|\bchf\b|cardiac failure|心衰|心力衰竭|心功能不全/,
  },
  { code: "pregnancy", reason: "pregnancy", re: /pregnan\w*|妊娠|怀孕|孕期|孕\d+周/, unless: /not pregnant|未孕|没有怀孕/ },
  {
    code: "type-1-diabetes",
    reason: "type 1 diabetes",
    re: /type (?:1|i|one) (?:diabetes|diabetic|dm)|\bt1dm?\b|\biddm\b|\blada\b|(?:1|一|i)型糖尿病|1型|一型/,
  },
  {
    code: "dementia-or-long-term-care",
    reason: "dementia or long-term care",
    re: /dementia|alzheimer\w*|cognitive impairment|nursing home|long[- ]term care|care home|assisted living|痴呆|阿尔茨海默|认知障碍|养老院|护理院|长期照护/,
  },
  {
    code: "cancer",
    reason: "cancer under treatment",
    re: /cancer|carcinoma|lymphoma|leuk(?:a)?emia|myeloma|malignan\w*|tumou?r|chemo\w*|radiotherapy|immunotherapy|癌|肿瘤|化疗|放疗/,
    unless: /remission|survivor|history of|cured|治愈|既往|多年前/,
  },
  { code: "cirrhosis", reason: "cirrhosis", re: /cirrhosis|肝硬化/ },
];

const DKA = /\bdka\b|ketoacidosis|酮症酸中毒|酮症/;
const HOSPITAL = /hospital|admission|admitted|inpatient|\bicu\b|住院|入院/;
const TEXT_RECENT_HOSPITAL =
  /(?:discharged|hospitali[sz]ed|admitted|in (?:the )?hospital|got out of (?:the )?hospital)[^.]{0,25}(?:last (?:week|month)|\d+ (?:days?|weeks?) ago|yesterday|recently|this (?:week|month))|刚出院|上周出院|上个?月.{0,4}(?:住院|出院)|最近.{0,4}住院|前几天.{0,4}(?:住院|出院)/;
const TEXT_RECENT_DKA =
  /(?:dka|ketoacidosis)[^.]{0,25}(?:last (?:week|month)|\d+ (?:days?|weeks?) ago|recently|this month)|(?:上个?月|上周|最近|前几天).{0,8}酮症/;

const DAY = 86_400_000;
/** Dated within the last 3 months (92 days) of `now`; "2026-09" is taken as the month's last day. */
export function withinThreeMonths(event: string, now: Date): boolean {
  const m = /(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2}))?/.exec(event);
  if (!m) return true;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = m[3] ? Number(m[3]) : new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const at = Date.UTC(y, mo - 1, d);
  return now.getTime() - at <= 92 * DAY;
}

function textAsserts(t: string, re: RegExp): boolean {
  const g = new RegExp(re.source, "g");
  for (const m of t.matchAll(g)) if (isAsserted(t, m.index)) return true;
  return false;
}

export function assessComplexity(patient: PatientContext | undefined, text: string, now: Date): ComplexityReason[] {
  const reasons: ComplexityReason[] = [];
  const add = (code: string, reason: string, source: string = SRC.complexity) => {
    if (!reasons.some((r) => r.code === code)) reasons.push({ code, reason, source });
  };
  const t = normalizeForMatch(text);
  const diag = (patient?.diagnoses ?? []).join("; ").toLowerCase();

  const egfrLab = patient?.labs.find((l) => /egfr|gfr/i.test(l.name) && l.value !== null)?.value ?? undefined;
  const egfrText = extractMeasurements(t).find((m) => m.kind === "egfr" && isAsserted(t, m.start))?.value;
  const egfr = patient?.egfr ?? egfrLab ?? egfrText;
  if (egfr !== undefined && egfr !== null && egfr < 30) add("egfr-below-30", `eGFR ${egfr} < 30`);

  for (const c of CONDITIONS) {
    const inRecord = c.re.test(diag) && !(c.unless?.test(diag) ?? false);
    const inText = textAsserts(t, c.re) && !(c.unless?.test(t) ?? false);
    if (inRecord || inText) add(c.code, c.reason);
  }
  if (patient?.pregnancy === true) add("pregnancy", "pregnancy");

  if (patient) {
    if (patient.age < 18) add("age-under-18", `age ${patient.age} < 18`);
    if (patient.age > 80) add("age-over-80", `age ${patient.age} > 80 (practical cut-off)`);
    if (patient.medications.length >= 5)
      add("polypharmacy", `${patient.medications.length} regular medications (≥ 5)`, SRC.polypharmacy);
    for (const ev of patient.recentEvents) {
      const e = ev.toLowerCase();
      if (DKA.test(e) && withinThreeMonths(e, now)) add("recent-dka", `DKA in the last 3 months (${ev})`);
      else if (HOSPITAL.test(e) && withinThreeMonths(e, now))
        add("recent-hospital-stay", `hospital stay in the last 3 months (${ev})`);
    }
  } else {
    // No record: an age stated in the message still routes ("I'm 85", 我今年82岁).
    // "I'm 7 weeks pregnant", "I'm 30 units a day" are not ages.
    const age =
      /(?:i'?m|i am|aged?)\s*(\d{1,3})(?![\d.])(?!\s*(?:weeks?|wks?|months?|mos?|days?|hours?|hrs?|minutes?|%|units?|u\b|kg|lbs?|pounds|mg|mmol|cm|ft|feet|inches|times|am\b|pm\b|o'?clock|mins?\b|miles|km|steps|points))|我今年\s*(\d{1,3})\s*岁/.exec(
        t,
      );
    const n = age ? Number(age[1] ?? age[2]) : undefined;
    if (n !== undefined && n > 80 && n < 130) add("age-over-80", `age ${n} > 80 (from message)`);
    if (n !== undefined && n < 18 && n > 0) add("age-under-18", `age ${n} < 18 (from message)`);
  }
  if (textAsserts(t, TEXT_RECENT_DKA)) add("recent-dka", "DKA in the last 3 months (from message)");
  if (textAsserts(t, TEXT_RECENT_HOSPITAL)) add("recent-hospital-stay", "hospital stay in the last 3 months (from message)");
  return reasons;
}
