/**
 * Patient answers without a model: a reply a patient can act on safely, or a reason to hold.
 * Two kinds only. A reading ("is a fasting sugar of 7.2 ok?") is placed against the patient's
 * own targets (patient-targets.ts, ADA §6/§13/§15) and says when to tell the clinic. An
 * education question ("is diarrhoea a side effect of metformin?") is answered by condensing
 * the retrieved patient-education passages in the patient's language, each sentence cited.
 * Never a dose, never a prescription, never the clinician's order draft: sentences that carry
 * either are dropped, and anything the two kinds do not cover (a personal medication decision,
 * a red flag, a low or very high reading, no passage in the patient's language) is declined
 * with a code so the caller holds it for a person, as before.
 */
import type { Draft, DraftBody, Lang, Passage, PatientContext, Triage } from "../../core/domain.js";
import { mentionedDrugs } from "../../guardrails/meds/formulary.js";
import { localizedContact } from "../../guardrails/replies.js";
import { extractMeasurements, type Measurement, MGDL_PER_MMOL } from "../../guardrails/text/extract.js";
import { hasCjk } from "../../rag/tokenize.js";
import { educationAnswer } from "./patient-education.js";
import {
  NOT_INTERPRETED,
  type Position,
  placeA1c,
  placeGlucose,
  type ReadingContext,
  type Targets,
  targetsFor,
  toMmol,
} from "./patient-targets.js";

export const PATIENT_ANSWER_VERSION = "patient-answer-v1";

export interface PatientAnswerInput {
  text: string;
  lang: Lang;
  patient?: PatientContext;
  passages: readonly Passage[];
  triage?: Triage | null;
  /** How to reach the clinic (CLINIC_CONTACT). */
  clinicContact?: string;
  /** The clinic country's emergency number: replaces another country's number quoted by a passage. */
  emergencyNumber?: string;
}

export type PatientAnswerKind = "reading" | "education";

export type PatientAnswerOutcome =
  | { ok: true; kind: PatientAnswerKind; lang: "zh" | "en"; body: DraftBody }
  | { ok: false; code: DeclineCode };

export type DeclineCode =
  | "red-flag"
  | "medication-decision"
  | "reading-needs-person"
  | "no-passage-in-language"
  | "no-relevant-passage"
  | "not-a-question"
  | "empty";

/**
 * Asking for a decision about one's own medicines is for a clinician, whatever the wording:
 * dose words always; decision verbs ("should I stop", 要不要停) when a medicine is named.
 */
const EN_DECISION_ALWAYS =
  /\bhow (?:much|many) (?:insulin|units?|tablets?|pills?|mg)\b|\b(?:my|what|the right) (?:dose|dosage)\b|\bdos(?:e|age|ing) (?:of|for) (?:my|me)\b|\b(?:more|less|extra) (?:insulin|units|metformin|tablets|pills|medicine)\b|\b(?:forg[eo]t(?:ten)?|miss(?:ed)?|skipp?(?:ed)?)\b[^.?!。？！]{0,40}\b(?:dose|insulin|metformin|tablets?|pills?|medicines?|medications?|meds|injection|shot)\b/i;
const EN_DECISION_VERB =
  /\b(?:should|can|could|may|do|must|shall) i (?:take|stop|skip|start|increase|decrease|double|change|reduce|lower|raise|up|cut|use|keep taking|switch|restart|miss|inject)\b|\b(?:stop|quit) taking\b|\bok(?:ay)? (?:to|if i) (?:stop|skip|take|double|increase)\b|\btake (?:more|less|extra)\b/i;
const ZH_DECISION_ALWAYS =
  /剂量|用量|多少单位|几个单位|几片|加量|减量|加药|减药|停药|换药|补打|漏打|漏服|漏吃|补吃|忘了吃药|忘记吃药|忘打/;
const ZH_DECISION_VERB =
  /停掉|停了|不吃了|不打了|换成|能不能停|能停|要不要(?:吃|打|加|减|停|换|用)|该不该(?:吃|打|加|减|停|换|用)|可以(?:不吃|不打|停|少吃|多吃|多打|少打|加|减)|可不可以(?:停|不吃|不打)|多打|少打/;
const MED_WORD =
  /insulin|metformin|tablet|pill|medicine|medication|\bmeds?\b|\bdose|injection|\bshots?\b|\bunits?\b|胰岛素|药|针|剂量|单位/i;

function asksMedicationDecision(text: string): boolean {
  if (EN_DECISION_ALWAYS.test(text) || ZH_DECISION_ALWAYS.test(text)) return true;
  const med = MED_WORD.test(text) || mentionedDrugs(text).length > 0;
  return med && (EN_DECISION_VERB.test(text) || ZH_DECISION_VERB.test(text));
}

const FASTING =
  /fasting|before breakfast|on waking|woke up|when i (?:woke|wake)|morning|empty stomach|空腹|早上起来|晨起|早餐前|起床/i;
const BEFORE_MEAL = /before (?:a |my )?(?:meal|lunch|dinner|supper|eating)|pre-?meal|餐前|饭前/i;
const AFTER_MEAL =
  /after (?:a |my )?(?:meal|lunch|dinner|supper|breakfast|eating)|post-?(?:meal|prandial)|\b[12] ?h(?:ours?|rs?)? after\b|餐后|饭后|吃完饭|吃饭后/i;
const BEDTIME = /bedtime|before bed|at night|night ?time|睡前|晚上睡觉前/i;

function contextOf(text: string, m: Measurement): ReadingContext {
  const around = text.slice(Math.max(0, m.start - 40), Math.min(text.length, m.end + 25));
  if (AFTER_MEAL.test(around)) return "after-meal";
  if (FASTING.test(around)) return "fasting";
  if (BEFORE_MEAL.test(around)) return "before-meal";
  if (BEDTIME.test(around)) return "bedtime";
  return "unspecified";
}

/** The reply language: Chinese in, Chinese out — any Han text in the message makes it a Chinese conversation. */
export function replyLang(lang: Lang, text: string): "zh" | "en" {
  if (lang === "zh") return "zh";
  if (lang === "en") return hasCjk(text) ? "zh" : "en";
  return hasCjk(text) ? "zh" : "en";
}

const T = {
  en: {
    ctx: {
      fasting: "fasting",
      "before-meal": "before-meal",
      "after-meal": "after-meal",
      bedtime: "bedtime",
      unspecified: "",
    } as Record<ReadingContext, string>,
    range: (ctx: ReadingContext) =>
      ctx === "after-meal"
        ? "after-meal target (below"
        : ctx === "bedtime"
          ? "bedtime target range ("
          : "before-meal target range (",
    pos: {
      below: "is below your target range",
      "low-end": "is at the low end of your target range",
      within: "is within your target range",
      top: "is at the top of your target range",
      above: "is above your target range",
    } as Record<Position, string>,
    tellClinic: (c: string) => `Tell the clinic (${c})`,
    footer:
      "This is general information about your readings, not a change to your treatment: do not change your medicines without asking the clinic.",
    source: "Source",
  },
  zh: {
    ctx: {
      fasting: "空腹",
      "before-meal": "餐前",
      "after-meal": "餐后",
      bedtime: "睡前",
      unspecified: "",
    } as Record<ReadingContext, string>,
    pos: {
      below: "低于您的目标范围",
      "low-end": "在您目标范围的下限附近",
      within: "在您的目标范围内",
      top: "在您目标范围的上限",
      above: "高于您的目标范围",
    } as Record<Position, string>,
    tellClinic: (c: string) => `请联系门诊（${c}）`,
    footer: "以上是关于您血糖读数的一般说明，不是对治疗方案的调整：请不要自行更改用药，如有疑问请先咨询门诊。",
    source: "依据",
  },
};

function fmtGlucose(mgdl: number, unit: string, lang: "zh" | "en"): string {
  const mmol = toMmol(mgdl);
  if (lang === "zh") return unit === "mg/dL" ? `${mgdl}毫克/分升（${mmol}毫摩尔/升）` : `${mmol}毫摩尔/升`;
  return unit === "mg/dL" ? `${mgdl} mg/dL (${mmol} mmol/L)` : `${mmol} mmol/L (${mgdl} mg/dL)`;
}

function fmtRange(r: [number, number], unit: string, lang: "zh" | "en", upperOnly = false): string {
  const mm = unit !== "mg/dL";
  const a = mm ? toMmol(r[0]) : r[0];
  const b = mm ? toMmol(r[1]) : r[1];
  const u = lang === "zh" ? (mm ? "毫摩尔/升" : "毫克/分升") : mm ? "mmol/L" : "mg/dL";
  if (upperOnly) return lang === "zh" ? `低于${b}${u}` : `below ${b} ${u}`;
  return lang === "zh" ? `${a}–${b}${u}` : `${a}–${b} ${u}`;
}

function glucoseSentence(m: Measurement, ctx: ReadingContext, t: Targets, lang: "zh" | "en"): string {
  const mgdl = Math.round(m.mgdl ?? m.value);
  const unit = m.unit === "mg/dL" ? "mg/dL" : "mmol/L";
  const v = placeGlucose(mgdl, ctx, t);
  const postMeal = ctx === "after-meal";
  const range = fmtRange(v.range, unit, lang, postMeal);
  const reading = fmtGlucose(mgdl, unit, lang);
  const preRange = fmtRange(t.premeal, unit, lang);
  const pmLimit = fmtRange([t.premeal[0], t.postMeal], unit, lang, true);
  if (lang === "zh") {
    if (ctx === "unspecified") {
      if (v.position === "above" && v.fitsAfterMeal)
        return `血糖${reading}：如果是餐前测的，高于您的餐前目标（${preRange}）；如果是餐后1–2小时测的，在餐后目标（${pmLimit}）以内。`;
      return `血糖${reading}${T.zh.pos[v.position]}（餐前${preRange}，餐后1–2小时${pmLimit}）。`;
    }
    const what = postMeal ? "餐后目标" : ctx === "bedtime" ? "睡前目标" : "餐前及空腹目标";
    return `${T.zh.ctx[ctx]}血糖${reading}${T.zh.pos[v.position]}（${what}：${range}）。`;
  }
  const label = T.en.ctx[ctx];
  if (ctx === "unspecified") {
    if (v.position === "above" && v.fitsAfterMeal)
      return `A reading of ${reading} is above your before-meal target range (${preRange}) if it was taken before a meal, but within your after-meal target (${pmLimit}) if it was taken 1–2 hours after eating.`;
    return `A reading of ${reading} ${T.en.pos[v.position]} (before meals ${preRange}; 1–2 hours after meals ${pmLimit}).`;
  }
  const what = postMeal
    ? `after-meal target (${range})`
    : ctx === "bedtime"
      ? `bedtime target range (${range})`
      : `target range before meals (${range})`;
  const pos = T.en.pos[v.position].replace("your target range", `your ${what}`);
  return `Your ${label} reading of ${reading} ${pos}.`;
}

function a1cSentence(m: Measurement, t: Targets, lang: "zh" | "en"): string {
  const pct = m.unit === "mmol/mol" ? Math.round((m.value * 0.09148 + 2.152) * 10) / 10 : m.value;
  const pos = placeA1c(pct, t);
  const goal = t.a1c.upTo ? `${t.a1c.goal}–${t.a1c.upTo}%` : `${t.a1c.goal}%`;
  if (lang === "zh") {
    const where =
      pos === "within" ? "达到了" : pos === "top" ? "接近或刚好在" : pct - (t.a1c.upTo ?? t.a1c.goal) <= 0.5 ? "略高于" : "高于";
    return `糖化血红蛋白（HbA1c）${pct}%${where}适合您的目标（低于${goal}）。HbA1c反映近2–3个月的平均血糖，医生会结合您的情况在复诊时评估。`;
  }
  const where =
    pos === "within"
      ? "meets"
      : pos === "top"
        ? "is close to the top of"
        : pct - (t.a1c.upTo ?? t.a1c.goal) <= 0.5
          ? "is just above"
          : "is above";
  return `An HbA1c of ${pct}% ${where} the goal that suits you (below ${goal}). HbA1c reflects your average glucose over the past 2–3 months; your care team will review it with you at your next visit.`;
}

function whenToTell(t: Targets, positions: Position[], lang: "zh" | "en", contact: string): string {
  const hi = t.premeal[1];
  if (!positions.length) {
    // HbA1c only: it is reviewed at visits; the patient is told what should bring them in sooner.
    return lang === "zh"
      ? `请把这个结果带到下次复诊。${T.zh.tellClinic(contact)}提前沟通：如果餐前血糖经常高于${toMmol(hi)}毫摩尔/升，出现明显口渴、多尿、体重下降，或出现低血糖。`
      : `Bring this result to your next visit. ${T.en.tellClinic(contact)} sooner if your before-meal readings are often above ${toMmol(hi)} mmol/L (${hi} mg/dL), if you are very thirsty, passing a lot of urine or losing weight, or if you have lows.`;
  }
  const lowMmol = 3.9;
  const high = positions.some((p) => p === "above");
  const low = positions.some((p) => p === "below");
  if (lang === "zh") {
    const c = T.zh.tellClinic(contact);
    if (low)
      return `${c}：读数低于目标可能说明当前治疗对您偏强，请尽快告诉医生；如果血糖低于${lowMmol}毫摩尔/升或出现心慌、出汗、手抖，请按低血糖处理并立即联系门诊。`;
    if (high)
      return `${c}：如果接下来几天大部分餐前读数仍高于${toMmol(hi)}毫摩尔/升，或任何一次高于13.3毫摩尔/升，或出现口渴、多尿、呕吐、生病发热。偶尔一次偏高常与进食、生病、压力或漏服药有关。`;
    return `继续按平时的方法监测即可。${c}：如果读数经常高于${toMmol(hi)}毫摩尔/升（餐前）或低于${lowMmol}毫摩尔/升，或出现低血糖症状。`;
  }
  const c = T.en.tellClinic(contact);
  if (low)
    return `${c} soon: readings below your range can mean your treatment is stronger than you need. If you go below ${lowMmol} mmol/L (70 mg/dL) or feel shaky, sweaty or confused, treat it as a low and contact the clinic straight away.`;
  if (high)
    return `${c} if most of your before-meal readings over the next few days stay above ${toMmol(hi)} mmol/L (${hi} mg/dL), if any reading is above 13.3 mmol/L (240 mg/dL), or if you are thirsty, passing a lot of urine, vomiting or unwell. A single higher reading often follows a large meal, illness, stress or a missed dose.`;
  return `Keep checking as you usually do. ${c} if your before-meal readings are often above ${toMmol(hi)} mmol/L (${hi} mg/dL) or below ${lowMmol} mmol/L (70 mg/dL), or if you have symptoms of a low.`;
}

function readingAnswer(input: PatientAnswerInput, ms: Measurement[], lang: "zh" | "en"): PatientAnswerOutcome {
  const t = targetsFor(input.patient);
  const contact = localizedContact(lang, input.clinicContact);
  const lines: string[] = [];
  const positions: Position[] = [];
  for (const m of ms.slice(0, 3)) {
    if (m.kind === "hba1c") {
      lines.push(a1cSentence(m, t, lang));
      continue;
    }
    const mgdl = m.mgdl ?? m.value;
    if (mgdl < NOT_INTERPRETED.belowMgdl || mgdl > NOT_INTERPRETED.aboveMgdl) return { ok: false, code: "reading-needs-person" };
    const ctx = contextOf(input.text, m);
    positions.push(placeGlucose(mgdl, ctx, t).position);
    lines.push(glucoseSentence(m, ctx, t, lang));
  }
  if (!lines.length) return { ok: false, code: "empty" };
  lines.push(whenToTell(t, positions, lang, contact));
  const tt = T[lang];
  const source = `${tt.source}: ${t.source[lang]}`;
  const reply = [...lines, tt.footer, source].join("\n");
  return {
    ok: true,
    kind: "reading",
    lang,
    body: {
      labTests: [],
      examinations: [],
      medications: [],
      // The targets are rules with their source, not retrieved passages: the citation is in the text.
      recommendations: lines.map((text) => ({ text, citations: [] })),
      reply,
      confidence: 0.9,
    },
  };
}

/**
 * Glucose written with an explicit unit ("I got 168 mg/dL") that the triage extractor did not
 * type for want of a cue word. Only interpreted inside the safe band; outside it the reply is declined.
 */
function unitReadings(text: string): Measurement[] {
  const out: Measurement[] = [];
  for (const m of text.matchAll(
    /(\d+(?:\.\d+)?)\s*(mg\s*\/\s*dl|mmol\s*\/\s*l|毫摩尔(?:\s*\/\s*|每)升|毫克(?:\s*\/\s*|每)分升)/gi,
  )) {
    const value = Number(m[1]);
    const mg = /mg|毫克/i.test(m[2] ?? "");
    const start = m.index ?? 0;
    out.push({
      kind: "glucose",
      value,
      unit: mg ? "mg/dL" : "mmol/L",
      mgdl: mg ? value : value * MGDL_PER_MMOL,
      start,
      end: start + m[0].length,
      text: m[0],
    });
  }
  return out;
}

/** A patient answer, or the code of why this message needs a person. */
export function patientAnswer(input: PatientAnswerInput): PatientAnswerOutcome {
  const tr = input.triage;
  if (tr && (tr.urgency !== "routine" || tr.flags.length > 0 || tr.complexity.length > 0 || tr.injection || tr.escalate))
    return { ok: false, code: "red-flag" };
  if (asksMedicationDecision(input.text)) return { ok: false, code: "medication-decision" };
  const lang = replyLang(input.lang, input.text);
  const readings = extractMeasurements(input.text).filter(
    (m) => (m.kind === "glucose" || m.kind === "hba1c") && m.flag === undefined,
  );
  if (extractMeasurements(input.text).some((m) => m.flag !== undefined)) return { ok: false, code: "reading-needs-person" };
  if (!readings.some((m) => m.kind === "glucose")) readings.push(...unitReadings(input.text));
  if (readings.length) return readingAnswer(input, readings, lang);
  // A leaflet answers questions. A report ("still a bit shaky though", 今天头晕) is a person's to
  // read — matched against leaflets it only finds sentences sharing a stray word.
  if (!asksSomething(input.text)) return { ok: false, code: "not-a-question" };
  return educationAnswer(input, lang);
}

/** A question or a request for information, with or without its question mark. */
const EN_ASKS =
  /\?|^\s*(?:what|how|why|when|where|which|who|whom|whose|is|are|am|was|were|do|does|did|can|could|should|would|will|may|might|must|shall|any|tell me|explain|describe|help|please)\b|\b(?:what|how|why|which|when|where)\b[^.!]*$|\b(?:i (?:want|would like|need) to know|i wonder|i'?m wondering|any (?:tips|advice|ideas)|is it (?:ok|okay|safe|normal|true|bad)|tell me|can you|could you|do you know)\b/i;
const ZH_ASKS =
  /[?？]|吗|么|呢|什么|怎么|怎样|如何|为什么|为何|哪|谁|几|多少|多久|多长|是否|能否|可否|能不能|可不可以|可以不可以|会不会|是不是|有没有|要不要|该不该|行不行|好不好|对不对|请问|想问|想知道|请教|介绍|讲讲|说说|告诉我/;

function asksSomething(text: string): boolean {
  return EN_ASKS.test(text) || ZH_ASKS.test(text);
}

/**
 * The pipeline's entry (generate step, patient audience, no model host): a labelled
 * "patient-answer" draft, or null to fall back to today's held case-based path.
 */
export function patientAnswerDraft(
  state: { message: { text: string }; lang: Lang; patient?: PatientContext; passages: readonly Passage[]; triage?: Triage },
  clinic: { clinicContact?: string; emergencyNumber?: string } = {},
): Draft | null {
  const out = patientAnswer({
    text: state.message.text,
    lang: state.lang,
    ...(state.patient ? { patient: state.patient } : {}),
    passages: state.passages,
    triage: state.triage ?? null,
    ...(clinic.clinicContact ? { clinicContact: clinic.clinicContact } : {}),
    ...(clinic.emergencyNumber ? { emergencyNumber: clinic.emergencyNumber } : {}),
  });
  if (!out.ok) return null;
  return {
    ...out.body,
    mode: "patient-answer",
    provider: "patient-answer",
    model: out.kind === "reading" ? "reading-targets" : "education-passages",
    promptVersion: `${PATIENT_ANSWER_VERSION}:${out.lang}`,
  };
}
