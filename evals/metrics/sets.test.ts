import { describe, expect, it } from "vitest";
import { averagedSetPrf, normalizeItem, phiSpanScores, setPrf } from "./sets.js";

describe("set metrics", () => {
  it("normalizes case, width and whitespace", () => {
    expect(normalizeItem("  ＨｂＡ1c  ")).toBe("hba1c");
    expect(normalizeItem("Urine  Albumin.")).toBe("urine albumin");
  });
  it("set P/R/F1 (hand-computed)", () => {
    // gold {hba1c, egfr, lipids}; predicted {HbA1c, eGFR, ECG}: tp 2, fp 1, fn 1
    const s = setPrf(["HbA1c", "eGFR", "lipids"], ["hba1c", "EGFR ", "ECG"]);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.f1).toBeCloseTo(2 / 3, 12);
  });
  it("micro vs macro averaging differ as expected", () => {
    const a = averagedSetPrf([
      { gold: ["a", "b", "c", "d"], predicted: ["a", "b", "c", "d"] }, // P=R=1
      { gold: ["x"], predicted: ["y"] }, // P=R=0
    ]);
    // micro: tp 4, fp 1, fn 1 → P = R = 0.8; macro: mean(1, 0) = 0.5
    expect(a.micro.precision).toBeCloseTo(0.8, 12);
    expect(a.micro.recall).toBeCloseTo(0.8, 12);
    expect(a.macro.f1).toBeCloseTo(0.5, 12);
  });
  it("empty gold and empty prediction is perfect", () => expect(setPrf([], []).f1).toBe(1));
});

describe("phiSpanScores", () => {
  it("a gold span counts only when fully covered", () => {
    const gold = [
      { start: 0, end: 5, type: "name" },
      { start: 10, end: 21, type: "phone" },
    ];
    const pred = [
      { start: 0, end: 5, type: "name" },
      { start: 10, end: 15, type: "phone" }, // partial: phone still leaks
      { start: 30, end: 34, type: "id" }, // false positive
    ];
    const s = phiSpanScores(gold, pred);
    expect(s.recall).toBe(0.5);
    expect(s.precision).toBeCloseTo(2 / 3, 12);
  });
  it("type matching when asked", () => {
    const s = phiSpanScores([{ start: 0, end: 5, type: "name" }], [{ start: 0, end: 5, type: "id" }], { matchType: true });
    expect(s.recall).toBe(0);
  });
});
