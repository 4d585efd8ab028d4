/**
 * Generic renal label thresholds from the formulary (`renal.blockBelow`, `avoidBelow`,
 * `noStartBelow`, `doseCaps`, and Beers 2023's renal table for age ≥ 65 in `beersAvoidBelow`). Metformin and the SGLT2 inhibitors keep their own RULES.md rules
 * in check.ts and carry none of these fields. Labels often state CrCl; the check reads the
 * patient's eGFR against the same number (MEDS.md says so).
 */
import type { Finding } from "../../core/domain.js";
import type { DrugEntry } from "./formulary.js";

export function renalFindings(
  drug: DrugEntry,
  item: string,
  egfr: number,
  isNew: boolean,
  dailyMg?: number,
  age?: number,
): Finding[] {
  const r = drug.renal;
  if (!r) return [];
  const out: Finding[] = [];
  const add = (code: string, severity: Finding["severity"], message: string) =>
    out.push({ code, severity, item, message, source: r.source });
  if (r.blockBelow !== undefined && egfr < r.blockBelow)
    add("renal-contraindicated", "block", `${drug.id} is contraindicated at eGFR ${egfr} (< ${r.blockBelow})`);
  else if (r.avoidBelow !== undefined && egfr < r.avoidBelow)
    add("renal-avoid", "warn", `${drug.id} is not recommended at eGFR ${egfr} (< ${r.avoidBelow})`);
  // Beers 2023 Table 6 is stricter than some labels for older adults (dabigatran: label 75 mg bid at CrCl 15–30, Beers avoid < 30).
  else if (r.beersAvoidBelow !== undefined && age !== undefined && age >= 65 && egfr < r.beersAvoidBelow)
    add(
      "renal-avoid",
      "warn",
      `${drug.id} at eGFR ${egfr} (< ${r.beersAvoidBelow}) and age ${age}: avoid in older adults (AGS Beers 2023)`,
    );
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
