import { describe, expect, it } from "vitest";
import { classificationReport, triageSafety, type Urgency } from "./classification.js";

describe("classificationReport", () => {
  // gold:  E E U U R R R
  // pred:  E U U R R R U
  const gold = ["emergency", "emergency", "urgent", "urgent", "routine", "routine", "routine"];
  const pred = ["emergency", "urgent", "urgent", "routine", "routine", "routine", "urgent"];
  const labels = ["emergency", "urgent", "routine"];
  const r = classificationReport(gold, pred, labels);

  it("builds the confusion matrix with gold rows and predicted columns", () => {
    expect(r.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 1, 2],
    ]);
  });
  it("computes per-class P/R/F1 (hand-computed)", () => {
    // emergency: P 1/1, R 1/2, F1 2/3; urgent: P 1/3, R 1/2, F1 0.4; routine: P 2/3, R 2/3, F1 2/3
    expect(r.perClass.emergency?.f1).toBeCloseTo(2 / 3, 12);
    expect(r.perClass.urgent?.precision).toBeCloseTo(1 / 3, 12);
    expect(r.perClass.urgent?.f1).toBeCloseTo(0.4, 12);
    expect(r.perClass.routine?.recall).toBeCloseTo(2 / 3, 12);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.4 + 2 / 3) / 3, 12);
    expect(r.accuracy).toBeCloseTo(4 / 7, 12);
  });
  it("reports 0 (not NaN) for a class never predicted", () => {
    const x = classificationReport(["a", "b"], ["a", "a"], ["a", "b"]);
    expect(x.perClass.b).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
  it("rejects length mismatch", () => expect(() => classificationReport(["a"], [])).toThrow());
});

describe("triageSafety", () => {
  it("counts under- and over-triage on the example above", () => {
    const gold: Urgency[] = ["emergency", "emergency", "urgent", "urgent", "routine", "routine", "routine"];
    const pred: Urgency[] = ["emergency", "urgent", "urgent", "routine", "routine", "routine", "urgent"];
    const s = triageSafety(gold, pred);
    expect(s.emergencyRecall).toBe(0.5);
    expect(s.underTriageCount).toBe(2); // E→U and U→R
    expect(s.underTriageRate).toBe(0.5); // 2 of 4 non-routine items
    expect(s.overTriageRate).toBeCloseTo(1 / 3, 12); // 1 of 3 routine items
  });
  it("emergency predicted as routine is under-triage; routine predicted emergency is over-triage", () => {
    const s = triageSafety(["emergency", "routine"], ["routine", "emergency"]);
    expect(s).toMatchObject({ emergencyRecall: 0, underTriageCount: 1, underTriageRate: 1, overTriageRate: 1 });
  });
  it("no emergencies means nothing missed", () => {
    expect(triageSafety(["routine"], ["routine"]).emergencyRecall).toBe(1);
  });
});
