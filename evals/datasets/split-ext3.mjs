// Third independent triage set (issue 12): validate and split triage-ext3 into a tuning and a
// report half; the two halves together are the whole set. See split-triage.mjs.
//
//   node evals/datasets/split-ext3.mjs [--add batch.txt ...] [--check]
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTriageSplit } from "./split-triage.mjs";

const dir = dirname(fileURLToPath(import.meta.url));
runTriageSplit({
  prefix: "t3",
  seed: 20261202,
  tune: join(dir, "triage-ext3-tune.jsonl"),
  report: join(dir, "triage-ext3-report.jsonl"),
});
