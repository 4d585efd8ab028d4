/**
 * The `rubric` suite: the configured model judges each draft in the rubric dataset on the six
 * physician axes (evals/rubric.ts). Reports the judge's mean per axis and, for the cases a
 * physician scored, per-axis agreement (quadratic-weighted kappa, mean absolute difference).
 * No model host configured → the suite refuses (non-zero exit) instead of inventing scores.
 */
import type { Config } from "../../core/config.js";
import type { Llm } from "../../core/ports.js";
import type { ChartSpec, ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { calibrate, judgeCase, RUBRIC_AXES, RubricCase, type RubricJudgement } from "../rubric.js";
import { registerSuite, type SuiteContext, type SuiteRunner } from "../suites.js";
import { datasetPath, readJsonl } from "./data.js";
import { mapPool, requireModel } from "./model.js";

export const RUBRIC_DEV = datasetPath("rubric-dev.jsonl");

export interface RubricSuiteOptions {
  /** @defaultValue loadConfig() */
  config?: Config;
  /** Use this model instead of building one from config (tests). */
  llm?: Llm;
  /** @defaultValue config.OLLAMA_NUM_PARALLEL or 2 */
  concurrency?: number;
}

type Judged = { id: string; kind?: string; judgement: RubricJudgement | null; attempts: number; error?: string };

export function createRubricRunner(opts: RubricSuiteOptions = {}): SuiteRunner {
  return async function runRubricSuite(ctx: SuiteContext): Promise<EvalResult> {
    const cases = readJsonl(ctx.dataFile ?? RUBRIC_DEV, RubricCase);
    const llm = opts.llm ?? (await requireModel("rubric", opts.config));
    const tick = ctx.progress(cases.length);
    const judged = await mapPool(cases, opts.concurrency ?? opts.config?.OLLAMA_NUM_PARALLEL ?? 2, async (c): Promise<Judged> => {
      try {
        const r = await judgeCase(llm, c);
        return { id: c.id, ...(c.kind ? { kind: c.kind } : {}), judgement: r.judgement, attempts: r.attempts };
      } catch (e) {
        return { id: c.id, ...(c.kind ? { kind: c.kind } : {}), judgement: null, attempts: 2, error: (e as Error).message };
      } finally {
        tick();
      }
    });
    const ok = judged.filter((j) => j.judgement !== null);
    if (ok.length === 0) throw new Error(`rubric: the judge (${llm.provider}/${llm.model}) scored no case: ${judged[0]?.error}`);

    const metrics: Record<string, number> = {};
    const higherIsBetter: Record<string, boolean> = { judgeFailureRate: false, judgeRetryRate: false };
    for (const axis of RUBRIC_AXES) metrics[`mean_${axis}`] = ok.reduce((s, j) => s + (j.judgement?.[axis] ?? 0), 0) / ok.length;
    metrics.judgeFailureRate = (judged.length - ok.length) / judged.length;
    metrics.judgeRetryRate = judged.filter((j) => j.attempts > 1).length / judged.length;

    const agreement = calibrate(
      judged.map((j) => j.judgement),
      cases.map((c) => c.reviewerScores),
    );
    const reviewed = agreement.safety.n;
    for (const axis of RUBRIC_AXES) {
      const a = agreement[axis];
      // An undefined kappa is left out rather than written as 0: absent is not "no agreement".
      if (a.kappa !== null) metrics[`kappa_${axis}`] = a.kappa;
      if (a.meanAbsDiff !== null) {
        metrics[`mad_${axis}`] = a.meanAbsDiff;
        higherIsBetter[`mad_${axis}`] = false;
      }
    }
    // Judge vs reviewer over all axes pooled: the calibration picture at a glance.
    const labels = ["1", "2", "3", "4", "5"];
    const matrix = labels.map(() => new Array<number>(5).fill(0));
    cases.forEach((c, i) => {
      const j = judged[i]?.judgement;
      if (!j || !c.reviewerScores) return;
      for (const axis of RUBRIC_AXES) (matrix[c.reviewerScores[axis] - 1] as number[])[j[axis] - 1]! += 1;
    });
    return {
      suite: "rubric",
      createdAt: new Date().toISOString(),
      metrics,
      safety: [],
      higherIsBetter,
      details: {
        judge: `${llm.provider}/${llm.model}`,
        cases: cases.length,
        reviewedCases: reviewed,
        agreement,
        ...(reviewed > 0 ? { confusion: { labels, matrix } } : {}),
        judged,
      },
    };
  };
}

function rubricCharts(r: EvalResult): ChartSpec[] {
  return [
    {
      kind: "bar",
      title: "rubric: judge mean score per axis (1–5)",
      bars: RUBRIC_AXES.map((a) => ({ label: a, value: r.metrics[`mean_${a}`] ?? 0 })),
      valueTitle: "mean score",
      max: 5,
    },
  ];
}

function rubricTables(r: EvalResult): ReportTable[] {
  const d = r.details as {
    agreement?: Record<string, { n: number; kappa: number | null; meanAbsDiff: number | null }>;
    judged?: Judged[];
  };
  return [
    {
      title: "Judge vs reviewer, per axis",
      columns: ["axis", "judge mean", "pairs", "quadratic-weighted kappa", "mean |judge − reviewer|"],
      rows: RUBRIC_AXES.map((a) => {
        const g = d.agreement?.[a];
        return [a, r.metrics[`mean_${a}`] ?? 0, g?.n ?? 0, g?.kappa ?? "n/a", g?.meanAbsDiff ?? "n/a"];
      }),
    },
    {
      title: "Per case",
      columns: ["id", "kind", ...RUBRIC_AXES, "rationale / error"],
      rows: (d.judged ?? []).map((j) => [
        j.id,
        j.kind ?? "",
        ...RUBRIC_AXES.map((a) => j.judgement?.[a] ?? "—"),
        j.judgement?.rationale ?? j.error ?? "",
      ]),
    },
  ];
}

/** Adds the `rubric` suite to the registry (once per process; the registry refuses duplicates). */
export function registerRubricSuite(): void {
  registerSuite("rubric", createRubricRunner(), {
    describe: "six-axis physician rubric scored by the configured model, calibrated against reviewer scores",
    charts: rubricCharts,
    tables: rubricTables,
  });
}
