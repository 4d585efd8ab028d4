/**
 * The `triage` suite: the deterministic triage guardrail on a labelled set of messages.
 * Reports per-class P/R/F1, macro-F1, the safety figures the gate guards (emergency recall,
 * under-triage count and rate) plus over-triage, the confusion matrix, and recall per rule —
 * the dataset's `rule` field names the RULES.md rule that justifies each label, so a miss
 * points at the rule that regressed.
 */
import { z } from "zod";
import { Urgency } from "../../core/domain.js";
import { patientFromPlain, triage } from "../../guardrails/index.js";
import { classificationReport, triageSafety } from "../metrics/classification.js";
import type { ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { type PromptfooTest, registerSuite, type SuiteContext } from "../suites.js";
import { DEV_NOW, datasetPath, ratio, readJsonl } from "./data.js";

export const TriageCase = z.object({
  id: z.string(),
  text: z.string(),
  lang: z.string().optional(),
  urgency: Urgency,
  rule: z.string(),
  patient: z.unknown().optional(),
});
export type TriageCase = z.infer<typeof TriageCase>;

export const TRIAGE_DEV = datasetPath("triage-dev.jsonl");
const LEVELS: Urgency[] = ["emergency", "urgent", "routine"];

/** "Level 3 hypoglycemia (third party)" → "Level 3 hypoglycemia": variants share the rule's bar. */
export const baseRule = (rule: string): string => rule.replace(/\s*\(.*\)\s*$/, "").trim() || rule;

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
    const r = byRule.get(baseRule(c.rule)) ?? { n: 0, correct: 0 };
    r.n++;
    if (predicted[i] === c.urgency) r.correct++;
    byRule.set(baseRule(c.rule), r);
  });
  const rules = [...byRule.entries()].sort(
    (a, b) => ratio(a[1].correct, a[1].n) - ratio(b[1].correct, b[1].n) || b[1].n - a[1].n,
  );

  const perClass: Record<string, number> = {};
  for (const l of LEVELS) {
    const s = report.perClass[l];
    perClass[`precision_${l}`] = s?.precision ?? 0;
    perClass[`recall_${l}`] = s?.recall ?? 0;
    perClass[`f1_${l}`] = s?.f1 ?? 0;
  }
  return {
    suite: "triage",
    createdAt: new Date().toISOString(),
    metrics: {
      emergencyRecall: safety.emergencyRecall,
      underTriageCount: safety.underTriageCount,
      underTriageRate: safety.underTriageRate,
      overTriageRate: safety.overTriageRate,
      macroF1: report.macroF1,
      accuracy: report.accuracy,
      ...perClass,
    },
    safety: ["emergencyRecall", "underTriageCount", "underTriageRate"],
    higherIsBetter: { underTriageCount: false, underTriageRate: false, overTriageRate: false },
    details: {
      cases: cases.length,
      emergencies: safety.emergencies,
      confusion: { labels: report.labels, matrix: report.confusion },
      perRuleRecall: Object.fromEntries(rules.map(([r, s]) => [r, ratio(s.correct, s.n)])),
      ruleCounts: Object.fromEntries(rules.map(([r, s]) => [r, s.n])),
      errors: cases.flatMap((c, i) =>
        predicted[i] === c.urgency ? [] : [{ id: c.id, rule: c.rule, expected: c.urgency, got: predicted[i], text: c.text }],
      ),
    },
  };
}

export async function runTriageSuite(ctx: SuiteContext): Promise<EvalResult> {
  const cases = readJsonl(ctx.dataFile ?? TRIAGE_DEV, TriageCase);
  return scoreTriageCases(cases, ctx.progress(cases.length));
}

function triageTables(r: EvalResult): ReportTable[] {
  const m = r.metrics;
  const d = r.details as {
    errors?: Array<Record<string, string>>;
    perRuleRecall?: Record<string, number>;
    ruleCounts?: Record<string, number>;
  };
  return [
    {
      title: "Per class",
      columns: ["urgency", "precision", "recall", "F1"],
      rows: LEVELS.map((l) => [l, m[`precision_${l}`] ?? 0, m[`recall_${l}`] ?? 0, m[`f1_${l}`] ?? 0]),
    },
    {
      title: "Recall per rule",
      columns: ["rule", "cases", "recall"],
      rows: Object.entries(d.perRuleRecall ?? {}).map(([rule, v]) => [rule, d.ruleCounts?.[rule] ?? 0, v]),
    },
    {
      title: "Misclassified",
      columns: ["id", "rule", "gold", "predicted", "text"],
      rows: (d.errors ?? []).map((e) => [e.id ?? "", e.rule ?? "", e.expected ?? "", e.got ?? "", e.text ?? ""]),
    },
  ];
}

export const TRIAGE_PROMPT = `You triage messages sent to a diabetes care team. Classify the urgency of the message below as exactly one word:
emergency (needs emergency services or immediate clinician contact now), urgent (a clinician today), or routine.

Message: `;

/** Model-as-triager cases for promptfoo: one word out, compared with the gold urgency. */
export function triagePromptfooTests(dataFile?: string): PromptfooTest[] {
  return readJsonl(dataFile ?? TRIAGE_DEV, TriageCase).map((c) => ({
    description: `${c.id} ${c.rule}`,
    vars: { input: `${TRIAGE_PROMPT}${c.text}`, urgency: c.urgency, rule: c.rule },
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
    describe: "triage guardrail: per-class P/R/F1, emergency recall, under-/over-triage, per-rule recall",
    tables: triageTables,
    promptfoo: async (dataFile) => triagePromptfooTests(dataFile),
  });
}
