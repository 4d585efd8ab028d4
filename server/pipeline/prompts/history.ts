/**
 * The self-informed part of a personalized prompt (PMLM): a summary of the patient's own
 * history — trends of HbA1c, glucose, eGFR and weight from dated labs, current medications,
 * recent events. Identifiers never enter it: only clinical values, dates and drug names.
 */
import type { Lab, PatientContext } from "../../../core/domain.js";
import type { PromptLang } from "./templates.js";

export type TrendKey = "hba1c" | "glucose" | "egfr" | "weight";

const TREND_LABS: ReadonlyArray<{ key: TrendKey; re: RegExp; en: string; zh: string; digits: number }> = [
  { key: "hba1c", re: /a1c|glycated|glycosylated|糖化/i, en: "HbA1c", zh: "糖化血红蛋白", digits: 1 },
  { key: "glucose", re: /glucose|\bfpg\b|\bfbg\b|血糖/i, en: "glucose", zh: "血糖", digits: 0 },
  { key: "egfr", re: /egfr|glomerular|滤过率/i, en: "eGFR", zh: "eGFR", digits: 0 },
  { key: "weight", re: /body weight|^weight$|体重/i, en: "weight", zh: "体重", digits: 1 },
];

export interface TrendPoint {
  value: number;
  unit: string;
  at?: string;
}

export interface Trend {
  key: TrendKey;
  points: TrendPoint[];
  /** Last minus first value, when at least two dated points exist. */
  change?: number;
}

/** Dated series of the trend labs, oldest first; undated values keep their given order after dated ones. */
export function labTrends(labs: readonly Lab[]): Trend[] {
  const out: Trend[] = [];
  for (const t of TREND_LABS) {
    const pts = labs
      .filter((l) => t.re.test(l.name) && l.value !== null)
      .map((l) => ({ value: l.value as number, unit: l.unit, ...(l.at ? { at: l.at } : {}) }))
      .sort((a, b) => (a.at && b.at ? a.at.localeCompare(b.at) : a.at ? -1 : b.at ? 1 : 0));
    if (pts.length === 0) continue;
    const dated = pts.filter((p) => p.at);
    const first = dated[0];
    const last = dated[dated.length - 1];
    out.push({ key: t.key, points: pts, ...(first && last && dated.length > 1 ? { change: last.value - first.value } : {}) });
  }
  return out;
}

function fmt(v: number, digits: number): string {
  return v.toFixed(digits);
}

function renderTrend(t: Trend, lang: PromptLang): string {
  const spec = TREND_LABS.find((x) => x.key === t.key);
  const digits = spec?.digits ?? 1;
  const label = spec ? spec[lang] : t.key;
  const series = t.points
    .slice(-6)
    .map((p) => `${fmt(p.value, digits)}${p.unit ? ` ${p.unit}` : ""}${p.at ? ` (${p.at.slice(0, 10)})` : ""}`)
    .join(" → ");
  if (t.change === undefined) return `${label}: ${series}`;
  const dir =
    Math.abs(t.change) < 10 ** -digits
      ? lang === "zh"
        ? "稳定"
        : "stable"
      : t.change > 0
        ? lang === "zh"
          ? "上升"
          : "rising"
        : lang === "zh"
          ? "下降"
          : "falling";
  const sign = t.change > 0 ? "+" : "";
  return `${label}: ${series}; ${dir} ${sign}${fmt(t.change, digits)}`;
}

const L = {
  en: {
    trends: "trends",
    meds: "current medications",
    events: "recent events",
    allergies: "allergies",
    egfr: "eGFR",
    pregnancy: "pregnant",
    dialysis: "on dialysis",
    none: "-",
  },
  zh: {
    trends: "指标趋势",
    meds: "当前用药",
    events: "近期事件",
    allergies: "过敏",
    egfr: "eGFR",
    pregnancy: "妊娠",
    dialysis: "透析",
    none: "无",
  },
};

/** The self-informed summary, one fact per line. */
export function selfInformedSummary(p: PatientContext, lang: PromptLang): string {
  const t = L[lang];
  const trends = labTrends(p.labs).map((x) => `- ${renderTrend(x, lang)}`);
  const meds = p.medications.map((m) => [m.name, m.dose, m.frequency, m.route].filter(Boolean).join(" "));
  const lines = [
    `${t.trends}:`,
    ...(trends.length ? trends : [`- ${t.none}`]),
    `${t.meds}: ${meds.join("; ") || t.none}`,
    `${t.events}: ${p.recentEvents.join("; ") || t.none}`,
    `${t.allergies}: ${p.allergies.join("; ") || t.none}`,
  ];
  if (p.egfr !== undefined) lines.push(`${t.egfr}: ${p.egfr}`);
  if (p.pregnancy) lines.push(t.pregnancy);
  if (p.dialysis) lines.push(t.dialysis);
  return lines.join("\n");
}

/** The latest value of each lab name, undated: the paper's plain "labs" input field. */
export function latestLabs(labs: readonly Lab[]): string {
  const byName = new Map<string, Lab>();
  for (const l of labs) {
    const key = l.name.trim().toLowerCase();
    const prev = byName.get(key);
    if (!prev || (l.at ?? "") >= (prev.at ?? "")) byName.set(key, l);
  }
  return [...byName.values()].map((l) => `${l.name} ${l.value ?? l.flag ?? "?"}${l.unit ? ` ${l.unit}` : ""}`).join("; ");
}
