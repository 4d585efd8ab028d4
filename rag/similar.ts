/**
 * Similar-patient features: a patient snapshot → a fixed, documented vector, so "patients
 * like this one" is a cosine nearest-neighbour search. Structured features, not text
 * embeddings, because what makes two diabetic patients comparable (HbA1c level and trend,
 * kidney function, comorbidities, current drugs) is numeric and categorical.
 *
 * Layout (FEATURE_NAMES lists every slot), each block weighted by how much it should sway
 * similarity:
 *   age band one-hot ×0.8 · sex one-hot ×0.5 · condition flags ×0.7 ·
 *   labs ×1.0: HbA1c, glucose, eGFR as clipped z-scores + per-year slopes (a missing lab is 0 in
 *   both slots: neutral, so "both lack eGFR" never counts as similarity) ·
 *   medication-class flags ×0.8.
 * The vector is L2-normalized, so Chroma's cosine distance gives similarity = 1 − distance.
 */
import type { PatientContext } from "../core/domain.js";

export const AGE_BANDS = [
  [0, 40],
  [40, 50],
  [50, 60],
  [60, 70],
  [70, 80],
  [80, 200],
] as const;

/** Condition flags, matched on English (SNOMED display) and Chinese diagnosis text. */
export const CONDITIONS: Record<string, RegExp> = {
  diabetes: /diabet|糖尿病/i,
  prediabetes: /prediabet|糖尿病前期|糖耐量/i,
  hypertension: /hypertens|高血压/i,
  kidney: /kidney|renal|nephropath|ckd|肾/i,
  neuropathy: /neuropath|神经病变/i,
  retinopathy: /retinopath|视网膜/i,
  coronary: /coronary|myocard|cardiac arrest|冠心病|心梗/i,
  heartFailure: /heart failure|心衰|心力衰竭/i,
  stroke: /stroke|cerebrovasc|脑卒中|中风|脑梗/i,
  obesity: /obes|body mass index 30|肥胖/i,
  lipids: /lipid|cholesterol|triglycerid|血脂/i,
  metabolicSyndrome: /metabolic syndrome|代谢综合征/i,
  anemia: /anemi|贫血/i,
  pregnancy: /pregnan|妊娠|怀孕/i,
};

/** Medication classes, by generic/brand name fragments (English and Chinese). */
export const MED_CLASSES: Record<string, RegExp> = {
  metformin: /metformin|二甲双胍/i,
  insulin: /insulin|胰岛素/i,
  sulfonylurea: /glipizide|glyburide|glibenclamide|glimepiride|gliclazide|格列[齐吡美]/i,
  dpp4: /gliptin|列汀/i,
  sglt2: /gliflozin|列净/i,
  glp1: /glutide|exenatide|tirzepatide|鲁肽|艾塞那肽/i,
  tzd: /glitazone|格列酮/i,
  statin: /statin|他汀/i,
  raas: /pril\b|sartan|普利|沙坦/i,
  thiazide: /thiazide|噻嗪/i,
  betaBlocker: /olol\b|洛尔/i,
  antiplatelet: /aspirin|clopidogrel|阿司匹林|氯吡格雷/i,
};

/** Lab centring/scaling: z = (value − center) / scale, clipped to ±3. Slopes are per year. */
export const LAB_SCALES = {
  hba1c: { center: 7, scale: 1.5, slopeScale: 0.5 },
  glucose: { center: 140, scale: 50, slopeScale: 20 },
  egfr: { center: 75, scale: 25, slopeScale: 5 },
} as const;
export type LabKey = keyof typeof LAB_SCALES;

const W = { age: 0.8, sex: 0.5, condition: 0.7, lab: 1.0, med: 0.8 };

export const FEATURE_NAMES: readonly string[] = [
  ...AGE_BANDS.map(([a, b]) => `age:${a}-${b}`),
  "sex:male",
  "sex:female",
  ...Object.keys(CONDITIONS).map((c) => `cond:${c}`),
  ...(Object.keys(LAB_SCALES) as LabKey[]).flatMap((l) => [`lab:${l}`, `lab:${l}:slope`]),
  ...Object.keys(MED_CLASSES).map((m) => `med:${m}`),
];

/** A lab series point: value in canonical units (HbA1c %, glucose mg/dL, eGFR mL/min/1.73m²). */
export interface LabPoint {
  value: number;
  /** Fractional year, e.g. 2020.5; used for slopes. */
  t: number;
}

export interface CaseFeatures {
  age: number;
  sex: PatientContext["sex"];
  conditions: readonly string[];
  labs: Partial<Record<LabKey, LabPoint[]>>;
  medications: readonly string[];
}

const clip = (x: number) => Math.max(-3, Math.min(3, x));

/** Least-squares slope per year; 0 with fewer than two points or no time spread. */
export function slope(points: readonly LabPoint[]): number {
  if (points.length < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / points.length;
  const mv = points.reduce((a, p) => a + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.value - mv);
    den += (p.t - mt) ** 2;
  }
  return den > 1e-9 ? num / den : 0;
}

export function encodeCase(f: CaseFeatures): number[] {
  const v: number[] = [];
  for (const [a, b] of AGE_BANDS) v.push(f.age >= a && f.age < b ? W.age : 0);
  v.push(f.sex === "male" ? W.sex : 0, f.sex === "female" ? W.sex : 0);
  for (const re of Object.values(CONDITIONS)) v.push(f.conditions.some((c) => re.test(c)) ? W.condition : 0);
  for (const key of Object.keys(LAB_SCALES) as LabKey[]) {
    const s = LAB_SCALES[key];
    const pts = [...(f.labs[key] ?? [])].sort((a, b) => a.t - b.t);
    const latest = pts[pts.length - 1];
    v.push(latest ? W.lab * clip((latest.value - s.center) / s.scale) : 0);
    v.push(W.lab * clip(slope(pts) / s.slopeScale));
  }
  for (const re of Object.values(MED_CLASSES)) v.push(f.medications.some((m) => re.test(m)) ? W.med : 0);
  const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  return n === 0 ? v : v.map((x) => x / n);
}

/** Which canonical lab a free-text lab name is (English or Chinese), if any. */
export function labKey(name: string): LabKey | undefined {
  if (/a1c|hba1c|glycated|glycosylated|糖化/i.test(name)) return "hba1c";
  if (/egfr|glomerular|滤过率/i.test(name)) return "egfr";
  if (/glucose|\bbg\b|\bfpg\b|\bfbg\b|血糖/i.test(name)) return "glucose";
  return undefined;
}

/** PatientContext (normalized by intake) → features. Lab `at` dates give the time axis for slopes. */
export function featuresFromPatient(p: PatientContext, now = new Date()): CaseFeatures {
  const labs: Partial<Record<LabKey, LabPoint[]>> = {};
  const nowT = fractionalYear(now);
  p.labs.forEach((l, i) => {
    const key = labKey(l.name);
    if (!key || l.value === null) return;
    const t = l.at ? fractionalYear(new Date(l.at)) : nowT - (p.labs.length - i) * 1e-3;
    const list = labs[key] ?? [];
    list.push({ value: l.value, t: Number.isFinite(t) ? t : nowT });
    labs[key] = list;
  });
  if (p.egfr !== undefined && !labs.egfr) labs.egfr = [{ value: p.egfr, t: nowT }];
  const conditions = [...p.diagnoses];
  if (p.pregnancy) conditions.push("pregnancy");
  return { age: p.age, sex: p.sex, conditions, labs, medications: p.medications.map((m) => m.name) };
}

export function fractionalYear(d: Date): number {
  const y = d.getUTCFullYear();
  const start = Date.UTC(y, 0, 1);
  return y + (d.getTime() - start) / (Date.UTC(y + 1, 0, 1) - start);
}
