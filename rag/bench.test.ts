import { describe, expect, it } from "vitest";
import { latency } from "./bench.js";

describe("bench latency summary", () => {
  it("reports nearest-rank p50/p95 and the mean", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latency(samples)).toEqual({ p50: 51, p95: 96, mean: 50.5 });
    expect(latency([])).toEqual({ p50: 0, p95: 0, mean: 0 });
  });
});
