/**
 * Step 4, generate: a structured, cited draft from the model host (JSON schema output,
 * invalid JSON retried once, then held), or, when no model host is configured, from the
 * guideline engine for a consultation with a patient context (guideline-based, similar cases
 * as a labelled supplement) and from the case-based recommender otherwise. With several self-consistency samples the first (temperature 0) is the
 * draft and the item-by-item agreement across all of them is recorded on it; decide escalates
 * when it is low. Provider, model and prompt version are recorded with every draft.
 */
import { z } from "zod";
import { type Draft, DraftBody, type Redacted } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { Llm } from "../../core/ports.js";
import { redact } from "../../guardrails/index.js";
import { CASE_BASED_VERSION, caseBasedDraft } from "./case-based.js";
import { agreement, itemSupport } from "./consistency.js";
import { citedPassages, GUIDELINE_BASED_VERSION, guidelineDraft } from "./guideline-based.js";
import { patientAnswerDraft } from "./patient-answer.js";
import { type BuiltPrompt, buildConsultPrompt, buildPatientPrompt, type PersonalizeOptions } from "./prompt.js";
import type { PipelineDeps, PipelineOptions, PipelineState } from "./types.js";

/** The JSON schema sent to Ollama as `format` and to Anthropic as the tool input schema. */
export const DRAFT_JSON_SCHEMA = z.toJSONSchema(DraftBody, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;

/**
 * Generation switches read from the pipeline options when present (ablation and rollout);
 * absent means on. Kept optional so existing PipelineOptions objects stay valid.
 */
export interface GenerateOptions {
  /** Self-informed part of the prompt / case-based recommender. @defaultValue true */
  selfInformed?: boolean;
  /** Peer-informed part (similar past cases). @defaultValue true */
  peerInformed?: boolean;
}

/** Temperature of samples after the first; the first is greedy so the draft itself is reproducible. */
export const SAMPLE_TEMPERATURE = 0.7;

/** Parse a model's text as a DraftBody; tolerant of a fenced ```json block, strict about the shape. */
export function parseDraft(text: string): DraftBody | null {
  const fenced = text.match(/```(?:json)?\s*([\s\S]*?)```/);
  const candidate = (fenced ? fenced[1] : text)?.trim() ?? "";
  try {
    const parsed = DraftBody.safeParse(JSON.parse(candidate));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One sample: the model's answer, retried once when it is not a valid draft. */
async function sample(llm: Llm, built: BuiltPrompt, index: number, attempts: { n: number }): Promise<DraftBody> {
  for (let i = 0; i < 2; i++) {
    attempts.n++;
    const res = await llm.complete({
      system: built.system,
      prompt: built.prompt,
      schema: DRAFT_JSON_SCHEMA,
      temperature: index === 0 ? 0 : SAMPLE_TEMPERATURE,
      seed: index,
    });
    const draft = parseDraft(res.text);
    if (draft) return draft;
  }
  throw new AppError("MODEL_INVALID_OUTPUT", "the model returned an invalid draft twice");
}

/** The clinician's question when it says more than the chief complaint and history already in the record. */
function extraQuestion(state: PipelineState): Redacted | undefined {
  const p = state.patient;
  if (!p) return state.redacted;
  const text = state.message.text.trim();
  const record = [p.chiefComplaint, p.presentIllness].filter(Boolean).join("\n").trim();
  if (!text || text === record) return undefined;
  // Redacted once at intake: the question apart when the pre-check read it with the record, else the text itself.
  return state.question ?? state.redacted ?? redact(text).redacted;
}

export function buildPrompt(state: PipelineState, options: PipelineOptions & GenerateOptions): BuiltPrompt {
  if (state.audience === "patient") {
    return buildPatientPrompt({
      lang: state.lang,
      question: state.redacted ?? redact(state.message.text).redacted,
      passages: state.passages,
      ...(state.memory?.turns.length ? { earlier: state.memory.turns } : {}),
    });
  }
  const question = extraQuestion(state);
  const personalize: PersonalizeOptions = {
    selfInformed: options.selfInformed ?? true,
    peerInformed: options.peerInformed ?? true,
    peerK: options.similarK,
  };
  return buildConsultPrompt({
    lang: state.lang,
    ...(state.patient ? { patient: state.patient } : {}),
    ...(question ? { question } : {}),
    passages: state.passages,
    similar: state.similar,
    options: personalize,
    ...(state.memory?.turns.length ? { earlier: state.memory.turns } : {}),
  });
}

export async function generate(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  const started = performance.now();
  const options = deps.options as PipelineOptions & GenerateOptions;
  const attempts = { n: 0 };
  let draft: Draft;
  let unstable: Array<{ item: string; support: number }> = [];
  let passages = state.passages;
  // Patients get their own answer type (education passages, their own targets), never the order draft.
  const patientDraft = !deps.llm && state.audience === "patient" ? patientAnswerDraft(state, options) : null;
  if (patientDraft) {
    draft = patientDraft;
  } else if (!deps.llm && state.audience === "clinician" && state.patient && state.message.kind === "consultation") {
    const { draft: body, plan } = guidelineDraft({
      patient: state.patient,
      lang: state.lang,
      similar: options.peerInformed === false ? [] : state.similar,
      now: deps.clock(),
      k: options.similarK,
    });
    draft = {
      ...body,
      mode: "guideline-based",
      provider: "guideline-engine",
      model: "ada-2025-kdigo-2022",
      promptVersion: GUIDELINE_BASED_VERSION,
    };
    // The cited guideline passages join the retrieved ones so every citation resolves to its text.
    const have = new Set(passages.map((p) => p.citation.chunkId));
    passages = [...passages, ...citedPassages(plan).filter((p) => !have.has(p.citation.chunkId))];
  } else if (!deps.llm) {
    const body = caseBasedDraft({
      ...(state.patient ? { patient: state.patient } : {}),
      similar: state.similar,
      passages: state.passages,
      options: { selfInformed: options.selfInformed ?? true, peerInformed: options.peerInformed ?? true, k: options.similarK },
    });
    draft = { ...body, mode: "case-based", provider: "case-based", model: "similar-cases", promptVersion: CASE_BASED_VERSION };
  } else {
    const built = buildPrompt(state, options);
    const n = Math.max(1, options.samples);
    const samples: DraftBody[] = [];
    for (let i = 0; i < n; i++) samples.push(await sample(deps.llm, built, i, attempts));
    const first = samples[0] as DraftBody;
    const agree = n > 1 ? agreement(samples) : undefined;
    unstable = n > 1 ? itemSupport(samples).filter((s) => s.support < 1) : [];
    draft = {
      ...first,
      // A model's self-reported confidence is not calibrated; never let it exceed the samples' agreement.
      confidence: agree === undefined ? first.confidence : Math.min(first.confidence, agree),
      mode: "model",
      provider: deps.llm.provider,
      model: deps.llm.model,
      promptVersion: built.version,
      ...(agree === undefined ? {} : { agreement: agree }),
    };
  }
  await deps.audit.append({
    kind: "generate",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      mode: draft.mode,
      provider: draft.provider,
      model: draft.model,
      promptVersion: draft.promptVersion,
      modelCalls: attempts.n,
      samples: draft.mode === "model" ? Math.max(1, options.samples) : 0,
      items: { labTests: draft.labTests.length, examinations: draft.examinations.length, medications: draft.medications.length },
      confidence: draft.confidence,
      agreement: draft.agreement ?? null,
      // Item keys are lab/drug names and actions, never patient text.
      unstableItems: unstable.slice(0, 20),
      citedGuidelinePassages: passages.length - state.passages.length,
      ms: Math.round(performance.now() - started),
    },
  });
  return { ...state, draft, passages };
}
