// The independent triage sets' validation and split (issue 12), shared by split-ext3.mjs and
// split-ext4.mjs. `--add` appends new rows written in the authoring format, one a line:
// `E|system|population|style|benign(0/1)|source|text` (E/U/R = emergency/urgent/routine; lang is
// zh when the text holds a CJK character, else en; ids continue from the highest). The pooled rows
// are validated (schema, enums, unique ids, no duplicate or near-duplicate texts) and split with
// the seeded stratified split of split-lib.mjs inside each urgency×lang stratum. `--check`
// validates only. No dependencies.
import { readFileSync, writeFileSync } from "node:fs";
import { CJK, nearDuplicates, norm, readJsonl, stratifiedSplit } from "./split-lib.mjs";

const URGENCY = { E: "emergency", U: "urgent", R: "routine" };
const SYSTEMS = new Set(
  "cardiac neuro resp allergy infection gi gu obstetric vascular eye mental trauma endocrine renal skin ent other benign".split(
    " ",
  ),
);
const POPULATIONS = new Set(["adult", "child", "infant", "pregnant", "older"]);
const STYLES = new Set(["vignette", "chat", "clinical", "question"]);
const KEYS = ["id", "text", "lang", "urgency", "system", "population", "style", "benign", "source"];

function parseBatch(path, nextId, prefix) {
  const rows = [];
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "" || line.startsWith("#")) return;
      const parts = line.split("|");
      if (parts.length < 7) throw new Error(`${path}:${i + 1}: expected 7 fields`);
      const [u, system, population, style, benign, source, ...rest] = parts;
      const text = rest.join("|").trim();
      if (!URGENCY[u.trim()]) throw new Error(`${path}:${i + 1}: urgency ${u}`);
      rows.push({
        id: `${prefix}-${String(nextId++).padStart(4, "0")}`,
        text,
        lang: CJK.test(text) ? "zh" : "en",
        urgency: URGENCY[u.trim()],
        system: system.trim(),
        population: population.trim(),
        style: style.trim(),
        benign: benign.trim() === "1",
        source: source.trim(),
      });
    });
  return rows;
}

function validate(rows, prefix) {
  const errors = [];
  const ids = new Set();
  const texts = new Map();
  for (const r of rows) {
    const keys = Object.keys(r);
    if (keys.length !== KEYS.length || !KEYS.every((k) => k in r)) errors.push(`${r.id}: keys ${keys.join(",")}`);
    if (!new RegExp(`^${prefix}-\\d{4}$`).test(r.id)) errors.push(`${r.id}: bad id`);
    if (ids.has(r.id)) errors.push(`${r.id}: duplicate id`);
    ids.add(r.id);
    if (typeof r.text !== "string" || r.text.length < 3) errors.push(`${r.id}: text`);
    if (r.lang !== (CJK.test(r.text) ? "zh" : "en")) errors.push(`${r.id}: lang`);
    if (!Object.values(URGENCY).includes(r.urgency)) errors.push(`${r.id}: urgency ${r.urgency}`);
    if (!SYSTEMS.has(r.system)) errors.push(`${r.id}: system ${r.system}`);
    if (!POPULATIONS.has(r.population)) errors.push(`${r.id}: population ${r.population}`);
    if (!STYLES.has(r.style)) errors.push(`${r.id}: style ${r.style}`);
    if (typeof r.benign !== "boolean") errors.push(`${r.id}: benign`);
    if (r.benign && r.urgency === "emergency") errors.push(`${r.id}: benign emergency`);
    if (typeof r.source !== "string" || r.source === "") errors.push(`${r.id}: source`);
    const n = norm(r.text);
    if (texts.has(n)) errors.push(`${r.id}: duplicate text of ${texts.get(n)}`);
    texts.set(n, r.id);
  }
  return [...errors, ...nearDuplicates(rows)];
}

function counts(rows) {
  const c = {};
  for (const r of rows) {
    const k = `${r.urgency}/${r.lang}/${r.benign ? "benign" : "nonbenign"}`;
    c[k] = (c[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(c).sort());
}

/**
 * Validate and split one set. `whole`: the pooled file as written (rewritten in id order); without
 * it the two halves together are the set.
 */
export function runTriageSplit({ prefix, seed, tune: tunePath, report: reportPath, whole }) {
  const args = process.argv.slice(2);
  let rows = whole ? readJsonl(whole) : [...readJsonl(tunePath), ...readJsonl(reportPath)];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--add") {
      const max = rows.reduce((m, r) => Math.max(m, Number(r.id.slice(3))), 0);
      rows = rows.concat(parseBatch(args[++i], max + 1, prefix));
    }
  }
  const errors = validate(rows, prefix);
  if (errors.length > 0) {
    console.error(errors.join("\n"));
    process.exit(1);
  }
  if (!args.includes("--check")) {
    const { tune, report } = stratifiedSplit(rows, seed, (r) => `${r.urgency}|${r.lang}`);
    const line = (r) => `${JSON.stringify(Object.fromEntries(KEYS.map((k) => [k, r[k]])))}\n`;
    if (whole)
      writeFileSync(
        whole,
        [...rows]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map(line)
          .join(""),
      );
    writeFileSync(tunePath, tune.map(line).join(""));
    writeFileSync(reportPath, report.map(line).join(""));
    const zh = rows.filter((r) => r.lang === "zh").length;
    const benign = rows.filter((r) => r.benign).length;
    console.log(
      JSON.stringify(
        {
          total: rows.length,
          zhShare: +(zh / rows.length).toFixed(3),
          benignShare: +(benign / rows.length).toFixed(3),
          tune: { n: tune.length, ...counts(tune) },
          report: { n: report.length, ...counts(report) },
        },
        null,
        1,
      ),
    );
  }
}
