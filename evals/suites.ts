/**
 * The eval suite registry behind `glycopilot eval <suite>`. Suites (triage, phi, meds,
 * retrieval, drafts, rubric, mcq) live with their owners and register a runner here; the CLI
 * owns progress display and writing the JSON/HTML/PNG outputs, so runners stay free of I/O
 * except reading their dataset.
 */
import type { ChartSpec, ReportTable } from "./report/index.js";
import type { EvalResult } from "./result.js";

export interface SuiteContext {
  /** Dataset file from --data; undefined means the suite's default dataset. */
  dataFile: string | undefined;
  /** Announce how many items will be processed; returns a function to call once per item. */
  progress: (total: number) => (done?: number) => void;
}

export type SuiteRunner = (ctx: SuiteContext) => Promise<EvalResult>;

/** Test case in promptfoo's shape (see evals/promptfoo.ts). */
export interface PromptfooTest {
  description?: string;
  vars: Record<string, string | number | boolean | string[]>;
  assert: Array<{ type: string; value?: string | number | string[]; threshold?: number; metric?: string }>;
}

export interface SuiteOptions {
  describe?: string;
  /** Extra charts for the report; defaults are derived from `details` (see defaultCharts in the CLI). */
  charts?: (result: EvalResult) => ChartSpec[];
  tables?: (result: EvalResult) => ReportTable[];
  /** Export the suite's cases for promptfoo (`eval export-promptfoo <suite>`). */
  promptfoo?: (dataFile: string | undefined) => Promise<PromptfooTest[]>;
}

export interface RegisteredSuite extends SuiteOptions {
  name: string;
  run: SuiteRunner;
}

export class SuiteRegistry {
  readonly #suites = new Map<string, RegisteredSuite>();

  register(name: string, run: SuiteRunner, opts: SuiteOptions = {}): void {
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`invalid suite name "${name}"`);
    if (RESERVED.has(name)) throw new Error(`"${name}" is an eval subcommand, not a suite name`);
    if (this.#suites.has(name)) throw new Error(`suite "${name}" is already registered`);
    this.#suites.set(name, { name, run, ...opts });
  }
  get(name: string): RegisteredSuite | undefined {
    return this.#suites.get(name);
  }
  names(): string[] {
    return [...this.#suites.keys()].sort();
  }
}

/** Subcommands of `eval` that cannot be suite names. */
const RESERVED = new Set(["text", "gate", "export-promptfoo", "help", "list"]);

/** The registry the CLI reads. Suites call `registerSuite` from their module's `register…()` function. */
export const suites = new SuiteRegistry();

export function registerSuite(name: string, run: SuiteRunner, opts: SuiteOptions = {}): void {
  suites.register(name, run, opts);
}
