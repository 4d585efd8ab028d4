/**
 * The `phi` suite: the PHI redactor on messages with labelled identifiers and clinical numbers.
 * Recall = identifiers fully covered by redaction spans (the gate's `phiRecall`); precision =
 * spans that touch a labelled identifier; numbers kept = clinical values that survive
 * redaction (a redactor that eats "7.8" changes what the model is asked); false name spans =
 * NAME spans that touch no labelled identifier, overall and per real patient question (the
 * look-alikes copied from Toyhom and MedQuAD: a redactor that blanks 谢谢 or "Grace" garbles
 * what the model and the reviewer read).
 *
 * Without --data the suite scores the shipped sets — dev, the extended set's tuning and report
 * halves (metrics prefixed `tune.` and `report.`), the third set's halves (`tune3.`, `report3.`) and
 * the fourth set's (`tune4.`, `report4.`).
 */
import { z } from "zod";
import { redact } from "../../guardrails/index.js";
import { charts, type ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { type PromptfooTest, registerSuite, type SuiteContext } from "../suites.js";
import { datasetPath, ratio, readJsonl } from "./data.js";

export const PhiCase = z.object({
  id: z.string(),
  text: z.string(),
  phi: z.array(z.object({ text: z.string().min(1), type: z.string() })),
  keep: z.array(z.string()).default([]),
  /** Where the text comes from: written for the project, or a real question (toyhom, medquad). */
  source: z.string().optional(),
});
export type PhiCase = z.infer<typeof PhiCase>;

export const PHI_DEV = datasetPath("phi-dev.jsonl");
export const PHI_TUNE = datasetPath("phi-ext-tune.jsonl");
export const PHI_REPORT = datasetPath("phi-ext-report.jsonl");
/** The third PHI set (issue 13: names of every origin, written before the redactor was read). */
export const PHI_TUNE3 = datasetPath("phi-ext3-tune.jsonl");
export const PHI_REPORT3 = datasetPath("phi-ext3-report.jsonl");
/**
 * The fourth PHI set (issue 13 part 2: Chinese names that are also words, compound surnames,
 * pinyin, initials, lowercase chat, look-alikes; written before the redactor was run on it and
 * split once by `split-ext4-phi.mjs`).
 */
export const PHI_TUNE4 = datasetPath("phi-ext4-tune.jsonl");
export const PHI_REPORT4 = datasetPath("phi-ext4-report.jsonl");
/** The fifth PHI set (an outside author; letters with several people, names after 和/跟, nicknames, more origins; split once by `split-ext5-phi.mjs`). */
export const PHI_TUNE5 = datasetPath("phi-ext5-tune.jsonl");
export const PHI_REPORT5 = datasetPath("phi-ext5-report.jsonl");
/** Sources whose texts are real patient (or consumer health) questions, not written for the set. */
const REAL_SOURCES = new Set(["toyhom", "medquad"]);

/**
 * Every [start, end) where `needle` occurs in `text`. A Latin needle must stand as a whole word
 * ("E" in "Mr. E", not the E of "HbA1c … E"); Han needles match anywhere, as Chinese has no spaces.
 */
function occurrences(text: string, needle: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const latin = /[A-Za-z]/;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    const before = text[i - 1] ?? "";
    const after = text[i + needle.length] ?? "";
    if (latin.test(needle[0] ?? "") && latin.test(before)) continue;
    if (latin.test(needle.at(-1) ?? "") && latin.test(after)) continue;
    out.push([i, i + needle.length]);
  }
  return out;
}

export function scorePhiCases(cases: PhiCase[], tick: () => void = () => {}): EvalResult {
  let total = 0;
  let hit = 0;
  let typed = 0;
  let spansN = 0;
  let spansOnPhi = 0;
  let keepN = 0;
  let kept = 0;
  let nameSpans = 0;
  let falseNames = 0;
  let realN = 0;
  let realFalseNames = 0;
  const byType = new Map<string, { n: number; hit: number }>();
  const errors: Array<{ id: string; missed: string[]; lost: string[]; spurious: string[] }> = [];
  const times: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const { redacted, spans } = redact(c.text);
    times.push(performance.now() - t0);
    const missed: string[] = [];
    const gold = c.phi.flatMap((p) => occurrences(c.text, p.text));
    const real = REAL_SOURCES.has(c.source ?? "");
    if (real) realN++;
    for (const p of c.phi) {
      total++;
      const t = byType.get(p.type) ?? { n: 0, hit: 0 };
      t.n++;
      const occ = occurrences(c.text, p.text);
      // Found = every character of every occurrence lies inside some span.
      const covered =
        occ.length > 0 &&
        occ.every(([s, e]) =>
          Array.from({ length: e - s }, (_, k) => s + k).every((i) => spans.some((x) => x.start <= i && i < x.end)),
        );
      if (covered) {
        hit++;
        t.hit++;
        if (occ.every(([s, e]) => spans.some((x) => x.start < e && x.end > s && x.type === p.type))) typed++;
      } else missed.push(`${p.type}:${p.text}`);
      byType.set(p.type, t);
    }
    const spurious: string[] = [];
    for (const s of spans) {
      spansN++;
      const onPhi = gold.some(([gs, ge]) => s.start < ge && s.end > gs);
      if (s.type === "NAME") {
        nameSpans++;
        if (!onPhi) {
          falseNames++;
          if (real) realFalseNames++;
        }
      }
      if (onPhi) spansOnPhi++;
      else spurious.push(`${s.type}:${c.text.slice(s.start, s.end)}`);
    }
    const lost = c.keep.filter((k) => !redacted.includes(k));
    keepN += c.keep.length;
    kept += c.keep.length - lost.length;
    if (missed.length || lost.length || spurious.length) errors.push({ id: c.id, missed, lost, spurious });
    tick();
  }
  const types = [...byType.entries()].sort((a, b) => b[1].n - a[1].n);
  const name = byType.get("NAME");
  // Latency per message (the first call loads jieba's dictionary): reported, not gated — it
  // depends on the machine. `npm run bench` measures the whole pre-check.
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const metrics: Record<string, number> = {
    phiRecall: ratio(hit, total),
    nameRecall: name ? ratio(name.hit, name.n) : 1,
    phiPrecision: ratio(spansOnPhi, spansN),
    phiTypeAccuracy: ratio(typed, hit),
    numbersKept: keepN === 0 ? 1 : ratio(kept, keepN),
    falseNameSpans: falseNames,
    falseNameSpanRate: ratio(falseNames, nameSpans),
  };
  // Per real question: ≤ 1% means at most one false name in a hundred patient messages.
  if (realN > 0) metrics.realQuestionFalseNameRate = ratio(realFalseNames, realN);
  return {
    suite: "phi",
    createdAt: new Date().toISOString(),
    metrics,
    // Clinical numbers lost to redaction change the question the model answers: guarded like PHI.
    // So is a false name on a real patient question (谢谢 → [NAME]): it garbles what is asked.
    safety: ["phiRecall", "nameRecall", "numbersKept", ...(realN > 0 ? ["realQuestionFalseNameRate"] : [])],
    higherIsBetter: { falseNameSpans: false, falseNameSpanRate: false, realQuestionFalseNameRate: false },
    details: {
      cases: cases.length,
      identifiers: total,
      spans: spansN,
      nameSpans,
      realQuestions: realN,
      realQuestionFalseNames: realFalseNames,
      latencyP50Ms: q(0.5),
      latencyP99Ms: q(0.99),
      clinicalNumbers: keepN,
      recallByType: Object.fromEntries(types.map(([t, s]) => [t, ratio(s.hit, s.n)])),
      countByType: Object.fromEntries(types.map(([t, s]) => [t, s.n])),
      errors,
    },
  };
}

export interface PhiSets {
  dev: PhiCase[];
  tune: PhiCase[];
  report: PhiCase[];
  tune3?: PhiCase[];
  report3?: PhiCase[];
  tune4?: PhiCase[];
  report4?: PhiCase[];
  tune5?: PhiCase[];
  report5?: PhiCase[];
}

/**
 * The shipped sets scored together: dev metrics as they are, each half's under its own prefix
 * (`tune.`, `report.`, and `tune3.`, `report3.`, `tune4.`, `report4.`, `tune5.`, `report5.` when those sets are given).
 */
export function scorePhiSets(sets: PhiSets, tick?: () => void): EvalResult {
  const dev = scorePhiCases(sets.dev, tick);
  const halves: Record<string, EvalResult> = { tune: scorePhiCases(sets.tune, tick), report: scorePhiCases(sets.report, tick) };
  if (sets.tune3) halves.tune3 = scorePhiCases(sets.tune3, tick);
  if (sets.report3) halves.report3 = scorePhiCases(sets.report3, tick);
  if (sets.tune4) halves.tune4 = scorePhiCases(sets.tune4, tick);
  if (sets.report4) halves.report4 = scorePhiCases(sets.report4, tick);
  if (sets.tune5) halves.tune5 = scorePhiCases(sets.tune5, tick);
  if (sets.report5) halves.report5 = scorePhiCases(sets.report5, tick);
  const metrics = { ...dev.metrics };
  const safety = [...dev.safety];
  const higherIsBetter = { ...dev.higherIsBetter };
  for (const [prefix, r] of Object.entries(halves)) {
    for (const [k, v] of Object.entries(r.metrics)) metrics[`${prefix}.${k}`] = v;
    for (const k of r.safety) safety.push(`${prefix}.${k}`);
    for (const [k, v] of Object.entries(r.higherIsBetter)) higherIsBetter[`${prefix}.${k}`] = v;
  }
  return {
    ...dev,
    metrics,
    safety,
    higherIsBetter,
    details: {
      ...(dev.details as object),
      sets: { dev: dev.details, ...Object.fromEntries(Object.entries(halves).map(([k, r]) => [k, r.details])) },
    },
  };
}

export async function runPhiSuite(ctx: SuiteContext): Promise<EvalResult> {
  if (ctx.dataFile) {
    const cases = readJsonl(ctx.dataFile, PhiCase);
    return scorePhiCases(cases, ctx.progress(cases.length));
  }
  const sets = loadPhiSets();
  const n = Object.values(sets).reduce((a, s) => a + (s?.length ?? 0), 0);
  return scorePhiSets(sets, ctx.progress(n));
}

/** Every shipped PHI set: dev and the halves of the extended, third, fourth and fifth sets. */
export function loadPhiSets(): Required<PhiSets> {
  return {
    dev: readJsonl(PHI_DEV, PhiCase),
    tune: readJsonl(PHI_TUNE, PhiCase),
    report: readJsonl(PHI_REPORT, PhiCase),
    tune3: readJsonl(PHI_TUNE3, PhiCase),
    report3: readJsonl(PHI_REPORT3, PhiCase),
    tune4: readJsonl(PHI_TUNE4, PhiCase),
    report4: readJsonl(PHI_REPORT4, PhiCase),
    tune5: readJsonl(PHI_TUNE5, PhiCase),
    report5: readJsonl(PHI_REPORT5, PhiCase),
  };
}

type PhiDetails = {
  recallByType?: Record<string, number>;
  countByType?: Record<string, number>;
  errors?: Array<{ id: string; missed: string[]; lost: string[]; spurious: string[] }>;
};

const SET_COLUMNS = [
  "phiRecall",
  "nameRecall",
  "numbersKept",
  "falseNameSpans",
  "falseNameSpanRate",
  "realQuestionFalseNameRate",
];

function phiTables(r: EvalResult): ReportTable[] {
  const d = r.details as PhiDetails;
  const sets = ["", "tune.", "report.", "tune3.", "report3.", "tune4.", "report4."].filter(
    (p) => r.metrics[`${p}phiRecall`] !== undefined,
  );
  return [
    {
      title: "Figures per set (dev; extended, third and fourth sets: tuning half, report half)",
      columns: ["set", ...SET_COLUMNS],
      rows: sets.map((p) => [p === "" ? "dev" : p.slice(0, -1), ...SET_COLUMNS.map((k) => r.metrics[`${p}${k}`] ?? "—")]),
    },
    {
      title: "Recall by identifier type",
      columns: ["type", "identifiers", "recall"],
      rows: Object.entries(d.recallByType ?? {}).map(([t, v]) => [t, d.countByType?.[t] ?? 0, v]),
    },
    {
      title: "Errors",
      columns: ["id", "missed", "clinical numbers lost", "spurious spans"],
      rows: (d.errors ?? []).map((e) => [e.id, e.missed.join(", "), e.lost.join(", "), e.spurious.join(", ")]),
    },
  ];
}

export const PHI_PROMPT = `Rewrite the message below for a medical record shared with a third party. Replace every personal identifier (names, phone numbers, ID/record/insurance numbers, addresses, e-mail addresses, dates of birth) with a placeholder in square brackets such as [NAME]. Keep every clinical value (glucose, HbA1c, doses, ages) exactly as written. Output only the rewritten message.

Message: `;

/** Model-as-redactor cases for promptfoo: identifiers must be gone, clinical numbers must stay. */
export function phiPromptfooTests(dataFile?: string): PromptfooTest[] {
  return readJsonl(dataFile ?? PHI_DEV, PhiCase).map((c) => ({
    description: c.id,
    vars: { input: `${PHI_PROMPT}${c.text}` },
    assert: [
      ...c.phi.map((p) => ({ type: "not-contains", value: p.text, metric: "phiRecall" })),
      ...c.keep.map((k) => ({ type: "contains", value: k, metric: "numbersKept" })),
    ],
  }));
}

/** Adds the `phi` suite to the registry (once per process; the registry refuses duplicates). */
export function registerPhiSuite(): void {
  registerSuite("phi", runPhiSuite, {
    describe: "PHI redactor: recall, name recall, precision, false name spans, clinical numbers kept (dev, tune, report)",
    charts: (r) => [charts.perRuleRecall("phi: recall by identifier type", (r.details as PhiDetails).recallByType ?? {})],
    tables: phiTables,
    promptfoo: async (dataFile) => phiPromptfooTests(dataFile),
  });
}
