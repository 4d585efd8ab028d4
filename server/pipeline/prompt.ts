/**
 * Builds the prompts the model host sees, from the versioned templates in prompts/:
 * the consult prompt in the paper's instruction format, personalized (PMLM) with a
 * self-informed part (the patient's own history) and a peer-informed part (the top-k most
 * similar past cases and what was ordered for them), each switchable for ablation; and a
 * short patient-reply prompt that forbids dosing directives.
 * The finished user prompt passes through the redactor once more: free-text fields may carry
 * names or numbers the structured fields do not.
 */
import type { Lang, MemoryTurn, Passage, PatientContext, Redacted, SimilarCase } from "../../core/domain.js";
import { redact } from "../../guardrails/index.js";
import { latestLabs, selfInformedSummary } from "./prompts/history.js";
import {
  CONSULT,
  CONSULT_PROMPT_VERSION,
  EARLIER,
  PATIENT,
  PATIENT_PROMPT_VERSION,
  type PromptLang,
} from "./prompts/templates.js";

export { CONSULT_PROMPT_VERSION, PATIENT_PROMPT_VERSION } from "./prompts/templates.js";

export interface PersonalizeOptions {
  /** Include the patient's own history (trends, current medications, events). @defaultValue true */
  selfInformed?: boolean;
  /** Include the top-k similar past cases. @defaultValue true */
  peerInformed?: boolean;
  /** How many similar cases to show. @defaultValue 10 */
  peerK?: number;
}

export interface BuiltPrompt {
  system: string;
  prompt: Redacted;
  /** Template version plus the personalization parts in use, e.g. "consult-v2+self+peer". */
  version: string;
  /** Chunk ids the prompt offered as citable: anything else a draft cites is ungrounded. */
  citable: string[];
}

const promptLang = (lang: Lang): PromptLang => (lang === "zh" ? "zh" : "en");

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Redact the whole prompt, then also every other mention of a name the redactor found once:
 * "Name: Zhang Wei" is caught by its cue, but a later bare "Zhang Wei" (or "Mr. Zhang") in the
 * clinician's question is not. The result goes through the redactor again, so it is still
 * minted by guardrails/phi.
 */
export function redactPrompt(text: string): Redacted {
  const first = redact(text);
  const names = new Set(first.spans.filter((s) => s.type === "NAME").map((s) => text.slice(s.start, s.end).trim()));
  let out: string = first.redacted;
  for (const name of names) {
    // A Latin name also hides its capitalized parts ("Mr. Zhang"); a CJK name is matched whole.
    const latin = /^[A-Za-z][A-Za-z .'-]*$/.test(name);
    const parts = latin ? [name, ...name.split(/\s+/).filter((w) => w.length >= 3 && /^[A-Z]/.test(w))] : [name];
    for (const part of parts) out = out.replace(new RegExp(latin ? `\\b${escapeRe(part)}\\b` : escapeRe(part), "g"), "[NAME]");
  }
  return redact(out).redacted;
}

/** The earlier turns (already redacted at intake), oldest first; nothing when there are none. */
export function earlierTurns(turns: readonly MemoryTurn[] | undefined, lang: PromptLang): string[] {
  if (!turns?.length) return [];
  const t = EARLIER[lang];
  const lines = turns.flatMap((x) => [`- [${x.at}] ${t.said}: ${x.text}`, ...(x.reply ? [`  ${t.sent}: ${x.reply}`] : [])]);
  return [t.heading, ...lines];
}

const withMemory = (version: string, turns: readonly MemoryTurn[] | undefined) => (turns?.length ? `${version}+memory` : version);

function references(passages: readonly Passage[]): string {
  return passages.map((p) => `[${p.citation.chunkId}] ${p.citation.title}: ${p.text.slice(0, 700)}`).join("\n\n");
}

/** Peer-informed part: one line per similar case, best first. */
export function peerLines(similar: readonly SimilarCase[], k: number, lang: PromptLang): string {
  const none = CONSULT[lang].none;
  return [...similar]
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k)
    .map(
      (c, i) =>
        `${i + 1}. [${c.similarity.toFixed(2)}] ${c.summary} | labs: ${c.labTests.join(", ") || none} | medications: ${c.medications.join(", ") || none}`,
    )
    .join("\n");
}

/** The paper's input fields: department, sex, age, diagnosis, chief complaint, present illness, labs. */
function inputFields(p: PatientContext | undefined, lang: PromptLang, question: string | undefined): string[] {
  const t = CONSULT[lang];
  const f = t.fields;
  const out = p
    ? [
        `${f.department}: ${p.department ?? (lang === "zh" ? "内分泌科" : "endocrinology")}`,
        `${f.sex}: ${p.sex}`,
        `${f.age}: ${p.age}`,
        `${f.diagnosis}: ${p.diagnoses.join("; ") || t.none}`,
        `${f.chiefComplaint}: ${p.chiefComplaint ?? t.none}`,
        `${f.presentIllness}: ${p.presentIllness ?? t.none}`,
        `${f.labs}: ${latestLabs(p.labs) || t.none}`,
      ]
    : [];
  if (question) out.push(`${f.question}: ${question}`);
  return out;
}

export function consultVersion(opts: PersonalizeOptions): string {
  const parts = [CONSULT_PROMPT_VERSION];
  if (opts.selfInformed ?? true) parts.push("self");
  if (opts.peerInformed ?? true) parts.push("peer");
  return parts.join("+");
}

export function buildConsultPrompt(input: {
  lang: Lang;
  patient?: PatientContext;
  /** A question beyond the chief complaint and history, already redacted; omit when there is none. */
  question?: Redacted;
  passages: readonly Passage[];
  similar: readonly SimilarCase[];
  options?: PersonalizeOptions;
  /** Earlier turns of a Slack thread, redacted. */
  earlier?: readonly MemoryTurn[];
}): BuiltPrompt {
  const lang = promptLang(input.lang);
  const t = CONSULT[lang];
  const opts = input.options ?? {};
  const citable = input.passages.map((p) => p.citation.chunkId);
  const sections = [t.input, ...inputFields(input.patient, lang, input.question), ...earlierTurns(input.earlier, lang)];
  if ((opts.selfInformed ?? true) && input.patient) sections.push(t.self, selfInformedSummary(input.patient, lang));
  if (opts.peerInformed ?? true) {
    const peers = peerLines(input.similar, opts.peerK ?? 10, lang);
    sections.push(`${t.peers} (${t.peersNote})`, peers || t.none);
  }
  sections.push(t.references, references(input.passages) || t.none, `${t.allowedIds}: ${citable.join(", ") || t.none}`, t.output);
  return {
    system: t.instruction,
    prompt: redactPrompt(sections.join("\n")),
    version: withMemory(consultVersion(opts), input.earlier),
    citable,
  };
}

export function buildPatientPrompt(input: {
  lang: Lang;
  question: Redacted;
  passages: readonly Passage[];
  /** The patient's earlier turns, redacted. */
  earlier?: readonly MemoryTurn[];
}): BuiltPrompt {
  const t = PATIENT[promptLang(input.lang)];
  const citable = input.passages.map((p) => p.citation.chunkId);
  const body = [
    ...earlierTurns(input.earlier, promptLang(input.lang)),
    t.message,
    input.question,
    t.references,
    references(input.passages) || "-",
    `${t.allowedIds}: ${citable.join(", ") || "-"}`,
    t.output,
  ].join("\n");
  return {
    system: t.instruction,
    prompt: redactPrompt(body),
    version: withMemory(PATIENT_PROMPT_VERSION, input.earlier),
    citable,
  };
}
