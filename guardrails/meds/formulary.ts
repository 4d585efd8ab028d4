/**
 * The project formulary (guardrails/data/formulary.json): drug, class, English/Chinese/brand
 * aliases, dose range, renal thresholds and warnings with sources. Lookup is by alias, so
 * "格华止", "Glucophage XR" and "metformin 500 mg" all resolve to metformin.
 */
import data from "../data/formulary.json" with { type: "json" };

export type DrugClass =
  | "biguanide"
  | "sulfonylurea"
  | "meglitinide"
  | "alpha-glucosidase-inhibitor"
  | "dpp4"
  | "sglt2"
  | "glp1"
  | "tzd"
  | "insulin-basal"
  | "insulin-prandial"
  | "insulin-premixed"
  | "glucagon"
  | "ace-inhibitor"
  | "arb"
  | "statin"
  | "calcium-channel-blocker"
  | "antiplatelet"
  | "thiazide";

export interface DrugEntry {
  id: string;
  class: DrugClass;
  aliases: string[];
  dose: { unit: "mg" | "units"; daily?: number[]; weekly?: number[]; perDose?: number[] };
  renal?: {
    contraindicatedBelow?: number;
    noInitiationBelow?: number;
    glycemicMinEgfr?: number;
    otherMinEgfr?: number;
    source: string;
  };
  indication: string;
  source: string;
  warnings: { text: string; source: string }[];
}

export const FORMULARY: readonly DrugEntry[] = (data as { drugs: DrugEntry[] }).drugs;

interface AliasRow {
  alias: string;
  drug: DrugEntry;
  re: RegExp;
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
// Longest alias first so "oral semaglutide" wins over "semaglutide" and "humalog mix" over "humalog".
const ALIASES: AliasRow[] = FORMULARY.flatMap((drug) =>
  drug.aliases.map((alias) => ({
    alias,
    drug,
    re: /[a-z]/.test(alias) ? new RegExp(`(?<![a-z])${escapeRe(alias)}(?![a-z])`, "g") : new RegExp(escapeRe(alias), "g"),
  })),
).sort((a, b) => b.alias.length - a.alias.length);

export const isInsulin = (d: DrugEntry) => d.class.startsWith("insulin");
export const isSulfonylurea = (d: DrugEntry) => d.class === "sulfonylurea";

/** The formulary entry a free-text drug name refers to, or undefined (unknown drug). */
export function findDrug(name: string): DrugEntry | undefined {
  const n = name.normalize("NFKC").toLowerCase().trim();
  if (!n) return undefined;
  for (const row of ALIASES) if (row.alias === n) return row.drug;
  for (const row of ALIASES) {
    row.re.lastIndex = 0;
    if (row.re.test(n)) return row.drug;
  }
  // Bare "insulin" is not specific enough to check doses; callers treat it as an insulin of unknown type.
  return undefined;
}

export interface DrugMention {
  drug: DrugEntry;
  alias: string;
  start: number;
  end: number;
}

/** Drugs named in (normalised, lower-case) text. */
export function mentionedDrugs(text: string): DrugMention[] {
  const out: DrugMention[] = [];
  for (const row of ALIASES) {
    for (const m of text.matchAll(row.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (out.some((o) => start < o.end && end > o.start)) continue;
      out.push({ drug: row.drug, alias: row.alias, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
