/**
 * Triage of a patient or clinician message: urgency (emergency | urgent | routine), who should
 * answer (physician | nurse | assistant | bot), the red flags with evidence and source, and
 * the complexity reasons. Deterministic: same text, patient and `now` → same result.
 */
import type { Flag, Lang, PatientContext, Responder, Triage, Urgency } from "../core/domain.js";
import { extraDoseFlag, pregnancyFlag, selfDoseFlag } from "./behaviour.js";
import { assessComplexity } from "./complexity.js";
import { safetyFloor } from "./floor.js";
import { glycemicFlags } from "./glycemic.js";
import { findDrug, isInsulin, isSulfonylurea, mentionedDrugs } from "./meds/formulary.js";
import { scanFoot, scanKeywordFlags } from "./redflags.js";
import { subjectsOf } from "./subjects.js";
import { isAsserted, isNegated, mentionsElderly } from "./text/context.js";
import { extractMeasurements, type Measurement } from "./text/extract.js";
import { normalizeForMatch } from "./text/normalize.js";
import { repairForMatch } from "./text/spelling.js";
import { vitalFlags } from "./vitals.js";

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };

/** Urgent flags a nurse cannot close alone: the physician decides on medication and pregnancy. */
const PHYSICIAN_URGENT = new Set(["pregnancy-medication", "self-dose-change", "hypo-level2", "euglycemic-dka-sglt2"]);

const TYPE1 = /type ?1\b|type one|\bt1d?\b|\biddm\b|1型|一型|i型糖尿病/;

const PERSONAL = /\b(?:i|i'm|i am|my|me|i've)\b|我|我的/;

export interface TriageInput {
  text: string;
  lang?: Lang;
  patient?: PatientContext;
  now: Date;
}

/** Flags only (no complexity); exported for evals and for the pipeline's passage checks. */
export function redFlags(text: string, patient?: PatientContext): Flag[] {
  return flagsOf(repairForMatch(normalizeForMatch(text)), patient).flags;
}

/** The rule flags of normalised text, with the measurements they were read from (triage reuses both). */
function flagsOf(t: string, patient?: PatientContext): { flags: Flag[]; measures: Measurement[] } {
  const measures = extractMeasurements(t);
  const patientDrugs = (patient?.medications ?? []).map((m) => findDrug(m.name)).filter((d) => d !== undefined);
  const textDrugs = mentionedDrugs(t)
    .filter((m) => !/\b(?:not|no longer|stopped|never)\b[^.]{0,15}$/.test(t.slice(Math.max(0, m.start - 20), m.start)))
    .map((m) => m.drug);
  const drugs = [...patientDrugs, ...textDrugs];
  const ctx = {
    onSglt2: drugs.some((d) => d.class === "sglt2"),
    onInsulinOrSu: drugs.some((d) => isInsulin(d) || isSulfonylurea(d)) || /insulin|胰岛素/.test(t),
    elderly: (patient?.age ?? 0) >= 65 || mentionsElderly(t),
    type1: TYPE1.test(t) || (patient?.diagnoses ?? []).some((d) => TYPE1.test(d.toLowerCase())),
  };
  const subjects = subjectsOf(t, patient);
  const flags = [
    ...scanKeywordFlags(t, subjects),
    ...vitalFlags(t, measures, subjects),
    ...glycemicFlags(t, measures, ctx),
    ...scanFoot(t),
    ...pregnancyFlag(t, patient?.pregnancy === true),
    ...selfDoseFlag(t),
    ...extraDoseFlag(t),
  ];
  flags.push(...tiaFlag(t));
  // One flag per code: the most urgent instance wins.
  const byCode = new Map<string, Flag>();
  for (const f of flags) {
    const prev = byCode.get(f.code);
    if (!prev || RANK[f.urgency ?? "routine"] > RANK[prev.urgency ?? "routine"]) byCode.set(f.code, f);
  }
  // Bell's palsy: the forehead is involved and nothing else is weak, numb or slurred — a same-day
  // problem, not a stroke (NICE CKS). Any other deficit keeps the stroke flag.
  if (byCode.has("bells-palsy-pattern") && byCode.has("stroke-signs") && !otherDeficit(t)) byCode.delete("stroke-signs");
  return { flags: [...byCode.values()], measures };
}

/**
 * A focal deficit that came and went in the last days is a suspected TIA: specialist assessment
 * within 24 hours (NICE NG128; RCP National Clinical Guideline for Stroke 2023). The stroke rows
 * skip it because it has resolved; this keeps it from landing on routine.
 */
const TIA_DEFICIT =
  /\b(?:(?:arm|hand|leg|face|side)[^.]{0,20}(?:went|go|going|gone|was|felt|became) (?:weak|numb|clumsy|heavy|dead|floppy)|(?:weak|numb|clumsy)[^.]{0,12}(?:arm|hand|leg|face|side)|slurr\w*|(?:couldn'?t|could not|unable to) (?:speak|talk|find (?:the |my )?words|see (?:out of|with))|(?:face|mouth) (?:drooped|dropped|went lopsided)|lost (?:the )?(?:vision|sight) in one eye|mini[- ]?stroke|\btia\b)|(?:手|脚|胳膊|腿|半边|一侧|脸)[^，。,]{0,4}(?:麻|无力|没劲|不听使唤|动不了)|说话[^，。,]{0,3}(?:不利索|不清|含糊)|口齿不清|嘴歪|一过性黑蒙|小中风/;
const TIA_RESOLVED =
  /\b(?:went back to normal|back to normal|(?:fully |completely )?(?:resolved|recovered|passed)|went away|no symptoms now|fine now|ok now|normal now|lasted (?:a few|about|around|\d+|ten|five|twenty) (?:seconds|minutes|mins))\b|好了|恢复了|恢复正常|没事了|缓过来|过了[^，。,]{0,5}(?:分钟)?(?:就)?好/;
const TIA_RECENT =
  /\b(?:yesterday|last night|this morning|today|earlier|(?:a|one|two|three|\d) days? ago|over the weekend|this week)\b|昨天|前天|今天|今早|刚才|这两天|这几天|(?:一|两|三|\d)天前/;

function tiaFlag(t: string): Flag[] {
  const m = TIA_DEFICIT.exec(t);
  if (!m || isNegated(t, m.index) || !TIA_RESOLVED.test(t) || !TIA_RECENT.test(t)) return [];
  if (/\b(?:years?|months?) ago\b|年前|去年|几个月前/.test(t)) return [];
  return [
    {
      code: "suspected-tia",
      evidence: t.slice(m.index, m.index + 120).trim(),
      source:
        "NICE NG128 (suspected TIA: specialist assessment within 24 hours); RCP National Clinical Guideline for Stroke 2023",
      urgency: "urgent",
    },
  ];
}

const DEFICIT =
  /(?:arm|leg|hand|limb|side of (?:the |his |her |my )?body)s?[^.,]{0,20}(?:weak|numb|heavy|can'?t move|paralys\w*)|(?:weak|numb)\w*[^.,]{0,15}(?:arm|leg|hand|limb)|slurr\w*|(?:can'?t|cannot|trouble) (?:speak|talk|walk|see|find words)|confus\w*|(?:手|脚|腿|胳膊|肢体|半身|半边身)[^，。,]{0,4}(?:无力|没劲|没力|麻|动不了|不能动)|说话(?:不清|含糊|不利索)|口齿不清|言语不清|走路不稳|看不清|意识/;

function otherDeficit(t: string): boolean {
  for (const m of t.matchAll(new RegExp(DEFICIT.source, "g"))) if (isAsserted(t, m.index)) return true;
  return false;
}

/**
 * A multiple-choice exam item ("Question: … Option A: … Option B: …", 下列…正确的是 A. … B. …):
 * a test of knowledge that names emergencies, never a report of one. Three or more lettered options.
 */
const OPTION_LINE = /(?:^|\n|\s)(?:option\s*)?[a-e]\s*[:：.、)]\s*\S/gi;
export function isExamItem(text: string): boolean {
  const options = new Set(
    [...text.matchAll(OPTION_LINE)].map((m) =>
      m[0]
        .trim()
        .replace(/^option\s*/i, "")[0]
        ?.toLowerCase(),
    ),
  );
  const stem =
    /(?:^|\n)\s*(?:question|q\d*|问题|题目|单选题|多选题)\s*[:：]|下列|以下(?:哪|说法|叙述)|(?:正确|不正确|错误)的是|option\s*a\s*[:：]/i.test(
      text,
    );
  return stem && options.size >= 3;
}

export function triage(input: TriageInput): Triage {
  const t = repairForMatch(normalizeForMatch(input.text));
  if (isExamItem(input.text)) {
    return { urgency: "routine", responder: "bot", flags: [], complexity: [], escalate: false, injection: false };
  }
  const { flags: rules, measures } = flagsOf(t, input.patient);
  // The safety floor: nothing recognised above routine, yet a new, worsening or severe symptom is
  // reported → urgent; a sudden severe symptom or sudden loss of function → emergency, which also
  // lifts a message the rules read only as urgent.
  const top = rules.reduce((r, f) => Math.max(r, RANK[f.urgency ?? "routine"]), 0);
  const floor = top >= RANK.emergency ? [] : safetyFloor(t).filter((f) => RANK[f.urgency ?? "routine"] > top);
  const flags = [...rules, ...floor];
  const complexity = assessComplexity(input.patient, input.text, input.now);
  const urgency = flags.reduce<Urgency>(
    (u, f) => (RANK[f.urgency ?? "routine"] > RANK[u] ? (f.urgency ?? "routine") : u),
    "routine",
  );
  const physicianUrgent = urgency === "urgent" && flags.some((f) => f.urgency === "urgent" && PHYSICIAN_URGENT.has(f.code));
  let responder: Responder;
  if (urgency === "emergency") responder = "physician";
  else if (urgency === "urgent") responder = physicianUrgent ? "physician" : "nurse";
  else {
    const clinical = flags.length > 0 || measures.length > 0 || (PERSONAL.test(t) && mentionedDrugs(t).length > 0);
    responder = clinical || complexity.length > 0 ? "assistant" : "bot";
  }
  return {
    urgency,
    responder,
    flags,
    complexity,
    escalate: urgency === "emergency" || complexity.length > 0 || physicianUrgent,
    injection: false,
  };
}
