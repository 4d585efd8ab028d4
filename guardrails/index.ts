/**
 * GlycoPilot guardrails: pure functions (no I/O, no clock, no env) that triage messages,
 * route complex patients to humans, detect prompt injection, redact PHI, check medications
 * and the audience policy, and decide what happens to a draft.
 */

export { checkAudience } from "./audience.js";
export { assessComplexity } from "./complexity.js";
export { type DecideInput, decide } from "./decision.js";
export { detectInjection } from "./injection.js";
export { type CheckMedicationsInput, checkMedications, type MedPatient, type ProposedMedication } from "./meds/check.js";
export { parseDose } from "./meds/dose.js";
export { type DrugEntry, FORMULARY, findDrug } from "./meds/formulary.js";
export { patientFromPlain } from "./patient.js";
export { type PhiType, prcIdValid, redact } from "./phi.js";
export { type PostcheckInput, postcheck } from "./postcheck.js";
export { type PrecheckResult, precheck } from "./precheck.js";
export { SAFETY_NET, type SafetyNetKind, safetyNetReply } from "./replies.js";
export { SRC } from "./sources.js";
export { extractMeasurements, type Measurement } from "./text/extract.js";
export { detectLang } from "./text/lang.js";
export { redFlags, type TriageInput, triage } from "./triage.js";
