/**
 * Versioned prompt templates in the paper's instruction format (instruction → input →
 * output sections), in Chinese and English, plus a short patient-reply template that forbids
 * dosing directives. The version string is recorded with every draft.
 */
import type { Lang, Passage, PatientContext, Redacted, SimilarCase } from "../../core/domain.js";
import { redact } from "../../guardrails/index.js";

export const CONSULT_PROMPT_VERSION = "consult-v1";
export const PATIENT_PROMPT_VERSION = "patient-reply-v1";

const INSTRUCTION = {
  en: "You are a diabetes clinical recommendation model. From the outpatient record below, recommend the lab tests, examinations, medications (name, dose, frequency, route, action) and treatment recommendations for this visit. Cite the ids of the reference passages that support each item. Never invent a citation. If unsure, say so through a lower confidence.",
  zh: "你是一个糖尿病临床推荐模型。请根据以下门诊病历，给出本次就诊的检验项目、检查项目、用药建议（药名、剂量、频次、途径、操作）和治疗建议。每一项都要引用支持它的参考资料编号，不得编造引用；不确定时请降低置信度。",
};

const PATIENT_INSTRUCTION = {
  en: "You answer a patient's follow-up message for a diabetes clinic. Reply in plain English, at most 4 short sentences. Education only: never tell the patient to take, start, stop or change any dose. If anything sounds urgent, tell them to contact the clinic or emergency services. Cite the reference passage ids you used.",
  zh: "你在为糖尿病门诊回复患者的随访消息。用通俗的中文回答，不超过4句。只做健康教育：绝不告诉患者服用、开始、停止或调整任何药物剂量。如有紧急情况，请建议联系门诊或急救。引用所用参考资料编号。",
};

/** Self-informed part: the patient's own record, free of identifiers (age, sex, no name or ref). */
export function patientSummary(p: PatientContext | undefined, lang: Lang): string {
  if (!p) return lang === "zh" ? "（无病历）" : "(no record)";
  const labs = p.labs.map((l) => `${l.name} ${l.value ?? l.flag ?? "?"} ${l.unit}${l.at ? ` (${l.at})` : ""}`).join("; ");
  const meds = p.medications.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(" ")).join("; ");
  const lines = [
    `department: ${p.department ?? "endocrinology"}`,
    `sex: ${p.sex}`,
    `age: ${p.age}`,
    `diagnoses: ${p.diagnoses.join("; ") || "-"}`,
    `chief complaint: ${p.chiefComplaint ?? "-"}`,
    `present illness: ${p.presentIllness ?? "-"}`,
    `labs: ${labs || "-"}`,
    `current medications: ${meds || "-"}`,
    `eGFR: ${p.egfr ?? "-"}`,
  ];
  return lines.join("\n");
}

function references(passages: readonly Passage[]): string {
  return passages.map((p) => `[${p.citation.chunkId}] ${p.citation.title}: ${p.text.slice(0, 700)}`).join("\n\n");
}

function peers(similar: readonly SimilarCase[]): string {
  return similar
    .map((c, i) => `${i + 1}. similarity ${c.similarity.toFixed(2)}; ${c.summary}; ordered labs: ${c.labTests.join(", ") || "-"}; medications: ${c.medications.join(", ") || "-"}`)
    .join("\n");
}

export interface BuiltPrompt {
  system: string;
  prompt: Redacted;
  version: string;
}

/**
 * The whole user prompt is passed through the redactor once more: free-text fields (chief
 * complaint, history) may carry names or numbers the structured fields do not.
 */
export function buildConsultPrompt(input: {
  lang: Lang;
  patient?: PatientContext;
  question: Redacted;
  passages: readonly Passage[];
  similar: readonly SimilarCase[];
}): BuiltPrompt {
  const lang = input.lang === "zh" ? "zh" : "en";
  const body = [
    "### Input",
    patientSummary(input.patient, lang),
    `question: ${input.question}`,
    "### Similar past cases (peer-informed)",
    peers(input.similar) || "-",
    "### Reference passages",
    references(input.passages) || "-",
    "### Output",
    "JSON with labTests, examinations, medications, recommendations (each item with citations: [passage ids]) and confidence (0-1).",
  ].join("\n");
  return { system: INSTRUCTION[lang], prompt: redact(body).redacted, version: CONSULT_PROMPT_VERSION };
}

export function buildPatientPrompt(input: { lang: Lang; question: Redacted; passages: readonly Passage[] }): BuiltPrompt {
  const lang = input.lang === "zh" ? "zh" : "en";
  const body = [
    "### Patient message",
    input.question,
    "### Reference passages",
    references(input.passages) || "-",
    "### Output",
    "JSON: reply (the text to send), recommendations (education points with citations), labTests: [], examinations: [], medications: [], confidence (0-1).",
  ].join("\n");
  return { system: PATIENT_INSTRUCTION[lang], prompt: redact(body).redacted, version: PATIENT_PROMPT_VERSION };
}
