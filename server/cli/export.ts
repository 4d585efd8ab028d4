/**
 * `glycopilot export sft|dpo [--out FILE] [--kind consultation|message]` — training data from
 * reviewer decisions, redacted, as a JSON array in LLaMA-Factory's formats:
 *   sft → alpaca  [{instruction, input, output}]                 (approved and edited cases)
 *   dpo → pairwise [{instruction, input, chosen, rejected}]      (edited, and rejected with the reviewer's text)
 * Register the file in LLaMA-Factory's data/dataset_info.json, e.g.
 *   "glyco_sft": {"file_name": "glyco_sft.json"}
 *   "glyco_dpo": {"file_name": "glyco_dpo.json", "ranking": true,
 *                 "columns": {"prompt": "instruction", "query": "input", "chosen": "chosen", "rejected": "rejected"}}
 */
import { type CliIo, withDb, writeOut } from "../review/cli-io.js";
import { dpoRecords, loadReviewedCases, sftRecords } from "../review/training.js";
import { triageDpoRecords, triageSftRecords } from "../review/triage-correction.js";
import { parseArgs } from "./jsonl.js";

export async function run(argv: string[], io: CliIo = {}): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const err = io.stderr ?? process.stderr;
  const what = positionals[0];
  const kind = flags.kind;
  if (what === "triage-sft" || what === "triage-dpo") {
    // Reviewers' urgency/responder corrections as training pairs for the triage prompt (issue 12).
    return withDb(io, async (db) => {
      const records = what === "triage-sft" ? await triageSftRecords(db) : await triageDpoRecords(db);
      await writeOut(io, typeof flags.out === "string" ? flags.out : undefined, `${JSON.stringify(records, null, 2)}\n`);
      err.write(`exported ${records.length} ${what.toUpperCase()} records from reviewers' triage corrections (redacted)\n`);
      return 0;
    });
  }
  if ((what !== "sft" && what !== "dpo") || (kind !== undefined && kind !== "consultation" && kind !== "message")) {
    err.write("usage: glycopilot export sft|dpo|triage-sft|triage-dpo [--out FILE] [--kind consultation|message]\n");
    return 2;
  }
  return withDb(io, async (db) => {
    const cases = await loadReviewedCases(db, kind);
    const records = what === "sft" ? sftRecords(cases) : dpoRecords(cases);
    await writeOut(io, typeof flags.out === "string" ? flags.out : undefined, `${JSON.stringify(records, null, 2)}\n`);
    err.write(`exported ${records.length} ${what.toUpperCase()} records from ${cases.length} reviewed cases (redacted)\n`);
    return 0;
  });
}
