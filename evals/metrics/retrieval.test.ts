import { describe, expect, it } from "vitest";
import { mrr, recallAtK } from "./retrieval.js";

const qs = [
  { ranked: ["a", "b", "c"], relevant: ["a"] }, // rank 1
  { ranked: ["x", "y", "b"], relevant: ["b", "z"] }, // rank 3
  { ranked: ["x", "y"], relevant: ["q"] }, // miss
  { ranked: ["p", "q", "r", "s", "t", "u"], relevant: ["u"] }, // rank 6
];

describe("retrieval metrics", () => {
  it.each([
    [1, 1 / 4],
    [2, 1 / 4],
    [3, 2 / 4],
    [5, 2 / 4],
    [6, 3 / 4],
  ])("recall@%i", (k, expected) => expect(recallAtK(qs, k)).toBeCloseTo(expected, 12));
  it("MRR (1 + 1/3 + 0 + 1/6) / 4", () => expect(mrr(qs)).toBeCloseTo((1 + 1 / 3 + 1 / 6) / 4, 12));
  it("MRR@5 ignores the rank-6 hit", () => expect(mrr(qs, 5)).toBeCloseTo((1 + 1 / 3) / 4, 12));
  it("empty set gives 0", () => {
    expect(recallAtK([], 5)).toBe(0);
    expect(mrr([])).toBe(0);
  });
});
