/**
 * The `retrieval` suite: recall@1/5 and MRR@20 by gold document for BM25, dense and hybrid
 * retrieval (rag/eval-retrieval.ts) on the MedQuAD dev questions. Opens the knowledge base
 * from configuration — the embedded Chroma under DATA_DIR unless CHROMA_URL is set, ingesting
 * the shipped corpus when needed — and stops what it started.
 */
import { type Config, loadConfig } from "../../core/config.js";
import { DEV_QUESTIONS_FILE, evaluateRetrieval, loadQuestions, type ModeResult } from "../../rag/eval-retrieval.js";
import type { KnowledgeBase, SearchMode } from "../../rag/retriever.js";
import { type KnowledgeOptions, openKnowledge } from "../../server/clients.js";
import type { ChartSpec, ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { registerSuite, type SuiteContext, type SuiteRunner } from "../suites.js";

const MODES: SearchMode[] = ["bm25", "dense", "hybrid"];

export interface RetrievalSuiteOptions {
  /** @defaultValue loadConfig() */
  config?: Config;
  /** Passed to openKnowledge (tests: a small corpus, a chosen embedder). */
  open?: Pick<KnowledgeOptions, "paths" | "embedder">;
}

/** Forwards search to `kb` and ticks once per query, so the progress bar follows the evaluation. */
function counting(kb: KnowledgeBase, tick: () => void): KnowledgeBase {
  return {
    search: async (...args: Parameters<KnowledgeBase["search"]>) => {
      const r = await kb.search(...args);
      tick();
      return r;
    },
  } as unknown as KnowledgeBase;
}

export function retrievalResult(rows: readonly ModeResult[]): EvalResult {
  const metrics: Record<string, number> = {};
  for (const r of rows) {
    metrics[`${r.mode}_recallAt1`] = r.recallAt1;
    metrics[`${r.mode}_recallAt5`] = r.recallAt5;
    metrics[`${r.mode}_mrr`] = r.mrr;
  }
  return {
    suite: "retrieval",
    createdAt: new Date().toISOString(),
    metrics,
    safety: [],
    higherIsBetter: {},
    details: { questions: rows[0]?.questions ?? 0, modes: rows },
  };
}

export function createRetrievalRunner(opts: RetrievalSuiteOptions = {}): SuiteRunner {
  return async function runRetrievalSuite(ctx: SuiteContext): Promise<EvalResult> {
    const questions = await loadQuestions(ctx.dataFile ?? DEV_QUESTIONS_FILE);
    let ingestTick: ((done?: number) => void) | undefined;
    const opened = await openKnowledge(opts.config ?? loadConfig(), {
      seedCases: false,
      ...(opts.open ?? {}),
      onProgress: (p) => {
        if (p.phase !== "embed") return;
        ingestTick ??= ctx.progress(p.total);
        ingestTick(p.done);
      },
    });
    try {
      const tick = ctx.progress(questions.length * MODES.length);
      const rows = await evaluateRetrieval(
        counting(opened.kb, () => tick()),
        { questions, modes: MODES, k: 5, depth: 20 },
      );
      return retrievalResult(rows);
    } finally {
      await opened.stop();
    }
  };
}

function retrievalCharts(r: EvalResult): ChartSpec[] {
  const rows = (r.details as { modes?: ModeResult[] }).modes ?? [];
  const values = rows.flatMap((m) => [
    { mode: m.mode, metric: "recall@1", value: m.recallAt1 },
    { mode: m.mode, metric: "recall@5", value: m.recallAt5 },
    { mode: m.mode, metric: "MRR@20", value: m.mrr },
  ]);
  return [
    {
      kind: "vega-lite",
      title: "retrieval by mode",
      spec: {
        title: "retrieval: recall@k and MRR by mode",
        data: { values },
        width: 120,
        height: 220,
        mark: "bar",
        encoding: {
          column: { field: "metric", type: "nominal", title: null },
          x: { field: "mode", type: "nominal", sort: MODES, title: null },
          y: { field: "value", type: "quantitative", scale: { domain: [0, 1] } },
          color: { field: "mode", type: "nominal", sort: MODES },
        },
      },
    },
  ];
}

function retrievalTables(r: EvalResult): ReportTable[] {
  const rows = (r.details as { modes?: ModeResult[] }).modes ?? [];
  return [
    {
      title: "By mode",
      columns: ["mode", "questions", "recall@1", "recall@5", "MRR@20", "ms/query"],
      rows: rows.map((m) => [m.mode, m.questions, m.recallAt1, m.recallAt5, m.mrr, m.msPerQuery]),
    },
  ];
}

/** Adds the `retrieval` suite to the registry (once per process; the registry refuses duplicates). */
export function registerRetrievalSuite(): void {
  registerSuite("retrieval", createRetrievalRunner(), {
    describe: "retrieval recall@1/5 and MRR for bm25, dense, hybrid (starts embedded Chroma unless CHROMA_URL)",
    charts: retrievalCharts,
    tables: retrievalTables,
  });
}
