/**
 * guardrails/CATALOGUE.md is rendered from the tables themselves (RULES.md core keyword rules
 * and the organ-system catalogue), so the sourced list a reviewer reads cannot drift from the
 * rules that run: `glycopilot triage --catalogue` prints it; a test compares it with the file.
 */
import { CAT_SRC, CATALOGUE } from "./catalogue.js";
import { FLOOR_CODE } from "./floor.js";
import { CORE_RULES } from "./redflags.js";
import { VITAL_SRC } from "./vitals.js";

const WHO: Record<string, string> = {
  infant: "infant < 3 months",
  child: "child",
  pregnant: "pregnant",
  anticoagulated: "on an anticoagulant",
};

export function renderCatalogue(): string {
  const rows = [...CORE_RULES, ...CATALOGUE].map((r) => {
    const cond = [r.who ? `only: ${WHO[r.who] ?? r.who}` : "", r.needs ? `needs ${r.needs.length} co-finding(s)` : ""]
      .filter(Boolean)
      .join("; ");
    return `| ${r.code} | ${r.system} | ${r.urgency} | ${cond || "—"} | ${r.source} |`;
  });
  return [
    "# Triage symptom catalogue",
    "",
    "Rendered from `guardrails/redflags.ts` (the RULES.md core) and `guardrails/catalogue.ts` (every",
    "organ system) by `glycopilot triage --catalogue`; a test fails when this file and the tables differ.",
    "Each row's wording (English and Chinese, lay and clinical) is in the table's regular expressions.",
    "Every match passes the shared filters: negation, past history, hypothetical or educational framing,",
    "and a question about a term rather than a person. An emergency row steps down to `urgent` when its",
    'sentence says the problem was already assessed ("去医院检查了", "was admitted") or is long-standing',
    '("一年来", "for years"); crisis rules (suicide, self-harm, overdose) never step down.',
    "",
    "| code | system | urgency | condition | source |",
    "|---|---|---|---|---|",
    ...rows,
    "",
    "## Vital signs (guardrails/vitals.ts)",
    "",
    "| code | reading | urgency | source |",
    "|---|---|---|---|",
    `| low-oxygen-saturation | SpO2 ≤ 92% / 93–94% | emergency / urgent | ${VITAL_SRC.spo2} |`,
    `| abnormal-heart-rate | ≥ 131 or ≤ 40 bpm | urgent | ${VITAL_SRC.hr} |`,
    `| severe-hypertension | ≥ 180 systolic or ≥ 120 diastolic | emergency with symptoms, else urgent | ${VITAL_SRC.bp} |`,
    `| hypotension | systolic ≤ 90 | emergency with dizziness/fainting, else urgent | ${VITAL_SRC.bp} |`,
    `| fever-infant-under-3-months | ≥ 38 °C in an infant < 3 months | emergency | ${CAT_SRC.ng143} |`,
    `| extreme-temperature | ≥ 40 °C or ≤ 35 °C | urgent | ${VITAL_SRC.temp} |`,
    "",
    "## Safety floor (guardrails/floor.ts)",
    "",
    "| code | condition | urgency | source |",
    "|---|---|---|---|",
    `| ${FLOOR_CODE} | a new, worsening or severe symptom that no row above recognised (not an education question, not already assessed, not long-standing or mild) | urgent, nurse | ${CAT_SRC.generic} |`,
    "",
  ].join("\n");
}
