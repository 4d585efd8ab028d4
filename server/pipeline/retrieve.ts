/**
 * Step 3, retrieve: cited passages for the question and, for consultations, the most similar
 * past cases. Retrieved text is untrusted: passages that carry injection attempts are dropped
 * (and audited) before any prompt sees them.
 */

import type { Passage } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { detectInjection } from "../../guardrails/index.js";
import type { PipelineDeps, PipelineState } from "./types.js";

export async function retrieve(state: PipelineState, deps: PipelineDeps): Promise<PipelineState> {
  if (!deps.retriever) throw new AppError("DEPENDENCY_UNAVAILABLE", "knowledge store unavailable");
  // Diagnoses sharpen the query for consultations; they name conditions, not people.
  const diagnoses = state.message.kind === "consultation" ? (state.patient?.diagnoses ?? []).join("; ") : "";
  const query = [state.redacted ?? "", diagnoses].filter(Boolean).join("\n");
  // The similar-case query runs beside the knowledge query (0.72 × sequential on an idle
  // machine, `npm run bench -- --only retrieval`).
  const patient = state.audience === "patient";
  const retriever = deps.retriever;
  const [raw, similar] = await Promise.all([
    patient
      ? // A patient's answer comes first from the clinic's own leaflets (`education:` sources,
        // written for patients in both languages), then from the other patient-audience
        // passages: a broad corpus (MedQuAD) otherwise outranks the leaflet that answers it.
        retriever
          .search(query, { k: deps.options.k + WIDEN, audience: "patient" })
          .then((found) => leafletsFirst(found, deps.options.k))
      : retriever.search(query, { k: deps.options.k }),
    state.patient && state.message.kind === "consultation"
      ? deps.retriever.similarCases(state.patient, deps.options.similarK)
      : Promise.resolve([]),
  ]);
  const dropped: string[] = [];
  const passages = raw.filter((p) => {
    const inj = detectInjection(p.text);
    if (inj.flagged) dropped.push(p.citation.chunkId);
    return !inj.flagged;
  });
  await deps.audit.append({
    kind: "retrieve",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      passages: passages.map((p) => ({ chunkId: p.citation.chunkId, score: Number(p.score.toFixed(4)) })),
      droppedForInjection: dropped,
      similarCases: similar.map((c) => ({ caseId: c.caseId, similarity: Number(c.similarity.toFixed(4)) })),
    },
  });
  return { ...state, passages, similar };
}

/** How many more patient passages are fetched so the clinic's leaflets among them can lead. */
const WIDEN = 15;
/** At most this many leaflet passages are moved ahead. */
const LEAFLETS_FIRST = 3;

/** The best few leaflet passages first, then the rest in rank order, `k + LEAFLETS_FIRST` at most. */
function leafletsFirst(found: readonly Passage[], k: number): Passage[] {
  const leaflets = found.filter((p) => p.citation.sourceId.startsWith("education:")).slice(0, LEAFLETS_FIRST);
  const rest = found.filter((p) => !leaflets.includes(p));
  return [...leaflets, ...rest].slice(0, k + LEAFLETS_FIRST);
}
