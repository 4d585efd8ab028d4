import { describe, expect, it } from "vitest";
import type { PatientContext } from "../core/domain.js";
import { assessComplexity } from "./index.js";

const now = new Date("2026-01-15T00:00:00Z");
const p = (over: Partial<PatientContext> = {}): PatientContext => ({
  age: 55,
  sex: "male",
  diagnoses: ["type 2 diabetes"],
  labs: [],
  medications: [],
  allergies: [],
  recentEvents: [],
  ...over,
});
const codes = (patient: PatientContext | undefined, text = "") => assessComplexity(patient, text, now).map((c) => c.code);

describe("complexity router", () => {
  it.each([
    [29, true],
    [30, false],
    [19, true],
    [60, false],
  ])("eGFR %i → egfr-below-30 %s", (egfr, hit) => expect(codes(p({ egfr })).includes("egfr-below-30")).toBe(hit));
  it.each([
    [17, "age-under-18"],
    [18, undefined],
    [80, undefined],
    [81, "age-over-80"],
  ])("age %i", (age, code) => {
    const c = codes(p({ age }));
    if (code) expect(c).toContain(code);
    else expect(c).toEqual([]);
  });
  it.each([
    [4, false],
    [5, true],
  ])("%i regular medications → polypharmacy %s", (n, hit) => {
    const medications = Array.from({ length: n }, (_, i) => ({ name: `drug${i}` }));
    expect(codes(p({ medications })).includes("polypharmacy")).toBe(hit);
  });
  it.each([
    ["heart failure NYHA II", "heart-failure"],
    ["心力衰竭", "heart-failure"],
    ["type 1 diabetes", "type-1-diabetes"],
    ["1型糖尿病", "type-1-diabetes"],
    ["Alzheimer dementia", "dementia-or-long-term-care"],
    ["lives in a nursing home", "dementia-or-long-term-care"],
    ["breast cancer on chemotherapy", "cancer"],
    ["肝硬化", "cirrhosis"],
  ])("diagnosis %s → %s", (d, code) => expect(codes(p({ diagnoses: [d] }))).toContain(code));
  it("cancer in remission is not cancer under treatment", () =>
    expect(codes(p({ diagnoses: ["prostate cancer in remission"] }))).toEqual([]));
  it("pregnancy from the record flag", () => expect(codes(p({ pregnancy: true }))).toContain("pregnancy"));
  it.each([
    ["DKA 2025-12", true],
    ["DKA 2025-10-16", true],
    ["DKA 2025-10-14", false],
    ["DKA 2024-06", false],
    ["hospital stay 2026-01-02", true],
    ["hospital stay 2025-06-01", false],
  ])("recent event %s within 3 months of 2026-01-15 → %s", (ev, hit) => {
    const c = codes(p({ recentEvents: [ev] }));
    expect(c.includes("recent-dka") || c.includes("recent-hospital-stay")).toBe(hit);
  });
  it("reads asserted conditions from the message, not negated or educational ones", () => {
    expect(codes(undefined, "I have heart failure and my sugar is 180")).toContain("heart-failure");
    expect(codes(undefined, "I don't have heart failure")).toEqual([]);
    expect(codes(undefined, "想了解一下一型糖尿病的治疗方法有哪些")).toEqual([]);
    expect(codes(undefined, "I was discharged from hospital last week")).toContain("recent-hospital-stay");
  });
});
