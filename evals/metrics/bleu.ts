/**
 * BLEU as sacrebleu 2.x computes it (metrics/bleu.py), so the figures we report can be set
 * beside the paper's (GLM4-9B BLEU-4 67.93). Corpus BLEU pools n-gram statistics over all
 * segments before taking the geometric mean; sentence BLEU is corpus BLEU over one segment
 * with smoothing and effective order on by default, exactly as `sacrebleu.sentence_bleu`.
 */
import { type BleuTokenizer, bleuTokenize, pyRstrip, pySplit } from "./tokenize-bleu.js";

export type { BleuTokenizer } from "./tokenize-bleu.js";
export type SmoothMethod = "exp" | "floor" | "add-k" | "none";

export interface BleuOptions {
  /** @defaultValue "13a" */
  tokenize?: BleuTokenizer;
  /** @defaultValue false */
  lowercase?: boolean;
  /** @defaultValue "exp" (sacrebleu's default for both corpus and sentence BLEU) */
  smoothMethod?: SmoothMethod;
  /** null/undefined = method default: floor 0.1, add-k 1 */
  smoothValue?: number | null;
  /** Cap the order at the highest n with any hypothesis n-grams. @defaultValue false (corpus), true (sentence) */
  effectiveOrder?: boolean;
  /** @defaultValue 4 */
  maxNgramOrder?: number;
}

export interface BleuScore {
  /** 0–100 */
  score: number;
  counts: number[];
  totals: number[];
  /** 0–100 per order */
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

const SMOOTH_DEFAULTS: Record<SmoothMethod, number | null> = { none: null, floor: 0.1, "add-k": 1, exp: null };

/** sacrebleu's my_log: log(0) must not throw; a huge negative makes exp() come out 0. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** Score from sufficient statistics (sacrebleu `BLEU.compute_bleu`). Inputs are not mutated. */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  opts: Pick<BleuOptions, "smoothMethod" | "smoothValue" | "effectiveOrder" | "maxNgramOrder"> = {},
): BleuScore {
  const method = opts.smoothMethod ?? "none";
  const smoothValue = opts.smoothValue ?? SMOOTH_DEFAULTS[method] ?? 0;
  const maxOrder = opts.maxNgramOrder ?? 4;
  const correct = [...correctIn];
  const total = [...totalIn];
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxOrder).fill(0);
  const result = (score: number): BleuScore => ({
    score,
    counts: correct,
    totals: total,
    precisions,
    bp,
    sysLen,
    refLen,
  });
  // No match at any order: 0 regardless of smoothing (sacrebleu #141).
  if (!correct.some((c) => c !== 0)) return result(0);

  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (method === "add-k" && n > 1) {
      correct[n - 1] = (correct[n - 1] ?? 0) + smoothValue;
      total[n - 1] = (total[n - 1] ?? 0) + smoothValue;
    }
    const t = total[n - 1] ?? 0;
    const c = correct[n - 1] ?? 0;
    if (t === 0) break;
    if (opts.effectiveOrder) effOrder = n;
    if (c === 0) {
      if (method === "exp") {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (method === "floor") {
        precisions[n - 1] = (100 * smoothValue) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  // Python's sum() adds left to right; keep the same order so float results agree.
  let logSum = 0;
  for (const p of precisions.slice(0, effOrder)) logSum += myLog(p);
  return result(bp * Math.exp(logSum / effOrder));
}

type NgramCounts = Map<string, number>;

/** All n-grams of orders 1..max; keys join tokens with U+0001 (cannot occur after split). */
function extractNgrams(tokens: readonly string[], maxOrder: number): NgramCounts {
  const out: NgramCounts = new Map();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = `${n}\u0001${tokens.slice(i, i + n).join("\u0001")}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

/** Closest reference length; ties go to the shorter reference (sacrebleu `_get_closest_ref_len`). */
function closestRefLen(hypLen: number, refLens: readonly number[]): number {
  let bestDiff = -1;
  let bestLen = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (bestDiff === -1 || diff < bestDiff) {
      bestDiff = diff;
      bestLen = len;
    } else if (diff === bestDiff && len < bestLen) {
      bestLen = len;
    }
  }
  return bestLen;
}

function preprocess(line: string, opts: BleuOptions): string[] {
  const s = opts.lowercase ? line.toLowerCase() : line;
  return pySplit(bleuTokenize(pyRstrip(s), opts.tokenize ?? "13a"));
}

/** Per-segment sufficient statistics: [correct…, total…] plus lengths. */
function segmentStats(hyp: string, refs: readonly string[], opts: BleuOptions) {
  const maxOrder = opts.maxNgramOrder ?? 4;
  const refMax: NgramCounts = new Map();
  const refLens: number[] = [];
  for (const ref of refs) {
    const toks = preprocess(ref, opts);
    refLens.push(toks.length);
    for (const [k, c] of extractNgrams(toks, maxOrder)) refMax.set(k, Math.max(refMax.get(k) ?? 0, c));
  }
  const hypToks = preprocess(hyp, opts);
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  for (const [k, c] of extractNgrams(hypToks, maxOrder)) {
    const n = Number(k.slice(0, k.indexOf("\u0001"))) - 1;
    total[n] = (total[n] ?? 0) + c;
    correct[n] = (correct[n] ?? 0) + Math.min(c, refMax.get(k) ?? 0);
  }
  return { correct, total, sysLen: hypToks.length, refLen: closestRefLen(hypToks.length, refLens) };
}

/**
 * Corpus BLEU. `references` are reference streams as in sacrebleu: `references[k][i]` is the
 * k-th reference for hypothesis i. A null/undefined entry means "no k-th reference for this one".
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null | undefined>>,
  opts: BleuOptions = {},
): BleuScore {
  const maxOrder = opts.maxNgramOrder ?? 4;
  for (const stream of references) {
    if (stream.length !== hypotheses.length) {
      throw new Error(`reference stream has ${stream.length} lines, hypotheses ${hypotheses.length}`);
    }
  }
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hyp, i) => {
    const refs = references.map((s) => s[i]).filter((r): r is string => typeof r === "string");
    const st = segmentStats(hyp, refs, opts);
    for (let n = 0; n < maxOrder; n++) {
      correct[n] = (correct[n] ?? 0) + (st.correct[n] ?? 0);
      total[n] = (total[n] ?? 0) + (st.total[n] ?? 0);
    }
    sysLen += st.sysLen;
    refLen += st.refLen;
  });
  return computeBleu(correct, total, sysLen, refLen, {
    smoothMethod: opts.smoothMethod ?? "exp",
    smoothValue: opts.smoothValue ?? null,
    effectiveOrder: opts.effectiveOrder ?? false,
    maxNgramOrder: maxOrder,
  });
}

/** Sentence BLEU: one hypothesis against its references; effective order on by default. */
export function sentenceBleu(hypothesis: string, references: readonly string[], opts: BleuOptions = {}): BleuScore {
  return corpusBleu(
    [hypothesis],
    references.map((r) => [r]),
    { ...opts, effectiveOrder: opts.effectiveOrder ?? true },
  );
}
