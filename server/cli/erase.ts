/**
 * `glycopilot erase --patient REF [--by NAME]` — erase one patient's data from the SQL store:
 * their messages with results, deliveries and review cases, conversation links, WeChat bindings
 * and enrollment codes, and the patient record. One audit event records who erased what (counts
 * only); the audit chain stays valid because audit events hold no text. Prints the counts as JSON.
 * On the embedded PGlite store, stop the server first (one process at a time) or use the admin
 * route (POST /v1/admin/erasures) on the running server.
 */
import { type CliIo, withDb } from "../review/cli-io.js";
import { createSqlAuditStore } from "../stores/audit-store.js";
import { erasePatient } from "../stores/erasure.js";
import { parseArgs } from "./jsonl.js";

const REF_RE = /^[A-Za-z0-9._:-]{1,120}$/;

export async function run(argv: string[], io: CliIo = {}): Promise<number> {
  const { flags } = parseArgs(argv);
  const err = io.stderr ?? process.stderr;
  const out = io.stdout ?? process.stdout;
  const ref = flags.patient;
  if (typeof ref !== "string" || !REF_RE.test(ref)) {
    err.write("usage: glycopilot erase --patient REF [--by NAME]   (REF: letters, digits, . _ : -; up to 120)\n");
    return 2;
  }
  const by = typeof flags.by === "string" ? flags.by.slice(0, 120) : "cli";
  return withDb(io, async (db) => {
    const counts = await erasePatient(
      db,
      createSqlAuditStore(db, () => new Date()),
      ref,
      { by: `cli:${by}` },
    );
    out.write(`${JSON.stringify({ patientRef: ref, erased: counts })}\n`);
    err.write(
      counts.messages + counts.patientRecord === 0
        ? `nothing stored for patient ${ref}\n`
        : `erased patient ${ref}: ${counts.messages} messages, ${counts.reviewCases} review cases, patient record ${counts.patientRecord ? "deleted" : "absent"}\n`,
    );
    return 0;
  });
}
