// Fifth independent medication-safety set (issue 13): validate meds-ext5.jsonl and split
// it once into a tuning and a report half.
//
//   node evals/datasets/split-ext5-meds.mjs [--check]
//
// meds-ext5.jsonl is the pooled set, written from public sources (FDA labels' Contraindications /
// Drug Interactions sections, AGS Beers Criteria 2023, KDIGO 2022, ADA Standards of Care 2025)
// before the rules were run on it. Rows are validated (keys, unique ids, a `rule` naming the
// source, severities) and split with a seeded Fisher-Yates shuffle inside each kind×lang stratum
// (kind: safe / interaction / rule; lang: zh when the case holds a CJK character), rows ordered by
// id first so the result depends only on the rows and the seed; dealt alternately to tune/report,
// the half that gets an odd row alternating from stratum to stratum. `--check` validates only.
// No dependencies.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CJK, readJsonl, stratifiedSplit } from "./split-lib.mjs";

const SEED = 20261215;
const dir = dirname(fileURLToPath(import.meta.url));
const POOL = join(dir, "meds-ext5.jsonl");
const TUNE = join(dir, "meds-ext5-tune.jsonl");
const REPORT = join(dir, "meds-ext5-report.jsonl");
const KEYS = new Set(["id", "patient", "proposed", "audience", "draftText", "expected", "rule"]);

const rows = readJsonl(POOL);

const kind = (r) =>
  r.expected.length === 0 ? "safe" : r.expected.some((e) => e.code.startsWith("interaction")) ? "interaction" : "rule";
const lang = (r) => (CJK.test(JSON.stringify(r.patient) + JSON.stringify(r.proposed)) ? "zh" : "en");

const errors = [];
const ids = new Set();
const bodies = new Map();
for (const r of rows) {
  for (const k of Object.keys(r)) if (!KEYS.has(k)) errors.push(`${r.id}: unexpected key ${k}`);
  if (!/^m5-\d{3}$/.test(r.id ?? "")) errors.push(`${r.id}: bad id`);
  if (ids.has(r.id)) errors.push(`${r.id}: duplicate id`);
  ids.add(r.id);
  if (typeof r.rule !== "string" || r.rule.length < 8) errors.push(`${r.id}: rule must name its source`);
  if (!Array.isArray(r.proposed) || r.proposed.length === 0) errors.push(`${r.id}: no proposal`);
  if (!Array.isArray(r.expected)) errors.push(`${r.id}: expected`);
  for (const e of r.expected ?? [])
    if (!["block", "warn", "info"].includes(e.severity) || typeof e.code !== "string")
      errors.push(`${r.id}: finding ${JSON.stringify(e)}`);
  const body = JSON.stringify([r.patient, r.proposed]);
  if (bodies.has(body)) errors.push(`${r.id}: same plan as ${bodies.get(body)}`);
  bodies.set(body, r.id);
}
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}

if (!process.argv.includes("--check")) {
  const { tune, report } = stratifiedSplit(rows, SEED, (r) => `${kind(r)}|${lang(r)}`);
  const out = (rs) => rs.map((r) => `${JSON.stringify(r)}\n`).join("");
  writeFileSync(TUNE, out(tune));
  writeFileSync(REPORT, out(report));
  const counts = (rs) => {
    const c = {};
    for (const r of rs) c[`${kind(r)}/${lang(r)}`] = (c[`${kind(r)}/${lang(r)}`] ?? 0) + 1;
    return Object.fromEntries(Object.entries(c).sort());
  };
  console.log(
    JSON.stringify(
      { total: rows.length, tune: { n: tune.length, ...counts(tune) }, report: { n: report.length, ...counts(report) } },
      null,
      1,
    ),
  );
}
