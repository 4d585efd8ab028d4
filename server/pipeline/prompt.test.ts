import { describe, expect, it } from "vitest";
import type { Passage, PatientContext, SimilarCase } from "../../core/domain.js";
import {
  buildConsultPrompt,
  buildPatientPrompt,
  CONSULT_PROMPT_VERSION,
  PATIENT_PROMPT_VERSION,
  redactPrompt,
} from "./prompt.js";
import { labTrends } from "./prompts/history.js";

const patient: PatientContext = {
  ref: "MRN-778812",
  department: "endocrinology",
  age: 58,
  sex: "male",
  diagnoses: ["type 2 diabetes mellitus", "CKD stage 3a"],
  chiefComplaint: "Name: Li Ming, follow-up of diabetes",
  presentIllness: "Thirst for two months.",
  labs: [
    { name: "HbA1c", value: 7.2, unit: "%", at: "2024-03-01" },
    { name: "HbA1c", value: 8.6, unit: "%", at: "2025-03-01" },
    { name: "HbA1c", value: 7.9, unit: "%", at: "2024-09-01" },
    { name: "eGFR", value: 58, unit: "mL/min/1.73m2", at: "2025-03-01" },
    { name: "Body weight", value: 84.5, unit: "kg", at: "2025-03-01" },
  ],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
  allergies: [],
  recentEvents: ["hospital stay 2024-11 (pneumonia)"],
};
const passages: Passage[] = [
  {
    text: "Metformin dosing with eGFR 45-59.",
    score: 0.7,
    citation: { sourceId: "s1", chunkId: "ada-9#3", title: "ADA 9", url: "", version: "2025" },
  },
];
const similar: SimilarCase[] = Array.from({ length: 12 }, (_, i) => ({
  caseId: `c${i}`,
  similarity: 0.5 + i / 40,
  summary: `case ${i}`,
  labTests: ["HbA1c"],
  medications: [`drug${i}`],
}));

describe("consult prompt", () => {
  it("follows the instruction → input → output format and records template + parts in the version", () => {
    const b = buildConsultPrompt({ lang: "en", patient, passages, similar });
    expect(b.system).toMatch(/^You are a diabetes clinical recommendation model\./);
    expect(b.version).toBe(`${CONSULT_PROMPT_VERSION}+self+peer`);
    for (const f of [
      "department: endocrinology",
      "sex: male",
      "age: 58",
      "diagnosis: type 2 diabetes mellitus; CKD stage 3a",
      "present illness history: Thirst",
    ]) {
      expect(b.prompt).toContain(f);
    }
    expect(b.prompt).toMatch(/labs: HbA1c 8\.6 %/);
    expect(b.prompt.indexOf("### Input")).toBeLessThan(b.prompt.indexOf("### Output"));
    expect(b.prompt).toContain("allowed citation ids: ada-9#3");
    expect(b.citable).toEqual(["ada-9#3"]);
  });

  it("self-informed part: dated trends in time order, current medications, recent events", () => {
    const b = buildConsultPrompt({ lang: "en", patient, passages, similar });
    expect(b.prompt).toContain("HbA1c: 7.2 % (2024-03-01) → 7.9 % (2024-09-01) → 8.6 % (2025-03-01); rising +1.4");
    expect(b.prompt).toContain("current medications: metformin 1000 mg twice daily");
    expect(b.prompt).toContain("hospital stay 2024-11");
    expect(labTrends(patient.labs).map((t) => t.key)).toEqual(["hba1c", "egfr", "weight"]);
  });

  it("peer-informed part: the top-k cases by similarity with what was ordered", () => {
    const b = buildConsultPrompt({ lang: "en", patient, passages, similar, options: { peerK: 10 } });
    expect(b.prompt).toContain("1. [0.78] case 11");
    expect(b.prompt).toContain("medications: drug2");
    expect(b.prompt).not.toContain("case 1 |"); // 11th and 12th most similar are cut
  });

  it.each([
    [{ selfInformed: false }, "consult-v2+peer", false, true],
    [{ peerInformed: false }, "consult-v2+self", true, false],
    [{ selfInformed: false, peerInformed: false }, "consult-v2", false, false],
  ])("switches %o", (options, version, hasSelf, hasPeer) => {
    const b = buildConsultPrompt({ lang: "en", patient, passages, similar, options });
    expect(b.version).toBe(version);
    expect(b.prompt.includes("(self-informed)")).toBe(hasSelf);
    expect(b.prompt.includes("current medications")).toBe(hasSelf);
    expect(b.prompt.includes("(peer-informed)")).toBe(hasPeer);
  });

  it("Chinese template, and no identifiers reach the prompt", () => {
    const b = buildConsultPrompt({ lang: "zh", patient, passages, similar });
    expect(b.system).toMatch(/^你是一个糖尿病临床推荐模型/);
    for (const s of [
      "科室",
      "性别",
      "年龄",
      "诊断",
      "主诉",
      "现病史",
      "检验结果",
      "检验项目",
      "检查项目",
      "用药建议",
      "治疗建议",
    ])
      expect(b.prompt).toContain(s);
    expect(b.prompt).not.toContain("Li Ming");
    expect(b.prompt).not.toContain("MRN-778812");
  });
});

describe("patient-reply prompt", () => {
  it.each(["en", "zh"] as const)("%s: short, plain, no dosing directives, own version", (lang) => {
    const b = buildPatientPrompt({ lang, question: "Can I eat fruit?" as never, passages });
    expect(b.version).toBe(PATIENT_PROMPT_VERSION);
    expect(b.system).toMatch(lang === "en" ? /never tell the patient to take, start, stop/ : /绝不告诉患者/);
    expect(b.system).toMatch(lang === "en" ? /at most 4 short sentences/ : /不超过4句/);
  });
});

describe("redactPrompt", () => {
  it("hides every later mention of a name the redactor found once, and keeps clinical words", () => {
    const out = redactPrompt(
      "Name: Zhang Wei\nquestion: should Zhang Wei or Mr. Zhang add sitagliptin? Weight 84 kg, HbA1c 8.6%.\n姓名：王芳。王芳血糖高。",
    );
    expect(out).not.toMatch(/Zhang|王芳/);
    expect(out).toContain("sitagliptin? Weight 84 kg, HbA1c 8.6%");
  });
});
