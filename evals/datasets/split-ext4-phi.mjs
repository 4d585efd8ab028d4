// Fourth PHI set (issue 13 part 2): validate phi-ext4-source.txt and split it into a tuning and a
// report half.
//
//   node evals/datasets/split-ext4-phi.mjs [--check]
//
// The source holds one text a line, `source|text|TYPE:value;TYPE:value|keep;keep` (lines starting
// with # are comments). Every identifier and every kept value must occur in its text; texts must be
// unique, not near-duplicates of each other, and not copies of a text in the earlier PHI sets. Rows
// get ids in file order (x4w… for texts with identifiers, x4n… for look-alikes), are ordered by id,
// then shuffled with a seeded Fisher-Yates inside each (has identifiers × language) stratum and dealt
// alternately to tune/report; the half that gets a stratum's odd row alternates. The split is done
// once: re-running it on the same source gives the same halves. `--check` validates only.
// No dependencies.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SEED = 20261202;
const dir = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(dir, "phi-ext4-source.txt");
const TUNE = join(dir, "phi-ext4-tune.jsonl");
const REPORT = join(dir, "phi-ext4-report.jsonl");
const EARLIER = ["phi-dev.jsonl", "phi-ext-tune.jsonl", "phi-ext-report.jsonl", "phi-ext3-tune.jsonl", "phi-ext3-report.jsonl"];
const TYPES = new Set(["NAME", "PHONE", "DOB", "ID", "EMAIL", "ADDRESS", "MRN", "SSN", "INSURANCE"]);
const SOURCES = new Set(["written", "written-negative"]);
const CJK = /[\u3400-\u9fff]/;

function parse(path) {
  const rows = [];
  let w = 0;
  let n = 0;
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "" || line.startsWith("#")) return;
      const parts = line.split("|");
      if (parts.length !== 4) throw new Error(`${path}:${i + 1}: expected 4 fields, got ${parts.length}`);
      const [source, text, phi, keep] = parts.map((p) => p.trim());
      const list = (s) => (s === "" ? [] : s.split(";").map((x) => x.trim()));
      const ids = list(phi).map((p) => {
        const k = p.indexOf(":");
        return { text: p.slice(k + 1), type: p.slice(0, k) };
      });
      const id = ids.length > 0 ? `x4w${String(++w).padStart(3, "0")}` : `x4n${String(++n).padStart(3, "0")}`;
      rows.push({ id, text, phi: ids, keep: list(keep), source, line: i + 1 });
    });
  return rows;
}

const norm = (t) => t.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, "");
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
  const earlier = new Set();
  for (const f of EARLIER) {
    const p = join(dir, f);
    if (!existsSync(p)) continue;
    for (const l of readFileSync(p, "utf8").split("\n")) if (l.trim()) earlier.add(norm(JSON.parse(l).text));
  }
  const seen = new Map();
  for (const r of rows) {
    const at = `line ${r.line} (${r.id})`;
    if (!SOURCES.has(r.source)) errors.push(`${at}: source ${r.source}`);
    if ((r.source === "written-negative") !== (r.phi.length === 0)) errors.push(`${at}: source vs identifiers`);
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
    const k = `${r.phi.length > 0 ? "phi" : "none"}|${CJK.test(r.text) ? "zh" : "en"}`;
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

const rows = parse(SOURCE);
const errors = validate(rows);
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
if (!process.argv.includes("--check")) {
  const { tune, report } = split(rows);
  const line = (r) => `${JSON.stringify({ id: r.id, text: r.text, phi: r.phi, keep: r.keep, source: r.source })}\n`;
  writeFileSync(TUNE, tune.map(line).join(""));
  writeFileSync(REPORT, report.map(line).join(""));
  const count = (rs) => ({
    n: rs.length,
    withIdentifiers: rs.filter((r) => r.phi.length > 0).length,
    lookAlikes: rs.filter((r) => r.phi.length === 0).length,
    zh: rs.filter((r) => CJK.test(r.text)).length,
    names: rs.reduce((a, r) => a + r.phi.filter((p) => p.type === "NAME").length, 0),
  });
  console.log(JSON.stringify({ total: rows.length, tune: count(tune), report: count(report) }, null, 1));
}
