/**
 * Step 6, decide: send | send-with-caveat | hold-for-review | escalate(priority), by the
 * guardrails' decision policy. Also chooses the text that would be delivered.
 */
import { type DecideInput, decide as runDecide, safetyNetReply } from "../../guardrails/index.js";
import { renderDraftText } from "./render.js";
import type { PipelineDeps, PipelineState } from "./types.js";

/** The decision policy's input for a state (shared with the patient eval so both decide alike). */
export function decideInput(state: PipelineState, options: PipelineDeps["options"]): DecideInput {
  const bestScore = state.passages.reduce((m, p) => Math.max(m, p.score), 0);
  const readingAnswer = state.draft?.mode === "patient-answer" && state.draft.model === "reading-targets";
  return {
    triage: state.triage ?? null,
    findings: state.findings,
    draft: state.draft ?? null,
    audience: state.audience,
    // A reading placed against the patient's targets does not rest on retrieval.
    ...(readingAnswer ? {} : { retrievalScore: bestScore, minRetrievalScore: options.minRetrievalScore }),
    ...(state.draft?.agreement === undefined ? {} : { agreement: state.draft.agreement }),
    minAgreement: options.minAgreement,
  };
}

export async function decide(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  const decision = runDecide(decideInput(state, deps.options));
  let reply: string | null = null;
  if (decision.action === "send" || decision.action === "send-with-caveat") {
    const body =
      state.audience === "patient" ? (state.draft?.reply ?? null) : state.draft ? renderDraftText(state.draft, state.lang) : null;
    reply = body;
    if (body && decision.action === "send-with-caveat") {
      const caveats = state.findings.filter((f) => f.severity !== "info").map((f) => `⚠ ${f.message}`);
      reply = [body, ...caveats].join("\n");
    }
  } else if (state.audience === "patient") {
    // No silent handoffs: a patient always hears that a person will follow up — a fixed
    // template, never the held draft.
    reply = safetyNetReply(state.lang, decision.action === "escalate" ? "escalated" : "held", deps.options.emergencyNumber);
  }
  await deps.audit.append({
    kind: "decide",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      action: decision.action,
      priority: decision.priority ?? null,
      reasons: decision.reasons,
      willDeliver: reply !== null,
      draftMode: state.draft?.mode ?? null,
    },
  });
  return { ...state, decision, reply };
}
