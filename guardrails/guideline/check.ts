/**
 * Any draft — model, engine or case-based — checked against the guideline plan for the same
 * patient. Omissions (an expectation no draft item meets) and contradictions (a draft item an
 * avoidance forbids) become findings carrying the guideline section and passage id.
 * Severity, as chosen: contradictions that are unsafe for this patient are `block` (held for a
 * human); omissions are `warn` (sent with a caveat or reviewed), except type 1 diabetes without
 * basal insulin, which is `block` because it risks ketoacidosis; a missing HbA1c order is `info`.
 */
import type { DraftBody, Finding, MedicationAction } from "../../core/domain.js";
import { parseDose } from "../meds/dose.js";
import { type DrugIdentity, identify } from "./classes.js";
import type { DrugMatch, GuidelinePlan } from "./types.js";

export { identify } from "./classes.js";

const NON_GLYCAEMIC = new Set([
  "ace-inhibitor",
  "arb",
  "statin",
  "calcium-channel-blocker",
  "antiplatelet",
  "thiazide",
  "glucagon",
]);

export function matches(m: DrugMatch, who: DrugIdentity): boolean {
  if (m.drugs && who.id && m.drugs.includes(who.id)) return true;
  if (m.classes && who.cls && m.classes.includes(who.cls)) return true;
  if (m.glucoseLowering && who.cls && !NON_GLYCAEMIC.has(who.cls) && who.cls !== "ns-mra") return true;
  return false;
}

/** mg (or units) a day for a draft medication, when its dose and frequency say so. */
export function dailyAmount(dose?: string, frequency?: string): number | undefined {
  const d = parseDose(dose, frequency);
  if (d.amount === undefined) return undefined;
  if (d.perWeek) return (d.amount * d.perWeek) / 7;
  return d.amount * (d.perDay ?? 1);
}

const where = (s: { section: string; id: string }) => `${s.section} [${s.id}]`;

export function checkAgainstGuideline(
  draft: Pick<DraftBody, "labTests" | "examinations" | "medications" | "recommendations">,
  plan: GuidelinePlan,
): Finding[] {
  const out: Finding[] = [];
  const meds = draft.medications.map((m) => ({ m, who: identify(m.name), daily: dailyAmount(m.dose, m.frequency) }));

  for (const av of plan.avoid) {
    for (const { m, who, daily } of meds) {
      if (!matches(av.drug, who) || (m.action === "stop" && !av.actions.includes("stop"))) continue;
      const byAction = av.actions.includes(m.action as MedicationAction);
      const byDose = av.maxDaily !== undefined && daily !== undefined && daily > av.maxDaily;
      if (byAction || byDose)
        out.push({
          code: av.code,
          severity: av.severity,
          item: m.name,
          message: `${av.message} (${av.source.section})`,
          source: where(av.source),
        });
      else if (av.maxDaily !== undefined && daily === undefined && av.actions.length === 0)
        out.push({
          code: `${av.code}-unstated`,
          severity: "warn",
          item: m.name,
          message: `${plan.lang === "zh" ? "剂量未写明，无法核对肾功能剂量上限" : "no parseable daily dose to check against the renal maximum"}: ${av.message} (${av.source.section})`,
          source: where(av.source),
        });
    }
  }

  const labText = [...draft.labTests.map((l) => l.name)].join("\n");
  for (const ex of plan.expect) {
    let met: boolean;
    if (ex.kind === "med" && ex.drug) {
      const d = ex.drug;
      met = meds.some(({ m, who }) => matches(d, who) && d.actions.includes(m.action as MedicationAction));
    } else if (ex.terms) {
      const text =
        ex.kind === "lab"
          ? labText
          : ex.kind === "exam"
            ? draft.examinations.map((x) => x.name).join("\n")
            : draft.recommendations.map((r) => r.text).join("\n");
      met = ex.terms.test(text);
    } else met = true;
    if (!met)
      out.push({
        code: ex.code,
        severity: ex.severity,
        item: ex.item,
        message: `${ex.message} (${ex.source.section})`,
        source: where(ex.source),
      });
  }
  return out;
}
