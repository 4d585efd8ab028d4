/**
 * Pharmacotherapy rules (ADA Standards of Care 2025 §9, §10, §11, §13, §14, §15; KDIGO 2022):
 * what to stop, reduce, continue and start for this patient, each with dose and frequency (or
 * the reason there is none) and its source. Renal limits are data (RENAL_LIMITS); eGFR
 * thresholds 20/25/30/45/60 and HbA1c thresholds 8.5/10 come from the cited passages.
 */
import type { MedicationAction } from "../../core/domain.js";
import { findDrug } from "../meds/formulary.js";
import { type CurrentMed, type Facts, highCvRisk } from "./facts.js";
import { G, type GuidelineSource } from "./sources.js";
import type { GlycaemicStatus } from "./targets.js";
import { drugName, freq, localDose, localDrugName, localFrequency, type OutLang, units } from "./terms.js";
import type { PlanItem, PlanMed } from "./types.js";

/** Daily maximum (mg) by eGFR band; `stopBelow` means the drug is stopped below that eGFR. */
export const RENAL_LIMITS: ReadonlyArray<{
  drug: string;
  below: number;
  maxDaily?: number;
  stop?: boolean;
  source: GuidelineSource;
}> = [
  { drug: "metformin", below: 30, stop: true, source: G.metforminRenal },
  { drug: "metformin", below: 45, maxDaily: 1000, source: G.metforminRenal },
  { drug: "sitagliptin", below: 30, maxDaily: 25, source: G.metforminRenal },
  { drug: "sitagliptin", below: 45, maxDaily: 50, source: G.metforminRenal },
  { drug: "saxagliptin", below: 46, maxDaily: 2.5, source: G.metforminRenal },
  { drug: "alogliptin", below: 30, maxDaily: 6.25, source: G.metforminRenal },
  { drug: "alogliptin", below: 60, maxDaily: 12.5, source: G.metforminRenal },
];

/** Renal daily maximum for a drug at this eGFR, or undefined (no limit). */
export function renalLimit(drugId: string, egfr: number | undefined) {
  if (egfr === undefined) return undefined;
  return RENAL_LIMITS.find((r) => r.drug === drugId && egfr < r.below);
}

export const SGLT2_MIN_EGFR = 20;
export const FINERENONE_MIN_EGFR = 25;
export const FINERENONE_MAX_K = 4.8;
export const METFORMIN_START_EGFR = 45;
export const YOUTH_INSULIN_A1C = 8.5;

interface Ctx {
  f: Facts;
  lang: OutLang;
  g: GlycaemicStatus;
  items: PlanItem[];
  handled: Set<CurrentMed>;
  started: Set<string>;
}

const t = (c: Ctx, en: string, zh: string) => (c.lang === "zh" ? zh : en);
type Kind = { id: string; class: string };
const on = (f: Facts, pred: (d: Kind) => boolean) => f.meds.filter((m) => m.kind !== undefined && pred(m.kind));
const ofClass =
  (...cls: string[]) =>
  (d: Kind) =>
    cls.includes(d.class);

const NO_DOSE = { en: "none (stopping)", zh: "停用" };

function verb(c: Ctx, a: MedicationAction): string {
  const en: Record<MedicationAction, string> = {
    start: "Start",
    continue: "Continue",
    stop: "Stop",
    increase: "Increase",
    decrease: "Reduce",
    change: "Change",
  };
  const zh: Record<MedicationAction, string> = {
    start: "起始",
    continue: "继续",
    stop: "停用",
    increase: "加量",
    decrease: "减量",
    change: "调整",
  };
  return c.lang === "zh" ? zh[a] : en[a];
}

function push(c: Ctx, code: string, med: PlanMed, why: string, source: GuidelineSource): void {
  c.items.push({ code, kind: "med", text: med.name, reason: why, source, med });
  if (med.action === "start" || med.action === "increase") c.started.add(med.drugId);
  const how = med.action === "stop" ? "" : ` ${med.dose}, ${med.frequency}`;
  const sentence =
    c.lang === "zh" ? `${verb(c, med.action)}${med.name}${how}：${why}` : `${verb(c, med.action)} ${med.name}${how}: ${why}`;
  c.items.push({ code: `${code}:why`, kind: "rec", text: sentence, source });
}

/** A current medication kept (or stopped/changed) with its recorded dose and frequency in the output language. */
function keep(
  c: Ctx,
  m: CurrentMed,
  action: MedicationAction,
  code: string,
  why: string,
  source: GuidelineSource,
  dose?: string,
  frequency?: string,
): void {
  c.handled.add(m);
  if (!m.drug) {
    // Outside the formulary: its dose cannot be checked, so it is a sentence for the clinician, not an order item.
    const how = [localDose(m.dose, c.lang), localFrequency(m.frequency, c.lang)]
      .filter(Boolean)
      .join(c.lang === "zh" ? "，" : ", ");
    const text =
      c.lang === "zh"
        ? `${verb(c, action)}${m.name}${how ? `（${how}）` : ""}：${why}（该药不在GlycoPilot药品目录中，剂量未经核对，请医生复核。）`
        : `${verb(c, action)} ${m.name}${how ? ` (${how})` : ""}: ${why} (not in the GlycoPilot formulary: dose not checked; review it.)`;
    c.items.push({ code: `${code}:unlisted`, kind: "rec", text, source });
    return;
  }
  const stopped = action === "stop";
  push(
    c,
    code,
    {
      drugId: m.kind?.id ?? m.name,
      name: localDrugName(m.name, c.lang),
      action,
      dose: stopped
        ? NO_DOSE[c.lang]
        : (dose ?? localDose(m.dose, c.lang) ?? t(c, "dose not recorded: confirm", "剂量未记录，请核实")),
      frequency: stopped
        ? t(c, "stop now", "立即停用")
        : (frequency ?? localFrequency(m.frequency, c.lang) ?? t(c, "as prescribed (not recorded)", "按原医嘱（未记录）")),
      ...(m.route ? { route: m.route } : {}),
    },
    why,
    source,
  );
}

function start(
  c: Ctx,
  drugId: string,
  dose: string,
  frequency: string,
  code: string,
  why: string,
  source: GuidelineSource,
): void {
  const drug = findDrug(drugId);
  const name = drug ? drugName(drug, c.lang) : drugId;
  push(c, code, { drugId, name, action: "start", dose, frequency }, why, source);
}

const mg = (n: number) => `${n} mg`;

function sglt2ForOrgans(c: Ctx): { drug: string; why: string; source: GuidelineSource } | undefined {
  const { f } = c;
  if (f.hf)
    return {
      drug: "empagliflozin",
      why: t(
        c,
        "heart failure: an SGLT2 inhibitor reduces heart-failure hospitalisation.",
        "合并心力衰竭：SGLT2抑制剂降低心衰住院风险。",
      ),
      source: G.cardiorenal,
    };
  if ((f.ckd || f.albuminuria) && (f.egfr === undefined || f.egfr >= SGLT2_MIN_EGFR))
    return {
      drug: "dapagliflozin",
      why: t(
        c,
        `CKD with eGFR ≥ ${SGLT2_MIN_EGFR}: an SGLT2 inhibitor slows kidney disease; continue until dialysis.`,
        `慢性肾脏病且eGFR ≥ ${SGLT2_MIN_EGFR}：SGLT2抑制剂延缓肾病进展，持续用至透析。`,
      ),
      source: G.sglt2Ckd,
    };
  return undefined;
}

export function planMedications(f: Facts, lang: OutLang, g: GlycaemicStatus): PlanItem[] {
  const c: Ctx = { f, lang, g, items: [], handled: new Set(), started: new Set() };
  const egfr = f.egfr;
  const su = on(f, ofClass("sulfonylurea"));
  const insulinBasal = on(f, ofClass("insulin-basal", "insulin-premixed"));
  const insulinAny = on(f, (d) => d.class.startsWith("insulin"));
  const onInsulinOrSu = insulinAny.length > 0 || su.length > 0;
  const glucoseLowering = f.meds.filter(
    (m) =>
      m.kind &&
      !["ace-inhibitor", "arb", "statin", "calcium-channel-blocker", "antiplatelet", "thiazide", "glucagon", "ns-mra"].includes(
        m.kind.class,
      ),
  );

  // --- Pregnancy (ADA §15): insulin; stop SGLT2i, GLP-1 RA, ACEi/ARB, statins, sulfonylureas.
  if (f.pregnant) {
    for (const m of on(f, ofClass("sglt2", "glp1", "ace-inhibitor", "arb", "statin", "sulfonylurea", "tzd", "dpp4")))
      keep(
        c,
        m,
        "stop",
        `pregnancy-stop:${m.kind?.id}`,
        t(c, "not for use in pregnancy; insulin is preferred.", "妊娠期禁用或不推荐，首选胰岛素。"),
        G.pregnancy,
      );
    for (const m of f.meds.filter((x) => x.finerenone))
      keep(c, m, "stop", "pregnancy-stop:finerenone", t(c, "not for use in pregnancy.", "妊娠期不使用。"), G.pregnancy);
    if (insulinAny.length === 0)
      start(
        c,
        "insulin-detemir",
        units(10, lang),
        freq(lang, "bedtime"),
        "pregnancy-insulin",
        t(
          c,
          "insulin is the preferred glucose-lowering agent in pregnancy; titrate to fasting glucose < 95 mg/dL with the specialist team.",
          "妊娠期首选胰岛素降糖，在专科团队指导下滴定至空腹血糖 < 95 mg/dL。",
        ),
        G.pregnancy,
      );
    for (const m of insulinAny)
      keep(
        c,
        m,
        "continue",
        `continue:${m.kind?.id}`,
        t(c, "insulin continues in pregnancy; doses change by trimester.", "妊娠期继续胰岛素，剂量随孕周调整。"),
        G.pregnancy,
      );
    for (const m of f.meds)
      if (!c.handled.has(m))
        keep(
          c,
          m,
          "continue",
          `continue:${m.kind?.id ?? m.name}`,
          t(c, "review with the prenatal diabetes team.", "由产科糖尿病团队复核。"),
          G.pregnancy,
        );
    return c.items;
  }

  // --- Type 1 (ADA §9, §14): basal plus prandial insulin always; no SGLT2 inhibitor.
  if (f.type === "type1") {
    const basal = on(f, ofClass("insulin-basal"));
    const bolus = on(f, ofClass("insulin-prandial"));
    for (const m of basal) {
      if (f.hypo) {
        const d = parseUnits(m.dose);
        keep(
          c,
          m,
          "decrease",
          `t1-basal-reduce:${m.kind?.id}`,
          t(
            c,
            "hypoglycaemia: reduce basal insulin by 10–20%, never stop it (ketoacidosis risk).",
            "有低血糖：基础胰岛素减量10–20%，但绝不停用（酮症酸中毒风险）。",
          ),
          G.type1,
          d ? units(Math.max(1, Math.round(d * 0.85)), lang) : undefined,
        );
      } else
        keep(
          c,
          m,
          "continue",
          `t1-basal:${m.kind?.id}`,
          t(
            c,
            "type 1 diabetes needs basal insulin at all times; titrate to fasting glucose.",
            "1型糖尿病必须始终使用基础胰岛素，按空腹血糖调整。",
          ),
          G.type1,
        );
    }
    if (basal.length === 0)
      start(
        c,
        "insulin-glargine",
        t(c, "weight-based: about half the total daily insulin", "按体重计算：约占每日胰岛素总量一半"),
        freq(lang, "daily"),
        "t1-basal-start",
        t(c, "type 1 diabetes needs basal insulin; none is recorded.", "1型糖尿病需要基础胰岛素，记录中未见。"),
        G.type1,
      );
    for (const m of bolus)
      keep(
        c,
        m,
        "continue",
        `t1-bolus:${m.kind?.id}`,
        t(c, "prandial insulin matched to carbohydrate intake and pre-meal glucose.", "餐时胰岛素按碳水摄入和餐前血糖调整。"),
        G.type1,
      );
    if (bolus.length === 0)
      start(
        c,
        "insulin-aspart",
        t(c, "by carbohydrate ratio and correction factor", "按碳水系数和校正系数"),
        freq(lang, "meals"),
        "t1-bolus-start",
        t(c, "type 1 diabetes needs prandial insulin; none is recorded.", "1型糖尿病需要餐时胰岛素，记录中未见。"),
        G.type1,
      );
    for (const m of on(f, ofClass("sglt2")))
      keep(
        c,
        m,
        "stop",
        `t1-stop-sglt2:${m.kind?.id}`,
        t(
          c,
          "SGLT2 inhibitors are not approved in type 1 diabetes (ketoacidosis risk).",
          "SGLT2抑制剂未获批用于1型糖尿病（酮症酸中毒风险）。",
        ),
        G.type1,
      );
    organProtection(c);
    glucagon(c, true);
    rest(c);
    return c.items;
  }

  // --- Type 2: first the safety changes to what the patient takes.
  for (const m of on(f, (d) => d.id === "metformin")) {
    const limit = renalLimit("metformin", egfr);
    if (f.dialysis || limit?.stop)
      keep(
        c,
        m,
        "stop",
        "metformin-stop-renal",
        t(
          c,
          `eGFR ${egfr ?? "—"} (< 30) or dialysis: metformin is contraindicated.`,
          `eGFR ${egfr ?? "—"}（< 30）或透析：禁用二甲双胍。`,
        ),
        G.metforminRenal,
      );
    else if (limit?.maxDaily && (m.daily === undefined || m.daily > limit.maxDaily))
      keep(
        c,
        m,
        "decrease",
        "metformin-renal-max",
        t(
          c,
          `eGFR ${egfr} (30–44): limit metformin to ${limit.maxDaily} mg a day.`,
          `eGFR ${egfr}（30–44）：二甲双胍每日不超过${limit.maxDaily} mg。`,
        ),
        G.metforminRenal,
        mg(500),
        freq(lang, "bid"),
      );
    else
      keep(
        c,
        m,
        "continue",
        "metformin-continue",
        t(c, "first-line therapy; keep it while eGFR allows.", "一线用药，肾功能允许时继续。"),
        G.firstLine,
      );
  }
  for (const m of su) {
    const id = m.kind?.id ?? "";
    if (id === "glyburide" && (f.age >= 65 || f.hypo || (egfr !== undefined && egfr < 60)))
      keep(
        c,
        m,
        "stop",
        "glyburide-stop",
        t(
          c,
          "glyburide causes prolonged hypoglycaemia; avoid it in older adults, with hypoglycaemia or in CKD.",
          "格列本脲易致持续性低血糖，老年、低血糖或肾病患者应避免。",
        ),
        f.age >= 65 ? G.olderDeintensify : G.deintensify,
      );
    else if (f.hypo && f.age >= 65)
      keep(
        c,
        m,
        "stop",
        `su-stop:${id}`,
        t(
          c,
          "older adult with hypoglycaemia: stop the sulfonylurea (deintensify).",
          "老年患者发生低血糖：停用磺脲类药物（降阶梯治疗）。",
        ),
        G.olderDeintensify,
      );
    else if (f.hypo) {
      const d = parseMg(m.dose);
      keep(
        c,
        m,
        "decrease",
        `su-reduce:${id}`,
        t(c, "hypoglycaemia: halve the sulfonylurea dose or stop it.", "有低血糖：磺脲类剂量减半或停用。"),
        G.deintensify,
        d ? `${d / 2} mg` : undefined,
      );
    } else if (f.veryComplex)
      keep(
        c,
        m,
        "stop",
        `su-stop:${id}`,
        t(c, "very complex health: avoid hypoglycaemia-prone drugs.", "健康状况非常复杂：避免易致低血糖的药物。"),
        G.olderDeintensify,
      );
    else
      keep(
        c,
        m,
        "continue",
        `su-continue:${id}`,
        t(c, "continue; watch for hypoglycaemia.", "继续使用，注意低血糖。"),
        G.deintensify,
      );
  }
  for (const m of on(f, ofClass("glp1"))) {
    if (f.mtc)
      keep(
        c,
        m,
        "stop",
        "glp1-stop-mtc",
        t(
          c,
          "personal or family history of medullary thyroid carcinoma/MEN2: GLP-1 RAs are contraindicated.",
          "本人或家族甲状腺髓样癌/MEN2病史：禁用GLP-1受体激动剂。",
        ),
        G.glp1Cautions,
      );
    else if (f.pancreatitis)
      keep(
        c,
        m,
        "stop",
        "glp1-stop-pancreatitis",
        t(c, "pancreatitis: stop the GLP-1 RA and use another class.", "胰腺炎：停用GLP-1受体激动剂，改用其他类别。"),
        G.glp1Cautions,
      );
    else
      keep(
        c,
        m,
        "continue",
        `glp1-continue:${m.kind?.id}`,
        t(c, "continue: cardiorenal and weight benefit.", "继续：有心肾获益和减重作用。"),
        G.cardiorenal,
      );
  }
  for (const m of on(f, ofClass("sglt2"))) {
    if (f.dialysis)
      keep(
        c,
        m,
        "stop",
        "sglt2-stop-dialysis",
        t(c, "on dialysis: stop the SGLT2 inhibitor.", "透析患者：停用SGLT2抑制剂。"),
        G.sglt2Ckd,
      );
    else
      keep(
        c,
        m,
        "continue",
        `sglt2-continue:${m.kind?.id}`,
        t(c, "continue for heart and kidney protection (until dialysis).", "继续用于心肾保护（至透析前）。"),
        G.sglt2Ckd,
      );
  }
  for (const m of on(f, ofClass("tzd")))
    if (f.hf)
      keep(
        c,
        m,
        "stop",
        "tzd-stop-hf",
        t(c, "heart failure: thiazolidinediones cause fluid retention.", "心力衰竭：噻唑烷二酮类致水钠潴留。"),
        G.hfAvoid,
      );
  for (const m of on(f, (d) => d.id === "saxagliptin" || d.id === "alogliptin"))
    if (f.hf)
      keep(
        c,
        m,
        "stop",
        "dpp4-stop-hf",
        t(
          c,
          "heart failure: saxagliptin and alogliptin carry a heart-failure warning.",
          "心力衰竭：沙格列汀和阿格列汀有心衰警示。",
        ),
        G.hfAvoid,
      );
  for (const m of on(f, ofClass("dpp4"))) {
    if (c.handled.has(m)) continue;
    const lim = renalLimit(m.kind?.id ?? "", egfr);
    if (lim?.maxDaily && (m.daily === undefined || m.daily > lim.maxDaily))
      keep(
        c,
        m,
        "decrease",
        `dpp4-renal:${m.kind?.id}`,
        t(c, `eGFR ${egfr}: renal dose limit ${lim.maxDaily} mg a day.`, `eGFR ${egfr}：肾功能剂量上限每日${lim.maxDaily} mg。`),
        lim.source,
        mg(lim.maxDaily),
        freq(lang, "daily"),
      );
  }
  for (const m of insulinBasal) {
    if (f.hypo) {
      const d = parseUnits(m.dose);
      keep(
        c,
        m,
        "decrease",
        `insulin-reduce:${m.kind?.id}`,
        t(c, "hypoglycaemia: reduce basal insulin by 10–20%.", "有低血糖：基础胰岛素减量10–20%。"),
        f.age >= 65 ? G.olderDeintensify : G.hypoglycaemia,
        d ? units(Math.max(1, Math.round(d * 0.85)), lang) : undefined,
      );
    } else if (c.g.above) {
      keep(
        c,
        m,
        "increase",
        `insulin-titrate:${m.kind?.id}`,
        t(
          c,
          "HbA1c above goal: raise by 2 units every 3 days to fasting glucose 80–130 mg/dL.",
          "HbA1c未达标：每3天增加2单位，至空腹血糖 80–130 mg/dL。",
        ),
        G.insulin,
        m.dose ? localDose(m.dose, lang) : undefined,
      );
    }
  }
  for (const m of on(f, ofClass("insulin-prandial")))
    if (f.hypo) {
      const d = parseUnits(m.dose);
      keep(
        c,
        m,
        "decrease",
        `insulin-reduce:${m.kind?.id}`,
        t(c, "hypoglycaemia: reduce prandial insulin by 10–20%.", "有低血糖：餐时胰岛素减量10–20%。"),
        G.olderDeintensify,
        d ? units(Math.max(1, Math.round(d * 0.85)), lang) : undefined,
      );
    }

  // --- Type 2 starts.
  const youth = f.age < 18;
  const metforminStopped = c.items.some((i) => i.med?.drugId === "metformin" && i.med.action === "stop");
  const onMetformin = on(f, (d) => d.id === "metformin").length > 0 && !metforminStopped;
  const metforminAllowed = !f.dialysis && (egfr === undefined || egfr >= METFORMIN_START_EGFR);
  const onSglt2 = on(f, ofClass("sglt2")).length > 0 && !f.dialysis;
  const onGlp1 = on(f, ofClass("glp1")).length > 0 && !f.mtc && !f.pancreatitis;
  const glp1Ok = !f.mtc && !f.pancreatitis && !onGlp1;
  const sglt2Ok = !f.dialysis && !onSglt2 && (egfr === undefined || egfr >= SGLT2_MIN_EGFR);
  // Hypoglycaemia advice when a new agent joins insulin or a sulfonylurea that is being kept.
  const keptInsulinOrSu = () =>
    onInsulinOrSu &&
    f.meds.some(
      (m) =>
        m.kind &&
        (m.kind.class.startsWith("insulin") || m.kind.class === "sulfonylurea") &&
        !c.items.some((i) => i.code !== undefined && i.med?.action === "stop" && i.med.drugId === m.kind?.id),
    );
  const combo = () =>
    keptInsulinOrSu()
      ? t(
          c,
          " Reduce the sulfonylurea or insulin dose if glucose falls: hypoglycaemia risk.",
          " 如血糖下降，减少磺脲类或胰岛素剂量，注意低血糖风险。",
        )
      : "";

  if (!onMetformin && metforminAllowed && (glucoseLowering.length === 0 || c.g.above) && !f.veryComplex)
    start(
      c,
      "metformin",
      mg(500),
      freq(lang, "bid"),
      "metformin-start",
      t(
        c,
        "first-line therapy; raise by 500 mg a week to 1,000 mg twice daily as tolerated.",
        "一线治疗；每周加量500 mg，耐受时至1000 mg每日2次。",
      ),
      youth ? G.youth : G.firstLine,
    );

  const organ = sglt2ForOrgans(c);
  if (organ && sglt2Ok) start(c, organ.drug, mg(10), freq(lang, "daily"), "sglt2-organ", organ.why + combo(), organ.source);
  const cv = f.ascvd || highCvRisk(f);
  if (cv && !onSglt2 && !onGlp1 && !c.started.has("empagliflozin") && !c.started.has("dapagliflozin")) {
    if (glp1Ok && (f.obesity || c.g.far || !sglt2Ok))
      start(
        c,
        "semaglutide",
        mg(0.25),
        freq(lang, "weekly"),
        "glp1-ascvd",
        t(
          c,
          `${f.ascvd ? "established ASCVD" : "high cardiovascular risk"}: a GLP-1 RA with proven cardiovascular benefit; raise to 0.5 mg weekly after 4 weeks.`,
          `${f.ascvd ? "已确诊动脉粥样硬化性心血管病" : "心血管高危"}：选用有心血管获益证据的GLP-1受体激动剂，4周后加至每周0.5 mg。`,
        ) + combo(),
        G.cardiorenal,
      );
    else if (sglt2Ok)
      start(
        c,
        "empagliflozin",
        mg(10),
        freq(lang, "daily"),
        "sglt2-ascvd",
        t(
          c,
          `${f.ascvd ? "established ASCVD" : "high cardiovascular risk"}: an SGLT2 inhibitor with proven cardiovascular benefit.`,
          `${f.ascvd ? "已确诊动脉粥样硬化性心血管病" : "心血管高危"}：选用有心血管获益证据的SGLT2抑制剂。`,
        ) + combo(),
        G.cardiorenal,
      );
  }

  const insulinStart = c.g.insulinNeeded || (youth && (f.a1c?.value ?? 0) >= YOUTH_INSULIN_A1C && f.catabolic);
  if (insulinStart && insulinAny.length === 0)
    start(
      c,
      "insulin-glargine",
      units(10, lang),
      freq(lang, "bedtime"),
      "insulin-start",
      t(
        c,
        "HbA1c > 10%, glucose ≥ 300 mg/dL or catabolic symptoms: start basal insulin; raise 2 units every 3 days to fasting glucose 80–130 mg/dL.",
        "HbA1c > 10%、血糖 ≥ 300 mg/dL或有分解代谢症状：起始基础胰岛素，每3天加2单位至空腹血糖 80–130 mg/dL。",
      ),
      youth ? G.youth : G.insulin,
    );

  // An SGLT2 inhibitor started for the heart or kidneys below its label's eGFR limit for glycaemic
  // control lowers glucose little, so it is not the intensification an HbA1c above goal needs:
  // KDIGO 2022 Rec 4.2.1 adds a long-acting GLP-1 RA when the target is not met with metformin and
  // an SGLT2 inhibitor (ADA 2025 §9/§11 likewise).
  const lowersGlucose = (id: string) => {
    const min = findDrug(id)?.renal?.glycemicMinEgfr;
    return !(findDrug(id)?.class === "sglt2" && egfr !== undefined && min !== undefined && egfr < min);
  };
  const intensified = () =>
    [...c.started].some(
      (id) => !["lisinopril", "losartan", "atorvastatin", "finerenone", "glucagon"].includes(id) && lowersGlucose(id),
    );
  const hadGlucoseLowering = glucoseLowering.length > 0;
  const needIntensify = c.g.above && !intensified() && (hadGlucoseLowering || c.g.far);
  // A new diagnosis far above goal gets a second agent with metformin (ADA §9 early combination).
  const needSecond = c.g.far && [...c.started].every((id) => id === "metformin");
  if (!f.veryComplex && (needIntensify || needSecond)) {
    if (glp1Ok && !c.started.has("semaglutide"))
      start(
        c,
        "semaglutide",
        mg(0.25),
        freq(lang, "weekly"),
        "glp1-intensify",
        t(
          c,
          `HbA1c ${f.a1c?.value}% above goal${f.obesity ? " with obesity" : ""}: add a GLP-1 RA; raise to 0.5 mg weekly after 4 weeks.`,
          `HbA1c ${f.a1c?.value}%未达标${f.obesity ? "且合并肥胖" : ""}：加用GLP-1受体激动剂，4周后加至每周0.5 mg。`,
        ) + combo(),
        f.obesity ? G.obesity : f.ckd ? G.glp1Ckd : G.intensify,
      );
    else if (sglt2Ok && !c.started.has("empagliflozin") && !c.started.has("dapagliflozin"))
      start(
        c,
        "empagliflozin",
        mg(10),
        freq(lang, "daily"),
        "sglt2-intensify",
        t(c, `HbA1c ${f.a1c?.value}% above goal: add an SGLT2 inhibitor.`, `HbA1c ${f.a1c?.value}%未达标：加用SGLT2抑制剂。`) +
          combo(),
        G.intensify,
      );
    else if (on(f, ofClass("dpp4")).length === 0 && !onGlp1 && !c.started.has("semaglutide")) {
      const lim = renalLimit("sitagliptin", egfr);
      start(
        c,
        "sitagliptin",
        mg(lim?.maxDaily ?? 100),
        freq(lang, "daily"),
        "dpp4-intensify",
        t(
          c,
          `HbA1c ${f.a1c?.value}% above goal: add a DPP-4 inhibitor (low hypoglycaemia risk; dose for eGFR).`,
          `HbA1c ${f.a1c?.value}%未达标：加用DPP-4抑制剂（低血糖风险低；按eGFR调整剂量）。`,
        ),
        G.intensify,
      );
    }
  }
  // A DPP-4 inhibitor adds nothing to a GLP-1 RA.
  if (c.started.has("semaglutide"))
    for (const m of on(f, ofClass("dpp4")))
      if (!c.handled.has(m))
        keep(
          c,
          m,
          "stop",
          `dpp4-stop-glp1:${m.kind?.id}`,
          t(c, "do not combine a DPP-4 inhibitor with a GLP-1 RA.", "DPP-4抑制剂不与GLP-1受体激动剂合用。"),
          G.intensify,
        );

  organProtection(c);
  glucagon(c, false);
  rest(c);
  return c.items;
}

/** ACE inhibitor/ARB and finerenone for albuminuria, statin by age and ASCVD (ADA §10, §11; KDIGO 1.2.1, 1.4.1). */
function organProtection(c: Ctx): void {
  const { f, lang } = c;
  const ras = on(f, ofClass("ace-inhibitor", "arb"));
  if (f.albuminuria) {
    for (const m of ras)
      keep(
        c,
        m,
        "continue",
        `ras-continue:${m.kind?.id}`,
        t(c, "albuminuria: keep the ACE inhibitor/ARB at the maximum tolerated dose.", "白蛋白尿：ACEI/ARB维持在最大耐受剂量。"),
        G.ras,
      );
    if (ras.length === 0)
      start(
        c,
        "lisinopril",
        mg(10),
        freq(lang, "daily"),
        "ras-start",
        t(
          c,
          "albuminuria (UACR ≥ 30 mg/g): start an ACE inhibitor (or ARB) and titrate to the maximum tolerated dose; check potassium and creatinine in 2–4 weeks.",
          "白蛋白尿（UACR ≥ 30 mg/g）：起始ACEI（或ARB），逐步加至最大耐受剂量；2–4周复查血钾和肌酐。",
        ),
        G.ras,
      );
    const fin = f.meds.filter((m) => m.finerenone);
    for (const m of fin)
      keep(
        c,
        m,
        "continue",
        "finerenone-continue",
        t(c, "continue; monitor potassium every 4 months.", "继续；每4个月监测血钾。"),
        G.finerenone,
      );
    if (
      f.type === "type2" &&
      fin.length === 0 &&
      (f.egfr === undefined || f.egfr >= FINERENONE_MIN_EGFR) &&
      (f.potassium === undefined || f.potassium <= FINERENONE_MAX_K)
    ) {
      const dose = f.egfr !== undefined && f.egfr < 60 ? 10 : 20;
      const text = t(
        c,
        `Add finerenone ${dose} mg once daily once the ACE inhibitor/ARB is at the maximum tolerated dose, if UACR stays ≥ 30 mg/g and potassium ≤ ${FINERENONE_MAX_K} mmol/L${f.potassium === undefined ? " (check potassium first)" : ""}; recheck potassium at 1 month.`,
        `ACEI/ARB达最大耐受剂量后如UACR仍 ≥ 30 mg/g且血钾 ≤ ${FINERENONE_MAX_K} mmol/L${f.potassium === undefined ? "（先查血钾）" : ""}，加用非奈利酮${dose} mg每日1次；1个月复查血钾。`,
      );
      // Finerenone is a medication item only when the formulary knows it; otherwise a recommendation a clinician completes.
      if (findDrug("finerenone") && ras.length > 0)
        start(c, "finerenone", mg(dose), freq(lang, "daily"), "finerenone-start", text, G.finerenone);
      else c.items.push({ code: "finerenone", kind: "rec", text, source: G.finerenone });
    }
  } else
    for (const m of ras)
      keep(
        c,
        m,
        "continue",
        `ras-continue:${m.kind?.id}`,
        t(c, "continue; blood pressure goal < 130/80 mmHg.", "继续；血压目标 < 130/80 mmHg。"),
        G.bp,
      );
  const statins = on(f, ofClass("statin"));
  for (const m of statins)
    keep(
      c,
      m,
      "continue",
      `statin-continue:${m.kind?.id}`,
      f.ascvd
        ? t(
            c,
            "established ASCVD: high-intensity statin (atorvastatin 40–80 mg), LDL < 55 mg/dL.",
            "已确诊ASCVD：高强度他汀（阿托伐他汀40–80 mg），LDL < 55 mg/dL。",
          )
        : t(c, "continue lipid-lowering therapy.", "继续调脂治疗。"),
      G.lipids,
    );
  if (statins.length === 0 && f.age >= 18 && (f.ascvd || (f.age >= 40 && f.age <= 75)))
    start(
      c,
      "atorvastatin",
      mg(f.ascvd ? 40 : 20),
      freq(lang, "daily"),
      "statin-start",
      f.ascvd
        ? t(c, "established ASCVD: high-intensity statin, LDL goal < 55 mg/dL.", "已确诊ASCVD：高强度他汀，LDL目标 < 55 mg/dL。")
        : t(c, "age 40–75 with diabetes: at least a moderate-intensity statin.", "40–75岁糖尿病患者：至少中等强度他汀。"),
      G.lipids,
    );
}

/** Glucagon for everyone on insulin at risk of level 2/3 hypoglycaemia (ADA §6). */
function glucagon(c: Ctx, type1: boolean): void {
  const onInsulin = on(c.f, (d) => d.class.startsWith("insulin")).length > 0 || c.started.has("insulin-glargine");
  const has = on(c.f, ofClass("glucagon")).length > 0;
  if (has || !(type1 || (onInsulin && c.f.hypo))) return;
  start(
    c,
    "glucagon",
    mg(1),
    freq(c.lang, "prn"),
    "glucagon",
    t(c, "prescribe glucagon and teach family or carers to use it.", "开具胰高血糖素，并教会家属或照护者使用。"),
    G.hypoglycaemia,
  );
}

/** Whatever the patient takes that no rule addressed: continued as recorded, so the whole regimen is visible. */
function rest(c: Ctx): void {
  for (const m of c.f.meds) {
    if (c.handled.has(m)) continue;
    keep(
      c,
      m,
      "continue",
      `continue:${m.kind?.id ?? m.name}`,
      t(c, "no guideline change indicated; continue as prescribed.", "指南未提示需调整，按原方案继续。"),
      m.kind?.class.startsWith("insulin") ? G.insulin : G.intensify,
    );
  }
}

function parseUnits(dose?: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*(?:units?|u\b|iu\b|单位)/i.exec(dose ?? "");
  return m ? Number(m[1]) : undefined;
}
function parseMg(dose?: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*mg/i.exec(dose ?? "");
  return m ? Number(m[1]) : undefined;
}
