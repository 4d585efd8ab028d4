import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CaseIndex } from "./cases.js";
import { patientFromFhirBundle } from "./fhir.js";
import { startTestChroma, type TestChroma } from "./test-support.js";

let chroma: TestChroma;
beforeAll(async () => {
  chroma = await startTestChroma();
}, 30_000);
afterAll(async () => {
  await chroma?.stop();
});

describe("similar cases on embedded Chroma", () => {
  it("seeds once, finds similar cases for a FHIR patient with their orders, and learns new cases", async () => {
    const cases = new CaseIndex({ store: chroma.store() });
    const seeded = await cases.seedIfEmpty();
    expect(seeded).toBeGreaterThanOrEqual(100);
    expect(await cases.seedIfEmpty()).toBe(0);

    const now = new Date("2021-06-01T00:00:00Z");
    const raw = JSON.parse(
      readFileSync(new URL("./fixtures/Fabian_Murray_a120c913-9ee0-4fcc-8344-826e74335c80.json", import.meta.url), "utf8"),
    );
    const patient = patientFromFhirBundle(raw, { now });
    const hits = await cases.similarCases(patient, 10, now);
    expect(hits.length).toBe(10);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]?.similarity).toBeGreaterThanOrEqual(hits[i]?.similarity as number);
    expect(hits[0]?.similarity).toBeGreaterThan(0.5);
    expect(hits[0]?.labTests.length).toBeGreaterThan(0);
    // This patient is on metformin with diabetes: most neighbours should be too.
    expect(hits.filter((h) => h.medications.some((m) => /metformin/i.test(m))).length).toBeGreaterThanOrEqual(5);

    await cases.addCase({
      caseId: "approved:1",
      patient,
      labTests: ["HbA1c", "eGFR"],
      medications: ["Metformin hydrochloride"],
      now,
    });
    const again = await cases.similarCases(patient, 3, now);
    expect(again[0]).toMatchObject({ caseId: "approved:1", labTests: ["HbA1c", "eGFR"] });
    expect(again[0]?.similarity).toBeCloseTo(1, 4);
  });
});
