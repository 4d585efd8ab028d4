/**
 * Registers every eval suite with the registry in evals/suites.ts, so `glycopilot eval <suite>`
 * finds them. Importing this module is enough; registration happens once per process.
 */
import { registerDraftsSuite } from "./drafts.js";
import { registerMcqSuite } from "./mcq.js";
import { registerMedsSuite } from "./meds.js";
import { registerPatientSuite } from "./patient.js";
import { registerPhiSuite } from "./phi.js";
import { registerRetrievalSuite } from "./retrieval.js";
import { registerRubricSuite } from "./rubric.js";
import { registerTriageSuite } from "./triage.js";

let registered = false;

export function registerAllSuites(): void {
  if (registered) return;
  registered = true;
  registerTriageSuite();
  registerPhiSuite();
  registerMedsSuite();
  registerRetrievalSuite();
  registerRubricSuite();
  registerMcqSuite();
  registerDraftsSuite();
  registerPatientSuite();
}

registerAllSuites();
