/**
 * GlycoPilot guardrails: pure functions (no I/O, no clock, no env) that triage messages,
 * route complex patients to humans, detect prompt injection, redact PHI, check medications
 * and the audience policy, and decide what happens to a draft.
 */

export { checkAudience } from "./audience.js";
export { assessComplexity } from "./complexity.js";
export { type DecideInput, decide } from "./decision.js";
export { detectInjection } from "./injection.js";
export { checkMedications, type MedPatient, type ProposedMedication } from "./meds/check.js";
export { parseDose } from "./meds/dose.js";
export { findDrug } from "./meds/formulary.js";
export { patientFromPlain } from "./patient.js";
export { prcIdValid, redact } from "./phi.js";
export { postcheck } from "./postcheck.js";
export { precheck } from "./precheck.js";
export { SAFETY_NET, safetyNetReply } from "./replies.js";
export { extractMeasurements } from "./text/extract.js";
export { detectLang } from "./text/lang.js";
export { triage } from "./triage.js";
