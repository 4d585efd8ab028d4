/**
 * The `triage` suite: the deterministic triage guardrail on labelled sets of messages.
 * Per set it reports per-class P/R/F1, macro-F1, accuracy, the safety figures the gate guards
 * (emergency recall, under-triage count and rate, emergencies answered `routine`) plus
 * over-triage of routine (self-care) messages, the share of benign look-alikes called
 * `emergency`, the confusion matrix, recall per rule and per organ system, and the errors.
 * The dataset's `rule` field names the rule or presentation that justifies each label, so a
 * miss points at the rule that regressed.
 *
 * Without `--data` the suite scores three sets in one result: the original dev set
 * (`triage-dev.jsonl`, metrics unprefixed, as before) and the extended set written for issue 12
 * from public triage guidance, split once into a tuning half (`extTune.*` metrics) and a report
 * half (`extReport.*`). Tune rules on the tuning half only.
 */
import { z } from "zod";
import { Urgency } from "../../core/domain.js";
import { patientFromPlain, triage } from "../../guardrails/index.js";
import { classificationReport, triageSafety } from "../metrics/classification.js";
import { type ChartSpec, charts, type ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { type PromptfooTest, registerSuite, type SuiteContext } from "../suites.js";
import { DEV_NOW, datasetPath, ratio, readJsonl } from "./data.js";

export const TriageCase = z.object({
  id: z.string(),
  text: z.string(),
  lang: z.string().optional(),
  urgency: Urgency,
  /** The ext3 set names no rule: its organ system stands in (see `ruleOf`). */
  rule: z.string().optional(),
  /** Organ system (extended set); the original dev set has none ("unspecified"). */
  system: z.string().optional(),
  /** Guidance behind the label, e.g. "NHS: Meningitis — call 999". */
  source: z.string().optional(),
  /** adult, older adult, child, infant, pregnancy. */
  population: z.string().optional(),
  /** A routine look-alike or self-care question: calling it `emergency` is a false alarm. */
  benign: z.boolean().optional(),
  patient: z.unknown().optional(),
});
export type TriageCase = z.infer<typeof TriageCase>;

export const TRIAGE_DEV = datasetPath("triage-dev.jsonl");
export const TRIAGE_EXT_TUNE = datasetPath("triage-ext-tune.jsonl");
export const TRIAGE_EXT_REPORT = datasetPath("triage-ext-report.jsonl");
/** A second set by another author, written without reading the rules or the first set (issue 12). */
export const TRIAGE_EXT2_TUNE = datasetPath("triage-ext2-tune.jsonl");
export const TRIAGE_EXT2_REPORT = datasetPath("triage-ext2-report.jsonl");
/** A third set (547 cases) by a third author, written without reading the rules or the other sets. */
export const TRIAGE_EXT3_TUNE = datasetPath("triage-ext3-tune.jsonl");
export const TRIAGE_EXT3_REPORT = datasetPath("triage-ext3-report.jsonl");
/** A fourth set (447 cases) by a fourth author, written before the rules were run on it (issue 12). */
export const TRIAGE_EXT4_TUNE = datasetPath("triage-ext4-tune.jsonl");
export const TRIAGE_EXT4_REPORT = datasetPath("triage-ext4-report.jsonl");
/** A fifth set (378 cases: symptom-checker-audit-style vignettes, clinical notes, chat, look-alikes) by a fifth author. */
export const TRIAGE_EXT5_TUNE = datasetPath("triage-ext5-tune.jsonl");
export const TRIAGE_EXT5_REPORT = datasetPath("triage-ext5-report.jsonl");
/** The sets `glycopilot eval triage` scores by default; `prefix` namespaces their metrics. */
export const TRIAGE_SETS = [
  { name: "triage-dev", prefix: "", file: TRIAGE_DEV },
  { name: "ext-tune", prefix: "extTune.", file: TRIAGE_EXT_TUNE },
  { name: "ext-report", prefix: "extReport.", file: TRIAGE_EXT_REPORT },
  { name: "ext2-tune", prefix: "ext2Tune.", file: TRIAGE_EXT2_TUNE },
  { name: "ext2-report", prefix: "ext2Report.", file: TRIAGE_EXT2_REPORT },
  { name: "ext3-tune", prefix: "ext3Tune.", file: TRIAGE_EXT3_TUNE },
  { name: "ext3-report", prefix: "ext3Report.", file: TRIAGE_EXT3_REPORT },
  { name: "ext4-tune", prefix: "ext4Tune.", file: TRIAGE_EXT4_TUNE },
  { name: "ext4-report", prefix: "ext4Report.", file: TRIAGE_EXT4_REPORT },
  { name: "ext5-tune", prefix: "ext5Tune.", file: TRIAGE_EXT5_TUNE },
  { name: "ext5-report", prefix: "ext5Report.", file: TRIAGE_EXT5_REPORT },
] as const;

const LEVELS: Urgency[] = ["emergency", "urgent", "routine"];
const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
/** Metrics where any regression fails the gate (per set, prefixed). */
const SAFETY = ["emergencyRecall", "underTriageCount", "underTriageRate", "emergentToRoutineCount"];
/** Error-type metrics: lower is better. */
const LOWER_IS_BETTER = [
  "underTriageCount",
  "underTriageRate",
  "overTriageRate",
  "emergentToRoutineCount",
  "benignEmergencyRate",
];

/** "Level 3 hypoglycemia (third party)" → "Level 3 hypoglycemia": variants share the rule's bar. */
export const baseRule = (rule: string): string => rule.replace(/\s*\(.*\)\s*$/, "").trim() || rule;
/** The rule a case is grouped under: its `rule`, else its organ system (ext3), else "unspecified". */
const ruleOf = (c: TriageCase): string => c.rule ?? (c.system ? `system: ${c.system}` : "unspecified");

export interface SystemStats {
  cases: number;
  emergencies: number;
  /** Gold emergencies predicted `emergency`. */
  emergencyRecall: number;
  /** Gold emergency/urgent cases. */
  atRisk: number;
  /** Share of gold emergency/urgent cases predicted at least at their gold level. */
  recall: number;
  underTriaged: number;
  accuracy: number;
}

export interface TriageError {
  id: string;
  rule: string;
  system: string;
  expected: Urgency;
  got: Urgency;
  text: string;
}

/** Scores one labelled set; metric names are unprefixed. */
export function scoreTriageCases(cases: TriageCase[], tick: () => void = () => {}): EvalResult {
  const predicted = cases.map((c) => {
    const got = triage({ text: c.text, patient: patientFromPlain(c.patient), now: DEV_NOW }).urgency;
    tick();
    return got;
  });
  const gold = cases.map((c) => c.urgency);
  const report = classificationReport(gold, predicted, LEVELS);
  const safety = triageSafety(gold, predicted);

  const byRule = new Map<string, { n: number; correct: number }>();
  cases.forEach((c, i) => {
    const r = byRule.get(baseRule(ruleOf(c))) ?? { n: 0, correct: 0 };
    r.n++;
    if (predicted[i] === c.urgency) r.correct++;
    byRule.set(baseRule(ruleOf(c)), r);
  });
  const rules = [...byRule.entries()].sort(
    (a, b) => ratio(a[1].correct, a[1].n) - ratio(b[1].correct, b[1].n) || b[1].n - a[1].n,
  );

  const bySystem = new Map<string, { n: number; em: number; emHit: number; atRisk: number; under: number; correct: number }>();
  let emergentToRoutine = 0;
  let benign = 0;
  let benignEmergency = 0;
  cases.forEach((c, i) => {
    const p = predicted[i] as Urgency;
    const key = c.system ?? "unspecified";
    const s = bySystem.get(key) ?? { n: 0, em: 0, emHit: 0, atRisk: 0, under: 0, correct: 0 };
    s.n++;
    if (p === c.urgency) s.correct++;
    if (c.urgency === "emergency") {
      s.em++;
      if (p === "emergency") s.emHit++;
      if (p === "routine") emergentToRoutine++;
    }
    if (RANK[c.urgency] > 0) {
      s.atRisk++;
      if (RANK[p] < RANK[c.urgency]) s.under++;
    }
    if (c.benign) {
      benign++;
      if (p === "emergency") benignEmergency++;
    }
    bySystem.set(key, s);
  });
  const perSystem: Record<string, SystemStats> = Object.fromEntries(
    [...bySystem.entries()]
      .sort(
        (a, b) => ratio(a[1].atRisk - a[1].under, a[1].atRisk) - ratio(b[1].atRisk - b[1].under, b[1].atRisk) || b[1].n - a[1].n,
      )
      .map(([k, s]) => [
        k,
        {
          cases: s.n,
          emergencies: s.em,
          // No emergencies in the system: nothing missed (as triageSafety does).
          emergencyRecall: s.em === 0 ? 1 : s.emHit / s.em,
          atRisk: s.atRisk,
          recall: s.atRisk === 0 ? 1 : (s.atRisk - s.under) / s.atRisk,
          underTriaged: s.under,
          accuracy: ratio(s.correct, s.n),
        },
      ]),
  );

  const perClass: Record<string, number> = {};
  for (const l of LEVELS) {
    const s = report.perClass[l];
    perClass[`precision_${l}`] = s?.precision ?? 0;
    perClass[`recall_${l}`] = s?.recall ?? 0;
    perClass[`f1_${l}`] = s?.f1 ?? 0;
  }
  const errors: TriageError[] = cases.flatMap((c, i) =>
    predicted[i] === c.urgency
      ? []
      : [
          {
            id: c.id,
            rule: ruleOf(c),
            system: c.system ?? "unspecified",
            expected: c.urgency,
            got: predicted[i] as Urgency,
            text: c.text,
          },
        ],
  );
  return {
    suite: "triage",
    createdAt: new Date().toISOString(),
    metrics: {
      emergencyRecall: safety.emergencyRecall,
      underTriageCount: safety.underTriageCount,
      underTriageRate: safety.underTriageRate,
      emergentToRoutineCount: emergentToRoutine,
      // Over-triage of self-care: gold routine predicted urgent or emergency.
      overTriageRate: safety.overTriageRate,
      benignEmergencyRate: ratio(benignEmergency, benign),
      macroF1: report.macroF1,
      accuracy: report.accuracy,
      ...perClass,
    },
    safety: [...SAFETY],
    higherIsBetter: Object.fromEntries(LOWER_IS_BETTER.map((m) => [m, false])),
    details: {
      cases: cases.length,
      emergencies: safety.emergencies,
      benign,
      benignEmergency,
      confusion: { labels: report.labels, matrix: report.confusion },
      perRuleRecall: Object.fromEntries(rules.map(([r, s]) => [r, ratio(s.correct, s.n)])),
      ruleCounts: Object.fromEntries(rules.map(([r, s]) => [r, s.n])),
      perSystem,
      errors,
    },
  };
}

export interface TriageSet {
  name: string;
  /** Prepended to every metric name of this set ("" keeps the names unprefixed). */
  prefix: string;
  cases: TriageCase[];
  file?: string;
}

/**
 * Scores several sets into one result the gate can compare: each set's metrics, safety names
 * and directions under its prefix; `details` keeps the first set's fields at the top level (the
 * report's default charts read them) and every set under `details.sets[name]`.
 */
export function scoreTriageSets(sets: TriageSet[], tick: () => void = () => {}): EvalResult {
  if (sets.length === 0) throw new Error("no triage sets to score");
  if (new Set(sets.map((s) => s.prefix)).size !== sets.length) throw new Error("triage sets need distinct prefixes");
  const metrics: Record<string, number> = {};
  const safety: string[] = [];
  const higherIsBetter: Record<string, boolean> = {};
  const perSet: Record<string, unknown> = {};
  let first: unknown;
  for (const set of sets) {
    const r = scoreTriageCases(set.cases, tick);
    for (const [k, v] of Object.entries(r.metrics)) metrics[`${set.prefix}${k}`] = v;
    for (const k of r.safety) safety.push(`${set.prefix}${k}`);
    for (const [k, v] of Object.entries(r.higherIsBetter)) higherIsBetter[`${set.prefix}${k}`] = v;
    perSet[set.name] = { file: set.file, prefix: set.prefix, metrics: r.metrics, ...(r.details as object) };
    first ??= r.details;
  }
  return {
    suite: "triage",
    createdAt: new Date().toISOString(),
    metrics,
    safety,
    higherIsBetter,
    details: { ...(first as object), sets: perSet },
  };
}

/** The default sets, read from evals/datasets/. */
export function loadTriageSets(): TriageSet[] {
  return TRIAGE_SETS.map((s) => ({ name: s.name, prefix: s.prefix, file: s.file, cases: readJsonl(s.file, TriageCase) }));
}

export async function runTriageSuite(ctx: SuiteContext): Promise<EvalResult> {
  if (ctx.dataFile) {
    const cases = readJsonl(ctx.dataFile, TriageCase);
    return scoreTriageCases(cases, ctx.progress(cases.length));
  }
  const sets = loadTriageSets();
  return scoreTriageSets(sets, ctx.progress(sets.reduce((n, s) => n + s.cases.length, 0)));
}

interface SetDetails {
  prefix?: string;
  cases?: number;
  emergencies?: number;
  benign?: number;
  metrics?: Record<string, number>;
  confusion?: { labels: string[]; matrix: number[][] };
  perRuleRecall?: Record<string, number>;
  ruleCounts?: Record<string, number>;
  perSystem?: Record<string, SystemStats>;
  errors?: TriageError[];
}

/** The sets in a result: `details.sets` for a multi-set run, else the single set itself. */
function setsOf(r: EvalResult): Array<[string, SetDetails]> {
  const d = (r.details ?? {}) as SetDetails & { sets?: Record<string, SetDetails> };
  if (d.sets) return Object.entries(d.sets);
  return [["data", { ...d, metrics: r.metrics }]];
}

const SET_COLUMNS: Array<[string, string]> = [
  ["emergency recall", "emergencyRecall"],
  ["emergent→routine", "emergentToRoutineCount"],
  ["under-triage", "underTriageCount"],
  ["under-triage rate", "underTriageRate"],
  ["over-triage of self-care", "overTriageRate"],
  ["benign→emergency", "benignEmergencyRate"],
  ["accuracy", "accuracy"],
  ["macro-F1", "macroF1"],
];

function triageTables(r: EvalResult): ReportTable[] {
  const sets = setsOf(r);
  const tables: ReportTable[] = [
    {
      title: "Sets",
      columns: ["set", "cases", "emergencies", "benign", ...SET_COLUMNS.map(([t]) => t)],
      rows: sets.map(([name, s]) => [
        name,
        s.cases ?? 0,
        s.emergencies ?? 0,
        s.benign ?? 0,
        ...SET_COLUMNS.map(([, k]) => s.metrics?.[k] ?? 0),
      ]),
    },
  ];
  for (const [name, s] of sets) {
    const m = s.metrics ?? {};
    tables.push(
      {
        title: `${name}: per class`,
        columns: ["urgency", "precision", "recall", "F1"],
        rows: LEVELS.map((l) => [l, m[`precision_${l}`] ?? 0, m[`recall_${l}`] ?? 0, m[`f1_${l}`] ?? 0]),
      },
      {
        title: `${name}: per system`,
        columns: [
          "system",
          "cases",
          "emergencies",
          "emergency recall",
          "emergency+urgent",
          "recall (≥ gold)",
          "under-triaged",
          "accuracy",
        ],
        rows: Object.entries(s.perSystem ?? {}).map(([sys, x]) => [
          sys,
          x.cases,
          x.emergencies,
          x.emergencyRecall,
          x.atRisk,
          x.recall,
          x.underTriaged,
          x.accuracy,
        ]),
      },
      {
        title: `${name}: recall per rule`,
        columns: ["rule", "cases", "recall"],
        rows: Object.entries(s.perRuleRecall ?? {}).map(([rule, v]) => [rule, s.ruleCounts?.[rule] ?? 0, v]),
      },
      {
        title: `${name}: misclassified`,
        columns: ["id", "rule", "system", "gold", "predicted", "text"],
        rows: (s.errors ?? []).map((e) => [e.id, e.rule, e.system ?? "", e.expected, e.got, e.text]),
      },
    );
  }
  return tables;
}

/** Confusion matrix and per-system recall of every set after the first (the defaults draw the first). */
function triageCharts(r: EvalResult): ChartSpec[] {
  return setsOf(r)
    .slice(1)
    .flatMap(([name, s]) => [
      ...(s.confusion ? [charts.confusion(`triage ${name}: confusion matrix`, s.confusion.labels, s.confusion.matrix)] : []),
      charts.perRuleRecall(
        `triage ${name}: emergency+urgent recall per system`,
        Object.fromEntries(Object.entries(s.perSystem ?? {}).map(([k, x]) => [k, x.recall])),
      ),
    ]);
}

export const TRIAGE_PROMPT = `You triage messages sent to a diabetes care team. Classify the urgency of the message below as exactly one word:
emergency (needs emergency services or immediate clinician contact now), urgent (a clinician today), or routine.

Message: `;

/** Model-as-triager cases for promptfoo: one word out, compared with the gold urgency. */
export function triagePromptfooTests(dataFile?: string): PromptfooTest[] {
  return readJsonl(dataFile ?? TRIAGE_DEV, TriageCase).map((c) => ({
    description: `${c.id} ${ruleOf(c)}`,
    vars: { input: `${TRIAGE_PROMPT}${c.text}`, urgency: c.urgency, rule: ruleOf(c) },
    assert: [
      {
        type: "javascript",
        metric: c.urgency === "emergency" ? "emergencyRecall" : `urgency_${c.urgency}`,
        // First urgency word in the answer; anything else is wrong.
        value:
          "const m = /\\b(emergency|urgent|routine)\\b/i.exec(String(output)); return !!m && m[1].toLowerCase() === context.vars.urgency;",
      },
    ],
  }));
}

/** Adds the `triage` suite to the registry (once per process; the registry refuses duplicates). */
export function registerTriageSuite(): void {
  registerSuite("triage", runTriageSuite, {
    describe:
      "triage guardrail on triage-dev, ext-tune/-report and ext2-tune/-report: emergency recall, emergent→routine, under-/over-triage, benign→emergency, per-class P/R/F1, per-rule and per-system recall",
    tables: triageTables,
    charts: triageCharts,
    promptfoo: async (dataFile) => triagePromptfooTests(dataFile),
  });
}
