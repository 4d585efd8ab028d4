/**
 * The guideline engine: from a PatientContext, what the current guidelines expect — glycaemic
 * goal, medication changes with dose and frequency, monitoring labs and examinations, actionable
 * recommendations — each with the guideline section and the knowledge-store passage it comes
 * from, in English or Chinese; plus the expectations (omission checks) and avoidances
 * (contradiction checks) that check.ts applies to any draft. Pure: no I/O; `now` is an argument.
 */
import type { PatientContext } from "../../core/domain.js";
import { deriveFacts, type Facts, highCvRisk } from "./facts.js";
import { FINERENONE_MIN_EGFR, METFORMIN_START_EGFR, planMedications, RENAL_LIMITS, SGLT2_MIN_EGFR } from "./meds.js";
import { G } from "./sources.js";
import { type GlycaemicStatus, glycaemicStatus, glycaemicTarget } from "./targets.js";
import { examName, labName, type OutLang } from "./terms.js";
import { ADDS, type Avoidance, type Expectation, type GuidelinePlan, KEEPS, type PlanItem } from "./types.js";

export interface EngineInput {
  patient: PatientContext;
  /** The consultation's language: Chinese ("zh", or "mixed") answers in Chinese. */
  lang: "en" | "zh" | "mixed";
  now: Date;
}

const DAY = 86_400_000;

function monitoring(f: Facts, lang: OutLang, g: GlycaemicStatus, changed: boolean, now: Date): PlanItem[] {
  const zh = lang === "zh";
  const out: PlanItem[] = [];
  const lab = (code: Parameters<typeof labName>[0], reason: string, source: PlanItem["source"]) =>
    out.push({ code: `lab:${code}`, kind: "lab", text: labName(code, lang), reason, source });
  const exam = (code: Parameters<typeof examName>[0], reason: string, source: PlanItem["source"]) =>
    out.push({ code: `exam:${code}`, kind: "exam", text: examName(code, lang), reason, source });

  const a1cAge = f.a1c?.at ? (now.getTime() - Date.parse(f.a1c.at)) / DAY : undefined;
  const every3 = g.above || changed;
  const due =
    f.a1c === undefined
      ? zh
        ? "记录中无近期结果，现在检测；"
        : "no recent value: measure now; "
      : a1cAge !== undefined && a1cAge > 90
        ? zh
          ? "上次结果已超过3个月，现在复查；"
          : "last result over 3 months old: repeat now; "
        : "";
  lab(
    "a1c",
    due +
      (every3
        ? zh
          ? "未达标或调整治疗时每3个月一次。"
          : "every 3 months while above goal or after a change."
        : zh
          ? "稳定达标时每6个月一次。"
          : "every 6 months while stable at goal."),
    G.a1cMonitoring,
  );
  const stage =
    f.egfr === undefined
      ? ""
      : f.egfr < 30
        ? zh
          ? "（G4–G5期：每3个月）"
          : " (G4–G5: every 3 months)"
        : f.egfr < 45
          ? zh
            ? "（G3b期：每3–4个月）"
            : " (G3b: every 3–4 months)"
          : f.egfr < 60
            ? zh
              ? "（G3a期：每6个月）"
              : " (G3a: every 6 months)"
            : "";
  const kidney = f.ckd
    ? zh
      ? `已有慢性肾脏病，每年1–4次${stage}。`
      : `CKD present: 1–4 times a year${stage}.`
    : zh
      ? "至少每年一次。"
      : "at least once a year.";
  lab("uacr", kidney, f.ckd ? G.ckdScreening : G.ckdScreening);
  lab(
    "egfr",
    kidney +
      (f.meds.some((m) => m.kind?.id === "metformin") ? (zh ? "二甲双胍剂量依据eGFR。" : " Metformin dose depends on it.") : ""),
    f.ckd ? G.metforminRenal : G.ckdScreening,
  );
  lab(
    "lipids",
    zh ? "诊断时、开始调脂治疗时及之后每年一次。" : "at diagnosis, at the start of lipid therapy and yearly.",
    G.lipids,
  );
  if (f.meds.some((m) => m.kind?.id === "metformin") && !(f.egfr !== undefined && f.egfr < 30))
    lab(
      "b12",
      zh
        ? "长期使用二甲双胍可致维生素B12缺乏，定期检测（尤其有贫血或神经病变时）。"
        : "long-term metformin can lower B12: check periodically, especially with anaemia or neuropathy.",
      G.b12,
    );
  const ras = f.meds.some((m) => m.kind && (m.kind.class === "ace-inhibitor" || m.kind.class === "arb")) || f.albuminuria;
  const fin = f.meds.some((m) => m.finerenone) || (f.albuminuria && f.type === "type2");
  if ((ras || fin || (f.egfr !== undefined && f.egfr < 45)) && !f.pregnant)
    lab(
      "potassium",
      zh
        ? "使用或起始ACEI/ARB、非奈利酮时：起始或加量后2–4周复查，之后随eGFR监测。"
        : "on or starting an ACE inhibitor/ARB or finerenone: 2–4 weeks after a start or dose change, then with each eGFR.",
      fin && !ras ? G.finerenone : G.ras,
    );
  exam(
    "retina",
    f.pregnant
      ? zh
        ? "妊娠前或孕早期检查，之后每孕期复查。"
        : "before conception or in the first trimester, then every trimester."
      : zh
        ? "无视网膜病变时每1–2年一次，有病变时更频繁。"
        : "every 1–2 years without retinopathy, more often with it.",
    G.retina,
  );
  exam(
    "foot",
    f.neuropathy
      ? zh
        ? "有神经病变：每次就诊检查双足，并每年综合检查。"
        : "neuropathy: inspect the feet at every visit and examine fully every year."
      : zh
        ? "每年至少一次（视诊、足背动脉、10克尼龙丝）。"
        : "at least yearly (inspection, pulses, 10-g monofilament).",
    G.foot,
  );
  exam(
    "bp",
    f.pregnant
      ? zh
        ? "每次就诊；妊娠期目标 110–135/85 mmHg。"
        : "every visit; goal 110–135/85 mmHg in pregnancy."
      : zh
        ? "每次就诊；目标 < 130/80 mmHg。"
        : "every visit; goal < 130/80 mmHg.",
    f.pregnant ? G.pregnancy : G.bp,
  );
  return out;
}

function recommendations(f: Facts, lang: OutLang, g: GlycaemicStatus, plan: PlanItem[]): PlanItem[] {
  const zh = lang === "zh";
  const out: PlanItem[] = [];
  const rec = (code: string, en: string, zhText: string, source: PlanItem["source"]) =>
    out.push({ code, kind: "rec", text: zh ? zhText : en, source });
  const started = (id: string) =>
    plan.some((i) => i.med?.drugId === id && (i.med.action === "start" || i.med.action === "continue"));
  if (f.pregnant)
    rec(
      "pregnancy-refer",
      "Refer now to specialist prenatal diabetes care; review every medication for pregnancy safety and check HbA1c monthly.",
      "立即转诊至产科糖尿病专科；逐一复核妊娠期用药安全，每月检测HbA1c。",
      G.pregnancy,
    );
  if (f.hypo)
    rec(
      "hypo-review",
      "Ask about each low, teach the 15-g rule, and re-check glucose logs or CGM within 1–2 weeks after the dose changes.",
      "逐次询问低血糖情况，教会“15克法则”，调整剂量后1–2周复查血糖记录或CGM。",
      f.age >= 65 ? G.olderDeintensify : G.hypoglycaemia,
    );
  if (f.type === "type1")
    rec(
      "t1-cgm",
      "Offer continuous glucose monitoring; adjust basal insulin to fasting glucose and prandial doses to the carbohydrate ratio.",
      "建议持续葡萄糖监测（CGM）；按空腹血糖调整基础胰岛素，按碳水系数调整餐时胰岛素。",
      G.type1,
    );
  if (plan.some((i) => i.med && /gliflozin/.test(i.med.drugId) && i.med.action !== "stop"))
    rec(
      "sglt2-sick-day",
      "Hold the SGLT2 inhibitor during acute illness or fasting and 3 days before surgery (ketoacidosis risk).",
      "急性疾病、禁食期间及术前3天暂停SGLT2抑制剂（酮症酸中毒风险）。",
      G.sglt2Ckd,
    );
  if (g.above && f.a1c && !f.pregnant)
    rec(
      "reassess",
      `HbA1c ${f.a1c.value}% is above goal: review adherence and reassess in 3 months; intensify again if still above goal.`,
      `HbA1c ${f.a1c.value}%未达标：核查依从性，3个月后复评，仍未达标则继续强化。`,
      G.intensify,
    );
  if ((f.hypertension || f.ckd) && !f.pregnant)
    rec("bp-goal", "Treat blood pressure to < 130/80 mmHg.", "血压控制目标 < 130/80 mmHg。", G.bp);
  if (started("metformin") && f.egfr !== undefined && f.egfr < 60 && f.egfr >= 30)
    rec(
      "metformin-egfr",
      `Check eGFR every 3–6 months on metformin at eGFR ${f.egfr}; at eGFR 30–44 keep it ≤ 1,000 mg a day, stop below 30.`,
      `eGFR ${f.egfr}时使用二甲双胍需每3–6个月复查eGFR；eGFR 30–44时每日 ≤ 1000 mg，< 30停用。`,
      G.metforminRenal,
    );
  return out;
}

const A1C = /a1c|糖化血红蛋白/i;
const UACR = /uacr|albumin|白蛋白/i;
const EGFR = /egfr|creatinine|肌酐|滤过率/i;
const POTASSIUM = /potassium|\bk\+?\b|血钾|钾/i;

function expectations(f: Facts, lang: OutLang, g: GlycaemicStatus, items: PlanItem[]): Expectation[] {
  const zh = lang === "zh";
  const out: Expectation[] = [];
  const has = (code: string) => items.some((i) => i.code === code || i.code.startsWith(`${code}:`));
  const e = (x: Omit<Expectation, "message"> & { en: string; zh: string }) => {
    const { en, zh: z, ...rest } = x;
    out.push({ ...rest, message: zh ? z : en });
  };
  if (f.type === "type1") {
    e({
      code: "omission-t1-basal",
      severity: "block",
      kind: "med",
      drug: { classes: ["insulin-basal", "insulin-premixed"], actions: KEEPS },
      item: "basal insulin",
      en: "type 1 diabetes: the draft has no basal insulin (stopping it risks ketoacidosis)",
      zh: "1型糖尿病：草案缺少基础胰岛素（停用有酮症酸中毒风险）",
      source: G.type1,
    });
    e({
      code: "omission-t1-bolus",
      severity: "warn",
      kind: "med",
      drug: { classes: ["insulin-prandial", "insulin-premixed"], actions: KEEPS },
      item: "prandial insulin",
      en: "type 1 diabetes: the draft has no prandial insulin",
      zh: "1型糖尿病：草案缺少餐时胰岛素",
      source: G.type1,
    });
  }
  if (g.far && f.type === "type2" && !f.veryComplex)
    e({
      code: "omission-no-intensification",
      severity: "warn",
      kind: "med",
      drug: { glucoseLowering: true, actions: ["start", "increase", "change"] },
      item: "treatment change",
      en: `HbA1c ${f.a1c?.value}% is far above goal but the draft starts or raises no glucose-lowering drug`,
      zh: `HbA1c ${f.a1c?.value}%远高于目标，但草案未起始或加量任何降糖药`,
      source: G.intensify,
    });
  if (has("insulin-start") || has("pregnancy-insulin"))
    e({
      code: "omission-insulin",
      severity: "warn",
      kind: "med",
      drug: { classes: ["insulin-basal", "insulin-prandial", "insulin-premixed"], actions: ADDS },
      item: "insulin",
      en: f.pregnant
        ? "pregnancy: insulin is the preferred agent but the draft has none"
        : "HbA1c > 10%, glucose ≥ 300 mg/dL or catabolic symptoms: the draft starts no insulin",
      zh: f.pregnant ? "妊娠：首选胰岛素，但草案未使用" : "HbA1c > 10%、血糖 ≥ 300 mg/dL或分解代谢症状：草案未起始胰岛素",
      source: f.pregnant ? G.pregnancy : G.insulin,
    });
  if (has("sglt2-organ"))
    e({
      code: "omission-sglt2",
      severity: "warn",
      kind: "med",
      drug: { classes: ["sglt2"], actions: ADDS },
      item: "SGLT2 inhibitor",
      en: f.hf
        ? "heart failure: no SGLT2 inhibitor in the draft"
        : `CKD with eGFR ≥ ${SGLT2_MIN_EGFR}: no SGLT2 inhibitor in the draft`,
      zh: f.hf ? "心力衰竭：草案中没有SGLT2抑制剂" : `慢性肾脏病且eGFR ≥ ${SGLT2_MIN_EGFR}：草案中没有SGLT2抑制剂`,
      source: f.hf ? G.cardiorenal : G.sglt2Ckd,
    });
  if (f.type === "type2" && !f.pregnant && (f.ascvd || highCvRisk(f)))
    e({
      code: "omission-cardioprotective",
      severity: "warn",
      kind: "med",
      drug: { classes: f.mtc || f.pancreatitis ? ["sglt2"] : ["glp1", "sglt2"], actions: ADDS },
      item: "GLP-1 RA or SGLT2 inhibitor",
      en: "ASCVD or high cardiovascular risk: no GLP-1 RA or SGLT2 inhibitor with proven benefit",
      zh: "ASCVD或心血管高危：草案中没有有获益证据的GLP-1受体激动剂或SGLT2抑制剂",
      source: G.cardiorenal,
    });
  if (f.albuminuria && !f.pregnant)
    e({
      code: "omission-ras",
      severity: "warn",
      kind: "med",
      drug: { classes: ["ace-inhibitor", "arb"], actions: ADDS },
      item: "ACE inhibitor/ARB",
      en: "albuminuria: no ACE inhibitor or ARB in the draft",
      zh: "白蛋白尿：草案中没有ACEI或ARB",
      source: G.ras,
    });
  if (f.ckd)
    e({
      code: "omission-uacr",
      severity: "warn",
      kind: "lab",
      terms: UACR,
      item: "UACR",
      en: "CKD: the draft does not order UACR",
      zh: "慢性肾脏病：草案未安排UACR检测",
      source: G.ckdScreening,
    });
  if (f.ckd || f.meds.some((m) => m.kind?.id === "metformin"))
    e({
      code: "omission-egfr",
      severity: "warn",
      kind: "lab",
      terms: EGFR,
      item: "eGFR",
      en: "the draft does not order eGFR/creatinine although CKD or metformin dosing depends on it",
      zh: "草案未安排eGFR/肌酐检测，而肾病或二甲双胍剂量依赖该指标",
      source: G.metforminRenal,
    });
  if (has("lab:potassium"))
    e({
      code: "omission-potassium",
      severity: "warn",
      kind: "lab",
      terms: POTASSIUM,
      item: "potassium",
      en: "ACE inhibitor/ARB or finerenone without a potassium check",
      zh: "使用ACEI/ARB或非奈利酮但未安排血钾检测",
      source: G.ras,
    });
  e({
    code: "omission-a1c",
    severity: "info",
    kind: "lab",
    terms: A1C,
    item: "HbA1c",
    en: "the draft does not schedule HbA1c",
    zh: "草案未安排HbA1c检测",
    source: G.a1cMonitoring,
  });
  if (has("glyburide-stop") || has("su-stop") || has("su-reduce"))
    e({
      code: "omission-deintensify",
      severity: "warn",
      kind: "med",
      drug: { classes: ["sulfonylurea"], actions: ["stop", "decrease"] },
      item: "sulfonylurea",
      en: "hypoglycaemia on a sulfonylurea: the draft does not stop or reduce it",
      zh: "服用磺脲类出现低血糖：草案未停用或减量",
      source: f.age >= 65 ? G.olderDeintensify : G.deintensify,
    });
  return out;
}

function avoidances(f: Facts, lang: OutLang): Avoidance[] {
  const zh = lang === "zh";
  const out: Avoidance[] = [];
  const a = (x: Omit<Avoidance, "message" | "severity"> & { en: string; zh: string }) => {
    const { en, zh: z, ...rest } = x;
    out.push({ severity: "block", ...rest, message: zh ? z : en });
  };
  const egfr = f.egfr;
  if (f.hypo)
    a({
      code: "contradiction-su-hypo",
      drug: { classes: ["sulfonylurea"] },
      actions: ["start", "continue", "increase", "change"],
      en: `sulfonylurea continued or started despite hypoglycaemia${f.age >= 65 ? " in an older adult" : ""}: stop or reduce it`,
      zh: `存在低血糖${f.age >= 65 ? "的老年患者" : ""}仍继续或起始磺脲类：应停用或减量`,
      source: f.age >= 65 ? G.olderDeintensify : G.deintensify,
    });
  // Mirrors the engine's own stop: very complex health (long-term care, dementia) → no hypoglycaemia-prone sulfonylurea.
  if (f.veryComplex && f.age >= 65 && !f.hypo)
    a({
      code: "contradiction-su-very-complex",
      drug: { classes: ["sulfonylurea"] },
      actions: ["start", "continue", "increase", "change"],
      en: "sulfonylurea in an older adult with very complex health (long-term care or dementia): deintensify",
      zh: "健康状况非常复杂（长期照护或痴呆）的老年患者使用磺脲类：应降阶梯",
      source: G.olderDeintensify,
    });
  if (f.age >= 65 || f.hypo || (egfr !== undefined && egfr < 60))
    a({
      code: "contradiction-glyburide",
      drug: { drugs: ["glyburide"] },
      actions: KEEPS,
      en: "glyburide in an older adult, with hypoglycaemia or CKD: avoid it",
      zh: "老年、低血糖或肾病患者使用格列本脲：应避免",
      source: f.age >= 65 ? G.olderDeintensify : G.suCkd,
    });
  if (f.dialysis || (egfr !== undefined && egfr < 30))
    a({
      code: "contradiction-metformin-egfr",
      drug: { drugs: ["metformin"] },
      actions: KEEPS,
      en: `metformin at eGFR ${egfr ?? "—"} (< 30) or on dialysis: contraindicated`,
      zh: `eGFR ${egfr ?? "—"}（< 30）或透析时使用二甲双胍：禁忌`,
      source: G.metforminRenal,
    });
  else if (egfr !== undefined && egfr < METFORMIN_START_EGFR) {
    a({
      code: "contradiction-metformin-start",
      drug: { drugs: ["metformin"] },
      actions: ["start"],
      en: `metformin started at eGFR ${egfr} (30–44): do not start`,
      zh: `eGFR ${egfr}（30–44）时起始二甲双胍：不应起始`,
      source: G.metforminRenal,
    });
    a({
      code: "contradiction-metformin-max",
      drug: { drugs: ["metformin"] },
      actions: [],
      maxDaily: 1000,
      en: `metformin above 1,000 mg a day at eGFR ${egfr} (30–44)`,
      zh: `eGFR ${egfr}（30–44）时二甲双胍超过每日1000 mg`,
      source: G.metforminRenal,
    });
  }
  for (const r of RENAL_LIMITS)
    if (
      r.drug !== "metformin" &&
      r.maxDaily &&
      egfr !== undefined &&
      egfr < r.below &&
      !out.some((o) => o.drug.drugs?.includes(r.drug))
    )
      a({
        code: `contradiction-renal-dose:${r.drug}`,
        drug: { drugs: [r.drug] },
        actions: [],
        maxDaily: r.maxDaily,
        en: `${r.drug} above ${r.maxDaily} mg a day at eGFR ${egfr}`,
        zh: `eGFR ${egfr}时${r.drug}超过每日${r.maxDaily} mg`,
        source: r.source,
      });
  if (f.dialysis)
    a({
      code: "contradiction-sglt2-dialysis",
      drug: { classes: ["sglt2"] },
      actions: KEEPS,
      en: "SGLT2 inhibitor on dialysis",
      zh: "透析患者使用SGLT2抑制剂",
      source: G.sglt2Ckd,
    });
  else if (egfr !== undefined && egfr < SGLT2_MIN_EGFR)
    a({
      code: "contradiction-sglt2-start",
      drug: { classes: ["sglt2"] },
      actions: ["start"],
      en: `SGLT2 inhibitor started at eGFR ${egfr} (< ${SGLT2_MIN_EGFR})`,
      zh: `eGFR ${egfr}（< ${SGLT2_MIN_EGFR}）时起始SGLT2抑制剂`,
      source: G.sglt2Ckd,
    });
  if (f.type === "type1") {
    a({
      code: "contradiction-t1-basal-stop",
      drug: { classes: ["insulin-basal"] },
      actions: ["stop"],
      en: "basal insulin stopped in type 1 diabetes: ketoacidosis risk",
      zh: "1型糖尿病停用基础胰岛素：酮症酸中毒风险",
      source: G.type1,
    });
    a({
      code: "contradiction-t1-sglt2",
      drug: { classes: ["sglt2"] },
      actions: ["start", "increase"],
      en: "SGLT2 inhibitor started in type 1 diabetes (not approved; ketoacidosis risk)",
      zh: "1型糖尿病起始SGLT2抑制剂（未获批；酮症酸中毒风险）",
      source: G.type1,
    });
    a({
      code: "contradiction-t1-non-insulin-only",
      drug: { classes: ["sulfonylurea", "meglitinide"] },
      actions: ["start"],
      en: "insulin secretagogue started in type 1 diabetes",
      zh: "1型糖尿病起始促胰岛素分泌剂",
      source: G.type1,
    });
  }
  if (f.mtc)
    a({
      code: "contradiction-glp1-mtc",
      drug: { classes: ["glp1"] },
      actions: KEEPS,
      en: "GLP-1 RA with a personal or family history of medullary thyroid carcinoma/MEN2: contraindicated",
      zh: "甲状腺髓样癌/MEN2病史（本人或家族）使用GLP-1受体激动剂：禁忌",
      source: G.glp1Cautions,
    });
  if (f.pancreatitis)
    a({
      code: "contradiction-glp1-pancreatitis",
      drug: { classes: ["glp1"] },
      actions: ["start", "increase"],
      en: "GLP-1 RA started after pancreatitis: use another class",
      zh: "胰腺炎病史起始GLP-1受体激动剂：应改用其他类别",
      source: G.glp1Cautions,
    });
  if (f.pregnant) {
    a({
      code: "contradiction-pregnancy-sglt2-glp1",
      drug: { classes: ["sglt2", "glp1"] },
      actions: KEEPS,
      en: "SGLT2 inhibitor or GLP-1 RA in pregnancy: stop",
      zh: "妊娠期使用SGLT2抑制剂或GLP-1受体激动剂：应停用",
      source: G.pregnancy,
    });
    a({
      code: "contradiction-pregnancy-ras-statin",
      drug: { classes: ["ace-inhibitor", "arb", "statin"] },
      actions: KEEPS,
      en: "ACE inhibitor, ARB or statin in pregnancy: contraindicated",
      zh: "妊娠期使用ACEI、ARB或他汀：禁忌",
      source: G.pregnancy,
    });
  }
  if (f.hf) {
    a({
      code: "contradiction-hf-tzd",
      drug: { classes: ["tzd"] },
      actions: KEEPS,
      en: "thiazolidinedione with heart failure: avoid",
      zh: "心力衰竭使用噻唑烷二酮类：应避免",
      source: G.hfAvoid,
    });
    a({
      code: "contradiction-hf-dpp4",
      drug: { drugs: ["saxagliptin", "alogliptin"] },
      actions: KEEPS,
      en: "saxagliptin or alogliptin with heart failure: prefer another agent",
      zh: "心力衰竭使用沙格列汀或阿格列汀：应换用其他药物",
      source: G.hfAvoid,
    });
  }
  return out;
}

/** What the guidelines expect for this patient. */
export function guidelinePlan(input: EngineInput): GuidelinePlan {
  const lang: OutLang = input.lang === "en" ? "en" : "zh";
  const f = deriveFacts(input.patient);
  const target = glycaemicTarget(f, lang);
  const g = glycaemicStatus(f, target);
  const meds = planMedications(f, lang, g);
  const changed = meds.some((i) => i.med && i.med.action !== "continue");
  const items: PlanItem[] = [
    { code: "target", kind: "rec", text: target.text, source: target.source },
    ...meds,
    ...monitoring(f, lang, g, changed, input.now),
  ];
  items.push(...recommendations(f, lang, g, items));
  const escalate: string[] = [];
  if (f.pregnant) escalate.push(lang === "zh" ? "妊娠合并糖尿病：需专科处理" : "diabetes in pregnancy: specialist care");
  if (f.type === "type2" && f.egfr !== undefined && f.egfr < FINERENONE_MIN_EGFR && f.albuminuria)
    escalate.push(lang === "zh" ? "晚期肾病合并白蛋白尿：需肾内科会诊" : "advanced CKD with albuminuria: nephrology input");
  return { lang, target, items, expect: expectations(f, lang, g, items), avoid: avoidances(f, lang), escalate };
}
