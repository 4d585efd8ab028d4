import { describe, expect, it } from "vitest";
import type { MedPatient, ProposedMedication } from "./index.js";
import { checkMedications, findDrug, parseDose } from "./index.js";

const run = (
  patient: MedPatient,
  p: ProposedMedication,
  extra: { audience?: "clinician" | "patient"; draftText?: string } = {},
) => checkMedications({ patient, proposed: [p], ...extra }).map((f) => `${f.code}/${f.severity}`);

describe("formulary lookup", () => {
  it.each([
    ["二甲双胍", "metformin"],
    ["格华止", "metformin"],
    ["Glucophage XR", "metformin"],
    ["glibenclamide", "glyburide"],
    ["优降糖", "glyburide"],
    ["Ozempic", "semaglutide"],
    ["Rybelsus", "semaglutide-oral"],
    ["诺和锐", "insulin-aspart"],
    ["Lantus", "insulin-glargine"],
    ["Humulin 70/30", "insulin-premixed"],
    ["达格列净", "dapagliflozin"],
    ["Mounjaro", "tirzepatide"],
    ["阿托伐他汀", "atorvastatin"],
  ])("%s → %s", (name, id) => expect(findDrug(name)?.id).toBe(id));
  it("unknown names are not guessed", () => expect(findDrug("glucoflexin")).toBeUndefined());
});

describe("dose parsing", () => {
  it.each([
    ["500 mg bid", undefined, 500, 2],
    ["1000mg", "twice daily", 1000, 2],
    ["10 units", "nightly", 10, 1],
    ["0.5 g", "一天三次", 500, 3],
    ["500mg", "每日2次", 500, 2],
  ])("%s %s", (dose, freq, amount, perDay) => {
    const d = parseDose(dose, freq);
    expect(d.amount).toBe(amount);
    expect(d.perDay).toBe(perDay);
  });
  it("weekly", () => expect(parseDose("0.5 mg", "weekly")).toMatchObject({ amount: 0.5, perWeek: 1 }));
});

describe("metformin (FDA 2016)", () => {
  const start = { name: "metformin", dose: "500 mg", frequency: "bid", action: "start" };
  const cont = { ...start, action: "continue" };
  it.each([
    [19, ["metformin-egfr-contraindicated/block"], ["metformin-egfr-contraindicated/block"]],
    [29, ["metformin-egfr-contraindicated/block"], ["metformin-egfr-contraindicated/block"]],
    [30, ["metformin-egfr-initiation/block"], ["metformin-egfr-reassess/info"]],
    [44, ["metformin-egfr-initiation/block"], ["metformin-egfr-reassess/info"]],
    [45, [], []],
    [60, [], []],
  ])("eGFR %i: start → %j, continue → %j", (egfr, onStart, onContinue) => {
    expect(run({ egfr }, start)).toEqual(onStart);
    expect(run({ egfr }, cont)).toEqual(onContinue);
  });
  it.each([
    ["850 mg", "tid", []],
    ["1000 mg", "tid", ["dose-out-of-range/block"]],
    ["1275 mg", "bid", []],
    ["1300 mg", "bid", ["dose-out-of-range/block"]],
  ])("max 2,550 mg/day: %s %s", (dose, frequency, out) =>
    expect(run({ egfr: 90 }, { name: "metformin", dose, frequency })).toEqual(out),
  );
});

describe("SGLT2 inhibitors", () => {
  it.each([
    ["dapagliflozin", 44, true],
    ["dapagliflozin", 45, false],
    ["empagliflozin", 44, true],
    ["empagliflozin", 45, false],
    ["ertugliflozin", 59, true],
    ["ertugliflozin", 60, false],
    ["canagliflozin", 29, true],
    ["canagliflozin", 30, false],
  ])("%s at eGFR %i → warn %s", (name, egfr, warn) => {
    const out = run({ egfr }, { name, dose: "10 mg", frequency: "daily", action: "start" });
    expect(out.includes("sglt2-egfr-label/warn")).toBe(warn);
  });
  it("heart-failure/CKD indication uses the non-glycemic label limit", () => {
    const dapa = { name: "dapagliflozin", dose: "10 mg", frequency: "daily", action: "start", purpose: "CKD" };
    expect(run({ egfr: 30 }, dapa)).toEqual([]);
    expect(run({ egfr: 20 }, dapa)).toEqual(["sglt2-egfr-label/warn"]);
  });
  it("dialysis blocks; surgery warns", () => {
    expect(run({ egfr: 60, dialysis: true }, { name: "empagliflozin" })).toContain("sglt2-dialysis/block");
    expect(run({ egfr: 60, conditions: ["surgery next week"] }, { name: "empagliflozin" })).toContain("sglt2-sick-day/warn");
  });
});

describe("GLP-1 RA, TZD, DPP-4, sulfonylureas", () => {
  it.each([
    [{ conditions: ["MEN2"] }, "semaglutide", "glp1-mtc-men2/block"],
    [{ conditions: ["family history of medullary thyroid carcinoma"] }, "liraglutide", "glp1-mtc-men2/block"],
    [{ conditions: ["prior pancreatitis"] }, "dulaglutide", "glp1-pancreatitis/warn"],
    [{ pregnancy: true }, "tirzepatide", "glp1-pregnancy/warn"],
    [{ conditions: ["heart failure NYHA III"] }, "pioglitazone", "tzd-hf-severe/block"],
    [{ conditions: ["heart failure NYHA class IV"] }, "rosiglitazone", "tzd-hf-severe/block"],
    [{ conditions: ["heart failure"] }, "pioglitazone", "tzd-hf/warn"],
    [{ conditions: ["heart failure"] }, "saxagliptin", "dpp4-hf/warn"],
    [{ conditions: ["heart failure"] }, "alogliptin", "dpp4-hf/warn"],
    [{ age: 50 }, "glyburide", "glyburide-beers/warn"],
  ])("%j + %s → %s", (patient, name, code) => expect(run(patient, { name, action: "start" })).toContain(code));
  it.each([
    [64, []],
    [65, ["su-elderly/warn"]],
    [80, ["su-elderly/warn"]],
  ])("new sulfonylurea at age %i", (age, out) =>
    expect(run({ age }, { name: "glimepiride", dose: "1 mg", frequency: "daily", action: "start" })).toEqual(out),
  );
  it("continuing a sulfonylurea at 70 is not new use", () =>
    expect(run({ age: 70, medications: ["glimepiride 2 mg"] }, { name: "glimepiride", action: "continue" })).toEqual([]));
});

describe("insulin titration and patient-facing doses (ADA §9)", () => {
  const onGlargine = { medications: [{ name: "insulin glargine", dose: "20 units" }] };
  it.each([
    ["22 units", []],
    ["23 units", ["insulin-titration/warn"]],
    ["16 units", []],
    ["15 units", ["insulin-titration/warn"]],
  ])("clinician: 20 → %s", (dose, out) => expect(run(onGlargine, { name: "glargine", dose, action: "change" })).toEqual(out));
  it("patient-facing: any absolute insulin dose blocks", () => {
    expect(run(onGlargine, { name: "glargine", dose: "22 units", action: "increase" }, { audience: "patient" })).toEqual([
      "insulin-dose-to-patient/block",
    ]);
    expect(run(onGlargine, { name: "glargine", dose: "30 units", action: "increase" }, { audience: "patient" })).toEqual([
      "insulin-titration/block",
      "insulin-dose-to-patient/block",
    ]);
  });
  it("insulin or SU + new GLP-1 RA / SGLT2i must mention hypoglycemia", () => {
    expect(run(onGlargine, { name: "semaglutide", dose: "0.25 mg", frequency: "weekly", action: "start" })).toEqual([
      "hypoglycemia-risk-combination/warn",
    ]);
    expect(
      run(
        onGlargine,
        { name: "semaglutide", dose: "0.25 mg", frequency: "weekly", action: "start" },
        { draftText: "reduce insulin by 10% to avoid hypoglycemia" },
      ),
    ).toEqual([]);
    expect(
      run(
        { medications: ["gliclazide 80 mg bid"] },
        { name: "达格列净", dose: "10mg", frequency: "qd", action: "start" },
        { draftText: "注意低血糖，磺脲类可能需要减量" },
      ),
    ).toEqual([]);
  });
  it("unknown drug and out-of-range dose block", () => {
    expect(run({}, { name: "glucoflexin" })).toEqual(["unknown-drug/block"]);
    expect(run({}, { name: "semaglutide", dose: "5 mg", frequency: "weekly" })).toEqual(["dose-out-of-range/block"]);
  });
});

describe("dose strings as drafts write them", () => {
  it.each([
    ["0.5mg", "qw", { amount: 0.5, perWeek: 1 }],
    ["10mg", "qd", { amount: 10, perDay: 1 }],
    ["1g", "b.i.d.", { amount: 1000, perDay: 2 }],
    ["850 mg", "tid", { amount: 850, perDay: 3 }],
    ["2550mg/day", undefined, { amount: 2550, perDay: 1 }],
    ["20单位", "qn", { amount: 20, unit: "units", perDay: 1 }],
  ])("%s %s", (dose, freq, expected) => expect(parseDose(dose, freq)).toMatchObject(expected));
  it.each([
    ["Ozempic", "2 mg", "qw", []],
    ["semaglutide", "3 mg", "qw", ["dose-out-of-range"]],
    ["诺和泰", "0.5mg", "qw", []],
    ["metformin", "2550mg/day", undefined, []],
    ["metformin", "3000mg/day", undefined, ["dose-out-of-range"]],
    ["格华止", "1g", "tid", ["dose-out-of-range"]],
  ])("%s %s %s", (name, dose, frequency, codes) =>
    expect(
      checkMedications({ patient: { age: 50, egfr: 90 }, proposed: [{ name, dose, frequency, action: "continue" }] })
        .filter((x) => x.severity !== "info")
        .map((x) => x.code),
    ).toEqual(codes),
  );
});
