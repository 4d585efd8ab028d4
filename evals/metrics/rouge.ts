/**
 * ROUGE-N, ROUGE-L and ROUGE-Lsum as google-research `rouge_score` computes them
 * (rouge_scorer.py, tokenize.py), so our figures line up with the paper's ROUGE-1/2/L.
 * `score(target, prediction)` takes the REFERENCE first, like `RougeScorer.score`.
 *
 * rouge-score's default tokenizer keeps only [a-z0-9], so Chinese text scores 0 with it. The
 * 'zh' tokenizer is our own documented extension: every CJK ideograph is one token and
 * Latin/digit runs are words (lowercased, optionally stemmed). It is not rouge-score compatible,
 * so reports must say which tokenizer produced a number.
 */
import { porterStem } from "./porter.js";

export type RougeType = "rouge1" | "rouge2" | "rougeL" | "rougeLsum" | `rouge${number}`;
export type RougeTokenizer = "default" | "zh";
export interface RougeF {
  precision: number;
  recall: number;
  fmeasure: number;
}
export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters. @defaultValue false */
  useStemmer?: boolean;
  /** @defaultValue "default" */
  tokenizer?: RougeTokenizer;
}

const ZERO: RougeF = { precision: 0, recall: 0, fmeasure: 0 };

export function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function stemAll(tokens: string[], useStemmer: boolean): string[] {
  // rouge-score stems only tokens longer than 3 characters.
  return useStemmer ? tokens.map((t) => (t.length > 3 ? porterStem(t) : t)) : tokens;
}

/** rouge-score `tokenize.tokenize`: lowercase, non [a-z0-9] → space, split, optional stem. */
export function tokenizeDefault(text: string, useStemmer = false): string[] {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9]+/g, " ");
  const tokens = stemAll(cleaned.split(/\s+/), useStemmer);
  return tokens.filter((t) => /^[a-z0-9]+$/.test(t));
}

/** Han ideographs (incl. extensions) are single tokens; other kept text is [a-z0-9] words. */
const ZH_TOKEN = /\p{Script=Han}|[a-z0-9]+/gu;

export function tokenizeZh(text: string, useStemmer = false): string[] {
  const tokens = text.toLowerCase().match(ZH_TOKEN) ?? [];
  return tokens.map((t) => (useStemmer && /^[a-z0-9]{4,}$/.test(t) ? porterStem(t) : t));
}

function tokenize(text: string, opts: RougeOptions): string[] {
  const stem = opts.useStemmer ?? false;
  return opts.tokenizer === "zh" ? tokenizeZh(text, stem) : tokenizeDefault(text, stem);
}

function ngrams(tokens: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0001");
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

export function scoreNgrams(target: readonly string[], prediction: readonly string[], n: number): RougeF {
  const t = ngrams(target, n);
  const p = ngrams(prediction, n);
  let overlap = 0;
  for (const [k, c] of t) overlap += Math.min(c, p.get(k) ?? 0);
  let tCount = 0;
  let pCount = 0;
  for (const c of t.values()) tCount += c;
  for (const c of p.values()) pCount += c;
  const precision = overlap / Math.max(pCount, 1);
  const recall = overlap / Math.max(tCount, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Dynamic-programming LCS table, (|ref|+1) × (|can|+1). */
export function lcsTable<T>(ref: readonly T[], can: readonly T[]): number[][] {
  const table = Array.from({ length: ref.length + 1 }, () => new Array<number>(can.length + 1).fill(0));
  for (let i = 1; i <= ref.length; i++) {
    const row = table[i] as number[];
    const prev = table[i - 1] as number[];
    for (let j = 1; j <= can.length; j++) {
      row[j] = ref[i - 1] === can[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, row[j - 1] as number);
    }
  }
  return table;
}

/** Indices into `ref` of one LCS, backtracked the way rouge-score's `_backtrack_norec` does. */
export function lcsIndices<T>(ref: readonly T[], can: readonly T[]): number[] {
  const t = lcsTable(ref, can);
  const at = (i: number, j: number): number => t[i]?.[j] ?? 0;
  let i = ref.length;
  let j = can.length;
  const out: number[] = [];
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.unshift(i - 1);
      i--;
      j--;
    } else if (at(i, j - 1) > at(i - 1, j)) j--;
    else i--;
  }
  return out;
}

/** Union of the LCS token positions of `ref` against every candidate sentence (Lin 2004 §3.2). */
export function unionLcs<T>(ref: readonly T[], cands: ReadonlyArray<readonly T[]>): T[] {
  const idx = new Set<number>();
  for (const c of cands) for (const i of lcsIndices(ref, c)) idx.add(i);
  return [...idx].sort((a, b) => a - b).map((i) => ref[i] as T);
}

export function scoreLcs(target: readonly string[], prediction: readonly string[]): RougeF {
  if (target.length === 0 || prediction.length === 0) return ZERO;
  const lcs = lcsTable(target, prediction)[target.length]?.[prediction.length] ?? 0;
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** Summary-level LCS with rouge-score's (and ROUGE-1.5.5's) guard against double counting. */
export function summaryLevelLcs<T>(refSents: ReadonlyArray<readonly T[]>, canSents: ReadonlyArray<readonly T[]>): RougeF {
  if (refSents.length === 0 || canSents.length === 0) return ZERO;
  const m = refSents.reduce((a, s) => a + s.length, 0);
  const n = canSents.reduce((a, s) => a + s.length, 0);
  if (m === 0 || n === 0) return ZERO;
  const cntR = new Map<T, number>();
  const cntC = new Map<T, number>();
  for (const s of refSents) for (const t of s) cntR.set(t, (cntR.get(t) ?? 0) + 1);
  for (const s of canSents) for (const t of s) cntC.set(t, (cntC.get(t) ?? 0) + 1);
  let hits = 0;
  for (const r of refSents) {
    for (const t of unionLcs(r, canSents)) {
      const c = cntC.get(t) ?? 0;
      const rr = cntR.get(t) ?? 0;
      if (c > 0 && rr > 0) {
        hits++;
        cntC.set(t, c - 1);
        cntR.set(t, rr - 1);
      }
    }
  }
  const recall = hits / m;
  const precision = hits / n;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/** rougeLsum sentences: newline-separated, empty lines dropped (rouge-score without split_summaries). */
function sentences(text: string): string[] {
  return text.split("\n").filter((s) => s.length > 0);
}

/** Score one prediction against one target (reference first, as in rouge-score). */
export function score(
  target: string,
  prediction: string,
  types: readonly RougeType[] = ["rouge1", "rouge2", "rougeL"],
  opts: RougeOptions = {},
): Record<string, RougeF> {
  const out: Record<string, RougeF> = {};
  let tTok: string[] | undefined;
  let pTok: string[] | undefined;
  const tokens = (): [string[], string[]] => {
    tTok ??= tokenize(target, opts);
    pTok ??= tokenize(prediction, opts);
    return [tTok, pTok];
  };
  for (const type of types) {
    if (type === "rougeL") {
      out[type] = scoreLcs(...tokens());
    } else if (type === "rougeLsum") {
      const ts = sentences(target).map((s) => tokenize(s, opts));
      const ps = sentences(prediction).map((s) => tokenize(s, opts));
      out[type] = summaryLevelLcs(ts, ps);
    } else {
      const m = /^rouge([0-9]+)$/.exec(type);
      const n = Number(m?.[1]);
      if (!m || !Number.isInteger(n) || n < 1) throw new Error(`invalid rouge type ${type}`);
      out[type] = scoreNgrams(...tokens(), n);
    }
  }
  return out;
}
