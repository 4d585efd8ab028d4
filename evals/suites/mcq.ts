/**
 * The `mcq` suite: the configured model answers the Diabetica five-option questions through
 * the Llm port; accuracy is scored with evals/mcq.ts's letter extraction. No model host
 * configured → the suite refuses (non-zero exit) instead of guessing.
 */
import type { Config } from "../../core/config.js";
import type { Llm } from "../../core/ports.js";
import { redact } from "../../guardrails/index.js";
import { extractChoice, formatMcqPrompt, loadMcq, MCQ_LETTERS, type McqLetter, scoreMcq } from "../mcq.js";
import type { ReportTable } from "../report/index.js";
import type { EvalResult } from "../result.js";
import { registerSuite, type SuiteContext, type SuiteRunner } from "../suites.js";
import { mapPool, requireModel } from "./model.js";

export const MCQ_SYSTEM = "你是内分泌科医生，正在参加专业考试。每道题只有一个最佳答案。";

export interface McqSuiteOptions {
  /** Configuration to build the model from. @defaultValue loadConfig() */
  config?: Config;
  /** Use this model instead of building one from config (tests). */
  llm?: Llm;
  /** Questions in flight at once. @defaultValue config.OLLAMA_NUM_PARALLEL or 2 */
  concurrency?: number;
}

export function createMcqRunner(opts: McqSuiteOptions = {}): SuiteRunner {
  return async function runMcqSuite(ctx: SuiteContext): Promise<EvalResult> {
    const items = loadMcq(ctx.dataFile);
    const llm = opts.llm ?? (await requireModel("mcq", opts.config));
    const tick = ctx.progress(items.length);
    let failures = 0;
    const answers = await mapPool(items, opts.concurrency ?? opts.config?.OLLAMA_NUM_PARALLEL ?? 2, async (item) => {
      let text = "";
      let error: string | undefined;
      try {
        // Public exam text carries no PHI; it still goes through the redactor like every prompt.
        const res = await llm.complete({ system: MCQ_SYSTEM, prompt: redact(formatMcqPrompt(item)).redacted, temperature: 0 });
        text = res.text;
      } catch (e) {
        failures++;
        error = (e as Error).message;
      }
      tick();
      return { id: item.id, gold: item.answer, predicted: extractChoice(text, item.options), text: text.slice(0, 200), error };
    });
    if (failures === items.length)
      throw new Error(`mcq: every request to ${llm.provider}/${llm.model} failed: ${answers[0]?.error}`);
    const s = scoreMcq(answers);
    const labels = [...MCQ_LETTERS, "none"];
    const idx = (l: McqLetter | null): number => (l === null ? MCQ_LETTERS.length : MCQ_LETTERS.indexOf(l));
    const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
    for (const a of answers) (matrix[idx(a.gold)] as number[])[idx(a.predicted)]! += 1;
    return {
      suite: "mcq",
      createdAt: new Date().toISOString(),
      metrics: {
        accuracy: s.accuracy,
        unansweredRate: s.total ? s.unanswered / s.total : 0,
        requestErrorRate: failures / items.length,
      },
      safety: [],
      higherIsBetter: { unansweredRate: false, requestErrorRate: false },
      details: {
        model: `${llm.provider}/${llm.model}`,
        questions: s.total,
        correct: s.correct,
        unanswered: s.unanswered,
        requestErrors: failures,
        confusion: { labels, matrix },
        answers,
      },
    };
  };
}

function mcqTables(r: EvalResult): ReportTable[] {
  const d = r.details as {
    answers?: Array<{ id: string; gold: string; predicted: string | null; text: string; error?: string }>;
  };
  const wrong = (d.answers ?? []).filter((a) => a.predicted !== a.gold);
  return [
    {
      title: `Wrong or unanswered (${wrong.length})`,
      columns: ["id", "gold", "predicted", "model text / error"],
      rows: wrong.map((a) => [a.id, a.gold, a.predicted ?? "—", a.error ?? a.text]),
    },
  ];
}

/** Adds the `mcq` suite to the registry (once per process; the registry refuses duplicates). */
export function registerMcqSuite(): void {
  registerSuite("mcq", createMcqRunner(), {
    describe: "Diabetica multiple choice answered by the configured model (needs OLLAMA_HOST or Anthropic)",
    tables: mcqTables,
  });
}
