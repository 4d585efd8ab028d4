// Fourth independent triage set (issue 12): validate triage-ext4.jsonl (the whole set, as written)
// and split it into a tuning and a report half (triage-ext4-tune.jsonl / triage-ext4-report.jsonl).
//
//   node evals/datasets/split-ext4.mjs [--add batch.txt ...] [--check]
//
// The halves are derived: never edit them by hand; tune on -tune only. `--add` appends new rows written in the authoring
// format, one a line: `E|system|population|style|benign(0/1)|source|text` (E/U/R = emergency/urgent/
// routine; lang is zh when the text holds a CJK character, else en; ids continue from the highest).
// The pooled rows are validated (schema, enums, unique ids, no duplicate or near-duplicate texts)
// and split with a seeded Fisher-Yates shuffle inside each urgency×lang stratum (rows ordered by id
// first, so the result depends only on the rows and the seed), dealt alternately to tune/report;
// the half that gets the odd row alternates from stratum to stratum. `--check` validates only.
// No dependencies.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SEED = 20261203;
const dir = dirname(fileURLToPath(import.meta.url));
const WHOLE = join(dir, "triage-ext4.jsonl");
const TUNE = join(dir, "triage-ext4-tune.jsonl");
const REPORT = join(dir, "triage-ext4-report.jsonl");

const URGENCY = { E: "emergency", U: "urgent", R: "routine" };
const SYSTEMS = new Set(
  "cardiac neuro resp allergy infection gi gu obstetric vascular eye mental trauma endocrine renal skin ent other benign".split(
    " ",
  ),
);
const POPULATIONS = new Set(["adult", "child", "infant", "pregnant", "older"]);
const STYLES = new Set(["vignette", "chat", "clinical", "question"]);
const KEYS = ["id", "text", "lang", "urgency", "system", "population", "style", "benign", "source"];
const CJK = /[\u3400-\u9fff]/;

function readJsonl(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch (e) {
        throw new Error(`${path}:${i + 1}: ${e.message}`);
      }
    });
}

function parseBatch(path, nextId) {
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
        id: `t4-${String(nextId++).padStart(4, "0")}`,
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

function norm(text) {
  return text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, "");
}

function grams(s) {
  const g = new Set();
  for (let i = 0; i + 3 <= s.length; i++) g.add(s.slice(i, i + 3));
  return g;
}

function jaccard(a, b) {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

function validate(rows) {
  const errors = [];
  const ids = new Set();
  const texts = new Map();
  for (const r of rows) {
    const keys = Object.keys(r);
    if (keys.length !== KEYS.length || !KEYS.every((k) => k in r)) errors.push(`${r.id}: keys ${keys.join(",")}`);
    if (!/^t4-\d{4}$/.test(r.id)) errors.push(`${r.id}: bad id`);
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
  const g = rows.map((r) => ({ id: r.id, g: grams(norm(r.text)) }));
  for (let i = 0; i < g.length; i++)
    for (let j = i + 1; j < g.length; j++) {
      const s = jaccard(g[i].g, g[j].g);
      if (s >= 0.7) errors.push(`${g[i].id} ~ ${g[j].id}: near-duplicate (${s.toFixed(2)})`);
    }
  return errors;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function split(rows) {
  const rand = mulberry32(SEED);
  const strata = new Map();
  for (const r of [...rows].sort((a, b) => a.id.localeCompare(b.id))) {
    const k = `${r.urgency}|${r.lang}`;
    if (!strata.has(k)) strata.set(k, []);
    strata.get(k).push(r);
  }
  const tune = [];
  const report = [];
  let oddToTune = true;
  for (const k of [...strata.keys()].sort()) {
    const s = strata.get(k);
    for (let i = s.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [s[i], s[j]] = [s[j], s[i]];
    }
    const first = oddToTune ? tune : report;
    const second = oddToTune ? report : tune;
    s.forEach((r, i) => {
      (i % 2 === 0 ? first : second).push(r);
    });
    if (s.length % 2 === 1) oddToTune = !oddToTune;
  }
  const byId = (a, b) => a.id.localeCompare(b.id);
  return { tune: tune.sort(byId), report: report.sort(byId) };
}

function counts(rows) {
  const c = {};
  for (const r of rows) {
    const k = `${r.urgency}/${r.lang}/${r.benign ? "benign" : "nonbenign"}`;
    c[k] = (c[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(c).sort());
}

const args = process.argv.slice(2);
let rows = readJsonl(WHOLE);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--add") {
    const max = rows.reduce((m, r) => Math.max(m, Number(r.id.slice(3))), 0);
    rows = rows.concat(parseBatch(args[++i], max + 1));
  }
}
const errors = validate(rows);
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
if (!args.includes("--check")) {
  const { tune, report } = split(rows);
  const line = (r) => `${JSON.stringify(Object.fromEntries(KEYS.map((k) => [k, r[k]])))}\n`;
  writeFileSync(
    WHOLE,
    [...rows]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(line)
      .join(""),
  );
  writeFileSync(TUNE, tune.map(line).join(""));
  writeFileSync(REPORT, report.map(line).join(""));
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
