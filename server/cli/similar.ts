/**
 * `glycopilot similar FILE.json [--k 10] [--now ISO]`: a PatientContext or a FHIR R4 Bundle →
 * the most similar past cases with what was ordered for them (JSON on stdout).
 */
import { readFile } from "node:fs/promises";
import { loadConfig } from "../../core/config.js";
import { PatientContext } from "../../core/domain.js";
import { patientFromFhirBundle } from "../../rag/fhir.js";
import { type Knowledge, openKnowledge } from "../clients.js";
import { parseArgs } from "./jsonl.js";

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const file = positionals[0];
  if (!file) {
    process.stderr.write("usage: glycopilot similar FILE.json [--k 10] [--now 2021-06-01]\n");
    return 2;
  }
  let opened: Knowledge | undefined;
  try {
    const raw = JSON.parse(await readFile(file, "utf8")) as { resourceType?: string };
    const now = typeof flags.now === "string" ? new Date(flags.now) : new Date();
    const patient = raw.resourceType === "Bundle" ? patientFromFhirBundle(raw, { now }) : PatientContext.parse(raw);
    const k = typeof flags.k === "string" ? Math.max(1, Math.min(100, Number.parseInt(flags.k, 10) || 10)) : 10;
    opened = await openKnowledge(loadConfig());
    const cases = await opened.cases.similarCases(patient, k, now);
    process.stdout.write(`${JSON.stringify({ k, cases }, null, 2)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`similar failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await opened?.stop();
  }
}
