/**
 * Medication safety (RULES.md "Medication safety"; guardrails/MEDS.md): each proposed drug
 * against the formulary and the patient (age, eGFR, conditions, current medications,
 * pregnancy, dialysis), then the plan's drug–drug interactions (interactions.ts).
 * Severity: block (must not go out), warn (clinician caveat / hold for patients), info.
 */
import type { Finding } from "../../core/domain.js";
import { SRC } from "../sources.js";
import { parseAmount, parseDose, parseFrequency } from "./dose.js";
import { type DrugEntry, FORMULARY, findDrug, hasClass, isInsulin, isSulfonylurea } from "./formulary.js";
import { checkInteractions, type PlanDrug } from "./interactions.js";
import { renalFindings } from "./renal.js";

export interface ProposedMedication {
  name: string;
  dose?: string;
  frequency?: string;
  action?: string;
  purpose?: string;
  /** "oral", "inhaled", "topical"…: a cream or inhaler has no systemic interaction. */
  route?: string;
}

export interface MedPatient {
  age?: number;
  egfr?: number;
  conditions?: string[];
  medications?: (string | { name: string; dose?: string; frequency?: string; route?: string })[];
  pregnancy?: boolean;
  dialysis?: boolean;
}

export interface CheckMedicationsInput {
  patient: MedPatient;
  proposed: ProposedMedication[];
  audience?: "clinician" | "patient";
  draftText?: string;
}

const HF = /heart failure|hfref|hfpef|\bchf\b|cardiac failure|心衰|心力衰竭|心功能不全/i;
/** Heart failure with preserved ejection fraction: Beers' non-dihydropyridine CCB entry is for HFrEF. */
const HF_PRESERVED = /hfpef|preserved ejection|射血分数保留/i;
const HF_SEVERE = /nyha\s*(?:class\s*)?(?:iii|iv|3|4)\b|class (?:iii|iv) heart failure|心功能\s*(?:iii|iv|Ⅲ|Ⅳ|3|4)\s*级/i;
const MTC =
  /medullary thyroid|\bmtc\b|\bmen\s*-?\s*2|\bmen\s*-?\s*ii\b|multiple endocrine neoplasia|甲状腺髓样癌|多发性内分泌腺瘤/i;
const PANCREATITIS = /pancreatitis|胰腺炎/i;
const DIALYSIS = /dialysis|hemodialysis|haemodialysis|\besrd\b|end-stage renal|透析/i;
const SICK =
  /fasting|ramadan|surgery|operation|procedure|pre-?op|acute illness|acutely ill|vomiting|dehydrat\w*|sepsis|infection|禁食|手术|急性|呕吐|脱水|感染/i;
const PREGNANT = /pregnan|妊娠|怀孕|孕期/i;
const NON_GLYCEMIC = /heart failure|\bhf\b|ckd|chronic kidney|kidney|renal|nephropathy|albuminuria|心衰|心力衰竭|肾/i;
const HYPO_MENTION =
  /hypoglyc\w*|\bhypos?\b|low blood (?:sugar|glucose)|(?:reduce|lower|decrease|cut)\w* (?:the |your |basal |bolus |mealtime |prandial )?(?:insulin|sulfonylurea|su\b|glipizide|gliclazide|glimepiride|glyburide|dose)|低血糖|减量|减少.{0,4}(?:胰岛素|剂量|磺脲)/i;

/** Insulin dosed by the glucose reading ("sliding scale", "correction", 按血糖调整). */
const SLIDING_SCALE =
  /sliding|scale|correction|according to (?:the )?(?:blood )?(?:glucose|sugar|bg)|per (?:bg|glucose)|按血糖|根据血糖|随血糖|滑动/i;

/** A planned contrast study named in the conditions ("CT with contrast tomorrow", 增强CT造影). */
const CONTRAST_STUDY = /contrast|造影/i;

const BY_ID = new Map(FORMULARY.map((d) => [d.id, d]));
const ANY_INSULIN = BY_ID.get("insulin-unspecified");

const NEW_ACTIONS = new Set(["start", "add", "initiate", "begin", "new"]);
const CHANGE_ACTIONS = new Set(["increase", "decrease", "change", "titrate", "adjust"]);

/** 0.2 mg × 3 is 0.6000000000000001 in floating point: a dose at the label limit must stay at it. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** A single agent's stated daily dose in mg (undefined when no amount, another unit, or weekly). */
function mgDaily(p: ProposedMedication): number | undefined {
  const d = parseDose(p.dose, p.frequency);
  return d.amount !== undefined && d.unit === "mg" && d.perWeek === undefined ? round6(d.amount * (d.perDay ?? 1)) : undefined;
}

function finding(code: string, severity: Finding["severity"], item: string, message: string, source: string): Finding {
  return { code, severity, item, message, source };
}

interface CurrentMed {
  drug: DrugEntry | undefined;
  name: string;
  dose?: string;
  frequency?: string;
  text: string;
}

/**
 * A medication-list entry that says the drug is no longer taken: "prednisolone (stopped last
 * month)", "fluconazole – completed", "glipizide d/c'd", 已停用. Such a drug is not current: it
 * takes part in no interaction and does not make a proposal a "continue".
 */
const NOT_TAKEN =
  /\b(?:stopped|discontinued|d\/c['’]?d|ceased|completed|finished|no longer (?:taking|on|taken)|not taking|off since|(?:put )?on hold|withheld|was on|used to take|previously took)\b|已停|停用|停药|已停药|已经停|不再服用|已不用|停了|疗程结束|已完成疗程|曾用|既往服用/i;

function current(patient: MedPatient): CurrentMed[] {
  return (patient.medications ?? []).flatMap((m) => {
    const o = typeof m === "string" ? { name: m, dose: m, frequency: m } : m;
    const text = typeof m === "string" ? m : [m.name, m.dose, m.frequency, m.route].filter(Boolean).join(" ");
    if (NOT_TAKEN.test(text)) return [];
    return [{ drug: findDrug(o.name), name: o.name, dose: o.dose, frequency: o.frequency, text }];
  });
}

/** Forms applied locally (creams, drops, inhalers): "apply a thin layer" or "1 puff" is their dose. */
const LOCAL_FORM =
  /cream|ointment|lotion|topical|shampoo|vaginal|pessar|eye ?drop|ophthalmic|ear ?drop|otic|inhal|puff|nebuli[sz]|nasal|spray|(?<!oral )\bgel\b|乳膏|软膏|外用|洗剂|阴道|滴眼|滴耳|吸入|喷鼻|鼻喷|气雾/i;
const LOCAL_DOSE = /apply|thin (?:layer|film)|sparingly|to (?:the )?affected|as directed|涂|薄层|外用|患处/i;

/** A dose is stated when an amount parses or the dose field carries a count ("1 tablet", "2 puffs"). */
function hasDose(p: ProposedMedication): boolean {
  if (parseAmount(`${p.dose ?? ""} ${p.frequency ?? ""}`)) return true;
  if (/\d|[一二两三四五六七八九十半]/.test(p.dose ?? "")) return true;
  // A cream's "thin layer twice daily" states how much for a locally applied form.
  const all = [p.name, p.dose, p.frequency, p.route].filter(Boolean).join(" ");
  return LOCAL_FORM.test(all) && LOCAL_DOSE.test(`${p.dose ?? ""} ${p.frequency ?? ""}`);
}

function dailyRangeFinding(drug: DrugEntry, p: ProposedMedication): Finding | undefined {
  // A formulary range is for the systemic form: "diclofenac 1% gel 4 g qid" is not 16 g of diclofenac.
  if (LOCAL_FORM.test([p.name, p.dose, p.route].filter(Boolean).join(" "))) return undefined;
  // "800/160 mg" is a combination's pair of strengths, not one amount.
  if (/\d\s*\/\s*\d/.test(p.dose ?? "")) return undefined;
  const d = parseDose(p.dose, p.frequency);
  if (d.amount === undefined || d.unit !== drug.dose.unit) return undefined;
  const item = p.name;
  const out = (what: string, range: number[]) =>
    finding(
      "dose-out-of-range",
      "block",
      item,
      `${what} outside the formulary range ${range[0]}–${range[1]} ${drug.dose.unit} for ${drug.id}`,
      `${SRC.formulary}; ${drug.source}`,
    );
  // Oral semaglutide is dosed daily in mg ≥ 1.5; injectable weekly. Frequency decides which range applies.
  if (d.perWeek !== undefined && drug.dose.weekly) {
    const total = round6(d.amount * d.perWeek);
    const [lo, hi] = drug.dose.weekly as [number, number];
    return total < lo || total > hi ? out(`${total} ${drug.dose.unit}/week`, drug.dose.weekly) : undefined;
  }
  if (drug.dose.daily) {
    const [lo, hi] = drug.dose.daily as [number, number];
    if (d.perDay === undefined) return d.amount > hi ? out(`${d.amount} ${drug.dose.unit} per dose`, drug.dose.daily) : undefined;
    const total = round6(d.amount * d.perDay);
    return total < lo || total > hi ? out(`${total} ${drug.dose.unit}/day`, drug.dose.daily) : undefined;
  }
  if (drug.dose.weekly && d.perDay === undefined) {
    const [lo, hi] = drug.dose.weekly as [number, number];
    return d.amount < lo || d.amount > hi ? out(`${d.amount} ${drug.dose.unit}`, drug.dose.weekly) : undefined;
  }
  if (drug.dose.perDose) {
    const [lo, hi] = drug.dose.perDose as [number, number];
    return d.amount < lo || d.amount > hi ? out(`${d.amount} ${drug.dose.unit} per dose`, drug.dose.perDose) : undefined;
  }
  return undefined;
}

export function checkMedications(input: CheckMedicationsInput): Finding[] {
  const { patient, proposed } = input;
  const audience = input.audience ?? "clinician";
  const conditions = (patient.conditions ?? []).join("; ");
  const pregnant = patient.pregnancy === true || PREGNANT.test(conditions);
  const dialysis = patient.dialysis === true || DIALYSIS.test(conditions);
  const hf = HF.test(conditions);
  const meds = current(patient);
  const onInsulinOrSu =
    meds.some((m) => m.drug && (isInsulin(m.drug) || isSulfonylurea(m.drug))) || meds.some((m) => /insulin|胰岛素/i.test(m.name));
  const draft = input.draftText ?? "";
  const findings: Finding[] = [];
  const planned: PlanDrug[] = [];
  const stopped = new Set<string>();

  for (let p of proposed) {
    let drug = findDrug(p.name);
    if (!drug) {
      findings.push(
        finding("unknown-drug", "block", p.name, `"${p.name}" is not in the formulary; a clinician must check it`, SRC.formulary),
      );
      continue;
    }
    // Injectable semaglutide is weekly; a daily schedule means the oral form (its own range).
    if (drug.id === "semaglutide" && parseFrequency(`${p.dose ?? ""} ${p.frequency ?? ""}`).perDay !== undefined)
      drug = findDrug("rybelsus") ?? drug;
    const onList = meds.find((m) => m.drug?.id === drug.id);
    const action = (p.action ?? (onList ? "continue" : "start")).toLowerCase();
    p = { ...p, action };
    if (action === "stop") {
      stopped.add(drug.id);
      continue;
    }
    const newUse = (known: boolean) =>
      NEW_ACTIONS.has(action) || (!known && !CHANGE_ACTIONS.has(action) && action !== "continue");
    const item = p.name;
    const egfr = patient.egfr;
    planned.push({
      drug,
      name: p.name,
      text: [p.name, p.dose, p.frequency, p.route].filter(Boolean).join(" "),
      role: "proposed",
    });

    // A start or change must say how much; "continue" keeps the current dose. Patient-facing
    // replies must not carry doses at all (audience policy), so the finding is for clinicians.
    if (
      audience === "clinician" &&
      (newUse(onList !== undefined) || CHANGE_ACTIONS.has(action)) &&
      !drug.doseOptional &&
      !hasDose(p)
    )
      findings.push(
        finding(
          "dose-missing",
          "warn",
          item,
          `${drug.id} is ${newUse(onList !== undefined) ? "started" : "changed"} without a dose; state dose and frequency`,
          `${SRC.formulary}; ${drug.source}`,
        ),
      );

    // A fixed-dose combination gets each component's rules (metformin's eGFR limits in Janumet,
    // Beers for the glyburide in Glucovance); its dose string ("50/1000 mg") cannot be split
    // between components, so dose ranges are checked for single agents only.
    const combo = drug.components !== undefined;
    const parts = combo ? (drug.components ?? []).flatMap((id) => BY_ID.get(id) ?? []) : [drug];
    for (const drug of parts) {
      const existing = meds.find((m) => m.drug?.id === drug.id || (m.drug?.components?.includes(drug.id) ?? false));
      // Starting Janumet on metformin continues the metformin: only the other component is new.
      const isNew = combo && existing ? false : newUse(existing !== undefined);

      const range = combo ? undefined : dailyRangeFinding(drug, p);
      if (range) findings.push(range);

      if (egfr !== undefined) {
        const d = parseDose(p.dose, p.frequency);
        const mg =
          !combo && d.amount !== undefined && d.unit === "mg" && d.perWeek === undefined
            ? round6(d.amount * (d.perDay ?? 1))
            : undefined;
        findings.push(...renalFindings(drug, item, egfr, isNew, mg, patient.age));
      }

      if (drug.id === "metformin" && egfr !== undefined) {
        if (egfr < 30)
          findings.push(
            finding(
              "metformin-egfr-contraindicated",
              "block",
              item,
              `metformin is contraindicated at eGFR ${egfr} (< 30)`,
              SRC.metformin,
            ),
          );
        else if (egfr < 45 && isNew)
          findings.push(
            finding("metformin-egfr-initiation", "block", item, `do not start metformin at eGFR ${egfr} (30–45)`, SRC.metformin),
          );
        else if (egfr < 45 && !combo && (mgDaily(p) ?? 0) > 1000)
          findings.push(
            finding(
              "metformin-egfr-dose",
              "warn",
              item,
              `metformin ${mgDaily(p)} mg/day at eGFR ${egfr} (30–44): reduce to at most 1,000 mg/day`,
              SRC.kdigoMetformin,
            ),
          );
        else if (egfr < 45)
          findings.push(
            finding(
              "metformin-egfr-reassess",
              "info",
              item,
              `eGFR ${egfr} (30–45): reassess benefit/risk of continuing metformin`,
              SRC.metformin,
            ),
          );
      }

      if (drug.class === "sglt2") {
        if (dialysis)
          findings.push(finding("sglt2-dialysis", "block", item, `${drug.id} must not be used on dialysis`, SRC.sglt2));
        const glycemic = !NON_GLYCEMIC.test(p.purpose ?? "");
        const min = glycemic ? drug.renal?.glycemicMinEgfr : drug.renal?.otherMinEgfr;
        if (egfr !== undefined && min !== undefined && egfr < min) {
          findings.push(
            finding(
              "sglt2-egfr-label",
              "warn",
              item,
              `${drug.id} at eGFR ${egfr} is below the label limit ${min}${glycemic ? " for glycemic control" : ""}`,
              drug.renal?.source ?? SRC.sglt2,
            ),
          );
        }
        if (SICK.test(conditions) || SICK.test(draft))
          findings.push(
            finding(
              "sglt2-sick-day",
              "warn",
              item,
              `${drug.id}: fasting, surgery or acute illness — withhold (≥ 3 days before surgery); euglycemic DKA risk`,
              SRC.sglt2,
            ),
          );
      }

      if (hasClass(drug, "glp1")) {
        if (MTC.test(conditions))
          findings.push(
            finding(
              "glp1-mtc-men2",
              "block",
              item,
              `${drug.id} is contraindicated with medullary thyroid carcinoma or MEN2 history`,
              SRC.glp1,
            ),
          );
        if (PANCREATITIS.test(conditions))
          findings.push(finding("glp1-pancreatitis", "warn", item, `${drug.id} after pancreatitis: use with caution`, SRC.glp1));
        if (pregnant)
          findings.push(finding("glp1-pregnancy", "warn", item, `${drug.id} in pregnancy: not recommended`, SRC.glp1));
      }

      if (drug.class === "tzd" && hf) {
        if (HF_SEVERE.test(conditions))
          findings.push(
            finding("tzd-hf-severe", "block", item, `${drug.id} is contraindicated in NYHA class III/IV heart failure`, SRC.tzd),
          );
        else findings.push(finding("tzd-hf", "warn", item, `${drug.id} can worsen heart failure`, SRC.tzd));
      }

      // AGS Beers 2023 Table 3 (drug–disease, heart failure): non-dihydropyridine calcium-channel
      // blockers (avoid in HFrEF) and NSAIDs / COX-2 inhibitors (avoid in symptomatic HF).
      if (hf && (drug.id === "diltiazem" || drug.id === "verapamil") && !HF_PRESERVED.test(conditions))
        findings.push(
          finding(
            "beers-heart-failure",
            "warn",
            item,
            `${drug.id} with heart failure (reduced or unstated ejection fraction): avoid — negative inotrope, can worsen heart failure`,
            `${SRC.beers} Table 3 (heart failure: non-dihydropyridine CCBs); FDA label (${drug.id}) §4/§5`,
          ),
        );
      if (hf && drug.class === "nsaid" && !LOCAL_FORM.test([p.name, p.dose, p.route].filter(Boolean).join(" ")))
        findings.push(
          finding(
            "beers-heart-failure",
            "warn",
            item,
            `${drug.id} with heart failure: avoid — fluid retention and worsening heart failure`,
            `${SRC.beers} Table 3 (heart failure: NSAIDs and COX-2 inhibitors); FDA NSAID labels boxed warning / §5 heart failure and edema`,
          ),
        );

      if ((drug.id === "saxagliptin" || drug.id === "alogliptin") && hf) {
        findings.push(finding("dpp4-hf", "warn", item, `${drug.id} with heart failure: hospitalization risk`, SRC.dpp4));
      }

      if (isSulfonylurea(drug)) {
        if (isNew && patient.age !== undefined && patient.age >= 65)
          findings.push(
            finding("su-elderly", "warn", item, `new sulfonylurea at age ${patient.age} (≥ 65): hypoglycemia risk`, SRC.beers),
          );
        // Beers 2023 says avoid glyburide in older adults: a new or continued proposal at ≥ 65 must not go out.
        if (drug.id === "glyburide") {
          const old = patient.age !== undefined && patient.age >= 65;
          findings.push(
            finding(
              "glyburide-beers",
              old ? "block" : "warn",
              item,
              old
                ? `glyburide at age ${patient.age} (≥ 65): avoid (prolonged hypoglycemia); choose another agent`
                : "glyburide: prolonged hypoglycemia; prefer another agent",
              SRC.beers,
            ),
          );
        }
      }

      if (isInsulin(drug)) {
        const next = parseDose(p.dose, p.frequency);
        const prev = existing ? parseDose(existing.dose, existing.frequency) : {};
        if (next.amount !== undefined && prev.amount !== undefined && next.unit === "units" && prev.unit === "units") {
          const delta = next.amount - prev.amount;
          const beyond = delta > 2 || (delta < 0 && -delta / prev.amount > 0.2);
          if (beyond) {
            findings.push(
              finding(
                "insulin-titration",
                audience === "patient" ? "block" : "warn",
                item,
                `insulin ${prev.amount} → ${next.amount} units is beyond +2 units per 3 days / 10–20 % reduction`,
                SRC.ada9,
              ),
            );
          }
        } else if (CHANGE_ACTIONS.has(action) && audience === "patient") {
          findings.push(
            finding("insulin-titration", "block", item, "insulin change of unknown size in a patient-facing reply", SRC.ada9),
          );
        }
        if (audience === "patient" && next.amount !== undefined) {
          findings.push(
            finding("insulin-dose-to-patient", "block", item, "absolute insulin dose in a patient-facing reply", SRC.ada9),
          );
        }
      }

      if ((hasClass(drug, "glp1") || drug.class === "sglt2") && isNew && onInsulinOrSu && !HYPO_MENTION.test(draft)) {
        findings.push(
          finding(
            "hypoglycemia-risk-combination",
            "warn",
            item,
            `${drug.id} added to insulin/sulfonylurea: mention hypoglycemia risk and dose reduction`,
            SRC.combo,
          ),
        );
      }
    }
  }

  // Beers 2023: avoid insulin regimens of short/rapid insulin by the current glucose without basal or long-acting insulin.
  if (patient.age !== undefined && patient.age >= 65) {
    const basal = (d: DrugEntry | undefined) =>
      d !== undefined &&
      (d.class === "insulin-basal" ||
        d.class === "insulin-premixed" ||
        (d.components ?? []).some((c) => BY_ID.get(c)?.class === "insulin-basal"));
    const hasBasal = planned.some((p) => basal(p.drug)) || meds.some((m) => basal(m.drug) && !stopped.has(m.drug?.id ?? ""));
    for (const p of planned)
      if (!hasBasal && p.drug.class === "insulin-prandial" && SLIDING_SCALE.test(p.text))
        findings.push(
          finding(
            "insulin-sliding-scale-beers",
            "warn",
            p.name,
            `sliding-scale ${p.drug.id} without basal insulin at age ${patient.age} (≥ 65): avoid (hypoglycemia without better control); add basal insulin or use a fixed regimen`,
            `${SRC.beers} Table 2 (insulin, sliding scale)`,
          ),
        );
  }

  const currentPlan: PlanDrug[] = meds.flatMap((m) => {
    // "insulin 20 units" of unstated type still counts as insulin for interactions.
    const drug = m.drug ?? (/insulin|胰岛素/i.test(m.name) ? ANY_INSULIN : undefined);
    return drug && !stopped.has(drug.id) ? [{ drug, name: m.name, text: m.text, role: "current" as const }] : [];
  });
  const contrast = CONTRAST_STUDY.test(conditions) ? findDrug("iodinated contrast") : undefined;
  if (contrast) currentPlan.push({ drug: contrast, name: "planned contrast study", text: conditions, role: "current" });
  findings.push(...checkInteractions(currentPlan, planned, patient.age));
  return findings;
}
