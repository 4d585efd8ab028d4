/**
 * Step 2, pre-check: triage, red flags, complexity, injection and PHI redaction — all
 * deterministic guardrails. An emergency short-circuits the pipeline into the emergency path.
 */
import { redact, precheck as runPrecheck } from "../../guardrails/index.js";
import { messageText } from "./intake.js";
import type { PipelineDeps, PipelineState } from "./types.js";

export async function precheck(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  const out = runPrecheck({
    text: messageText(state.message),
    lang: state.message.lang,
    ...(state.patient ? { patient: state.patient } : {}),
    now: deps.clock(),
  });
  const next: PipelineState = { ...state, lang: out.lang, triage: out.triage, redacted: out.redacted, injection: out.injection };
  await deps.audit.append({
    kind: "pre-check",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      lang: out.lang,
      urgency: out.triage.urgency,
      responder: out.triage.responder,
      escalate: out.triage.escalate,
      // Evidence spans are quoted from the message: redact them like any other text.
      flags: out.triage.flags.map((f) => ({ code: f.code, source: f.source, evidence: redact(f.evidence).redacted })),
      complexity: out.triage.complexity.map((c) => c.code),
      injection: out.injection.flagged,
      phi: out.phiSpans.map((s) => s.type),
    },
  });
  return next;
}
