/**
 * The release gate on every `npm test`: the triage, phi and meds suites run in-process on
 * their shipped dev sets and must not regress against the baselines committed in
 * evals/baselines/ (safety metrics: not at all; quality metrics: by at most 0.02). To move a
 * baseline on purpose, see evals/README.md ("Refreshing a baseline").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gate } from "./gate.js";
import { type EvalResult, parseEvalResult } from "./result.js";
import { readJsonl } from "./suites/data.js";
import { runMedsSuite } from "./suites/meds.js";
import { PHI_DEV, PHI_REPORT, PHI_TUNE, PhiCase, runPhiSuite, scorePhiSets } from "./suites/phi.js";
import { runTriageSuite, scoreTriageCases, TRIAGE_DEV, TriageCase } from "./suites/triage.js";
import type { SuiteContext, SuiteRunner } from "./suites.js";

const QUALITY_MARGIN = 0.02;
const ctx: SuiteContext = { dataFile: undefined, progress: () => () => {} };
const baseline = (name: string): EvalResult =>
  parseEvalResult(readFileSync(new URL(`./baselines/${name}.json`, import.meta.url), "utf8"));

describe("release gate on the dev sets (CI)", () => {
  it.each([
    ["triage", runTriageSuite],
    ["phi", runPhiSuite],
    ["meds", runMedsSuite],
  ] as Array<[string, SuiteRunner]>)("%s does not regress against its committed baseline", async (name, runSuite) => {
    const base = baseline(name);
    const current = await runSuite(ctx);
    // Failures name each regressed metric, so the CI log says what broke.
    expect(gate(current, base, { qualityMargin: QUALITY_MARGIN }).failures).toEqual([]);
    expect(base.safety.length).toBeGreaterThan(0);
  });

  it("fails when a real emergency message is missed (the gate bites on suite output, not only fixtures)", () => {
    const cases = readJsonl(TRIAGE_DEV, TriageCase);
    const i = cases.findIndex((c) => c.urgency === "emergency");
    // Same gold label, benign wording: the guardrail will call it routine → under-triage.
    const degraded = cases.map((c, k) => (k === i ? { ...c, text: "What is a normal HbA1c?" } : c));
    const r = gate(scoreTriageCases(degraded), baseline("triage"), { qualityMargin: QUALITY_MARGIN });
    expect(r.pass).toBe(false);
    const text = r.failures.join("\n");
    expect(text).toMatch(/safety metric emergencyRecall got worse/);
    expect(text).toMatch(/safety metric underTriageCount got worse: 0 → 1/);
  });

  it("fails when a name of the extended PHI set is missed or a real question gets a false name", () => {
    const sets = { dev: readJsonl(PHI_DEV, PhiCase), tune: readJsonl(PHI_TUNE, PhiCase), report: readJsonl(PHI_REPORT, PhiCase) };
    const i = sets.report.findIndex((c) => c.phi.some((p) => p.type === "NAME"));
    const j = sets.report.findIndex((c) => c.source === "toyhom");
    // Same gold name, text without it: a miss. A real question now holding a cue-led name nobody labelled: a false name.
    const report = sets.report.map((c, k) =>
      k === i ? { ...c, text: "What is a normal HbA1c?" } : k === j ? { ...c, text: `我叫王建国，${c.text}` } : c,
    );
    const r = gate(scorePhiSets({ ...sets, report }), baseline("phi"), { qualityMargin: QUALITY_MARGIN });
    expect(r.pass).toBe(false);
    const text = r.failures.join("\n");
    expect(text).toMatch(/safety metric report\.nameRecall got worse/);
    expect(text).toMatch(/report\.realQuestionFalseNameRate/);
  });
});
