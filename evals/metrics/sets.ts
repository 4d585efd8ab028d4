/**
 * Set overlap for structured drafts (lab tests, examinations, medications): did the model order
 * the same items as the clinician? Names are compared after normalization so "HbA1c" and
 * "hba1c " match; synonyms are out of scope (map them before calling).
 */

export interface SetPrf {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/** Lowercase, NFKC (full-width → ASCII), collapse whitespace, trim trailing punctuation. */
export function normalizeItem(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^[\s.,;:。，；：]+|[\s.,;:。，；：]+$/g, "");
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function prf(tp: number, fp: number, fn: number): SetPrf {
  // Nothing expected and nothing produced is a perfect answer, not 0/0.
  if (tp + fp + fn === 0) return { precision: 1, recall: 1, f1: 1, tp, fp, fn };
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), tp, fp, fn };
}

export function setPrf(gold: readonly string[], predicted: readonly string[]): SetPrf {
  const g = new Set(gold.map(normalizeItem).filter((s) => s.length > 0));
  const p = new Set(predicted.map(normalizeItem).filter((s) => s.length > 0));
  let tp = 0;
  for (const x of p) if (g.has(x)) tp++;
  return prf(tp, p.size - tp, g.size - tp);
}

export interface AveragedPrf {
  /** Pooled counts over all pairs. */
  micro: SetPrf;
  /** Mean of per-pair precision/recall/F1. */
  macro: { precision: number; recall: number; f1: number };
}

export function averagedSetPrf(pairs: ReadonlyArray<{ gold: readonly string[]; predicted: readonly string[] }>): AveragedPrf {
  const each = pairs.map((x) => setPrf(x.gold, x.predicted));
  const sum = (f: (s: SetPrf) => number): number => each.reduce((a, s) => a + f(s), 0);
  const n = each.length;
  return {
    micro: prf(
      sum((s) => s.tp),
      sum((s) => s.fp),
      sum((s) => s.fn),
    ),
    macro: {
      precision: ratio(
        sum((s) => s.precision),
        n,
      ),
      recall: ratio(
        sum((s) => s.recall),
        n,
      ),
      f1: ratio(
        sum((s) => s.f1),
        n,
      ),
    },
  };
}

export interface Span {
  start: number;
  end: number;
  /** Entity type (name, phone, id…); ignored unless `matchType`. */
  type?: string;
}

/**
 * PHI span recall/precision. A gold span counts as found when a predicted span covers it
 * completely — a partially masked phone number still leaks, so overlap is not enough.
 * Precision counts predicted spans that overlap some gold span.
 */
export function phiSpanScores(
  gold: readonly Span[],
  predicted: readonly Span[],
  opts: { matchType?: boolean } = {},
): { recall: number; precision: number; found: number; gold: number; predicted: number } {
  const typeOk = (a: Span, b: Span): boolean => !opts.matchType || a.type === b.type;
  const found = gold.filter((g) => predicted.some((p) => p.start <= g.start && p.end >= g.end && typeOk(g, p))).length;
  const useful = predicted.filter((p) => gold.some((g) => p.start < g.end && g.start < p.end && typeOk(g, p))).length;
  return {
    recall: gold.length === 0 ? 1 : found / gold.length,
    precision: predicted.length === 0 ? 1 : useful / predicted.length,
    found,
    gold: gold.length,
    predicted: predicted.length,
  };
}
