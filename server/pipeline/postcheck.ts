/**
 * Step 5, post-check: medication safety against the formulary and the patient, grounding of
 * every citation in what was actually retrieved, and the audience policy for patient replies.
 */

import { AppError } from "../../core/errors.js";
import { postcheck as runPostcheck } from "../../guardrails/index.js";
import type { PipelineDeps, PipelineState } from "./types.js";

export async function postcheck(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  if (!state.draft) throw new AppError("INTERNAL", "post-check without a draft");
  const findings = runPostcheck({
    draft: state.draft,
    ...(state.patient ? { patient: state.patient } : {}),
    audience: state.audience,
    retrievedChunkIds: state.passages.map((p) => p.citation.chunkId),
    now: deps.clock(),
  });
  await deps.audit.append({
    kind: "post-check",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: { findings: findings.map((f) => ({ code: f.code, severity: f.severity, item: f.item, source: f.source ?? null })) },
  });
  return { ...state, findings };
}
