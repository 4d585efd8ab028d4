// What the dataset split scripts share (split-ext3/ext4 triage, split-ext4-phi, split-ext4-meds):
// reading JSON Lines, near-duplicate detection, and the one seeded stratified split — rows ordered
// by id, a Fisher-Yates shuffle (mulberry32) inside each stratum, dealt alternately to tune and
// report, the half that gets a stratum's odd row alternating. The result depends only on the rows,
// the stratum key and the seed. No dependencies.
import { existsSync, readFileSync } from "node:fs";

export const CJK = /[\u3400-\u9fff]/;

/** The rows of a JSON Lines file ([] when it does not exist); a bad line names its position. */
export function readJsonl(path) {
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

/** A text reduced for duplicate checks: lower case, no spaces, punctuation or symbols. */
export const norm = (text) => text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, "");

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

/** "a ~ b: near-duplicate (0.74)" for every pair of rows whose texts share ≥ 70% of character trigrams. */
export function nearDuplicates(rows) {
  const errors = [];
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

/** The seeded stratified split into { tune, report }, each ordered by id. */
export function stratifiedSplit(rows, seed, stratum) {
  const rand = mulberry32(seed);
  const strata = new Map();
  for (const r of [...rows].sort((a, b) => a.id.localeCompare(b.id))) {
    const k = stratum(r);
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
    const [first, second] = oddToTune ? [tune, report] : [report, tune];
    s.forEach((r, i) => {
      (i % 2 === 0 ? first : second).push(r);
    });
    if (s.length % 2 === 1) oddToTune = !oddToTune;
  }
  const byId = (a, b) => a.id.localeCompare(b.id);
  return { tune: tune.sort(byId), report: report.sort(byId) };
}
