/**
 * Step 2, pre-check: triage, red flags, complexity, injection and PHI redaction — all
 * deterministic guardrails — read with the conversation's earlier turns (memory). It runs once,
 * at intake (`precheckAtIntake`, called by submitMessage): the result is stored with the message
 * and sets the queue priority; this step reads it back, so queue and pipeline never disagree.
 * A message without a stored pre-check (accepted before it existed, or saving failed) is
 * pre-checked here by the same function. An emergency short-circuits the pipeline.
 */
import type { InboundMessage, IntakePrecheck, PatientContext, Redacted } from "../../core/domain.js";
import type { ResultStore } from "../../core/ports.js";
import { triageInContext } from "../../guardrails/in-context.js";
import { redact, precheck as runPrecheck } from "../../guardrails/index.js";
import { EMPTY_MEMORY, type MemoryBounds, type Recalled, recall } from "../conversations/memory.js";
import { messageText, normalizePatient } from "./intake.js";
import type { PipelineDeps, PipelineState } from "./types.js";

export const NO_HISTORY: Recalled = { memory: EMPTY_MEMORY, history: "" };

/** The pre-check of one message read with its recalled history. Pure. */
export function computePrecheck(
  m: InboundMessage,
  patient: PatientContext | undefined,
  recalled: Recalled,
  now: Date,
): IntakePrecheck {
  const text = messageText(m);
  const out = runPrecheck({ text, lang: m.lang, ...(patient ? { patient } : {}), now });
  const inContext = triageInContext({ text, history: recalled.history, ...(patient ? { patient } : {}), now }, out.triage);
  const question = m.kind === "consultation" && text !== m.text ? redact(m.text).redacted : undefined;
  return {
    lang: out.lang,
    triage: inContext.triage,
    redacted: out.redacted,
    ...(question !== undefined ? { question } : {}),
    injection: out.injection,
    phi: out.phiSpans.map((s) => s.type),
    memory: { ...recalled.memory, fromHistory: inContext.fromHistory },
  };
}

/** The patient a message is about, as intake knows it: given, registered, or the Slack thread's consultation's. */
export async function patientOf(
  results: Pick<ResultStore, "getPatient">,
  m: InboundMessage,
  inherited?: PatientContext,
): Promise<PatientContext | undefined> {
  const p = m.patient ?? (m.sender.role === "patient" ? ((await results.getPatient(m.sender.ref)) ?? undefined) : inherited);
  return p ? normalizePatient(p) : undefined;
}

/** Recall the conversation, find the patient and pre-check: what submitMessage stores with the message. */
export async function precheckAtIntake(
  results: Pick<ResultStore, "getPatient" | "conversationTurns">,
  m: InboundMessage,
  now: Date,
  bounds?: MemoryBounds,
): Promise<IntakePrecheck> {
  const recalled = await recall(results, m, now, bounds);
  const patient = await patientOf(results, m, recalled.patient);
  return computePrecheck(m, patient, recalled, now);
}

export async function precheck(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  const stored = state.stored;
  const out = stored ?? computePrecheck(state.message, state.patient, state.recalled ?? NO_HISTORY, deps.clock());
  const next: PipelineState = {
    ...state,
    lang: out.lang,
    triage: out.triage,
    // Redacted at intake (a stored redacted row): reused, not redacted again.
    redacted: out.redacted as Redacted,
    ...(out.question !== undefined ? { question: out.question as Redacted } : {}),
    injection: out.injection,
    memory: out.memory,
  };
  await deps.audit.append({
    kind: "pre-check",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      at: stored ? "intake" : "pipeline",
      lang: out.lang,
      urgency: out.triage.urgency,
      responder: out.triage.responder,
      escalate: out.triage.escalate,
      // Evidence spans are quoted from the message: redact them like any other text.
      flags: out.triage.flags.map((f) => ({ code: f.code, source: f.source, evidence: redact(f.evidence).redacted })),
      complexity: out.triage.complexity.map((c) => c.code),
      injection: out.injection.flagged,
      phi: out.phi,
      memoryTurns: out.memory.turns.length,
      fromHistory: out.memory.fromHistory,
    },
  });
  return next;
}
