/**
 * The project formulary (guardrails/data/formulary.json, sources in guardrails/MEDS.md): drug,
 * class (plus `alsoClasses` for combinations such as IDegLira), English/Chinese/brand aliases,
 * dose range, renal thresholds and warnings with sources. Lookup is by alias, so "格华止",
 * "Glucophage XR" and "metformin 500 mg" all resolve to metformin.
 */
import data from "../data/formulary.json" with { type: "json" };

export const GLUCOSE_LOWERING_CLASSES = [
  "biguanide",
  "sulfonylurea",
  "meglitinide",
  "alpha-glucosidase-inhibitor",
  "dpp4",
  "sglt2",
  "glp1",
  "tzd",
  "insulin-basal",
  "insulin-prandial",
  "insulin-premixed",
  "amylin",
  "glucokinase-activator",
  /** Colesevelam: a bile-acid sequestrant with a type 2 diabetes indication (Welchol label). */
  "bile-acid-sequestrant",
  /** Chiglitazar (China): a PPAR pan-agonist, not a thiazolidinedione. */
  "ppar-pan-agonist",
] as const;

export const OTHER_CLASSES = [
  "glucagon",
  "ace-inhibitor",
  "arb",
  "arni",
  "statin",
  "cholesterol-absorption-inhibitor",
  "fibrate",
  "calcium-channel-blocker",
  "thiazide",
  "loop-diuretic",
  "mra",
  "potassium-sparing-diuretic",
  "beta-blocker",
  "beta-blocker-nonselective",
  "antiplatelet",
  "salicylate",
  "anticoagulant",
  "antiarrhythmic",
  "cardiac-glycoside",
  "antianginal",
  "endothelin-receptor-antagonist",
  "fluoroquinolone",
  "macrolide",
  "beta-lactam",
  "sulfonamide-antibiotic",
  "trimethoprim-containing",
  "antibiotic-other",
  "tetracycline",
  "nitroimidazole",
  "lincosamide",
  "oxazolidinone",
  "rifamycin",
  "azole-antifungal",
  "antifungal-other",
  "corticosteroid",
  "corticosteroid-local",
  "thyroid-hormone",
  "antithyroid",
  "atypical-antipsychotic",
  "typical-antipsychotic",
  "anticonvulsant",
  "carbonic-anhydrase-inhibitor",
  "ssri",
  "snri",
  "tca",
  "ppi",
  "h2-blocker",
  "xanthine-oxidase-inhibitor",
  "gout-other",
  "analgesic",
  "nsaid",
  "opioid",
  "antiretroviral",
  "iodinated-contrast",
  "calcineurin-inhibitor",
  "renin-inhibitor",
  "potassium-supplement",
  "dopamine-agonist",
  "mood-stabilizer",
  "antimalarial",
  "lipid-other",
  "mineral-supplement",
  "ophthalmic-other",
] as const;

export type DrugClass = (typeof GLUCOSE_LOWERING_CLASSES)[number] | (typeof OTHER_CLASSES)[number];

export interface RenalRule {
  /** Metformin (custom rule in check.ts). */
  contraindicatedBelow?: number;
  noInitiationBelow?: number;
  /** SGLT2 inhibitors (custom rule in check.ts). */
  glycemicMinEgfr?: number;
  otherMinEgfr?: number;
  /** Generic label thresholds: contraindicated (block), avoid/not recommended (warn), do not start (block on new use). */
  blockBelow?: number;
  avoidBelow?: number;
  noStartBelow?: number;
  /** Label maximum daily dose below an eGFR (mL/min/1.73m²; labels often say CrCl). */
  doseCaps?: { below: number; maxDaily: number }[];
  /** AGS Beers 2023 Table 6 (renal): avoid below this CrCl at age ≥ 65 (warn); the label may allow a reduced dose. */
  beersAvoidBelow?: number;
  source: string;
}

export interface DrugEntry {
  id: string;
  class: DrugClass;
  /** Further classes the product belongs to (a combination's second component, a secondary action). */
  alsoClasses?: DrugClass[];
  aliases: string[];
  dose: { unit: "mg" | "units"; daily?: number[]; weekly?: number[]; perDose?: number[] };
  /** Fixed-dose combination: formulary ids of its components (each gets its own rules and interactions). */
  components?: string[];
  /** Dosed per procedure by another service (iodinated contrast): a missing dose is not a finding. */
  doseOptional?: boolean;
  renal?: RenalRule;
  indication: string;
  source: string;
  warnings: { text: string; source: string }[];
}

export const FORMULARY: readonly DrugEntry[] = (data as { drugs: DrugEntry[] }).drugs;

interface AliasRow {
  alias: string;
  drug: DrugEntry;
  /** Sticky-free copy for findDrug: a global regex's lastIndex would leak into matchAll (it copies lastIndex). */
  test: RegExp;
  re: RegExp;
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
// Longest alias first so "oral semaglutide" wins over "semaglutide" and "humalog mix" over "humalog".
const ALIASES: AliasRow[] = FORMULARY.flatMap((drug) =>
  drug.aliases.map((alias) => {
    const src = /[a-z]/.test(alias) ? `(?<![a-z])${escapeRe(alias)}(?![a-z])` : escapeRe(alias);
    return { alias, drug, test: new RegExp(src), re: new RegExp(src, "g") };
  }),
).sort((a, b) => b.alias.length - a.alias.length);
const EXACT = new Map<string, DrugEntry>();
for (const row of ALIASES) if (!EXACT.has(row.alias)) EXACT.set(row.alias, row.drug);

const GL = new Set<string>(GLUCOSE_LOWERING_CLASSES);
export const isInsulin = (d: DrugEntry) => d.class.startsWith("insulin");
export const isSulfonylurea = (d: DrugEntry) => d.class === "sulfonylurea";
/** Primary class or any of `alsoClasses`. */
export const hasClass = (d: DrugEntry, c: DrugClass): boolean => d.class === c || (d.alsoClasses?.includes(c) ?? false);
export const isGlucoseLowering = (d: DrugEntry): boolean => GL.has(d.class) || (d.alsoClasses ?? []).some((c) => GL.has(c));

/** The formulary entry a free-text drug name refers to, or undefined (unknown drug). */
export function findDrug(name: string): DrugEntry | undefined {
  const n = name.normalize("NFKC").toLowerCase().trim();
  if (!n) return undefined;
  const exact = EXACT.get(n);
  if (exact) return exact;
  for (const row of ALIASES) {
    // The substring test is a cheap necessary condition; the regex adds the word-boundary check.
    if (n.includes(row.alias) && row.test.test(n)) return row.drug;
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
    if (!text.includes(row.alias)) continue;
    row.re.lastIndex = 0;
    for (const m of text.matchAll(row.re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (out.some((o) => start < o.end && end > o.start)) continue;
      out.push({ drug: row.drug, alias: row.alias, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
