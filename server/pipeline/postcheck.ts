/**
 * Step 5, post-check: medication safety against the formulary and the patient, grounding of
 * every citation in what was actually retrieved, the audience policy for patient replies, and —
 * for every clinician draft with a patient context, whoever wrote it (model, guideline engine,
 * similar cases) — the guideline engine's omission and contradiction checks.
 */

import type { Draft, Finding, Lang, PatientContext } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { checkAgainstGuideline, GUIDELINE_PASSAGE_IDS, guidelinePlan } from "../../guardrails/guideline/index.js";
import { postcheck as runPostcheck } from "../../guardrails/index.js";
import type { Audience, PipelineDeps, PipelineState } from "./types.js";

export interface DraftCheckInput {
  draft: Draft;
  patient?: PatientContext;
  audience: Audience;
  lang: Lang;
  retrievedChunkIds: readonly string[];
  now: Date;
}

/** Every finding the pipeline raises on a draft; the eval suites call this too, so they measure what the pipeline does. */
export function draftFindings(input: DraftCheckInput): Finding[] {
  // The guideline engine's passages are shipped corpus passages cited by id: grounded when the engine wrote the draft.
  const retrieved =
    input.draft.mode === "guideline-based"
      ? [...input.retrievedChunkIds, ...GUIDELINE_PASSAGE_IDS]
      : [...input.retrievedChunkIds];
  const findings = runPostcheck({
    draft: input.draft,
    ...(input.patient ? { patient: input.patient } : {}),
    audience: input.audience,
    retrievedChunkIds: retrieved,
    now: input.now,
  });
  if (input.audience === "clinician" && input.patient && input.draft.mode !== "safety-net") {
    const plan = guidelinePlan({ patient: input.patient, lang: input.lang, now: input.now });
    findings.push(...checkAgainstGuideline(input.draft, plan));
  }
  return findings;
}

export async function postcheck(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  if (!state.draft) throw new AppError("INTERNAL", "post-check without a draft");
  const findings = draftFindings({
    draft: state.draft,
    ...(state.patient ? { patient: state.patient } : {}),
    audience: state.audience,
    lang: state.lang,
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
