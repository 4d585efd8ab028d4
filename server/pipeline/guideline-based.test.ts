/**
 * Guideline-based drafts: every medication has dose and frequency (or says why not), every item
 * cites the guideline passage its rule comes from, a Chinese consultation is written in Chinese,
 * and similar-case evidence stays a labelled supplement.
 */
import { describe, expect, it } from "vitest";
import { PatientContext, type SimilarCase } from "../../core/domain.js";
import { GUIDELINE_PASSAGE_IDS } from "../../guardrails/guideline/index.js";
import guidelinePassages from "../../rag/corpus/guidelines/ada-2025-kdigo-2022.json" with { type: "json" };
import { citedPassages, guidelineDraft } from "./guideline-based.js";
import { renderDraftText } from "./render.js";

const NOW = new Date("2026-12-01T00:00:00Z");
const ckd = PatientContext.parse({
  age: 66,
  sex: "female",
  diagnoses: ["Type 2 diabetes mellitus", "Chronic kidney disease stage 3b", "Hypertension"],
  labs: [
    { name: "HbA1c", value: 8.9, unit: "%" },
    { name: "UACR", value: 240, unit: "mg/g" },
    { name: "Potassium", value: 4.4, unit: "mmol/L" },
  ],
  medications: [
    { name: "Metformin", dose: "1000 mg", frequency: "twice daily" },
    { name: "Hydrochlorothiazide", dose: "25 mg", frequency: "once daily" },
    { name: "Amlodipine" },
  ],
  egfr: 38,
});
const similar: SimilarCase[] = [
  { caseId: "c1", similarity: 0.9, summary: "", labTests: ["Hemoglobin"], medications: ["Metformin 500 MG Oral Tablet"] },
  { caseId: "c2", similarity: 0.8, summary: "", labTests: ["Hemoglobin"], medications: [] },
];

describe("guideline-based draft", () => {
  it("gives every medication a dose and a frequency, or says why not", () => {
    const { draft } = guidelineDraft({ patient: ckd, lang: "en", similar: [], now: NOW });
    for (const m of draft.medications) {
      expect(m.dose, m.name).toBeTruthy();
      expect(m.frequency, m.name).toBeTruthy();
    }
    expect(draft.medications.find((m) => m.name === "metformin" || m.name === "Metformin")).toMatchObject({
      action: "decrease",
      dose: "500 mg",
      frequency: "twice daily",
    });
    expect(draft.medications.find((m) => m.name === "Amlodipine")).toMatchObject({ dose: "dose not recorded: confirm" });
  });

  it("cites, for each item, the passage its rule comes from — not one passage for everything", () => {
    const { draft, plan } = guidelineDraft({ patient: ckd, lang: "en", similar: [], now: NOW });
    const corpus = new Map((guidelinePassages as { id: string; text: string }[]).map((p) => [p.id, p.text]));
    const all = [...draft.labTests, ...draft.examinations, ...draft.medications, ...draft.recommendations].flatMap(
      (i) => i.citations,
    );
    for (const c of all) expect(GUIDELINE_PASSAGE_IDS).toContain(c);
    expect(new Set(all).size).toBeGreaterThanOrEqual(8);
    const cite = (pred: (n: string) => boolean) =>
      draft.labTests.find((l) => pred(l.name))?.citations[0] ?? draft.medications.find((m) => pred(m.name))?.citations[0];
    expect(corpus.get(cite((n) => /metformin/i.test(n)) as string)).toMatch(/1,000 mg a day/);
    expect(corpus.get(cite((n) => /UACR/.test(n)) as string)).toMatch(/UACR/);
    expect(corpus.get(cite((n) => /B12/.test(n)) as string)).toMatch(/B12/);
    expect(
      citedPassages(plan)
        .map((p) => p.citation.chunkId)
        .sort(),
    ).toEqual([...new Set(plan.items.map((i) => i.source.id))].sort());
  });

  it("recommendations are sentences a clinician can act on (no 'review the guidance in …')", () => {
    const { draft } = guidelineDraft({ patient: ckd, lang: "en", similar: [], now: NOW });
    for (const r of draft.recommendations) {
      expect(r.text).not.toMatch(/review the guidance/i);
      expect(r.text.length).toBeGreaterThan(20);
    }
    expect(draft.recommendations.map((r) => r.text).join("\n")).toMatch(/Start dapagliflozin 10 mg, once daily/);
  });

  it("a Chinese consultation gets Chinese drug names, lab names, actions and sentences", () => {
    const { draft } = guidelineDraft({ patient: ckd, lang: "zh", similar: [], now: NOW });
    const text = renderDraftText(
      { ...draft, mode: "guideline-based", provider: "guideline-engine", model: "m", promptVersion: "v" },
      "zh",
    );
    expect(text).toContain("减量 二甲双胍 500 mg 每日2次");
    expect(text).toContain("尿白蛋白/肌酐比值（UACR）");
    expect(text).toMatch(/氢氯噻嗪/);
    expect(text).not.toMatch(/\b(?:continue|start|stop|Metformin|Lipid|Potassium)\b/);
  });

  it("similar-case evidence is one labelled supplement without guideline citations", () => {
    const { draft } = guidelineDraft({ patient: ckd, lang: "en", similar, now: NOW });
    const sup = draft.recommendations.filter((r) => /similar past cases/.test(r.text));
    expect(sup).toHaveLength(1);
    expect(sup[0]?.text).toMatch(/^Supplement \(similar past cases, not guideline evidence\).*Hemoglobin/);
    expect(sup[0]?.citations).toEqual([]);
    const zh = guidelineDraft({ patient: ckd, lang: "zh", similar, now: NOW }).draft;
    expect(zh.recommendations.some((r) => r.text.startsWith("补充信息（相似既往病例，非指南证据）"))).toBe(true);
  });
});
