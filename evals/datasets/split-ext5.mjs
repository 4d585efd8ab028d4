// Fifth independent triage set (issue 12): validate triage-ext5.jsonl (the whole set, as written)
// and split it into a tuning and a report half (triage-ext5-tune.jsonl / triage-ext5-report.jsonl).
// The halves are derived: never edit them by hand; tune on -tune only. See split-triage.mjs.
//
//   node evals/datasets/split-ext5.mjs [--add batch.txt ...] [--check]
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTriageSplit } from "./split-triage.mjs";

const dir = dirname(fileURLToPath(import.meta.url));
runTriageSplit({
  prefix: "t5",
  seed: 20261202,
  whole: join(dir, "triage-ext5.jsonl"),
  tune: join(dir, "triage-ext5-tune.jsonl"),
  report: join(dir, "triage-ext5-report.jsonl"),
});
