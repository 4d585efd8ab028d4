/**
 * Whom a message is about, for catalogue rows that apply to one group: an infant under three
 * months (NICE NG143), a child, a pregnant woman, a person on an anticoagulant (NICE NG232).
 * Read from the text (normalised, lower-case) and the patient record.
 */
import type { PatientContext } from "../core/domain.js";
import type { Subjects } from "./redflags.js";
import { isHypothetical, isNegated } from "./text/context.js";
import { parseZhNumber } from "./text/zh-numerals.js";

const EN_NUM: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
const num = (s: string): number => EN_NUM[s] ?? parseZhNumber(s) ?? Number(s);

const PREGNANT =
  /pregnan\w*|weeks? (?:along|gone)|(?:placental|placenta|uterus|womb|fetal|foetal|baby'?s? movements?|contractions?)[^.]{0,60}\bat (?:[4-9]|[1-3]\d|4[0-2]) (?:weeks|wks)\b|\bat (?:[4-9]|[1-3]\d|4[0-2]) (?:weeks|wks)\b[^.]{0,60}(?:placental|placenta|uterus|womb|vaginal|fetal|foetal|baby|contractions?)|\bi'?m (?:[4-9]|[1-3]\d|4[0-2]) (?:weeks|wks)\b(?! (?:post|after|since))|expecting a baby|\b(?:[4-9]|[1-3]\d|4[0-2])(?:\+[0-6])?\/40\b|\bg[1-9] ?p[0-9]\b|\bgravida\b|怀孕|怀上了|孕\s*\d+\s*周|孕[一二三四五六七八九十]+周|孕期|妊娠|孕妇|有喜了|早孕|孕早期|孕中期|孕晚期/g;
const ANTICOAGULANT =
  /warfarin|coumadin|jantoven|apixaban|eliquis|rivaroxaban|xarelto|dabigatran|pradaxa|edoxaban|lixiana|savaysa|heparin|enoxaparin|clexane|lovenox|dalteparin|fragmin|blood[- ]?thinners?|anticoagula\w*|华法林|利伐沙班|拜瑞妥|阿哌沙班|艾乐妥|达比加群|泰毕全|依度沙班|肝素|低分子肝素|抗凝/;

function infantInText(t: string): boolean {
  if (/newborn|new-born|neonate|新生儿|满月|刚出生/.test(t)) return true;
  for (const m of t.matchAll(
    /(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ]?(days?|weeks?|wks?|months?|mos?)[- ]?old/g,
  )) {
    const n = num(m[1] ?? "");
    const unit = m[2] ?? "";
    const days = unit.startsWith("d") ? n : unit.startsWith("w") ? n * 7 : n * 30;
    if (days < 90) return true;
  }
  for (const m of t.matchAll(
    /(?:出生)?(\d+|[一二两三四五六七八九十]+)\s*(天|周|个月)(?:大)?(?:的)?(?:宝宝|婴儿|孩子|小孩|女儿|儿子|新生儿)?/g,
  )) {
    const n = num(m[1] ?? "");
    const after = t.slice((m.index ?? 0) + m[0].length - 1);
    // "3天" alone is a duration; an age needs 大 / 的宝宝 / 出生 around it.
    const before = t.slice(Math.max(0, (m.index ?? 0) - 6), m.index);
    if (
      !/出生|大|宝宝|婴儿|孩子|小孩|女儿|儿子|新生儿/.test(m[0]) &&
      !/^.?(?:大|的宝宝)/.test(after) &&
      !/(?:宝宝|婴儿|男婴|女婴|新生儿|孩子|小孩|女儿|儿子|闺女)[，,\s]*(?:才|刚|今天|现在)?\s*$/.test(before)
    )
      continue;
    const days = m[2] === "天" ? n : m[2] === "周" ? n * 7 : n * 30;
    if (days < 90) return true;
  }
  return false;
}

function childInText(t: string): boolean {
  if (
    /\b(?:my|our|his|her) (?:son|daughter|child|kid|baby|toddler|little (?:boy|girl)|boy|girl|infant)\b|孩子|宝宝|小孩|儿子|女儿|婴儿|幼儿/.test(
      t,
    )
  )
    return true;
  for (const m of t.matchAll(/(\d+)[- ]?(?:years?|yrs?|y)[- ]?(?:old|\/o|o\b)|(\d+)\s*岁/g))
    if (Number(m[1] ?? m[2]) < 16) return true;
  return infantInText(t);
}

export function subjectsOf(t: string, patient?: PatientContext): Subjects {
  const pregnantText = [...t.matchAll(PREGNANT)].some((m) => !isNegated(t, m.index) && !isHypothetical(t, m.index));
  const meds = (patient?.medications ?? []).map((m) => m.name.toLowerCase()).join(" ");
  const age = patient?.age;
  return {
    infant: infantInText(t),
    child: (age !== undefined && age < 16) || childInText(t),
    pregnant: patient?.pregnancy === true || pregnantText,
    anticoagulated: ANTICOAGULANT.test(t) || ANTICOAGULANT.test(meds),
  };
}
