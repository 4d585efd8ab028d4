// Fifth independent PHI set (issue 13): validate phi-ext5.jsonl and split it once into a tuning and
// a report half.
//
//   node evals/datasets/split-ext5-phi.mjs [--check]
//
// phi-ext5.jsonl is the pooled set as written: `{"id","text","phi":[{"text","type"}],"keep","source"}`,
// ids x5w… (written texts with identifiers), x5n… (written look-alikes) and real questions copied
// unchanged: x5t-N = the `title` of toyhom_im_sample_N (source `toyhom`, Toyhom/Chinese-medical-
// dialogue-data, MIT, LICENSE.toyhom-MIT) and x5d-N = the question stem on line N of
// shared/data/qa/diabetica_mcq_a1.csv (source `diabetica`, waltonfuture/Diabetica, MIT,
// LICENSE.Diabetica-MIT). Every identifier and
// every kept value must occur in its text; texts must be unique, not near-duplicates of each other and
// not copies of a text in the earlier PHI sets; look-alikes and real questions carry no identifier.
// Rows are ordered by id, shuffled with a seeded Fisher-Yates inside each (has identifiers × real ×
// language) stratum and dealt alternately to tune/report, the half that gets a stratum's odd row
// alternating (split-lib.mjs). The split is done once; re-running it gives the same halves.
// `--check` validates only. No dependencies.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CJK, nearDuplicates, norm, readJsonl, stratifiedSplit } from "./split-lib.mjs";

const SEED = 20261225;
const dir = dirname(fileURLToPath(import.meta.url));
const POOL = join(dir, "phi-ext5.jsonl");
const TUNE = join(dir, "phi-ext5-tune.jsonl");
const REPORT = join(dir, "phi-ext5-report.jsonl");
const EARLIER = [
  "phi-dev.jsonl",
  "phi-ext-tune.jsonl",
  "phi-ext-report.jsonl",
  "phi-ext3-tune.jsonl",
  "phi-ext3-report.jsonl",
  "phi-ext4-tune.jsonl",
  "phi-ext4-report.jsonl",
];
const TYPES = new Set(["NAME", "PHONE", "DOB", "ID", "EMAIL", "ADDRESS", "MRN", "SSN", "INSURANCE"]);
const KEYS = ["id", "text", "phi", "keep", "source"];
const real = (r) => r.source === "toyhom" || r.source === "diabetica";

function validate(rows) {
  const errors = [];
  const earlier = new Set();
  for (const f of EARLIER) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    for (const l of readFileSync(p, "utf8").split("\n")) if (l.trim()) earlier.add(norm(JSON.parse(l).text));
  }
  const seen = new Map();
  const ids = new Set();
  for (const r of rows) {
    if (ids.has(r.id)) errors.push(`${r.id}: duplicate id`);
    ids.add(r.id);
    const at = r.id;
    if (Object.keys(r).join() !== KEYS.join()) errors.push(`${at}: keys ${Object.keys(r).join()}`);
    const idPattern = { written: /^x5w\d{3}$/, "written-negative": /^x5n\d{3}$/, toyhom: /^x5t-\d+$/, diabetica: /^x5d-\d+$/ }[
      r.source
    ];
    if (!idPattern) errors.push(`${at}: source ${r.source}`);
    else if (!idPattern.test(r.id)) errors.push(`${at}: id does not match source ${r.source}`);
    if ((r.source === "written") !== r.phi.length > 0) errors.push(`${at}: source vs identifiers`);
    for (const p of r.phi) {
      if (!TYPES.has(p.type)) errors.push(`${at}: type ${p.type}`);
      if (!p.text || !r.text.includes(p.text)) errors.push(`${at}: identifier "${p.text}" not in text`);
    }
    for (const k of r.keep) if (!r.text.includes(k)) errors.push(`${at}: kept value "${k}" not in text`);
    const n = norm(r.text);
    if (seen.has(n)) errors.push(`${at}: duplicate of ${seen.get(n)}`);
    if (earlier.has(n)) errors.push(`${at}: copy of a text in an earlier PHI set`);
    seen.set(n, r.id);
  }
  return [...errors, ...nearDuplicates(rows)];
}

const rows = readJsonl(POOL);
const errors = validate(rows);
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
if (!process.argv.includes("--check")) {
  const { tune, report } = stratifiedSplit(
    rows,
    SEED,
    (r) => `${r.phi.length > 0 ? "phi" : "none"}|${real(r) ? "real" : "written"}|${CJK.test(r.text) ? "zh" : "en"}`,
  );
  const out = (rs) => rs.map((r) => `${JSON.stringify(r)}\n`).join("");
  writeFileSync(TUNE, out(tune));
  writeFileSync(REPORT, out(report));
  const count = (rs) => ({
    n: rs.length,
    withIdentifiers: rs.filter((r) => r.phi.length > 0).length,
    lookAlikes: rs.filter((r) => r.phi.length === 0).length,
    real: rs.filter(real).length,
    zh: rs.filter((r) => CJK.test(r.text)).length,
    names: rs.reduce((a, r) => a + r.phi.filter((p) => p.type === "NAME").length, 0),
    identifiers: rs.reduce((a, r) => a + r.phi.length, 0),
  });
  console.log(JSON.stringify({ total: rows.length, tune: count(tune), report: count(report) }, null, 1));
}
