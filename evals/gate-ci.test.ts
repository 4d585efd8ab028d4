/**
 * The release gate on every `npm test`: the triage, phi and meds suites run in-process on
 * their shipped dev sets (triage: triage-dev plus the extended tune and report halves, each
 * gated under its own metric prefix) and must not regress against the baselines committed in
 * evals/baselines/ (safety metrics: not at all; quality metrics: by at most 0.02). To move a
 * baseline on purpose, see evals/README.md ("Refreshing a baseline").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gate } from "./gate.js";
import { type EvalResult, parseEvalResult } from "./result.js";
import { readJsonl } from "./suites/data.js";
import { MEDS_EXT_REPORT, MedCase, runMedsSuite, scoreMedCases } from "./suites/meds.js";
import { PHI_DEV, PHI_REPORT, PHI_TUNE, PhiCase, runPhiSuite, scorePhiSets } from "./suites/phi.js";
import { loadTriageSets, runTriageSuite, scoreTriageSets, type TriageSet } from "./suites/triage.js";
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

  // Same gold label, benign wording: the guardrail will call it routine → under-triage.
  const degrade = (sets: TriageSet[], name: string): TriageSet[] =>
    sets.map((s) => {
      if (s.name !== name) return s;
      const i = s.cases.findIndex((c) => c.urgency === "emergency");
      expect(i).toBeGreaterThanOrEqual(0);
      return { ...s, cases: s.cases.map((c, k) => (k === i ? { ...c, text: "What is a normal HbA1c?" } : c)) };
    });

  it("fails when a real emergency message is missed (the gate bites on suite output, not only fixtures)", () => {
    const r = gate(scoreTriageSets(degrade(loadTriageSets(), "triage-dev")), baseline("triage"), {
      qualityMargin: QUALITY_MARGIN,
    });
    expect(r.pass).toBe(false);
    const text = r.failures.join("\n");
    expect(text).toMatch(/safety metric emergencyRecall got worse/);
    expect(text).toMatch(/safety metric underTriageCount got worse: 0 → 1/);
    expect(text).not.toMatch(/extReport\./);
  });

  it("gates the extended report half on its own: one more missed emergency there fails under extReport.*", () => {
    // An emergency the current rules catch, so degrading it moves the figures.
    const sets = loadTriageSets();
    const report = sets.find((s) => s.name === "ext-report") as TriageSet;
    const caught = scoreTriageSets([{ ...report, prefix: "" }]).details as { errors: Array<{ id: string }> };
    const missed = new Set(caught.errors.map((e) => e.id));
    const i = report.cases.findIndex((c) => c.urgency === "emergency" && !missed.has(c.id));
    expect(i).toBeGreaterThanOrEqual(0);
    const degraded = sets.map((s) =>
      s === report ? { ...s, cases: s.cases.map((c, k) => (k === i ? { ...c, text: "What is a normal HbA1c?" } : c)) } : s,
    );
    const r = gate(scoreTriageSets(degraded), baseline("triage"), { qualityMargin: QUALITY_MARGIN });
    expect(r.pass).toBe(false);
    const text = r.failures.join("\n");
    expect(text).toMatch(/safety metric extReport\.emergencyRecall got worse/);
    expect(text).toMatch(/safety metric extReport\.emergentToRoutineCount got worse/);
    expect(text).not.toMatch(/safety metric emergencyRecall got worse/);
  });

  it("fails when a documented interaction is missed (the plan loses its interacting partner)", () => {
    const cases = readJsonl(MEDS_EXT_REPORT, MedCase);
    const i = cases.findIndex((c) => c.expected.some((e) => e.code.startsWith("interaction")));
    // Same gold label, but the partner drug is stopped instead of started: the checker finds nothing.
    const degraded = cases.map((c, k) => (k === i ? { ...c, proposed: c.proposed.map((p) => ({ ...p, action: "stop" })) } : c));
    const base = baseline("meds");
    const current = scoreMedCases(degraded);
    const report = {
      ...base,
      metrics: Object.fromEntries(Object.entries(base.metrics).filter(([k]) => k.startsWith("report."))),
    };
    const asReport = {
      ...current,
      metrics: Object.fromEntries(Object.entries(current.metrics).map(([k, v]) => [`report.${k}`, v])),
    };
    const r = gate(asReport, report, { qualityMargin: QUALITY_MARGIN });
    expect(r.pass).toBe(false);
    expect(r.failures.join("\n")).toMatch(/safety metric report\.interactionRecall got worse/);
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
