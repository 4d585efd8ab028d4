/**
 * `glycopilot eval …`: text metrics on files, the release gate, suite runs with reports, and
 * promptfoo export. Suites come from the registry in evals/suites.ts; this module only does
 * argument parsing, progress (stderr) and writing outputs.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import cliProgress from "cli-progress";
import { gate } from "../../evals/gate.js";
import { corpusBleu } from "../../evals/metrics/bleu.js";
import { score as rougeScore } from "../../evals/metrics/rouge.js";
import { MCQ_DESCRIPTION, MCQ_PROMPT, mcqPromptfooTests, promptfooYaml } from "../../evals/promptfoo.js";
import { type ChartSpec, charts, renderPng, renderReport } from "../../evals/report/index.js";
import { type EvalResult, parseEvalResult } from "../../evals/result.js";
import { type PromptfooTest, type SuiteContext, suites } from "../../evals/suites.js";
import { parseArgs } from "./jsonl.js";

const USAGE = `usage:
  glycopilot eval text --hyp FILE --ref FILE [--lang en|zh] [--stem]
  glycopilot eval gate --baseline FILE --current FILE [--margin 0.02]
  glycopilot eval <suite> [--data FILE] [--out DIR]        (default DIR: reports/)
  glycopilot eval <suite> --update-baseline                 (rewrite evals/baselines/<suite>.json; shows what moved)
  glycopilot eval drafts --set guideline [--data FILE]     (guideline vignettes; a model is scored when OLLAMA_HOST is set)
  glycopilot eval export-promptfoo <suite> [--data FILE] [--provider ID] [--out FILE]
suites: `;

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const [sub, ...rest] = positionals;
  const str = (k: string): string | undefined => (typeof flags[k] === "string" ? (flags[k] as string) : undefined);
  try {
    // Suites load lazily: `eval text` and `eval gate` need none of the knowledge-base or model code.
    if (sub !== "text" && sub !== "gate") await import("../../evals/suites/index.js");
    switch (sub) {
      case "text":
        return await textCommand(str("hyp"), str("ref"), str("lang") ?? "en", flags.stem === true);
      case "gate":
        return await gateCommand(str("baseline"), str("current"), str("margin"));
      case "export-promptfoo":
        return await exportCommand(rest[0], str("data"), str("provider"), str("out"));
      case undefined:
      case "help":
      case "list":
        process.stderr.write(`${USAGE}${suites.names().join(", ")}\n`);
        return sub === undefined ? 2 : 0;
      default:
        if (flags["update-baseline"] !== undefined) {
          if (flags["update-baseline"] !== true) throw new Error("--update-baseline takes no value");
          if (str("data")) throw new Error("--update-baseline scores the shipped dev sets; drop --data");
        }
        // `eval drafts --set guideline` is the guideline-vignette set of the drafts suite.
        if (sub === "drafts" && str("set") !== undefined && str("set") !== "guideline")
          throw new Error(`unknown drafts set "${str("set")}" (known: guideline)`);
        return await suiteCommand(
          sub === "drafts" && str("set") === "guideline" ? "drafts-guideline" : sub,
          str("data"),
          str("out") ?? "reports",
          flags["update-baseline"] === true,
        );
    }
  } catch (err) {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** Lines of a text file; a final newline does not make an extra empty segment. */
async function readLines(file: string): Promise<string[]> {
  const text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Corpus BLEU-4 and line-averaged ROUGE F1, all 0–100 as the paper reports them. */
export function textMetrics(hyps: string[], refs: string[], lang: "en" | "zh", stem = false): Record<string, number> {
  if (hyps.length !== refs.length) throw new Error(`--hyp has ${hyps.length} lines but --ref has ${refs.length}`);
  const bleu = corpusBleu(hyps, [refs], { tokenize: lang === "zh" ? "zh" : "13a" });
  const sums = { rouge1: 0, rouge2: 0, rougeL: 0 };
  hyps.forEach((h, i) => {
    const s = rougeScore(refs[i] ?? "", h, ["rouge1", "rouge2", "rougeL"], {
      tokenizer: lang === "zh" ? "zh" : "default",
      useStemmer: stem,
    });
    sums.rouge1 += s.rouge1?.fmeasure ?? 0;
    sums.rouge2 += s.rouge2?.fmeasure ?? 0;
    sums.rougeL += s.rougeL?.fmeasure ?? 0;
  });
  const avg = (x: number): number => (hyps.length === 0 ? 0 : (100 * x) / hyps.length);
  return { bleu4: bleu.score, rouge1: avg(sums.rouge1), rouge2: avg(sums.rouge2), rougeL: avg(sums.rougeL) };
}

async function textCommand(hyp: string | undefined, ref: string | undefined, lang: string, stem: boolean): Promise<number> {
  if (!hyp || !ref) throw new Error("eval text needs --hyp FILE and --ref FILE");
  if (lang !== "en" && lang !== "zh") throw new Error(`--lang must be en or zh, got "${lang}"`);
  const m = textMetrics(await readLines(hyp), await readLines(ref), lang, stem);
  process.stdout.write(`${JSON.stringify(m)}\n`);
  return 0;
}

async function gateCommand(
  baseline: string | undefined,
  current: string | undefined,
  margin: string | undefined,
): Promise<number> {
  if (!baseline || !current) throw new Error("eval gate needs --baseline FILE and --current FILE");
  const qualityMargin = margin === undefined ? 0.02 : Number(margin);
  if (!Number.isFinite(qualityMargin) || qualityMargin < 0) throw new Error(`--margin must be a number ≥ 0, got "${margin}"`);
  const r = gate(parseEvalResult(await readFile(current, "utf8")), parseEvalResult(await readFile(baseline, "utf8")), {
    qualityMargin,
  });
  if (r.pass) {
    process.stdout.write("gate: pass\n");
    return 0;
  }
  process.stdout.write(`gate: FAIL (${r.failures.length})\n${r.failures.map((f) => `  - ${f}`).join("\n")}\n`);
  return 1;
}

/** Charts every suite gets from conventional `details` fields, so simple suites need no chart code. */
export function defaultCharts(r: EvalResult): ChartSpec[] {
  const d = (r.details ?? {}) as Record<string, unknown>;
  const out: ChartSpec[] = [];
  const conf = d.confusion as { labels?: unknown; matrix?: unknown } | undefined;
  if (conf && Array.isArray(conf.labels) && Array.isArray(conf.matrix)) {
    out.push(charts.confusion(`${r.suite}: confusion matrix`, conf.labels as string[], conf.matrix as number[][]));
  }
  if (d.perRuleRecall && typeof d.perRuleRecall === "object") {
    out.push(charts.perRuleRecall(`${r.suite}: recall per rule`, d.perRuleRecall as Record<string, number>));
  }
  if (Array.isArray(d.scores) && d.scores.every((x) => typeof x === "number")) {
    out.push(charts.histogram(`${r.suite}: score distribution`, d.scores as number[]));
  }
  if (out.length === 0) {
    const bars = Object.entries(r.metrics).filter(([, v]) => v >= 0 && v <= 1);
    if (bars.length > 0) out.push(charts.perRuleRecall(`${r.suite}: metrics`, Object.fromEntries(bars)));
  }
  return out;
}

/** Where `eval gate` and the CI gate read a suite's committed baseline. */
export const baselineFile = (suite: string): string =>
  fileURLToPath(new URL(`../../evals/baselines/${suite}.json`, import.meta.url));

/**
 * Writes `result` as the suite's baseline, first printing on stderr every metric the gate would
 * flag against the old one (a refresh is deliberate: read them before committing).
 */
async function updateBaseline(result: EvalResult): Promise<void> {
  const file = baselineFile(result.suite);
  let old: EvalResult | undefined;
  try {
    old = parseEvalResult(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (old) {
    const r = gate(result, old, { qualityMargin: 0.02 });
    process.stderr.write(
      r.pass
        ? `baseline ${result.suite}: no metric the gate guards got worse\n`
        : `baseline ${result.suite}: the gate would flag ${r.failures.length} change(s) against the old baseline:\n${r.failures.map((f) => `  - ${f}`).join("\n")}\n`,
    );
  }
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`wrote baseline ${file}\n`);
}

async function suiteCommand(
  name: string,
  dataFile: string | undefined,
  outDir: string,
  refreshBaseline = false,
): Promise<number> {
  const suite = suites.get(name);
  if (!suite) {
    process.stderr.write(`eval: unknown suite "${name}"; registered: ${suites.names().join(", ") || "(none)"}\n`);
    return 2;
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${name} [{bar}] {value}/{total} {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const ctx: SuiteContext = {
    dataFile,
    progress: (total) => {
      bar.start(total, 0);
      started = true;
      return (done) => (done === undefined ? bar.increment() : bar.update(done));
    },
  };
  let result: EvalResult;
  try {
    result = await suite.run(ctx);
  } finally {
    if (started) bar.stop();
  }
  const chartList = [...defaultCharts(result), ...(suite.charts?.(result) ?? [])];
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, name);
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const html = await renderReport({
    title: `GlycoPilot eval: ${name}`,
    subtitle: `${result.createdAt}${dataFile ? ` · data ${dataFile}` : ""}`,
    summary: result.metrics,
    charts: chartList,
    ...(suite.tables ? { tables: suite.tables(result) } : {}),
  });
  await writeFile(`${base}.html`, html);
  const first = chartList[0];
  if (first) await writeFile(`${base}.png`, await renderPng(first));
  process.stdout.write(`${JSON.stringify(result.metrics)}\nwrote ${base}.json, ${base}.html${first ? `, ${base}.png` : ""}\n`);
  if (refreshBaseline) await updateBaseline(result);
  return 0;
}

async function exportCommand(
  name: string | undefined,
  dataFile: string | undefined,
  provider: string | undefined,
  out: string | undefined,
): Promise<number> {
  if (!name) throw new Error("eval export-promptfoo needs a suite name");
  let tests: PromptfooTest[];
  let description = `GlycoPilot ${name} suite`;
  let prompts = ["{{input}}"];
  const suite = suites.get(name);
  if (suite?.promptfoo) tests = await suite.promptfoo(dataFile);
  else if (name === "mcq") {
    tests = mcqPromptfooTests(dataFile);
    description = MCQ_DESCRIPTION;
    prompts = [MCQ_PROMPT];
  } else throw new Error(`suite "${name}" has no promptfoo export`);
  const yaml = promptfooYaml({ description, prompts, providers: [provider ?? "ollama:chat:glycopilot"], tests });
  if (out) await writeFile(out, yaml);
  else process.stdout.write(yaml);
  return 0;
}
