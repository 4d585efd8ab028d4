import { describe, expect, it } from "vitest";
import { agreement, perModelAverages, type Score, weightedKappa } from "./agreement.js";

describe("quadratic-weighted kappa", () => {
  // Worked by hand: observed disagreement Σp·(i−j)² over expected disagreement from the marginals.
  it.each([
    [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], 1],
    // O = 1·(0.5+0.5)=1; marginals both {1:.5,2:.5} → E = .25+.25 = .5; κ = 1 − 1/.5 = −1
    [[1, 2], [2, 1], -1],
    // O = .25; pa {1:.5,2:.5}, pb {1:.25,2:.75} → E = .5·.75 + .5·.25 = .5; κ = .5
    [[1, 1, 2, 2], [1, 2, 2, 2], 0.5],
  ])("%j vs %j → %d", (a, b, k) => {
    expect(weightedKappa(a, b)).toBeCloseTo(k, 10);
  });
  it("is undefined when both raters give one same constant; constant but different is chance level", () => {
    expect(weightedKappa([3, 3], [3, 3])).toBeNull();
    // O = 1, E = 1·1·1 = 1 → κ = 0
    expect(weightedKappa([3, 3], [4, 4])).toBe(0);
    expect(weightedKappa([], [])).toBeNull();
  });
});

const s = (caseId: string, reviewer: string, model: string, v: number): Score => ({
  caseId,
  reviewer,
  model,
  axes: { treatment: v, medication: v, relevance: v, safety: v, reasoning: v, usefulness: v },
});

describe("rubric summaries", () => {
  it("averages per model and agreement per reviewer pair", () => {
    const scores = [s("c1", "a", "m1", 1), s("c1", "b", "m1", 2), s("c2", "a", "m2", 2), s("c2", "b", "m2", 1)];
    expect(perModelAverages(scores).map((m) => [m.model, m.n, m.means.safety])).toEqual([
      ["m1", 2, 1.5],
      ["m2", 2, 1.5],
    ]);
    const ag = agreement(scores);
    expect(ag).toHaveLength(6);
    expect(ag[0]).toMatchObject({ axis: "treatment", pairs: 1, sharedCases: 2 });
    expect(ag[0]?.kappa).toBeCloseTo(-1, 10);
  });
  it("needs two shared cases per pair", () => {
    expect(agreement([s("c1", "a", "m", 3), s("c1", "b", "m", 3)])[0]).toMatchObject({ kappa: null, pairs: 0 });
  });
});
