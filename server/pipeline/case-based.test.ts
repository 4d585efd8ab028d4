import { describe, expect, it } from "vitest";
import type { Passage, PatientContext, SimilarCase } from "../../core/domain.js";
import { caseBasedDraft, drugKey, splitDrugLabel } from "./case-based.js";

const passage = (id: string, text: string): Passage => ({
  text,
  score: 0.5,
  citation: { sourceId: id, chunkId: id, title: id, url: "", version: "1" },
});
const peer = (id: string, similarity: number, labTests: string[], medications: string[]): SimilarCase => ({
  caseId: id,
  similarity,
  summary: id,
  labTests,
  medications,
});
const patient: PatientContext = {
  age: 60,
  sex: "female",
  diagnoses: ["type 2 diabetes"],
  labs: [
    { name: "HbA1c", value: 8.1, unit: "%", at: "2025-01-10" },
    { name: "Sodium", value: 140, unit: "mmol/L", at: "2025-01-10" },
    { name: "Body weight", value: 80, unit: "kg", at: "2025-01-10" },
  ],
  medications: [
    { name: "Metformin hydrochloride", dose: "1000 mg", frequency: "twice daily" },
    { name: "Amoxicillin", dose: "250 mg" },
  ],
  allergies: [],
  recentEvents: [],
};

describe("splitDrugLabel", () => {
  it.each([
    [
      "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet",
      { name: "Metformin hydrochloride", dose: "500 mg", route: "oral" },
    ],
    ["Simvistatin 10 MG", { name: "Simvistatin", dose: "10 mg" }],
    ["Lasix 40mg", { name: "Lasix", dose: "40 mg" }],
    [
      "insulin human, isophane 70 UNT/ML / Regular Insulin, Human 30 UNT/ML Injectable Suspension [Humulin]",
      { name: "insulin human, isophane", dose: "70 unt/ml / 30 unt/ml", route: "subcutaneous" },
    ],
    ["Metformin hydrochloride", { name: "Metformin hydrochloride" }],
  ])("%s", (label, want) => {
    expect(splitDrugLabel(label)).toEqual(want);
  });
  it("keys drugs by generic name", () => {
    expect(drugKey("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet")).toBe("metformin");
  });
});

describe("caseBasedDraft", () => {
  const similar = [
    peer(
      "a",
      0.9,
      ["HbA1c", "Glucose", "Systolic BP"],
      [
        "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet",
        "Simvastatin 20 MG Oral Tablet",
        "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet",
        "Camila 28 Day Pack",
      ],
    ),
    peer(
      "b",
      0.8,
      ["HbA1c", "Glucose"],
      ["Simvastatin 20 MG Oral Tablet", "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet", "Camila 28 Day Pack"],
    ),
    peer("c", 0.1, ["Urine culture"], ["Warfarin Sodium 5 MG Oral Tablet"]),
  ];
  const passages = [
    passage("p-statin", "Statin therapy for adults with diabetes aged 40-75."),
    passage("p-a1c", "Measure HbA1c at least twice a year."),
  ];

  it("votes by similarity, drops drugs outside diabetes care unless the patient is on them, keeps doses, continue vs start", () => {
    const d = caseBasedDraft({ patient, similar, passages });
    const meds = Object.fromEntries(d.medications.map((m) => [drugKey(m.name), m]));
    expect(meds.simvastatin).toMatchObject({ action: "start", dose: "20 mg", route: "oral" });
    expect(meds.metformin).toMatchObject({ action: "continue", dose: "1000 mg", frequency: "twice daily" });
    expect(meds.amoxicillin).toMatchObject({ action: "continue" }); // the patient is on it
    expect(meds.camila).toBeUndefined(); // contraceptive: irrelevant, patient not on it
    expect(meds.warfarin).toBeUndefined(); // below the similarity share
    expect(d.labTests.map((l) => l.name)).toEqual(expect.arrayContaining(["HbA1c", "Glucose", "Sodium"]));
    expect(d.labTests.map((l) => l.name)).not.toContain("Body weight");
    expect(d.examinations.map((e) => e.name)).toContain("Blood pressure");
    expect(meds.simvastatin?.citations).toEqual(["p-statin"]);
    for (const item of [...d.labTests, ...d.medications, ...d.recommendations]) {
      for (const c of item.citations) expect(["p-statin", "p-a1c"]).toContain(c);
    }
  });

  it("peer-only knows nothing of the patient's drugs; self-only knows nothing of the peers", () => {
    const peerOnly = caseBasedDraft({ patient, similar, passages, options: { selfInformed: false } });
    expect(peerOnly.medications.every((m) => m.action === "start")).toBe(true);
    expect(peerOnly.medications.map((m) => drugKey(m.name))).not.toContain("amoxicillin");
    const selfOnly = caseBasedDraft({ patient, similar, passages, options: { peerInformed: false } });
    expect(selfOnly.medications.map((m) => drugKey(m.name)).sort()).toEqual(["amoxicillin", "metformin"]);
    expect(selfOnly.examinations).toEqual([]);
  });

  it("with nothing to go on it proposes nothing and claims no confidence", () => {
    const d = caseBasedDraft({ similar: [], passages: [] });
    expect(d).toMatchObject({ labTests: [], medications: [], confidence: 0 });
  });
});
