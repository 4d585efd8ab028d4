/**
 * Generic renal label thresholds from the formulary (`renal.blockBelow`, `avoidBelow`,
 * `noStartBelow`, `doseCaps`). Metformin and the SGLT2 inhibitors keep their own RULES.md rules
 * in check.ts and carry none of these fields. Labels often state CrCl; the check reads the
 * patient's eGFR against the same number (MEDS.md says so).
 */
import type { Finding } from "../../core/domain.js";
import type { DrugEntry } from "./formulary.js";

export function renalFindings(drug: DrugEntry, item: string, egfr: number, isNew: boolean, dailyMg?: number): Finding[] {
  const r = drug.renal;
  if (!r) return [];
  const out: Finding[] = [];
  const add = (code: string, severity: Finding["severity"], message: string) =>
    out.push({ code, severity, item, message, source: r.source });
  if (r.blockBelow !== undefined && egfr < r.blockBelow)
    add("renal-contraindicated", "block", `${drug.id} is contraindicated at eGFR ${egfr} (< ${r.blockBelow})`);
  else if (r.avoidBelow !== undefined && egfr < r.avoidBelow)
    add("renal-avoid", "warn", `${drug.id} is not recommended at eGFR ${egfr} (< ${r.avoidBelow})`);
  if (isNew && r.noStartBelow !== undefined && egfr < r.noStartBelow)
    add("renal-no-initiation", "block", `do not start ${drug.id} at eGFR ${egfr} (< ${r.noStartBelow})`);
  if (dailyMg !== undefined && r.doseCaps) {
    // The strictest cap that applies (lowest threshold the patient is below).
    const cap = r.doseCaps.filter((c) => egfr < c.below).sort((a, b) => a.maxDaily - b.maxDaily)[0];
    if (cap && dailyMg > cap.maxDaily + 1e-9)
      add(
        "renal-dose-cap",
        "warn",
        `${drug.id} ${dailyMg} mg/day at eGFR ${egfr}: label maximum is ${cap.maxDaily} mg/day below ${cap.below}`,
      );
  }
  return out;
}
