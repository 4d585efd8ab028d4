/**
 * Self-consistency: several samples of the same draft are compared item by item (lab tests,
 * medications with their action). Agreement is the mean pairwise Jaccard overlap of the item
 * sets; each item also gets its support (the share of samples that contain it), so a reviewer
 * sees which items were unstable. Low agreement becomes an escalation reason in decide.
 */
import type { DraftBody } from "../../core/domain.js";

const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");

export function itemKeys(d: DraftBody): Set<string> {
  return new Set([
    ...d.labTests.map((l) => `lab:${norm(l.name)}`),
    ...d.medications.map((m) => `med:${norm(m.name)}:${m.action}`),
  ]);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Mean pairwise Jaccard agreement in [0, 1]; 1 for fewer than two samples. */
export function agreement(samples: readonly DraftBody[]): number {
  if (samples.length < 2) return 1;
  const sets = samples.map(itemKeys);
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      sum += jaccard(sets[i] as Set<string>, sets[j] as Set<string>);
      pairs++;
    }
  }
  return sum / pairs;
}

/** Share of samples containing each item, lowest first: the items a reviewer should check first. */
export function itemSupport(samples: readonly DraftBody[]): Array<{ item: string; support: number }> {
  const counts = new Map<string, number>();
  for (const s of samples) for (const k of itemKeys(s)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts]
    .map(([item, n]) => ({ item, support: samples.length ? n / samples.length : 0 }))
    .sort((a, b) => a.support - b.support || a.item.localeCompare(b.item));
}
