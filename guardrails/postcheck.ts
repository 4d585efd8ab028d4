/**
 * Post-check of a generated draft: medication safety against the patient, the audience policy
 * on patient-facing text, and grounding (every citation must be a retrieved chunk).
 */
import type { Draft, Finding, PatientContext } from "../core/domain.js";
import { checkAudience } from "./audience.js";
import { checkMedications } from "./meds/check.js";
import { SRC } from "./sources.js";

export interface PostcheckInput {
  draft: Draft;
  patient?: PatientContext;
  audience: "clinician" | "patient";
  retrievedChunkIds: string[];
  now: Date;
}

export function postcheck(input: PostcheckInput): Finding[] {
  const { draft, patient, audience } = input;
  const text = [draft.reply ?? "", ...draft.recommendations.map((r) => r.text)].join("\n");
  const findings: Finding[] = [];
  if (draft.medications.length > 0) {
    findings.push(
      ...checkMedications({
        patient: patient
          ? {
              age: patient.age,
              egfr: patient.egfr,
              conditions: patient.diagnoses,
              medications: patient.medications,
              pregnancy: patient.pregnancy,
              dialysis: patient.dialysis,
            }
          : {},
        proposed: draft.medications.map((m) => ({
          name: m.name,
          dose: m.dose,
          frequency: m.frequency,
          action: m.action,
          ...(m.route ? { route: m.route } : {}),
        })),
        audience,
        draftText: text,
      }),
    );
  }
  if (audience === "patient") findings.push(...checkAudience(text, "patient"));

  const retrieved = new Set(input.retrievedChunkIds);
  const items: { kind: string; name: string; citations: string[] }[] = [
    ...draft.labTests.map((x) => ({ kind: "lab test", name: x.name, citations: x.citations })),
    ...draft.examinations.map((x) => ({ kind: "examination", name: x.name, citations: x.citations })),
    ...draft.medications.map((x) => ({ kind: "medication", name: x.name, citations: x.citations })),
    ...draft.recommendations.map((x) => ({ kind: "recommendation", name: x.text.slice(0, 80), citations: x.citations })),
  ];
  for (const it of items) {
    if (it.citations.length === 0) {
      findings.push({
        code: "uncited-item",
        severity: "info",
        item: it.name,
        message: `${it.kind} has no citation`,
        source: SRC.grounding,
      });
    }
    for (const c of it.citations) {
      if (!retrieved.has(c))
        findings.push({
          code: "ungrounded-citation",
          severity: "warn",
          item: it.name,
          message: `citation "${c}" is not among the retrieved passages`,
          source: SRC.grounding,
        });
    }
  }
  return findings;
}
