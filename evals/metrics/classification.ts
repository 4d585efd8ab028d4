/**
 * Classification metrics for triage and other labelled suites. Besides the usual per-class
 * precision/recall/F1 we report triage-specific error rates, because the two kinds of triage
 * error are not symmetric: under-triage (telling an emergency to wait) can kill, over-triage
 * costs clinician time.
 */

export interface ClassStats {
  precision: number;
  recall: number;
  f1: number;
  /** Number of gold items of this class. */
  support: number;
}
export interface ClassificationReport {
  labels: string[];
  /** matrix[i][j] = count of gold labels[i] predicted as labels[j]. */
  confusion: number[][];
  perClass: Record<string, ClassStats>;
  macroF1: number;
  accuracy: number;
}

/** 0/0 is reported as 0, as scikit-learn does with zero_division=0. */
const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function classificationReport(
  gold: readonly string[],
  predicted: readonly string[],
  labels?: readonly string[],
): ClassificationReport {
  if (gold.length !== predicted.length) throw new Error(`gold has ${gold.length} items, predicted ${predicted.length}`);
  const labs = labels ? [...labels] : [...new Set([...gold, ...predicted])].sort();
  const index = new Map(labs.map((l, i) => [l, i]));
  const confusion = labs.map(() => new Array<number>(labs.length).fill(0));
  let correct = 0;
  gold.forEach((g, k) => {
    const p = predicted[k] as string;
    const gi = index.get(g);
    const pi = index.get(p);
    if (gi === undefined || pi === undefined) throw new Error(`label not in label set: ${gi === undefined ? g : p}`);
    (confusion[gi] as number[])[pi] = ((confusion[gi] as number[])[pi] ?? 0) + 1;
    if (g === p) correct++;
  });
  const perClass: Record<string, ClassStats> = {};
  labs.forEach((l, i) => {
    const tp = confusion[i]?.[i] ?? 0;
    const support = (confusion[i] ?? []).reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + (row[i] ?? 0), 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    perClass[l] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const macroF1 = ratio(
    Object.values(perClass).reduce((a, s) => a + s.f1, 0),
    labs.length,
  );
  return { labels: labs, confusion, perClass, macroF1, accuracy: ratio(correct, gold.length) };
}

export type Urgency = "emergency" | "urgent" | "routine";
const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };

export interface TriageSafety {
  /** Share of gold emergencies predicted as emergency. */
  emergencyRecall: number;
  /** Items whose predicted urgency is lower than gold (emergency > urgent > routine). */
  underTriageCount: number;
  /** underTriageCount over all items whose gold urgency is above routine (the only ones that can be under-triaged). */
  underTriageRate: number;
  /** Among gold-routine items, share predicted higher than routine. */
  overTriageRate: number;
  emergencies: number;
}

export function triageSafety(gold: readonly Urgency[], predicted: readonly Urgency[]): TriageSafety {
  if (gold.length !== predicted.length) throw new Error(`gold has ${gold.length} items, predicted ${predicted.length}`);
  let emergencies = 0;
  let emergencyHits = 0;
  let under = 0;
  let atRisk = 0;
  let routine = 0;
  let over = 0;
  gold.forEach((g, i) => {
    const p = predicted[i] as Urgency;
    if (g === "emergency") {
      emergencies++;
      if (p === "emergency") emergencyHits++;
    }
    if (RANK[g] > 0) atRisk++;
    if (RANK[p] < RANK[g]) under++;
    if (g === "routine") {
      routine++;
      if (RANK[p] > 0) over++;
    }
  });
  return {
    // With no emergencies in the set nothing was missed; 1 keeps the gate from failing spuriously.
    emergencyRecall: emergencies === 0 ? 1 : emergencyHits / emergencies,
    underTriageCount: under,
    underTriageRate: ratio(under, atRisk),
    overTriageRate: ratio(over, routine),
    emergencies,
  };
}
