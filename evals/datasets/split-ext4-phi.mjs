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
import { CJK, nearDuplicates, norm, stratifiedSplit } from "./split-lib.mjs";

const SEED = 20261202;
const dir = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(dir, "phi-ext4-source.txt");
const TUNE = join(dir, "phi-ext4-tune.jsonl");
const REPORT = join(dir, "phi-ext4-report.jsonl");
const EARLIER = ["phi-dev.jsonl", "phi-ext-tune.jsonl", "phi-ext-report.jsonl", "phi-ext3-tune.jsonl", "phi-ext3-report.jsonl"];
const TYPES = new Set(["NAME", "PHONE", "DOB", "ID", "EMAIL", "ADDRESS", "MRN", "SSN", "INSURANCE"]);
const SOURCES = new Set(["written", "written-negative"]);

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
  return [...errors, ...nearDuplicates(rows)];
}

const rows = parse(SOURCE);
const errors = validate(rows);
if (errors.length > 0) {
  console.error(errors.join("\n"));
  process.exit(1);
}
if (!process.argv.includes("--check")) {
  const { tune, report } = stratifiedSplit(
    rows,
    SEED,
    (r) => `${r.phi.length > 0 ? "phi" : "none"}|${CJK.test(r.text) ? "zh" : "en"}`,
  );
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
