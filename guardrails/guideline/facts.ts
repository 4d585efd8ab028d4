/**
 * What the guideline rules read about a patient, derived once from a PatientContext: diabetes
 * type, comorbidities (English and Chinese wording), the latest labs and the current drugs
 * resolved against the formulary. Negated mentions ("no hypoglycaemia", "无低血糖") do not count.
 */
import type { Lab, PatientContext } from "../../core/domain.js";
import { parseDose } from "../meds/dose.js";
import { type DrugEntry, findDrug } from "../meds/formulary.js";
import { identify } from "./classes.js";

export interface CurrentMed {
  name: string;
  dose?: string;
  frequency?: string;
  route?: string;
  drug?: DrugEntry;
  /** Id and class, also for drugs outside the formulary when the name says the class. */
  kind?: { id: string; class: string };
  /** mg (or units) per day when dose and frequency parse. */
  daily?: number;
  finerenone: boolean;
}

export interface Facts {
  age: number;
  type: "type1" | "type2";
  pregnant: boolean;
  ascvd: boolean;
  /** ASCVD risk factors that make "high cardiovascular risk" (ADA §9/§10). */
  riskFactors: number;
  hf: boolean;
  ckd: boolean;
  albuminuria: boolean;
  dialysis: boolean;
  mtc: boolean;
  pancreatitis: boolean;
  hypo: boolean;
  catabolic: boolean;
  obesity: boolean;
  hypertension: boolean;
  neuropathy: boolean;
  cognitive: boolean;
  veryComplex: boolean;
  chronicConditions: number;
  egfr?: number;
  a1c?: { value: number; at?: string };
  glucoseMax?: number;
  uacr?: number;
  potassium?: number;
  meds: CurrentMed[];
}

const NEG = /(?:\bno\b|\bnot\b|without|denies|denied|negative for|free of|无|没有|否认|未见)\s*(?:\S+\s*){0,2}$/i;

/** True when `re` matches somewhere in `text` not preceded by a negation. */
function mentions(text: string, re: RegExp): boolean {
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  for (const m of text.matchAll(g)) {
    const before = text.slice(Math.max(0, (m.index ?? 0) - 24), m.index ?? 0);
    if (!NEG.test(before)) return true;
  }
  return false;
}

const RE = {
  type1: /type\s*(?:1|i)\b(?!\s*(?:hf|heart))|\bt1dm?\b|1\s*型糖尿病|1型/i,
  ascvd:
    /coronary|myocardial infarction|\bstemi\b|\bnstemi\b|angina|stroke|\btia\b|transient isch|peripheral arter|\bpad\b|\bcabg\b|\bpci\b|stent|atheroscl|\bascvd\b|\bcad\b|冠心病|心肌梗|心梗|心绞痛|脑梗|卒中|中风|外周动脉|动脉粥样/i,
  hf: /heart failure|hfref|hfpef|\bchf\b|cardiac failure|心衰|心力衰竭|心功能不全/i,
  ckd: /chronic kidney|\bckd\b|nephropathy|kidney disease|renal (?:insufficiency|failure|disease|impairment)|\besrd\b|end-stage renal|慢性肾|肾病|肾功能不全|肾衰|肾脏病/i,
  albuminuria: /albuminuria|proteinuria|蛋白尿/i,
  dialysis: /dialysis|透析/i,
  mtc: /medullary thyroid|\bmtc\b|\bmen\s*-?\s*2|multiple endocrine neoplasia|甲状腺髓样癌|多发性内分泌腺瘤/i,
  pancreatitis: /pancreatitis|胰腺炎/i,
  hypo: /hypoglyc|low blood (?:sugar|glucose)|\blows\b|低血糖/i,
  catabolic: /weight loss|losing weight|lost \d+\s*kg|ketosis|ketones|ketonuria|catabol|体重下降|体重减轻|消瘦|酮症|酮体/i,
  obesity: /obes|肥胖/i,
  hypertension: /hypertension|high blood pressure|高血压/i,
  dyslipidaemia: /hyperlipid|dyslipid|hypercholesterol|高脂血|血脂异常|高胆固醇/i,
  smoking: /smok|吸烟/i,
  neuropathy: /neuropath|神经病变/i,
  cognitive: /cognitive impairment|\bmci\b|认知/i,
  veryComplex: /dementia|痴呆|long-term care|nursing home|care home|养老院|长期照护|hospice|palliative|临终|安宁/i,
  pregnant: /pregnan|妊娠|怀孕|孕期|孕\d+周/i,
  chronic: /copd|asthma|arthritis|cancer|depression|atrial fibrillation|cirrhosis|慢阻肺|哮喘|关节炎|癌|抑郁|房颤|肝硬化/i,
};

const LABS = {
  a1c: /a1c|糖化血红蛋白|糖化/i,
  glucose: /glucose|血糖|\bglu\b|\bfpg\b|\bbg\b/i,
  uacr: /uacr|albumin.{0,6}creatinine|\bacr\b|尿白蛋白|白蛋白.{0,3}肌酐|微量白蛋白/i,
  potassium: /potassium|^k\+?$|血钾|^钾/i,
  bmi: /bmi|body mass|体重指数/i,
  egfr: /egfr|滤过率/i,
};

/** The most recent value of a lab (by `at` when given, else the last listed). */
function latest(labs: readonly Lab[], re: RegExp): { value: number; at?: string } | undefined {
  const hits = labs.filter((l) => re.test(l.name) && l.value !== null);
  const dated = hits.filter((l) => l.at).sort((a, b) => String(a.at).localeCompare(String(b.at)));
  const pick = dated.at(-1) ?? hits.at(-1);
  return pick && pick.value !== null ? { value: pick.value, ...(pick.at ? { at: pick.at } : {}) } : undefined;
}

function currentMed(m: PatientContext["medications"][number]): CurrentMed {
  const drug = findDrug(m.name);
  const who = identify(m.name);
  const d = parseDose(m.dose, m.frequency);
  const daily = d.amount !== undefined ? d.amount * (d.perDay ?? (d.perWeek ? 1 / 7 : 1)) : undefined;
  return {
    name: m.name,
    ...(m.dose ? { dose: m.dose } : {}),
    ...(m.frequency ? { frequency: m.frequency } : {}),
    ...(m.route ? { route: m.route } : {}),
    ...(drug ? { drug } : {}),
    ...(who.cls ? { kind: { id: who.id ?? m.name.toLowerCase(), class: who.cls } } : {}),
    ...(daily !== undefined ? { daily } : {}),
    finerenone: /finerenone|非奈利酮|kerendia/i.test(m.name),
  };
}

export function deriveFacts(p: PatientContext): Facts {
  const text = [...p.diagnoses, ...p.recentEvents, p.chiefComplaint ?? "", p.presentIllness ?? ""].join("\n");
  const dx = p.diagnoses.join("\n");
  const has = (re: RegExp) => mentions(text, re);
  const egfr = p.egfr ?? latest(p.labs, LABS.egfr)?.value;
  const uacr = latest(p.labs, LABS.uacr)?.value;
  const glucoseHits = p.labs.filter((l) => LABS.glucose.test(l.name) && !LABS.a1c.test(l.name));
  const glucoseMax = glucoseHits.reduce<number | undefined>(
    (m, l) => (l.flag === "HI" ? 600 : l.value === null ? m : Math.max(m ?? 0, l.value)),
    undefined,
  );
  const lowReading = glucoseHits.some((l) => l.flag === "LO" || (l.value !== null && l.value < 70));
  const bmi = latest(p.labs, LABS.bmi)?.value;
  const dialysis = p.dialysis === true || has(RE.dialysis);
  const ckd = has(RE.ckd) || dialysis || (egfr !== undefined && egfr < 60) || (uacr !== undefined && uacr >= 30);
  const hypertension = has(RE.hypertension);
  const dyslipidaemia = has(RE.dyslipidaemia);
  const smoking = has(RE.smoking);
  const obesity = has(RE.obesity) || (bmi !== undefined && bmi >= 30);
  const albuminuria = (uacr !== undefined && uacr >= 30) || has(RE.albuminuria);
  const facts: Facts = {
    age: p.age,
    type: mentions(dx || text, RE.type1) ? "type1" : "type2",
    pregnant: p.pregnancy === true || (p.pregnancy !== false && has(RE.pregnant)),
    ascvd: has(RE.ascvd),
    riskFactors: [hypertension, dyslipidaemia, smoking, obesity, albuminuria].filter(Boolean).length,
    hf: has(RE.hf),
    ckd,
    albuminuria,
    dialysis,
    mtc: has(RE.mtc),
    pancreatitis: has(RE.pancreatitis),
    hypo: has(RE.hypo) || lowReading,
    catabolic: has(RE.catabolic),
    obesity,
    hypertension,
    neuropathy: has(RE.neuropathy),
    cognitive: has(RE.cognitive),
    veryComplex: has(RE.veryComplex),
    chronicConditions: 0,
    ...(egfr !== undefined ? { egfr } : {}),
    ...(latest(p.labs, LABS.a1c) ? { a1c: latest(p.labs, LABS.a1c) as { value: number; at?: string } } : {}),
    ...(glucoseMax !== undefined ? { glucoseMax } : {}),
    ...(uacr !== undefined ? { uacr } : {}),
    ...(latest(p.labs, LABS.potassium) ? { potassium: latest(p.labs, LABS.potassium)?.value as number } : {}),
    meds: p.medications.map(currentMed),
  };
  facts.chronicConditions = [
    facts.ascvd,
    facts.hf,
    facts.ckd,
    hypertension,
    dyslipidaemia,
    facts.neuropathy,
    facts.cognitive,
    has(RE.chronic),
  ].filter(Boolean).length;
  return facts;
}

/** ADA §9/§10 high cardiovascular risk: age ≥ 55 with two or more additional risk factors. */
export const highCvRisk = (f: Facts) => f.age >= 55 && f.riskFactors >= 2;
