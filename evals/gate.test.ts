import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { gate } from "./gate.js";
import { type EvalResult, parseEvalResult } from "./result.js";

const load = (name: string): EvalResult => parseEvalResult(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const baseline = load("gate-baseline.json");
const degraded = load("gate-degraded.json");

const withMetrics = (m: Record<string, number>): EvalResult => ({
  ...baseline,
  metrics: { ...baseline.metrics, ...m },
});

describe("gate", () => {
  it("passes the baseline against itself", () => {
    expect(gate(baseline, baseline, { qualityMargin: 0.02 })).toEqual({ pass: true, failures: [] });
  });

  it("fails the deliberately degraded result file, naming every regression", () => {
    const r = gate(degraded, baseline, { qualityMargin: 0.02 });
    expect(r.pass).toBe(false);
    const text = r.failures.join("\n");
    expect(text).toMatch(/safety metric emergencyRecall/);
    expect(text).toMatch(/safety metric underTriageCount/);
    expect(text).toMatch(/safety metric underTriageRate/);
    expect(text).toMatch(/quality metric macroF1 dropped by 0\.06/);
    expect(text).toMatch(/quality metric bleu4 dropped/); // 0.43 BLEU points > 0.02
    expect(text).not.toMatch(/rougeL/);
    expect(r.failures).toHaveLength(5);
  });

  it.each([
    ["quality drop exactly at the margin passes", { macroF1: 0.89 }, true],
    ["quality drop just over the margin fails", { macroF1: 0.8899 }, false],
    ["quality improvement passes", { macroF1: 0.99 }, true],
    ["any safety regression fails, however small", { emergencyRecall: 0.9999 }, false],
    ["lower under-triage is an improvement", { underTriageCount: 0, underTriageRate: 0 }, true],
  ] as const)("%s", (_name, m, pass) => {
    expect(gate(withMetrics(m), baseline, { qualityMargin: 0.02 }).pass).toBe(pass);
  });

  it("treats under-triage as lower-is-better even when the file does not say so", () => {
    const bare = { ...baseline, safety: [], higherIsBetter: {} };
    const worse = { ...bare, metrics: { ...bare.metrics, underTriageCount: 2 } };
    const r = gate(worse, bare, { qualityMargin: 0.02 });
    expect(r.failures).toEqual(["safety metric underTriageCount got worse: 0 → 2 (lower is better)"]);
  });

  it("fails when a baseline metric is missing or the suites differ", () => {
    const { bleu4: _dropped, ...rest } = baseline.metrics;
    const r = gate({ ...baseline, suite: "phi", metrics: rest }, baseline, { qualityMargin: 0.02 });
    expect(r.pass).toBe(false);
    expect(r.failures).toHaveLength(2);
  });

  it("rejects a malformed result file", () => {
    expect(() => parseEvalResult('{"suite":"x","metrics":{"a":"high"}}')).toThrow(/invalid EvalResult/);
  });
});

describe("glycopilot eval gate (CLI)", () => {
  const fx = (n: string): string => new URL(`./fixtures/${n}`, import.meta.url).pathname;
  it("exits non-zero on the degraded file and 0 on the baseline", async () => {
    const { run } = await import("../server/cli/eval.js");
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    try {
      expect(await run(["gate", "--baseline", fx("gate-baseline.json"), "--current", fx("gate-degraded.json")])).toBe(1);
      expect(out.join("")).toMatch(/gate: FAIL \(5\)[\s\S]*emergencyRecall/);
      expect(
        await run(["gate", "--baseline", fx("gate-baseline.json"), "--current", fx("gate-baseline.json"), "--margin", "0.02"]),
      ).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});
