import { describe, expect, it } from "vitest";
import { scoreGuardrails } from "./guardrails-score.js";

describe("guardrails on the development sets", () => {
  const s = scoreGuardrails();
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(
    [
      `triage  n=${s.triage.n}  emergency recall ${pct(s.triage.emergencyRecall)}  under-triage ${s.triage.underTriage}  over-triage(routine) ${pct(s.triage.overTriageRoutine)}  macro-F1 ${s.triage.macroF1.toFixed(3)}`,
      `meds    n=${s.meds.n}  block/warn recall ${pct(s.meds.recall)}  precision ${pct(s.meds.precision)}  clean unflagged ${pct(s.meds.cleanUnflagged)}`,
      `phi     n=${s.phi.n}  recall ${pct(s.phi.recall)}  type accuracy ${pct(s.phi.typeAccuracy)}  clinical numbers kept ${pct(s.phi.numbersKept)}`,
      ...s.triage.errors.map((e) => `  triage ${e.id}: expected ${e.expected}, got ${e.got} — ${e.text}`),
      ...s.meds.errors.map((e) => `  meds ${e.id}: missing [${e.missing.join(", ")}] extra [${e.extra.join(", ")}]`),
      ...s.phi.errors.map((e) => `  phi ${e.id}: missed [${e.missed.join(", ")}] lost [${e.lost.join(", ")}]`),
    ].join("\n"),
  );
  it("triage: 100% emergency recall, zero under-triage, ≤ 10% over-triage of routine, macro-F1 ≥ 0.95", () => {
    expect(s.triage.n).toBeGreaterThanOrEqual(150);
    expect(s.triage.emergencyRecall).toBe(1);
    expect(s.triage.underTriage).toBe(0);
    expect(s.triage.overTriageRoutine).toBeLessThanOrEqual(0.1);
    expect(s.triage.macroF1).toBeGreaterThanOrEqual(0.95);
  });
  it("medications: 100% block/warn recall, ≥ 90% of clean cases unflagged", () => {
    expect(s.meds.n).toBeGreaterThanOrEqual(40);
    expect(s.meds.recall).toBe(1);
    expect(s.meds.cleanUnflagged).toBeGreaterThanOrEqual(0.9);
  });
  it("PHI: recall ≥ 98% with every clinical number kept", () => {
    expect(s.phi.n).toBeGreaterThanOrEqual(60);
    expect(s.phi.recall).toBeGreaterThanOrEqual(0.98);
    expect(s.phi.numbersKept).toBe(1);
  });
});
