import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { casesFromSynthea, drugName, SYNTHEA_CASES_FILE } from "./cases.js";
import { encodeCase, FEATURE_NAMES, slope } from "./similar.js";

const base = {
  age: 62,
  sex: "male" as const,
  conditions: ["Diabetes", "Hypertension"],
  medications: ["Metformin hydrochloride"],
};
const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

describe("similar-case features", () => {
  it("encodes to a unit vector with one slot per documented feature", () => {
    const v = encodeCase({ ...base, labs: { hba1c: [{ value: 8, t: 2020 }] } });
    expect(v.length).toBe(FEATURE_NAMES.length);
    expect(Math.hypot(...v)).toBeCloseTo(1, 10);
  });

  it("is closer for similar HbA1c trend than for opposite", () => {
    const rising = encodeCase({
      ...base,
      labs: {
        hba1c: [
          { value: 7, t: 2019 },
          { value: 8.5, t: 2020 },
        ],
      },
    });
    const risingToo = encodeCase({
      ...base,
      labs: {
        hba1c: [
          { value: 7.2, t: 2019 },
          { value: 8.4, t: 2020 },
        ],
      },
    });
    const falling = encodeCase({
      ...base,
      labs: {
        hba1c: [
          { value: 10, t: 2019 },
          { value: 6.5, t: 2020 },
        ],
      },
    });
    expect(cos(rising, risingToo)).toBeGreaterThan(cos(rising, falling));
  });

  it("computes least-squares slopes per year", () => {
    expect(
      slope([
        { value: 7, t: 2019 },
        { value: 8, t: 2020 },
        { value: 9, t: 2021 },
      ]),
    ).toBeCloseTo(1, 10);
    expect(slope([{ value: 7, t: 2019 }])).toBe(0);
  });

  it("builds 100+ patient-year cases from the Synthea extract with their orders", () => {
    const cases = casesFromSynthea(JSON.parse(readFileSync(SYNTHEA_CASES_FILE, "utf8")));
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.caseId)).size).toBe(cases.length);
    expect(cases.some((c) => c.medications.includes("Metformin hydrochloride"))).toBe(true);
    expect(cases.every((c) => c.labTests.length > 0)).toBe(true);
  });

  it.each([
    ["24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", "Metformin hydrochloride"],
    [
      "insulin human, isophane 70 UNT/ML / Regular Insulin, Human 30 UNT/ML Injectable Suspension [Humulin]",
      "insulin human, isophane",
    ],
    ["Hydrochlorothiazide 25 MG Oral Tablet", "Hydrochlorothiazide"],
  ])("drugName(%s) = %s", (display, name) => {
    expect(drugName(display)).toBe(name);
  });
});
