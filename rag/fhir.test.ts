import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ageAt, normalizeLab, patientFromFhirBundle } from "./fhir.js";

const bundle = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as unknown;
const FABIAN = "Fabian_Murray_a120c913-9ee0-4fcc-8344-826e74335c80.json";
const LOUIS = "Louis_Maggio_2e275d4b-855a-4eb2-9021-5410aa8acd4f.json";

describe("FHIR R4 intake", () => {
  it("maps the Fabian Murray bundle: age against now, active conditions, labs, active meds", () => {
    const p = patientFromFhirBundle(bundle(FABIAN), { now: new Date("2021-06-01T00:00:00Z") });
    expect(p).toMatchObject({ age: 40, sex: "male" }); // born 1981-02-14
    expect(p.diagnoses).toContain("Diabetes");
    expect(p.medications.map((m) => m.name)).toEqual(["Metformin hydrochloride"]);
    const a1c = p.labs.filter((l) => l.name === "HbA1c");
    expect(a1c.length).toBe(2);
    expect(a1c.every((l) => l.unit === "%")).toBe(true);
    expect(p.egfr).toBeGreaterThan(60);
    expect(p.labs.some((l) => l.name === "Systolic BP")).toBe(true); // from Observation.component
  });

  it("maps the Louis Maggio bundle and excludes stopped medications and future data", () => {
    const p = patientFromFhirBundle(bundle(LOUIS), { now: new Date("2021-06-01T00:00:00Z") });
    expect(p).toMatchObject({ sex: "male" });
    expect(p.allergies.length).toBeGreaterThan(0);
    expect(p.labs.some((l) => l.name === "Glucose" && l.unit === "mg/dL")).toBe(true);
    const early = patientFromFhirBundle(bundle(LOUIS), { now: new Date("2012-01-01T00:00:00Z") });
    expect(early.age).toBeLessThan(p.age);
    expect(early.labs.every((l) => (l.at ?? "") <= "2012-01-01")).toBe(true);
  });

  it.each([
    ["HbA1c", 53, "mmol/mol", 7.0, "%"],
    ["HbA1c", 7.2, "%", 7.2, "%"],
    ["Glucose", 10, "mmol/L", 180, "mg/dL"],
    ["Glucose", 3, "mmol/L", 54, "mg/dL"],
    ["Creatinine", 88.42, "umol/L", 1, "mg/dL"],
    ["LDL", 2.6, "mmol/L", 101, "mg/dL"],
  ])("normalizes %s %s %s → %s %s", (name, value, unit, expected, expectedUnit) => {
    const n = normalizeLab(name, value, unit);
    expect(n.unit).toBe(expectedUnit);
    expect(n.value).toBeCloseTo(expected, 0);
  });

  it.each([
    ["1981-02-14", "2021-02-13T00:00:00Z", 39],
    ["1981-02-14", "2021-02-14T00:00:00Z", 40],
  ])("age from %s at %s is %i", (birth, now, age) => {
    expect(ageAt(birth, new Date(now))).toBe(age);
  });

  it("rejects what is not a Bundle with a Patient", () => {
    expect(() => patientFromFhirBundle({ resourceType: "Patient" }, { now: new Date() })).toThrow(/Bundle/);
    expect(() => patientFromFhirBundle({ resourceType: "Bundle", entry: [] }, { now: new Date() })).toThrow(/Patient/);
  });
});
