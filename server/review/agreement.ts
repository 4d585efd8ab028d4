/**
 * Inter-rater agreement for rubric scores (ordinal 1–5): quadratic-weighted Cohen's kappa for
 * each pair of reviewers over the cases both scored, averaged over pairs. Pure functions.
 */

export const RUBRIC_AXES = ["treatment", "medication", "relevance", "safety", "reasoning", "usefulness"] as const;
export type RubricAxis = (typeof RUBRIC_AXES)[number];

/** Quadratic-weighted kappa of two raters' paired scores on categories 1..k; null when undefined. */
export function weightedKappa(a: readonly number[], b: readonly number[], k = 5): number | null {
  const n = a.length;
  if (n === 0 || n !== b.length) return null;
  const pa = new Array<number>(k).fill(0);
  const pb = new Array<number>(k).fill(0);
  let observed = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] as number) - 1;
    const y = (b[i] as number) - 1;
    pa[x] = (pa[x] as number) + 1 / n;
    pb[y] = (pb[y] as number) + 1 / n;
    observed += (x - y) ** 2 / n;
  }
  let expected = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expected += (pa[i] as number) * (pb[j] as number) * (i - j) ** 2;
  // Both raters constant on the same value: chance explains everything, kappa is undefined.
  if (expected === 0) return null;
  return 1 - observed / expected;
}

export interface Score {
  caseId: string;
  reviewer: string;
  model: string;
  axes: Record<RubricAxis, number>;
}

export interface AxisAgreement {
  axis: RubricAxis;
  /** Mean over reviewer pairs with at least `minShared` cases in common; null when none. */
  kappa: number | null;
  pairs: number;
  sharedCases: number;
}

export function agreement(scores: readonly Score[], minShared = 2): AxisAgreement[] {
  const byReviewer = new Map<string, Map<string, Score>>();
  for (const s of scores) {
    const m = byReviewer.get(s.reviewer) ?? new Map<string, Score>();
    m.set(s.caseId, s);
    byReviewer.set(s.reviewer, m);
  }
  const reviewers = [...byReviewer.keys()].sort();
  return RUBRIC_AXES.map((axis) => {
    const kappas: number[] = [];
    let shared = 0;
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const r1 = byReviewer.get(reviewers[i] as string) as Map<string, Score>;
        const r2 = byReviewer.get(reviewers[j] as string) as Map<string, Score>;
        const common = [...r1.keys()].filter((id) => r2.has(id));
        if (common.length < minShared) continue;
        const k = weightedKappa(
          common.map((id) => (r1.get(id) as Score).axes[axis]),
          common.map((id) => (r2.get(id) as Score).axes[axis]),
        );
        if (k !== null) {
          kappas.push(k);
          shared += common.length;
        }
      }
    }
    return {
      axis,
      kappa: kappas.length ? kappas.reduce((x, y) => x + y, 0) / kappas.length : null,
      pairs: kappas.length,
      sharedCases: shared,
    };
  });
}

export interface ModelAverages {
  model: string;
  n: number;
  means: Record<RubricAxis, number>;
}

export function perModelAverages(scores: readonly Score[]): ModelAverages[] {
  const groups = new Map<string, Score[]>();
  for (const s of scores) groups.set(s.model, [...(groups.get(s.model) ?? []), s]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, list]) => ({
      model,
      n: list.length,
      means: Object.fromEntries(RUBRIC_AXES.map((ax) => [ax, list.reduce((t, s) => t + s.axes[ax], 0) / list.length])) as Record<
        RubricAxis,
        number
      >,
    }));
}
