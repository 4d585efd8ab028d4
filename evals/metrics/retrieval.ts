/**
 * Retrieval metrics over ranked lists of ids (passage or document ids). A query may have several
 * relevant ids; a hit is any relevant id in the top k.
 */

export interface RankedQuery {
  /** Retrieved ids, best first. */
  ranked: readonly string[];
  relevant: readonly string[];
}

/** Share of queries with at least one relevant id in the top k ("hit rate@k", as RAG evals use it). */
export function recallAtK(queries: readonly RankedQuery[], k: number): number {
  if (queries.length === 0) return 0;
  let hits = 0;
  for (const q of queries) {
    const rel = new Set(q.relevant);
    if (q.ranked.slice(0, k).some((id) => rel.has(id))) hits++;
  }
  return hits / queries.length;
}

/** Mean reciprocal rank of the first relevant id; 0 for a query with none retrieved. */
export function mrr(queries: readonly RankedQuery[], cutoff = Number.POSITIVE_INFINITY): number {
  if (queries.length === 0) return 0;
  let sum = 0;
  for (const q of queries) {
    const rel = new Set(q.relevant);
    const idx = q.ranked.findIndex((id) => rel.has(id));
    if (idx >= 0 && idx < cutoff) sum += 1 / (idx + 1);
  }
  return sum / queries.length;
}
