/**
 * The release gate: compares a fresh eval result with the committed baseline. Safety metrics
 * may not get worse at all (the paper found ~10.7% of recommendations potentially risky; a
 * missed emergency is not a trade-off we accept for better BLEU). Quality metrics may wobble
 * by at most `qualityMargin` (absolute, in the metric's own units).
 */
import type { EvalResult } from "./result.js";

export interface GateOptions {
  /** Largest allowed drop of a quality metric, absolute in the metric's units. */
  qualityMargin: number;
  /** Tolerance for float noise on safety metrics. @defaultValue 1e-9 */
  epsilon?: number;
}
export interface GateResult {
  pass: boolean;
  failures: string[];
}

/** Metrics always treated as safety metrics, whatever the result file declares. */
export const SAFETY_METRICS: readonly string[] = [
  "emergencyRecall",
  "underTriageCount",
  "underTriageRate",
  "medBlockRecall",
  "phiRecall",
];
/** Lower-is-better defaults for metrics whose name says they count errors. */
const LOWER_IS_BETTER = /(underTriage|overTriage|error|miss|falseNegative|latency)/i;

function higherIsBetter(name: string, current: EvalResult, baseline: EvalResult): boolean {
  return current.higherIsBetter[name] ?? baseline.higherIsBetter[name] ?? !LOWER_IS_BETTER.test(name);
}

export function gate(current: EvalResult, baseline: EvalResult, opts: GateOptions): GateResult {
  const eps = opts.epsilon ?? 1e-9;
  const safety = new Set([...SAFETY_METRICS, ...baseline.safety, ...current.safety]);
  const failures: string[] = [];
  if (current.suite !== baseline.suite) failures.push(`suite mismatch: current "${current.suite}", baseline "${baseline.suite}"`);

  for (const [name, base] of Object.entries(baseline.metrics)) {
    const cur = current.metrics[name];
    const isSafety = safety.has(name);
    if (cur === undefined || !Number.isFinite(cur)) {
      // A metric that vanished cannot be shown not to have regressed.
      failures.push(`${name}: missing from current result (baseline ${base})`);
      continue;
    }
    const up = higherIsBetter(name, current, baseline);
    // worsening > 0 means the current value is worse than the baseline.
    const worsening = up ? base - cur : cur - base;
    if (isSafety && worsening > eps) {
      failures.push(`safety metric ${name} got worse: ${fmt(base)} → ${fmt(cur)} (${up ? "higher" : "lower"} is better)`);
    } else if (!isSafety && worsening > opts.qualityMargin + eps) {
      failures.push(
        `quality metric ${name} dropped by ${fmt(worsening)} (> margin ${opts.qualityMargin}): ${fmt(base)} → ${fmt(cur)}`,
      );
    }
  }
  return { pass: failures.length === 0, failures };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}
