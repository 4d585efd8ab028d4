// Fourth independent triage set (issue 12): validate triage-ext4.jsonl (the whole set, as written)
// and split it into a tuning and a report half (triage-ext4-tune.jsonl / triage-ext4-report.jsonl).
// The halves are derived: never edit them by hand; tune on -tune only. See split-triage.mjs.
//
//   node evals/datasets/split-ext4.mjs [--add batch.txt ...] [--check]
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTriageSplit } from "./split-triage.mjs";

const dir = dirname(fileURLToPath(import.meta.url));
runTriageSplit({
  prefix: "t4",
  seed: 20261203,
  whole: join(dir, "triage-ext4.jsonl"),
  tune: join(dir, "triage-ext4-tune.jsonl"),
  report: join(dir, "triage-ext4-report.jsonl"),
});
