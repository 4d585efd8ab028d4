/**
 * The model's second opinion on urgency (issue 12; the seed study's triage task): when a model
 * host is configured, a triage prompt with a JSON schema (urgency, responder, reasons) runs
 * beside the deterministic rules, on the redacted text only. The final urgency is the higher of
 * the two — the model can raise a case, never lower it. A disagreement is audited and carried
 * as a flag the reviewer sees. Rules alone without a model host; an emergency found by the
 * rules never waits on a model (this step is skipped for it). A model that fails or answers
 * out of schema fails closed: the message is held for a human at the rules' urgency.
 */
import { z } from "zod";
import { type Flag, Responder, type Triage, Urgency } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { PipelineDeps, PipelineState } from "./types.js";

export const TRIAGE_PROMPT_VERSION = "triage-v1";

export const ModelTriage = z.object({
  urgency: Urgency,
  responder: Responder,
  reasons: z.array(z.string().max(300)).max(6),
});
export type ModelTriage = z.infer<typeof ModelTriage>;

export const MODEL_TRIAGE_SCHEMA = z.toJSONSchema(ModelTriage, { target: "draft-2020-12", io: "input" }) as Record<
  string,
  unknown
>;

const SYSTEM = {
  en: `You triage messages sent to a diabetes care team. The sender may describe any health problem, not only diabetes.
Answer with JSON only: {"urgency": "emergency" | "urgent" | "routine", "responder": "physician" | "nurse" | "assistant" | "bot", "reasons": [short strings]}.
- emergency: needs emergency services or an immediate clinician now (any organ system: chest pain, stroke signs, severe breathlessness, anaphylaxis, sepsis, severe bleeding, suicidal intent, severe hypo- or hyperglycaemia, DKA).
- urgent: a clinician should see or call today (new, worsening or severe symptoms; infections needing treatment; medication problems).
- routine: education, data questions, stable chronic issues, self-care.
When unsure between two levels, choose the higher one. Never give advice; only classify.`,
  zh: `你为糖尿病诊疗团队分诊消息。发信人可能描述任何健康问题，不只是糖尿病。
只用 JSON 回答：{"urgency": "emergency" | "urgent" | "routine", "responder": "physician" | "nurse" | "assistant" | "bot", "reasons": [简短理由]}。
- emergency：需要立即呼叫急救或马上联系医生（任何系统：胸痛、卒中征象、严重呼吸困难、严重过敏、脓毒症、大出血、自杀意图、严重低/高血糖、酮症酸中毒）。
- urgent：当天需要医生或护士处理（新出现、加重或严重的症状；需要治疗的感染；用药问题）。
- routine：科普、数据咨询、稳定的慢性问题、自我护理。
两个级别之间拿不准时选更高的级别。不要给建议，只做分类。`,
} as const;

/** The English instruction, also the `instruction` of exported triage training pairs. */
export const MODEL_TRIAGE_INSTRUCTION: string = SYSTEM.en;

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };

/** Parse the model's answer; tolerant of a fenced block, strict about the shape. */
export function parseModelTriage(text: string): ModelTriage | null {
  const fenced = text.match(/```(?:json)?\s*([\s\S]*?)```/);
  try {
    const r = ModelTriage.safeParse(JSON.parse((fenced ? fenced[1] : text)?.trim() ?? ""));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Combine the rules' triage with the model's: the higher urgency wins, and the responder follows it. */
export function combineTriage(rules: Triage, model: ModelTriage, modelName: string): Triage {
  const diff = RANK[model.urgency] - RANK[rules.urgency];
  if (diff === 0) return rules;
  const flag: Flag = {
    code: diff > 0 ? "model-second-opinion" : "model-second-opinion-lower",
    evidence: model.reasons.join("; ").slice(0, 500) || `model: ${model.urgency}`,
    source: `model second opinion (${modelName}, ${TRIAGE_PROMPT_VERSION})`,
    // A lower opinion is recorded for the reviewer; it never lowers the rules' urgency.
    urgency: diff > 0 ? model.urgency : "routine",
  };
  if (diff < 0) return { ...rules, flags: [...rules.flags, flag] };
  const urgency = model.urgency;
  const responder: Responder = urgency === "emergency" ? "physician" : model.responder === "physician" ? "physician" : "nurse";
  return { ...rules, urgency, responder, flags: [...rules.flags, flag], escalate: rules.escalate || urgency === "emergency" };
}

/** Step 2b: the model's second opinion (a no-op without a model host, when disabled, or for a rules emergency). */
export async function modelTriage(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  const rules = state.triage;
  if (!deps.llm || !deps.options.modelTriage || !rules || rules.urgency === "emergency" || !state.redacted) return state;
  let answer: ModelTriage | null = null;
  let error: string | null = null;
  let failure: unknown;
  const started = Date.now();
  try {
    const res = await deps.llm.complete({
      system: SYSTEM[state.lang === "zh" ? "zh" : "en"],
      prompt: state.redacted,
      schema: MODEL_TRIAGE_SCHEMA,
      temperature: 0,
      seed: 0,
    });
    answer = parseModelTriage(res.text);
    if (!answer) error = "MODEL_INVALID_OUTPUT";
  } catch (e) {
    failure = e;
    error = e instanceof AppError ? e.code : "DEPENDENCY_UNAVAILABLE";
  }
  const combined = answer ? combineTriage(rules, answer, deps.llm.model) : rules;
  await deps.audit.append({
    kind: "model-triage",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      prompt: TRIAGE_PROMPT_VERSION,
      model: deps.llm.model,
      rules: rules.urgency,
      modelUrgency: answer?.urgency ?? null,
      modelResponder: answer?.responder ?? null,
      final: combined.urgency,
      agree: answer ? answer.urgency === rules.urgency : null,
      error,
      latencyMs: Date.now() - started,
    },
  });
  // Fail closed: no second opinion means no automatic answer; the rules' urgency is kept for the queue.
  if (failure !== undefined) throw failure;
  if (error) throw new AppError("MODEL_INVALID_OUTPUT", "model triage: the answer did not follow the schema");
  return { ...state, triage: combined };
}
