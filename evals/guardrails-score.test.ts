/**
 * The guardrails' targets on the development sets (issue 3), scored by the same suite code that
 * `glycopilot eval triage|phi|meds` runs: 100% emergency recall, zero under-triage, ≤ 10%
 * over-triage of routine messages, macro-F1 ≥ 0.95; 100% medication block/warn recall with
 * ≥ 90% of clean cases unflagged; PHI recall ≥ 98% with every clinical number kept.
 */
import { describe, expect, it } from "vitest";
import { readJsonl } from "./suites/data.js";
import { MEDS_DEV, MEDS_EXT_REPORT, MEDS_EXT_TUNE, MedCase, scoreMedCases } from "./suites/meds.js";
import { PHI_DEV, PhiCase, scorePhiCases } from "./suites/phi.js";
import { scoreTriageCases, TRIAGE_DEV, TriageCase } from "./suites/triage.js";

describe("guardrails on the development sets", () => {
  const triage = readJsonl(TRIAGE_DEV, TriageCase);
  const meds = readJsonl(MEDS_DEV, MedCase);
  const phi = readJsonl(PHI_DEV, PhiCase);
  const t = scoreTriageCases(triage).metrics;
  const m = scoreMedCases(meds).metrics;
  const p = scorePhiCases(phi).metrics;
  const pct = (x: number | undefined) => `${(100 * (x ?? Number.NaN)).toFixed(1)}%`;
  console.log(
    [
      `triage  n=${triage.length}  emergency recall ${pct(t.emergencyRecall)}  under-triage ${t.underTriageCount}  over-triage(routine) ${pct(t.overTriageRate)}  macro-F1 ${t.macroF1?.toFixed(3)}`,
      `meds    n=${meds.length}  block recall ${pct(m.medBlockRecall)}  warn recall ${pct(m.medWarnRecall)}  precision ${pct(m.medPrecision)}  clean unflagged ${pct(m.cleanSpecificity)}`,
      `phi     n=${phi.length}  recall ${pct(p.phiRecall)}  type accuracy ${pct(p.phiTypeAccuracy)}  clinical numbers kept ${pct(p.numbersKept)}`,
    ].join("\n"),
  );

  it("triage: 100% emergency recall, zero under-triage, ≤ 10% over-triage of routine, macro-F1 ≥ 0.95", () => {
    expect(triage.length).toBeGreaterThanOrEqual(150);
    expect(t.emergencyRecall).toBe(1);
    expect(t.underTriageCount).toBe(0);
    expect(t.overTriageRate).toBeLessThanOrEqual(0.1);
    expect(t.macroF1).toBeGreaterThanOrEqual(0.95);
  });
  it("medications: 100% block/warn recall, ≥ 90% of clean cases unflagged", () => {
    expect(meds.length).toBeGreaterThanOrEqual(40);
    expect(m.medBlockRecall).toBe(1);
    expect(m.medWarnRecall).toBe(1);
    expect(m.cleanSpecificity).toBeGreaterThanOrEqual(0.9);
  });
  // Issue 13: interactions, formulary, dose-missing, Beers glyburide. Targets: interaction recall
  // ≥ 0.8 with no flag on a safe plan; every rule violation (block recall) still found.
  it.each([
    ["tune", MEDS_EXT_TUNE],
    ["report", MEDS_EXT_REPORT],
  ])("medications (issue-13 %s half): interaction recall ≥ 0.8, 0 flags on safe plans, 100% block recall", (name, file) => {
    const cases = readJsonl(file, MedCase);
    const r = scoreMedCases(cases).metrics;
    console.log(
      `meds-${name} n=${cases.length}  interaction recall ${pct(r.interactionRecall)}  safe plans flagged ${r.safePlanFlags}  extra interaction flags ${r.interactionFalseFlags}  block recall ${pct(r.medBlockRecall)}  warn recall ${pct(r.medWarnRecall)}`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(r.interactionRecall).toBeGreaterThanOrEqual(0.8);
    expect(r.safePlanFlags).toBe(0);
    expect(r.interactionFalseFlags).toBe(0);
    expect(r.medBlockRecall).toBe(1);
  });
  it("PHI: recall ≥ 98% with every clinical number kept", () => {
    expect(phi.length).toBeGreaterThanOrEqual(60);
    expect(p.phiRecall).toBeGreaterThanOrEqual(0.98);
    expect(p.numbersKept).toBe(1);
  });
});
