/**
 * Self-consistency: several samples of the same draft are compared item by item (lab tests,
 * medications). Mean pairwise Jaccard agreement; low agreement becomes an escalation reason.
 */
import type { DraftBody } from "../../core/domain.js";

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

function itemSet(d: DraftBody): Set<string> {
  return new Set([...d.labTests.map((l) => `lab:${norm(l.name)}`), ...d.medications.map((m) => `med:${norm(m.name)}:${m.action}`)]);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export function agreement(samples: readonly DraftBody[]): number {
  if (samples.length < 2) return 1;
  const sets = samples.map(itemSet);
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
