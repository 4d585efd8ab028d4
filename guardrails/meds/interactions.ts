/**
 * Drug–drug interactions (issue 13) from one sourced table, guardrails/data/interactions.json
 * (sources: FDA labels' interaction sections, AGS Beers 2023 Table 5, KDIGO 2022; listed in
 * guardrails/MEDS.md). Entries name classes, drugs or groups; they are resolved against the
 * formulary once at load, and a reference that resolves to nothing fails the load (a typo must
 * not silently switch a rule off). Pairs are every proposed drug against every current or other
 * proposed drug; a drug being stopped takes part in no pair.
 */
import type { Finding } from "../../core/domain.js";
import table from "../data/interactions.json" with { type: "json" };
import { parseDose } from "./dose.js";
import { type DrugClass, type DrugEntry, FORMULARY, hasClass } from "./formulary.js";

interface RuleRow {
  id: string;
  a: string[];
  b: string[];
  code: string;
  severity: "block" | "warn";
  effect: string;
  source: string;
  bSystemicOnly?: boolean;
  bMinDailyMg?: number;
  /** Beers-only rows: the patient's age must be known and at least this. */
  minAge?: number;
}

interface Rule extends RuleRow {
  aIds: ReadonlySet<string>;
  bIds: ReadonlySet<string>;
}

/** A drug on the plan: a current medication or a proposal, resolved to its formulary entry. */
export interface PlanDrug {
  drug: DrugEntry;
  /** The name as written (for the finding's item). */
  name: string;
  /** Everything written about it (name, dose, frequency, route): route and daily dose come from here. */
  text: string;
  role: "current" | "proposed";
}

const doc = table as { groups: Record<string, string[]>; interactions: RuleRow[] };

function resolve(refs: string[], ruleId: string, depth = 0): Set<string> {
  const ids = new Set<string>();
  for (const ref of refs) {
    const [kind, value = ""] = ref.split(":", 2);
    let hit: DrugEntry[] = [];
    if (kind === "drug") hit = FORMULARY.filter((d) => d.id === value);
    else if (kind === "class") hit = FORMULARY.filter((d) => hasClass(d, value as DrugClass));
    else if (kind === "group" && depth === 0 && doc.groups[value]) {
      for (const id of resolve(doc.groups[value] ?? [], ruleId, 1)) ids.add(id);
      continue;
    }
    if (hit.length === 0) throw new Error(`interactions.json ${ruleId}: "${ref}" matches no formulary drug`);
    for (const d of hit) ids.add(d.id);
  }
  // A fixed-dose combination interacts as each of its components.
  for (const d of FORMULARY) if (d.components?.some((c) => ids.has(c))) ids.add(d.id);
  return ids;
}

export const INTERACTIONS: readonly Rule[] = doc.interactions.map((r) => ({
  ...r,
  aIds: resolve(r.a, r.id),
  bIds: resolve(r.b, r.id),
}));

/** Forms with no systemic exposure worth a glucose interaction: creams, inhalers, eye drops, pessaries. */
const LOCAL_ROUTE =
  /cream|ointment|lotion|topical|shampoo|vaginal|pessar|suppositor|eye ?drop|ophthalmic|ear ?drop|otic|inhal|puff|nebuli[sz]|nasal|spray|(?<!oral )\bgel\b|乳膏|软膏|外用|洗剂|阴道|栓剂|滴眼|滴耳|吸入|喷鼻|鼻喷|气雾/i;

function dailyMg(d: PlanDrug): number | undefined {
  const p = parseDose(d.text);
  if (p.amount === undefined || p.unit !== "mg") return undefined;
  return p.amount * (p.perDay ?? 1);
}

/** "glipizide (current: glipizide 5 mg bid)": the formulary name and what was written. */
function label(d: PlanDrug): string {
  const canonical = d.drug.aliases[0] ?? d.drug.id;
  const written = d.name.trim();
  return written.toLowerCase() === canonical ? `${canonical} (${d.role})` : `${canonical} (${d.role}: ${written.slice(0, 60)})`;
}
const RANK = { block: 2, warn: 1 } as const;

function applies(rule: Rule, b: PlanDrug): boolean {
  if (rule.bSystemicOnly && LOCAL_ROUTE.test(b.text)) return false;
  if (rule.bMinDailyMg !== undefined) {
    // Unknown dose: not flagged, since the usual salicylate on a diabetes list is low-dose aspirin.
    const mg = dailyMg(b);
    if (mg === undefined || mg < rule.bMinDailyMg) return false;
  }
  return true;
}

/**
 * Interaction findings for the plan: proposed × current and proposed × proposed, one per rule
 * and partner drug (prednisone against metformin, glipizide and insulin is one finding naming all
 * three), the stricter rule winning when two with the same code match a pair.
 */
export function checkInteractions(current: PlanDrug[], proposed: PlanDrug[], age?: number): Finding[] {
  const seen = new Set<string>();
  const others = [...current, ...proposed];
  const hits = new Map<string, { rule: Rule; as: PlanDrug[]; b: PlanDrug; item: string }>();
  for (const p of proposed) {
    for (const q of others) {
      if (q.drug.id === p.drug.id) continue;
      const key = p.drug.id < q.drug.id ? `${p.drug.id}|${q.drug.id}` : `${q.drug.id}|${p.drug.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const best = new Map<string, { rule: Rule; a: PlanDrug; b: PlanDrug }>();
      for (const rule of INTERACTIONS) {
        let a: PlanDrug;
        let b: PlanDrug;
        if (rule.aIds.has(p.drug.id) && rule.bIds.has(q.drug.id)) [a, b] = [p, q];
        else if (rule.aIds.has(q.drug.id) && rule.bIds.has(p.drug.id)) [a, b] = [q, p];
        else continue;
        if (!applies(rule, b)) continue;
        if (rule.minAge !== undefined && (age === undefined || age < rule.minAge)) continue;
        const prev = best.get(rule.code);
        if (!prev || RANK[rule.severity] > RANK[prev.rule.severity]) best.set(rule.code, { rule, a, b });
      }
      for (const { rule, a, b } of best.values()) {
        const k = `${rule.id}|${b.drug.id}`;
        const hit = hits.get(k);
        if (hit) hit.as.push(a);
        else hits.set(k, { rule, as: [a], b, item: b.role === "proposed" ? b.name : p.name });
      }
    }
  }
  return [...hits.values()].map(({ rule, as, b, item }) => {
    const nonSelective =
      rule.code === "interaction-masked-hypoglycemia" && hasClass(b.drug, "beta-blocker-nonselective")
        ? " (non-selective beta-blocker: stronger masking and delayed recovery)"
        : "";
    return {
      code: rule.code,
      severity: rule.severity,
      item,
      message: `${as.map(label).join(", ")} + ${label(b)}: ${rule.effect}${nonSelective}`,
      source: rule.source,
    };
  });
}
