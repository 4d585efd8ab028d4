/**
 * English and Chinese names for what the engine writes: drugs (from the formulary's aliases),
 * labs, examinations and frequencies, so a Chinese consultation is answered in Chinese
 * throughout (drug and lab names included) and an English one in English.
 */

import { parseFrequency } from "../meds/dose.js";
import { type DrugEntry, findDrug } from "../meds/formulary.js";

export type OutLang = "en" | "zh";

const EN_DRUG: Record<string, string> = {
  "insulin-glargine": "insulin glargine",
  "insulin-detemir": "insulin detemir",
  "insulin-degludec": "insulin degludec",
  "insulin-nph": "NPH insulin",
  "insulin-regular": "regular insulin",
  "insulin-lispro": "insulin lispro",
  "insulin-aspart": "insulin aspart",
  "insulin-glulisine": "insulin glulisine",
  "insulin-premixed": "premixed insulin",
  "semaglutide-oral": "oral semaglutide",
};

const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** The drug's name in the output language: formulary generic name, or its first Chinese alias. */
export function drugName(drug: DrugEntry, lang: OutLang): string {
  if (lang === "zh") return drug.aliases.find(hasCjk) ?? drug.id;
  return EN_DRUG[drug.id] ?? drug.id;
}

/** A recorded medication name in the output language (unknown drugs keep the recorded name). */
export function localDrugName(recorded: string, lang: OutLang): string {
  const d = findDrug(recorded);
  if (!d) return recorded;
  if (lang === "en" && !hasCjk(recorded)) return recorded;
  return drugName(d, lang);
}

/** A recorded frequency in the output language when it parses; otherwise as recorded. */
export function localFrequency(recorded: string | undefined, lang: OutLang): string | undefined {
  if (!recorded) return undefined;
  if ((lang === "zh") === hasCjk(recorded)) return recorded;
  const f = parseFrequency(recorded);
  if (f.perWeek) return freq(lang, "weekly");
  if (f.perDay === 1) return freq(lang, "daily");
  if (f.perDay === 2) return freq(lang, "bid");
  if (f.perDay === 3) return freq(lang, lang === "en" ? "tid" : "meals");
  if (f.perDay === 4) return freq(lang, "qid");
  return recorded;
}

/** A recorded dose in the output language ("20 units" ↔ "20 单位"). */
export function localDose(recorded: string | undefined, lang: OutLang): string | undefined {
  if (!recorded) return undefined;
  return lang === "zh"
    ? recorded.replace(/\bunits?\b|\biu\b/gi, "单位")
    : recorded.replace(/个?单位/g, "units").replace(/毫克/g, "mg");
}

const FREQ = {
  daily: { en: "once daily", zh: "每日1次" },
  bid: { en: "twice daily", zh: "每日2次" },
  tid: { en: "three times daily before meals", zh: "每日3次，餐前" },
  meals: { en: "with each meal", zh: "每日3次，餐前" },
  qid: { en: "four times daily", zh: "每日4次" },
  weekly: { en: "once weekly", zh: "每周1次" },
  bedtime: { en: "once daily at bedtime", zh: "每日1次，睡前" },
  prn: { en: "once as needed for severe hypoglycaemia", zh: "严重低血糖时1次" },
} as const;
export type FreqKey = keyof typeof FREQ;
export const freq = (lang: OutLang, k: FreqKey): string => FREQ[k][lang];

export const units = (n: number, lang: OutLang) => (lang === "zh" ? `${n} 单位` : `${n} units`);

const LAB = {
  a1c: { en: "HbA1c", zh: "糖化血红蛋白（HbA1c）" },
  lipids: { en: "Lipid profile (LDL cholesterol)", zh: "血脂全套（含LDL胆固醇）" },
  uacr: { en: "Urine albumin-to-creatinine ratio (UACR)", zh: "尿白蛋白/肌酐比值（UACR）" },
  egfr: { en: "Serum creatinine with eGFR", zh: "血肌酐及估算肾小球滤过率（eGFR）" },
  b12: { en: "Vitamin B12", zh: "维生素B12" },
  potassium: { en: "Serum potassium", zh: "血钾" },
  ketones: { en: "Blood or urine ketones", zh: "血酮或尿酮" },
} as const;
export type LabKey = keyof typeof LAB;
export const labName = (k: LabKey, lang: OutLang): string => LAB[k][lang];

const EXAM = {
  retina: { en: "Dilated retinal examination", zh: "散瞳眼底检查（视网膜）" },
  foot: { en: "Comprehensive foot examination", zh: "足部综合检查" },
  bp: { en: "Blood pressure measurement", zh: "血压测量" },
} as const;
export type ExamKey = keyof typeof EXAM;
export const examName = (k: ExamKey, lang: OutLang): string => EXAM[k][lang];
