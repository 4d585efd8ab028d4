/**
 * Reciprocal rank fusion (Cormack et al., SIGIR 2009): score(d) = Σ 1 / (k + rank_i(d)),
 * rank starting at 1. Rank-based, so BM25 scores and cosine similarities need no calibration
 * against each other.
 */
export interface Fused {
  id: string;
  /** Raw RRF score. */
  rrf: number;
  /** RRF divided by its maximum (first in every list): 1 = ranked first by every retriever. */
  normalized: number;
  /** 1-based rank in each input list, undefined where absent. */
  ranks: (number | undefined)[];
}

export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = 60): Fused[] {
  const acc = new Map<string, Fused>();
  lists.forEach((list, li) => {
    list.forEach((id, i) => {
      let f = acc.get(id);
      if (!f) {
        f = { id, rrf: 0, normalized: 0, ranks: lists.map(() => undefined) };
        acc.set(id, f);
      }
      // A duplicate id within one list counts once, at its best rank.
      if (f.ranks[li] !== undefined) return;
      f.ranks[li] = i + 1;
      f.rrf += 1 / (k + i + 1);
    });
  });
  const max = lists.length / (k + 1);
  const out = [...acc.values()];
  for (const f of out) f.normalized = max > 0 ? f.rrf / max : 0;
  // Ties broken by best single rank, then id, so results are deterministic.
  return out.sort((a, b) => b.rrf - a.rrf || bestRank(a) - bestRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function bestRank(f: Fused): number {
  let best = Number.POSITIVE_INFINITY;
  for (const r of f.ranks) if (r !== undefined && r < best) best = r;
  return best;
}
