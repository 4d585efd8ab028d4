import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkMedications, type MedPatient, type ProposedMedication } from "../index.js";
import { FORMULARY, findDrug, isGlucoseLowering } from "./formulary.js";
import { INTERACTIONS } from "./interactions.js";

const codes = (patient: MedPatient, proposed: ProposedMedication[]) =>
  checkMedications({ patient, proposed })
    .filter((f) => f.code.startsWith("interaction"))
    .map((f) => `${f.code}/${f.severity}`);
const start = (name: string, dose: string, frequency = "daily"): ProposedMedication => ({
  name,
  dose,
  frequency,
  action: "start",
});

describe("interaction table", () => {
  it("every rule has a code starting with interaction, a block/warn severity, a source and both sides resolved", () => {
    expect(INTERACTIONS.length).toBeGreaterThanOrEqual(20);
    for (const r of INTERACTIONS) {
      expect(r.code).toMatch(/^interaction-/);
      expect(["block", "warn"]).toContain(r.severity);
      expect(r.source).toMatch(/label|Beers|KDIGO/);
      expect(r.aIds.size).toBeGreaterThan(0);
      expect(r.bIds.size).toBeGreaterThan(0);
    }
  });
  it("guardrails/MEDS.md documents every interaction rule and every formulary entry", () => {
    const doc = readFileSync(new URL("../MEDS.md", import.meta.url), "utf8");
    for (const r of INTERACTIONS) expect(doc, r.id).toContain(`| \`${r.id}\` |`);
    for (const d of FORMULARY) expect(doc, d.id).toContain(`| \`${d.id}\` |`);
  });
  it("block is used only where the source says contraindicated", () => {
    for (const r of INTERACTIONS.filter((x) => x.severity === "block")) expect(r.effect).toMatch(/^contraindicated/);
  });
});

describe("interactions: sulfonylureas / meglitinides / insulin", () => {
  it.each([
    ["glipizide 5 mg bid", start("ciprofloxacin", "500 mg", "bid"), "interaction-hypoglycemia/warn"],
    ["格列美脲 2mg qd", start("左氧氟沙星", "0.5g", "qd"), "interaction-hypoglycemia/warn"],
    ["glimepiride 2 mg", start("fluconazole", "150 mg", "once"), "interaction-hypoglycemia/warn"],
    ["gliclazide 80 mg bid", start("clarithromycin", "500 mg", "bid"), "interaction-hypoglycemia/warn"],
    ["glipizide 5 mg", start("Bactrim DS", "1 tablet", "bid"), "interaction-hypoglycemia/warn"],
    ["repaglinide 1 mg tid", start("gemfibrozil", "600 mg", "bid"), "interaction-cyp2c8/block"],
    ["pioglitazone 30 mg", start("rifampin", "600 mg"), "interaction-cyp2c8/warn"],
    ["rosiglitazone 4 mg", start("gemfibrozil", "600 mg", "bid"), "interaction-cyp2c8/warn"],
    ["glyburide 5 mg", start("bosentan", "62.5 mg", "bid"), "interaction-bosentan/block"],
    ["insulin glargine 20 units", start("propranolol", "40 mg", "bid"), "interaction-masked-hypoglycemia/warn"],
    ["insulin 20 units nightly", start("metoprolol", "50 mg"), "interaction-masked-hypoglycemia/warn"],
  ])("%s + %j → %s", (cur, p, code) => expect(codes({ age: 55, medications: [cur] }, [p])).toEqual([code]));

  it("non-selective beta-blockers say so", () => {
    const f = checkMedications({
      patient: { medications: ["insulin glargine 20 units"] },
      proposed: [start("propranolol", "40 mg")],
    });
    expect(f.find((x) => x.code === "interaction-masked-hypoglycemia")?.message).toMatch(/non-selective/);
    const g = checkMedications({
      patient: { medications: ["insulin glargine 20 units"] },
      proposed: [start("bisoprolol", "5 mg")],
    });
    expect(g.find((x) => x.code === "interaction-masked-hypoglycemia")?.message).not.toMatch(/non-selective/);
  });

  it("the message names both drugs and the effect, and carries the source", () => {
    const [f] = checkMedications({
      patient: { medications: ["glipizide 5 mg bid"] },
      proposed: [start("Cipro", "500 mg", "bid")],
    });
    expect(f?.message).toMatch(/glipizide/);
    expect(f?.message).toMatch(/ciprofloxacin/);
    expect(f?.message).toMatch(/hypoglyc/);
    expect(f?.source).toMatch(/Beers Criteria 2023/);
    expect(f?.item).toBe("Cipro");
  });
});

describe("interactions: aspirin dose threshold (high-dose salicylates ≥ 2 g/day)", () => {
  it.each([
    ["81 mg", "daily", false],
    ["325 mg", "daily", false],
    ["650 mg", "tid", false],
    ["1000 mg", "bid", true],
    ["975 mg", "tid", true],
    ["650 mg", "q4h", true],
  ])("aspirin %s %s with glipizide → flagged %s", (dose, frequency, flagged) =>
    expect(codes({ medications: ["glipizide 5 mg"] }, [start("aspirin", dose, frequency)]).length > 0).toBe(flagged),
  );
});

describe("interactions: metformin, SGLT2 inhibitors, glucose-raising drugs", () => {
  it.each([
    [["metformin 1000 mg bid"], start("dofetilide", "500 mcg", "bid"), "interaction-oct2/warn"],
    [["metformin 1000 mg bid"], start("西咪替丁", "0.2g", "tid"), "interaction-oct2/warn"],
    [["metformin 1000 mg bid"], start("topiramate", "25 mg", "bid"), "interaction-acidosis/warn"],
    [["metformin 1000 mg bid"], { name: "iohexol", action: "start" }, "interaction-contrast/warn"],
    [["dapagliflozin 10 mg"], start("furosemide", "40 mg"), "interaction-volume-depletion/warn"],
    [["sitagliptin 100 mg"], start("prednisone", "40 mg"), "interaction-hyperglycemia/warn"],
    [["metformin 500 mg bid"], start("hydrochlorothiazide", "25 mg"), "interaction-hyperglycemia/warn"],
    [["metformin 500 mg bid"], start("olanzapine", "10 mg"), "interaction-hyperglycemia/warn"],
    [["dofetilide 500 mcg bid"], start("hydrochlorothiazide", "12.5 mg"), "interaction-dofetilide/block"],
    [["finerenone 10 mg"], start("clarithromycin", "500 mg", "bid"), "interaction-cyp3a4/block"],
  ])("%j + %j → %s", (medications, p, code) => expect(codes({ medications }, [p])).toEqual([code]));

  it("a contrast study named in the conditions counts", () =>
    expect(
      codes({ conditions: ["CT with IV contrast tomorrow"], medications: ["metformin 500 mg bid"] }, [
        { name: "metformin", action: "continue" },
      ]),
    ).toEqual(["interaction-contrast/warn"]));
});

describe("interactions: directions and stopped drugs", () => {
  it("proposed × proposed", () =>
    expect(codes({ age: 50 }, [start("glimepiride", "1 mg"), start("levofloxacin", "500 mg")])).toEqual([
      "interaction-hypoglycemia/warn",
    ]));
  it("a continued drug counts with a current partner", () =>
    expect(
      codes({ medications: ["glipizide 5 mg", "clarithromycin 500 mg bid"] }, [
        { name: "glipizide", dose: "5 mg", action: "continue" },
      ]),
    ).toEqual(["interaction-hypoglycemia/warn"]));
  it("a drug being stopped interacts with nothing", () => {
    expect(
      codes({ medications: ["glipizide 5 mg"] }, [{ name: "glipizide", action: "stop" }, start("fluconazole", "150 mg")]),
    ).toEqual([]);
    expect(codes({}, [{ name: "repaglinide", action: "stop" }, start("gemfibrozil", "600 mg", "bid")])).toEqual([]);
  });
  it("current × current is not re-reported on an unrelated plan", () =>
    expect(codes({ medications: ["glipizide 5 mg", "ciprofloxacin 500 mg bid"] }, [start("atorvastatin", "20 mg")])).toEqual([]));
  it("one finding per pair even when both sides are proposed", () =>
    expect(codes({}, [start("repaglinide", "1 mg", "tid"), start("gemfibrozil", "600 mg", "bid")])).toEqual([
      "interaction-cyp2c8/block",
    ]));
});

describe("interactions: safe combinations and local routes", () => {
  it.each([
    [["metformin 1000 mg bid"], start("atorvastatin", "20 mg")],
    [["sitagliptin 100 mg"], start("lisinopril", "10 mg")],
    [["glipizide 5 mg"], start("azithromycin", "500 mg")],
    [["glipizide 5 mg"], start("aspirin", "81 mg")],
    [["metformin 500 mg bid"], start("amlodipine", "5 mg")],
    [["metformin 500 mg bid"], start("metoprolol", "50 mg")],
    [["empagliflozin 10 mg"], start("spironolactone", "25 mg")],
    [["metformin 1000 mg bid"], start("levothyroxine", "50 mcg")],
    [["glipizide 5 mg"], start("miconazole 2% cream", "1 application", "bid")],
    [["metformin 1000 mg bid"], start("budesonide inhaler", "2 puffs", "bid")],
    [["insulin glargine 20 units"], start("prednisolone eye drops", "1 drop", "qid")],
    [["metformin 1000 mg bid"], start("furosemide", "40 mg")],
  ])("%j + %j → none", (medications, p) => expect(codes({ medications }, [p])).toEqual([]));
});

describe("clinic formulary", () => {
  it("has ≥ 150 drugs, each with aliases, a source and a unit", () => {
    expect(FORMULARY.length).toBeGreaterThanOrEqual(150);
    for (const d of FORMULARY) {
      expect(d.source.length).toBeGreaterThan(0);
      expect(["mg", "units"]).toContain(d.dose.unit);
      if (d.id !== "insulin-unspecified") expect(d.aliases.length).toBeGreaterThan(0);
    }
  });
  it("every glucose-lowering entry has a daily or weekly range, and no alias names two drugs", () => {
    for (const d of FORMULARY.filter((x) => isGlucoseLowering(x) && !x.components))
      expect(d.dose.daily ?? d.dose.weekly ?? d.dose.perDose).toBeDefined();
    const seen = new Map<string, string>();
    for (const d of FORMULARY)
      for (const a of d.aliases) {
        expect(seen.get(a) ?? d.id, a).toBe(d.id);
        seen.set(a, d.id);
      }
  });
  it.each([
    ["insulin human, isophane", "insulin-nph"],
    ["Insulin Human Isophane 10 units", "insulin-nph"],
    ["insulin human regular", "insulin-regular"],
    ["Humulin 70/30", "insulin-premixed"],
    ["Humulin 50/50", "insulin-human-50-50"],
    ["NovoMix 30", "insulin-aspart-mix"],
    ["Humalog Mix 75/25", "insulin-lispro-mix"],
    ["Ryzodeg 70/30", "insulin-degludec-aspart"],
    ["Xultophy", "ideglira"],
    ["Soliqua", "iglarlixi"],
    ["阿卡波糖", "acarbose"],
    ["伏格列波糖", "voglibose"],
    ["瑞格列奈", "repaglinide"],
    ["那格列奈", "nateglinide"],
    ["维格列汀", "vildagliptin"],
    ["阿格列汀", "alogliptin"],
    ["贝那鲁肽", "beinaglutide"],
    ["聚乙二醇洛塞那肽", "peg-loxenatide"],
    ["多格列艾汀", "dorzagliatin"],
    ["格列齐特", "gliclazide"],
    ["格列喹酮", "gliquidone"],
    ["furosemide", "furosemide"],
    ["simvastatin", "simvastatin"],
    ["Lasix", "furosemide"],
    ["spironolactone", "spironolactone"],
    ["Kerendia", "finerenone"],
    ["Bactrim DS", "tmp-smx"],
    ["Tikosyn", "dofetilide"],
    ["Tracleer", "bosentan"],
    ["泼尼松", "prednisone"],
    ["Synthroid", "levothyroxine"],
    ["Zyprexa", "olanzapine"],
  ])("%s → %s", (name, id) => expect(findDrug(name)?.id).toBe(id));
  it("bare 'insulin' is still not a formulary drug for a proposal", () =>
    expect(checkMedications({ patient: {}, proposed: [{ name: "insulin", dose: "10 units" }] }).map((f) => f.code)).toEqual([
      "unknown-drug",
    ]));
});

describe("fixed-dose combinations get each component's rules and interactions", () => {
  const run = (patient: MedPatient, p: ProposedMedication) =>
    checkMedications({ patient, proposed: [p] }).map((f) => `${f.code}/${f.severity}`);
  it("metformin's eGFR limits apply to Janumet", () => {
    expect(run({ egfr: 28 }, { name: "Janumet", dose: "50/1000 mg", frequency: "bid", action: "start" })).toContain(
      "metformin-egfr-contraindicated/block",
    );
    expect(run({ egfr: 60 }, { name: "Janumet", dose: "50/1000 mg", frequency: "bid", action: "start" })).toEqual([]);
  });
  it("switching from metformin to a metformin combination is not new metformin use", () =>
    expect(
      run(
        { egfr: 40, medications: ["metformin 500 mg bid"] },
        { name: "Janumet", dose: "50/500 mg", frequency: "bid", action: "start" },
      ),
    ).not.toContain("metformin-egfr-initiation/block"));
  it("the glyburide in Glucovance is avoided at 70", () =>
    expect(run({ age: 70 }, { name: "Glucovance", dose: "2.5/500 mg", frequency: "bid", action: "start" })).toContain(
      "glyburide-beers/block",
    ));
  it("Hyzaar interacts as hydrochlorothiazide; Glucovance as glyburide", () => {
    expect(run({ medications: ["metformin 500 mg bid"] }, { name: "Hyzaar", dose: "50/12.5 mg", frequency: "daily" })).toEqual([
      "interaction-hyperglycemia/warn",
    ]);
    expect(
      run({ age: 50, medications: ["bosentan 62.5 mg bid"] }, { name: "Glucovance", dose: "2.5/500 mg", frequency: "bid" }),
    ).toEqual(["glyburide-beers/warn", "interaction-bosentan/block"]);
  });
  it.each([
    ["捷诺达", "sitagliptin-metformin"],
    ["Synjardy XR", "empagliflozin-metformin"],
    ["losartan/HCTZ", "losartan-hctz"],
    ["氨氯地平阿托伐他汀", "amlodipine-atorvastatin"],
  ])("%s → %s", (name, id) => expect(findDrug(name)?.id).toBe(id));
});

describe("dose-missing", () => {
  it.each([
    [{ name: "hydrochlorothiazide", action: "start" }, true],
    [{ name: "amlodipine" }, true],
    [{ name: "氨氯地平", action: "start" }, true],
    [{ name: "atorvastatin", action: "increase" }, true],
    [{ name: "amlodipine", dose: "5 mg", action: "start" }, false],
    [{ name: "budesonide inhaler", dose: "2 puffs", frequency: "bid", action: "start" }, false],
    [{ name: "iohexol", action: "start" }, false],
  ] as Array<[ProposedMedication, boolean]>)("%j → %s", (p, missing) =>
    expect(checkMedications({ patient: {}, proposed: [p] }).some((f) => f.code === "dose-missing" && f.severity === "warn")).toBe(
      missing,
    ),
  );
  it("continuing without restating the dose, or a patient-facing reply, is not a finding", () => {
    expect(
      checkMedications({ patient: { medications: ["amlodipine 5 mg"] }, proposed: [{ name: "amlodipine", action: "continue" }] }),
    ).toEqual([]);
    expect(
      checkMedications({ patient: {}, proposed: [{ name: "amlodipine", action: "start" }], audience: "patient" }).map(
        (f) => f.code,
      ),
    ).not.toContain("dose-missing");
  });
});

describe("glyburide (Beers 2023: avoid at ≥ 65)", () => {
  it.each([
    [64, "start", "warn"],
    [65, "start", "block"],
    [78, "continue", "block"],
    [80, "increase", "block"],
  ])("age %i, %s → %s", (age, action, severity) =>
    expect(
      checkMedications({
        patient: { age, medications: action === "start" ? [] : ["glyburide 2.5 mg"] },
        proposed: [{ name: "glyburide", dose: "5 mg", frequency: "daily", action }],
      }).find((f) => f.code === "glyburide-beers")?.severity,
    ).toBe(severity),
  );
  it("stopping glyburide at 80 is not a finding", () =>
    expect(
      checkMedications({
        patient: { age: 80, medications: ["glyburide 5 mg"] },
        proposed: [{ name: "glyburide", action: "stop" }],
      }),
    ).toEqual([]));
});

describe("label renal thresholds from the formulary", () => {
  const at = (egfr: number, p: ProposedMedication) =>
    checkMedications({ patient: { egfr }, proposed: [p] })
      .filter((f) => f.code.startsWith("renal"))
      .map((f) => `${f.code}/${f.severity}`);
  it.each([
    [45, "100 mg", []],
    [44, "100 mg", ["renal-dose-cap/warn"]],
    [44, "50 mg", []],
    [29, "50 mg", ["renal-dose-cap/warn"]],
    [29, "25 mg", []],
  ])("sitagliptin at eGFR %i, %s → %j", (egfr, dose, out) =>
    expect(at(egfr, { name: "sitagliptin", dose, frequency: "daily", action: "start" })).toEqual(out),
  );
  it.each([
    [30, []],
    [29, ["renal-contraindicated/block"]],
  ])("eplerenone at eGFR %i → %j", (egfr, out) => expect(at(egfr, start("eplerenone", "25 mg"))).toEqual(out));
  it.each([
    [25, []],
    [24, ["renal-no-initiation/block"]],
  ])("finerenone started at eGFR %i → %j", (egfr, out) => expect(at(egfr, start("finerenone", "10 mg"))).toEqual(out));
  it.each([
    [30, []],
    [29, ["renal-avoid/warn"]],
  ])("nitrofurantoin at eGFR %i → %j (Beers 2023)", (egfr, out) =>
    expect(at(egfr, start("nitrofurantoin", "100 mg", "bid"))).toEqual(out),
  );
});

describe("issue 13 part 1 (meds-ext4-tune): cardiovascular and statin interactions", () => {
  it.each([
    ["clopidogrel 75 mg daily", start("omeprazole", "20 mg"), ["interaction-cyp2c19/warn"]],
    ["波立维 75mg qd", start("耐信", "20mg", "qd"), ["interaction-cyp2c19/warn"]],
    ["clopidogrel 75 mg daily", start("pantoprazole", "40 mg"), []],
    ["lisinopril 20 mg daily", start("spironolactone", "25 mg"), ["interaction-hyperkalemia/warn"]],
    ["losartan 50 mg daily", start("amiloride", "5 mg"), ["interaction-hyperkalemia/warn"]],
    ["lisinopril 10 mg daily", start("KCl", "20 mEq"), ["interaction-hyperkalemia/warn"]],
    // KDIGO 2022 pairs finerenone with an ACEi/ARB: not an interaction finding.
    ["losartan 100 mg daily", start("finerenone", "10 mg"), []],
    ["losartan 100 mg daily", start("lisinopril", "10 mg"), ["interaction-dual-ras/warn"]],
    ["enalapril 10 mg bid", start("Entresto", "49/51 mg", "bid"), ["interaction-dual-ras/block"]],
    ["valsartan 160 mg daily", start("aliskiren", "150 mg"), ["interaction-dual-ras/block"]],
    ["simvastatin 40 mg daily", start("clarithromycin", "500 mg", "bid"), ["interaction-myopathy/block"]],
    ["Zocor 20 mg daily", start("gemfibrozil", "600 mg", "bid"), ["interaction-myopathy/block"]],
    ["atorvastatin 40 mg daily", start("gemfibrozil", "600 mg", "bid"), ["interaction-myopathy/warn"]],
    ["atorvastatin 40 mg daily", start("clarithromycin", "500 mg", "bid"), ["interaction-myopathy/warn"]],
    ["atorvastatin 20 mg daily", start("clarithromycin", "500 mg", "bid"), []],
    ["cyclosporine 100 mg bid", start("repaglinide", "0.5 mg", "tid"), ["interaction-cyp3a4/warn"]],
    ["insulin glargine 20 units", start("Bactrim DS", "1 tablet", "bid"), ["interaction-hypoglycemia/warn"]],
  ])("%s + %j → %j", (cur, p, out) => expect(codes({ age: 55, medications: [cur] }, [p])).toEqual(out));

  // Zocor label: at most 20 mg with amlodipine, 10 mg with verapamil/diltiazem.
  it.each([
    ["amlodipine 10 mg daily", "20 mg", []],
    ["amlodipine 10 mg daily", "40 mg", ["interaction-myopathy/warn"]],
    ["verapamil 80 mg tid", "10 mg", []],
    ["verapamil 80 mg tid", "20 mg", ["interaction-myopathy/warn"]],
  ])("%s + simvastatin %s → %j", (cur, dose, out) =>
    expect(codes({ medications: [cur] }, [start("simvastatin", dose)])).toEqual(out),
  );

  it("both directions and proposed × proposed", () => {
    expect(codes({}, [start("spironolactone", "25 mg"), start("lisinopril", "10 mg")])).toEqual([
      "interaction-hyperkalemia/warn",
    ]);
    expect(codes({ medications: ["omeprazole 20 mg daily"] }, [start("clopidogrel", "75 mg")])).toEqual([
      "interaction-cyp2c19/warn",
    ]);
    expect(
      codes({ medications: ["lisinopril 20 mg daily"] }, [{ name: "lisinopril", action: "stop" }, start("losartan", "50 mg")]),
    ).toEqual([]);
  });
});

describe("Beers 2023: sliding-scale insulin and renal avoid at ≥ 65", () => {
  const sliding = (age: number, medications: string[], p: ProposedMedication[]) =>
    checkMedications({ patient: { age, medications }, proposed: p })
      .filter((f) => f.code === "insulin-sliding-scale-beers")
      .map((f) => f.severity);
  it.each([
    [65, [], [start("insulin lispro", "2-10 units", "sliding scale before meals")], ["warn"]],
    [64, [], [start("insulin lispro", "2-10 units", "sliding scale before meals")], []],
    [80, [], [start("诺和锐", "2-8u", "按血糖调整 三餐前")], ["warn"]],
    [76, ["insulin glargine 12 units nightly"], [start("insulin lispro", "2-6 units", "correction scale")], []],
    [76, [], [start("insulin glargine", "10 units", "nightly"), start("insulin lispro", "2-6 units", "correction")], []],
    [76, [], [start("insulin lispro", "4 units", "tid with meals")], []],
  ])("age %i on %j, %j → %j", (age, meds, p, out) => expect(sliding(age, meds, p)).toEqual(out));

  const renal = (age: number, egfr: number, p: ProposedMedication) =>
    checkMedications({ patient: { age, egfr }, proposed: [p] })
      .filter((f) => f.code.startsWith("renal"))
      .map((f) => `${f.code}/${f.severity}`);
  it.each([
    [74, 29, "75 mg", ["renal-avoid/warn"]],
    [74, 30, "75 mg", []],
    [60, 29, "75 mg", []],
    [60, 29, "150 mg", ["renal-dose-cap/warn"]],
  ])("dabigatran at age %i, eGFR %i, %s bid → %j", (age, egfr, dose, out) =>
    expect(renal(age, egfr, start("dabigatran", dose, "bid"))).toEqual(out),
  );
  it.each([
    [51, "20 mg", []],
    [50, "20 mg", ["renal-dose-cap/warn"]],
    [50, "15 mg", []],
  ])("rivaroxaban at eGFR %i, %s → %j (AF dose)", (egfr, dose, out) =>
    expect(renal(58, egfr, start("rivaroxaban", dose))).toEqual(out),
  );
  it.each([
    [25, []],
    [24, ["renal-contraindicated/block"]],
  ])("acarbose (拜糖平) at eGFR %i → %j (China label)", (egfr, out) =>
    expect(renal(58, egfr, start("拜糖平", "50mg", "tid"))).toEqual(out),
  );
});

describe("label §7 interactions of the glucose-lowering agents (round 5)", () => {
  it.each([
    ["saxagliptin 5 mg daily", start("itraconazole", "200 mg"), ["interaction-cyp3a4/warn"]],
    ["saxagliptin 2.5 mg daily", start("itraconazole", "200 mg"), []],
    ["canagliflozin 300 mg", start("Dilantin", "100 mg", "tid"), ["interaction-induction/warn"]],
    ["碳酸锂 0.25g tid", start("恩格列净", "10mg", "qd"), ["interaction-lithium/warn"]],
    ["lithium carbonate 300 mg bid", start("lisinopril", "10 mg"), ["interaction-lithium/warn"]],
    ["Synthroid 75 mcg", start("oral semaglutide", "7 mg"), ["interaction-levothyroxine/warn"]],
    ["Coumadin 3 mg", start("Bydureon BCise", "2 mg", "weekly"), ["interaction-warfarin/warn"]],
    ["insulin degludec 18 units", start("Plaquenil", "200 mg", "bid"), ["interaction-hypoglycemia/warn"]],
    ["glipizide 10 mg", start("Welchol", "1875 mg", "bid"), ["interaction-absorption/warn"]],
    ["sitagliptin 100 mg", start("Welchol", "1875 mg", "bid"), []],
  ])("%s + %j → %j", (cur, p, out) => expect(codes({ age: 57, medications: [cur] }, [p])).toEqual(out));

  it("colesevelam and bromocriptine (Cycloset) count as glucose-lowering: prednisone raises glucose against them", () => {
    expect(codes({ medications: ["Welchol 3750 mg daily"] }, [start("prednisone", "20 mg")])).toEqual([
      "interaction-hyperglycemia/warn",
    ]);
    expect(isGlucoseLowering(findDrug("colesevelam") as NonNullable<ReturnType<typeof findDrug>>)).toBe(true);
  });
});

describe("safe plans that must stay unflagged (round 5)", () => {
  const flags = (meds: string[], p: ProposedMedication[]) =>
    checkMedications({ patient: { age: 62, egfr: 75, medications: meds }, proposed: p })
      .filter((f) => f.severity !== "info")
      .map((f) => f.code);
  it.each([
    [["glimepiride 4 mg daily"], [start("ciprofloxacin 0.3% eye drops", "1 drop", "qid")]],
    [["gliclazide MR 60 mg"], [start("ofloxacin otic", "10 drops")]],
    [["insulin glargine 24 units"], [start("Nasonex", "2 sprays each nostril")]],
    [["metformin 1 g bid"], [start("QVAR 80 mcg", "2 puffs", "bid")]],
    [["metformin 1 g bid"], [start("Pred Forte", "1 drop", "qid")]],
    [["glipizide 5 mg"], [start("clobetasol 0.05% ointment", "apply a thin layer", "bid")]],
    [["二甲双胍 0.5g tid"], [start("糠酸莫米松乳膏", "薄涂患处", "每日一次")]],
    [["glipizide 5 mg"], [start("Monistat 7 vaginal cream", "1 applicator", "nightly")]],
    [["metformin 500 mg bid", "prednisone 10 mg (stopped 3 weeks ago)"], [start("sitagliptin", "100 mg")]],
    [["glipizide 5 mg", "fluconazole 150 mg – course completed"], [start("linagliptin", "5 mg")]],
    [["格列美脲 2mg qd", "左氧氟沙星 已停用"], [start("阿卡波糖", "50mg", "tid")]],
  ])("%j + %j", (meds, p) => expect(flags(meds, p)).toEqual([]));

  it("a dose exactly at the label maximum is in range despite floating point (0.2 mg × 3 = 0.6 mg)", () => {
    expect(flags([], [start("贝那鲁肽", "0.2mg", "tid")])).toEqual([]);
    expect(flags([], [start("贝那鲁肽", "0.3mg", "tid")])).toEqual(["dose-out-of-range"]);
  });
  it("a cream with no dose at all is still dose-missing", () =>
    expect(flags([], [{ name: "clobetasol cream", action: "start" }])).toEqual(["dose-missing"]));
});

describe("KDIGO 2022 metformin dose and Beers 2023 heart failure (round 5)", () => {
  const codesAll = (patient: MedPatient, p: ProposedMedication[]) =>
    checkMedications({ patient, proposed: p })
      .filter((f) => f.severity !== "info")
      .map((f) => `${f.code}/${f.severity}`);
  it.each([
    [38, "1000 mg", "bid", ["metformin-egfr-dose/warn"]],
    [38, "500 mg", "bid", []],
    [50, "1000 mg", "bid", []],
  ])("continuing metformin at eGFR %i, %s %s → %j", (egfr, dose, frequency, out) =>
    expect(
      codesAll({ age: 66, egfr, medications: [`metformin ${dose} ${frequency}`] }, [
        { name: "metformin", dose, frequency, action: "continue" },
      ]),
    ).toEqual(out),
  );
  it.each([
    [["HFrEF, EF 30%"], start("verapamil", "120 mg"), ["beers-heart-failure/warn"]],
    [["heart failure with preserved ejection fraction"], start("diltiazem", "180 mg"), []],
    [["心力衰竭"], start("布洛芬", "400mg", "tid"), ["beers-heart-failure/warn"]],
    [["hypertension"], start("naproxen", "500 mg", "bid"), []],
  ])("%j + %j → %j", (conditions, p, out) => expect(codesAll({ age: 70, egfr: 70, conditions }, [p])).toEqual(out));
});

describe("AGS Beers 2023 Table 5 and Table 6 for drugs in the formulary (round 5)", () => {
  it.each([
    [72, "warfarin 5 mg daily", start("amiodarone", "200 mg"), ["interaction-bleeding/warn"]],
    [50, "华法林 3mg qd", start("复方新诺明", "1片", "bid"), ["interaction-bleeding/warn"]],
    [50, "warfarin 5 mg daily", start("miconazole 2% cream", "apply", "bid"), []],
    [70, "tramadol 50 mg bid", start("gabapentin", "300 mg", "tid"), ["interaction-cns-depression/warn"]],
    [50, "tramadol 50 mg bid", start("gabapentin", "300 mg", "tid"), []],
    [80, "prednisone 10 mg daily", start("naproxen", "250 mg", "bid"), ["interaction-gi-bleeding/warn"]],
    [80, "fluticasone inhaler 2 puffs bid", start("naproxen", "250 mg", "bid"), []],
    [75, "lisinopril 10 mg", start("Bactrim DS", "1 tablet", "bid"), ["interaction-hyperkalemia/warn"]],
    [40, "phenytoin 100 mg tid", start("Bactrim DS", "1 tablet", "bid"), ["interaction-toxicity/warn"]],
  ])("age %i on %s + %j → %j", (age, cur, p, out) => expect(codes({ age, medications: [cur] }, [p])).toEqual(out));
  it("a Beers-only row is not applied when the age is unknown", () =>
    expect(codes({ medications: ["tramadol 50 mg bid"] }, [start("pregabalin", "75 mg", "bid")])).toEqual([]));

  const renal = (age: number, egfr: number, p: ProposedMedication) =>
    checkMedications({ patient: { age, egfr }, proposed: [p] })
      .filter((f) => f.code.startsWith("renal"))
      .map((f) => `${f.code}/${f.severity}`);
  it.each([
    [70, 25, start("amiloride", "5 mg"), ["renal-avoid/warn"]],
    [50, 25, start("amiloride", "5 mg"), []],
    [60, 40, start("edoxaban", "60 mg"), ["renal-dose-cap/warn"]],
    [60, 40, start("edoxaban", "30 mg"), []],
    [60, 45, start("famotidine", "20 mg", "bid"), ["renal-dose-cap/warn"]],
    [60, 25, start("ciprofloxacin", "500 mg", "bid"), ["renal-dose-cap/warn"]],
    [60, 70, start("ciprofloxacin", "500 mg", "bid"), []],
    [55, 50, start("glyburide", "2.5 mg"), ["renal-avoid/warn"]],
  ])("age %i, eGFR %i, %j → %j", (age, egfr, p, out) => expect(renal(age, egfr, p)).toEqual(out));
});

describe("round 5 (set-5 tuning half): binders, ophthalmics, local forms and paired strengths", () => {
  it.each([
    ["Synthroid 88 mcg daily", start("Caltrate", "600 mg", "bid"), ["interaction-absorption/warn"]],
    ["左甲状腺素钠 50ug qd", start("琥珀酸亚铁", "100mg", "tid"), ["interaction-absorption/warn"]],
    ["losartan 50 mg daily", start("co-trimoxazole", "960 mg", "bid"), ["interaction-hyperkalemia/warn"]],
    ["metformin 1 g bid", start("Trusopt 2% eye drops", "1 drop", "tid"), []],
    ["metformin 1 g bid", start("acetazolamide", "250 mg", "bid"), ["interaction-acidosis/warn"]],
  ])("%s + %j → %j", (cur, p, out) => expect(codes({ age: 52, medications: [cur] }, [p])).toEqual(out));
  const all = (meds: string[], p: ProposedMedication, conditions: string[] = []) =>
    checkMedications({ patient: { age: 61, egfr: 80, conditions, medications: meds }, proposed: [p] })
      .filter((f) => f.severity !== "info")
      .map((f) => f.code);
  it.each([
    [["insulin degludec 30 units"], start("Lumigan 0.01% eye drops", "1 drop", "nightly"), []],
    [["glimepiride 2 mg"], start("diclofenac 1% gel", "4 g", "qid"), []],
    [["gliclazide 80 mg"], start("Bactrim", "800/160 mg", "bid"), ["interaction-hypoglycemia"]],
  ])("%j + %j → %j", (meds, p, out) => expect(all(meds, p)).toEqual(out));
  it("a topical NSAID in heart failure is not the Beers systemic NSAID entry", () =>
    expect(all([], start("Voltaren gel", "2 g", "qid"), ["heart failure"])).toEqual([]));
  it("Chinese brands of gemfibrozil and finerenone resolve (诺衡, 可申达)", () => {
    expect(findDrug("诺衡")?.id).toBe("gemfibrozil");
    expect(findDrug("可申达 10mg qd")?.id).toBe("finerenone");
  });
});
