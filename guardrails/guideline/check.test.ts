/**
 * Drafts checked against the engine: the failures (basal insulin dropped in type 1,
 * glyburide continued at 82 with lows, metformin above the renal maximum, no UACR in CKD, no
 * change far above goal) become findings with severity and the guideline section.
 */
import { describe, expect, it } from "vitest";
import { type DraftBody, type DraftMedication, PatientContext } from "../../core/domain.js";
import { checkAgainstGuideline } from "./check.js";
import { guidelinePlan } from "./engine.js";

const NOW = new Date("2026-12-01T00:00:00Z");
const body = (
  medications: Omit<DraftMedication, "citations">[],
  labs: string[] = ["HbA1c"],
): Pick<DraftBody, "labTests" | "examinations" | "medications" | "recommendations"> => ({
  labTests: labs.map((name) => ({ name, citations: [] })),
  examinations: [],
  medications: medications.map((m) => ({ ...m, citations: [] })),
  recommendations: [],
});
const check = (p: Partial<PatientContext>, d: ReturnType<typeof body>, lang: "en" | "zh" = "en") =>
  checkAgainstGuideline(
    d,
    guidelinePlan({
      patient: PatientContext.parse({ age: 58, sex: "male", diagnoses: ["Type 2 diabetes"], ...p }),
      lang,
      now: NOW,
    }),
  );
const codes = (f: ReturnType<typeof check>) => f.map((x) => `${x.severity}:${x.code}`);

describe("contradictions → block, with the guideline section", () => {
  const old = {
    age: 82,
    diagnoses: ["Type 2 diabetes", "Recurrent hypoglycemia"],
    egfr: 60,
    medications: [{ name: "Glyburide", dose: "5 mg", frequency: "twice daily" }],
  };
  it.each(["en", "zh"] as const)("glyburide continued in an 82-year-old with lows (%s)", (lang) => {
    const f = check(
      old,
      body([
        { name: lang === "zh" ? "格列本脲" : "glyburide", dose: "5 mg", frequency: "twice daily", action: "continue" },
        { name: "NPH insulin", dose: "10 units", frequency: "at bedtime", action: "start" },
      ]),
      lang,
    );
    expect(codes(f)).toEqual(expect.arrayContaining(["block:contradiction-su-hypo", "block:contradiction-glyburide"]));
    expect(f.find((x) => x.code === "contradiction-glyburide")?.message).toMatch(/ADA Standards of Care 2025 §13/);
    expect(f.find((x) => x.code === "contradiction-glyburide")?.source).toMatch(/\[guideline:ada-2025-s13-deintensify\]/);
    if (lang === "zh") expect(f.find((x) => x.code === "contradiction-glyburide")?.message).toMatch(/格列本脲/);
  });
  it("stopping glyburide is not a contradiction", () => {
    const f = check(old, body([{ name: "glyburide", action: "stop" }]));
    expect(f.filter((x) => x.severity === "block")).toEqual([]);
  });
  it.each([
    [38, "1000 mg", "twice daily", true],
    [38, "500 mg", "twice daily", false],
    [44, "850 mg", "twice daily", true],
    [45, "1000 mg", "twice daily", false],
  ])("eGFR %i, metformin %s %s → above the renal maximum: %s", (egfr, dose, frequency, blocked) => {
    const f = check(
      { egfr, medications: [{ name: "Metformin", dose: "1000 mg", frequency: "twice daily" }] },
      body([{ name: "metformin", dose, frequency, action: "continue" }]),
    );
    expect(codes(f).includes("block:contradiction-metformin-max")).toBe(blocked);
  });
  it.each([
    [29, true],
    [30, false],
  ])("eGFR %i, metformin continued → contraindicated: %s", (egfr, blocked) => {
    const f = check({ egfr }, body([{ name: "二甲双胍", dose: "500 mg", frequency: "每日2次", action: "continue" }]), "zh");
    expect(codes(f).includes("block:contradiction-metformin-egfr")).toBe(blocked);
  });
  it("GLP-1 RA with MEN2, SGLT2 inhibitor on dialysis, TZD in heart failure, ACE inhibitor in pregnancy", () => {
    expect(
      codes(
        check(
          { diagnoses: ["Type 2 diabetes", "MEN2"] },
          body([{ name: "semaglutide", dose: "0.25 mg", frequency: "weekly", action: "start" }]),
        ),
      ),
    ).toContain("block:contradiction-glp1-mtc");
    expect(
      codes(
        check(
          { dialysis: true, egfr: 8 },
          body([{ name: "empagliflozin", dose: "10 mg", frequency: "daily", action: "continue" }]),
        ),
      ),
    ).toContain("block:contradiction-sglt2-dialysis");
    expect(
      codes(
        check(
          { diagnoses: ["Type 2 diabetes", "Heart failure"] },
          body([{ name: "pioglitazone", dose: "15 mg", frequency: "daily", action: "continue" }]),
        ),
      ),
    ).toContain("block:contradiction-hf-tzd");
    expect(
      codes(
        check(
          { sex: "female", age: 30, pregnancy: true },
          body([{ name: "lisinopril", dose: "10 mg", frequency: "daily", action: "continue" }]),
        ),
      ),
    ).toContain("block:contradiction-pregnancy-ras-statin");
  });
});

describe("omissions → warn (type 1 without basal insulin → block)", () => {
  const t1 = {
    age: 15,
    diagnoses: ["Type 1 diabetes mellitus"],
    medications: [
      { name: "Insulin glargine", dose: "18 units", frequency: "daily" },
      { name: "Insulin aspart", dose: "5 units", frequency: "with meals" },
    ],
  };
  it.each(["en", "zh"] as const)("type 1 adolescent: draft drops the basal insulin (%s)", (lang) => {
    const f = check(
      t1,
      body([
        { name: lang === "zh" ? "门冬胰岛素" : "insulin aspart", dose: "5 units", frequency: "with meals", action: "continue" },
      ]),
      lang,
    );
    expect(f.find((x) => x.code === "omission-t1-basal")).toMatchObject({
      severity: "block",
      source: expect.stringContaining("§9"),
    });
  });
  it("type 1: a draft naming 'basal insulin' generically satisfies the check; stopping it is a contradiction", () => {
    expect(
      codes(
        check(
          t1,
          body([
            { name: "basal insulin", dose: "18 units", frequency: "daily", action: "continue" },
            { name: "insulin aspart", dose: "5 units", frequency: "with meals", action: "continue" },
          ]),
        ),
      ),
    ).not.toContain("block:omission-t1-basal");
    expect(codes(check(t1, body([{ name: "insulin glargine", action: "stop" }])))).toContain("block:contradiction-t1-basal-stop");
  });
  it.each([
    [8.4, false],
    [8.5, true],
  ])("HbA1c %f on metformin, draft only continues it → no-change omission: %s", (a1c, warned) => {
    const f = check(
      {
        egfr: 90,
        labs: [{ name: "HbA1c", value: a1c, unit: "%" }],
        medications: [{ name: "Metformin", dose: "1000 mg", frequency: "twice daily" }],
      },
      body([{ name: "metformin", dose: "1000 mg", frequency: "twice daily", action: "continue" }], ["HbA1c", "eGFR"]),
    );
    expect(codes(f).includes("warn:omission-no-intensification")).toBe(warned);
  });
  it.each(["en", "zh"] as const)("CKD without UACR (%s)", (lang) => {
    const f = check({ diagnoses: ["Type 2 diabetes", "Chronic kidney disease"], egfr: 50 }, body([], ["HbA1c", "eGFR"]), lang);
    expect(f.find((x) => x.code === "omission-uacr")).toMatchObject({ severity: "warn" });
    const ok = check(
      { diagnoses: ["Type 2 diabetes", "Chronic kidney disease"], egfr: 50 },
      body([], ["HbA1c", "eGFR", "尿白蛋白/肌酐比值"]),
      lang,
    );
    expect(ok.find((x) => x.code === "omission-uacr")).toBeUndefined();
  });
});
