/**
 * Runs every sacrebleu test vector (evals/fixtures/sacrebleu_vectors.json, copied from
 * mjpost/sacrebleu test/test_bleu.py and test_sentence_bleu.py) at its stated tolerance.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type BleuOptions, type BleuScore, computeBleu, corpusBleu, type SmoothMethod, sentenceBleu } from "./bleu.js";
import type { BleuTokenizer } from "./tokenize-bleu.js";
import { tokenize13a, tokenizeZh } from "./tokenize-bleu.js";

interface Settings {
  tokenize?: BleuTokenizer;
  smooth_method?: SmoothMethod;
  smooth_value?: number | null;
  lowercase?: boolean;
  effective_order?: boolean;
  max_ngram_order?: number;
  force?: boolean;
}
interface Vector {
  metric: string;
  hypotheses?: string[];
  hypothesis?: string;
  references?: string[][] | string[];
  statistics?: { correct: number[]; total: number[]; sys_len: number; ref_len: number };
  settings: Settings;
  expected: { score?: number; score_2dp?: string; counts?: number[]; totals?: number[] };
  tolerance: number;
  score_scale: string | null;
  note?: string;
}

const vectors = JSON.parse(readFileSync(new URL("../fixtures/sacrebleu_vectors.json", import.meta.url), "utf8")) as Vector[];

function options(s: Settings): BleuOptions {
  const o: BleuOptions = {};
  if (s.tokenize !== undefined) o.tokenize = s.tokenize;
  if (s.smooth_method !== undefined) o.smoothMethod = s.smooth_method;
  if (s.smooth_value !== undefined) o.smoothValue = s.smooth_value;
  if (s.lowercase !== undefined) o.lowercase = s.lowercase;
  if (s.effective_order !== undefined) o.effectiveOrder = s.effective_order;
  if (s.max_ngram_order !== undefined) o.maxNgramOrder = s.max_ngram_order;
  return o;
}

function run(v: Vector): BleuScore {
  const o = options(v.settings);
  switch (v.metric) {
    case "sacrebleu.corpus_bleu":
    case "sacrebleu.BLEU.corpus_score":
      return corpusBleu(v.hypotheses ?? [], v.references as string[][], o);
    case "sacrebleu.raw_corpus_bleu":
      // sacrebleu/compat.py: raw_corpus_bleu = corpus_bleu(..., smooth_method='floor',
      // tokenize='none', force=True, use_effective_order=True).
      return corpusBleu(v.hypotheses ?? [], v.references as string[][], { ...o, effectiveOrder: true });
    case "sacrebleu.sentence_bleu":
      return sentenceBleu(v.hypothesis ?? "", v.references as string[], o);
    case "sacrebleu.BLEU.compute_bleu": {
      const st = v.statistics;
      if (!st) throw new Error("compute_bleu vector without statistics");
      return computeBleu(st.correct, st.total, st.sys_len, st.ref_len, o);
    }
    default:
      throw new Error(`unknown metric ${v.metric}`);
  }
}

describe("sacrebleu vectors", () => {
  it("has all 46 vectors", () => expect(vectors).toHaveLength(46));

  it.each(vectors.map((v, i) => [i, v] as const))("vector %i", (_i, v) => {
    const got = run(v);
    const scale = v.score_scale?.startsWith("0-1 ") || v.score_scale === "0-1" ? 0.01 : 1;
    if (v.expected.score !== undefined) {
      const diff = Math.abs(got.score * scale - v.expected.score);
      // sacrebleu asserts abs(diff) < EPSILON (strict) and == for zero tolerance
      if (v.tolerance === 0) expect(got.score * scale).toBe(v.expected.score);
      else expect(diff, `got ${got.score * scale}, expected ${v.expected.score}`).toBeLessThan(v.tolerance);
    }
    if (v.expected.score_2dp !== undefined) {
      expect(got.score.toFixed(2)).toBe(v.expected.score_2dp);
    }
    if (v.expected.counts) expect(got.counts).toEqual(v.expected.counts);
    if (v.expected.totals) expect(got.totals).toEqual(v.expected.totals);
  });
});

describe("tokenizers", () => {
  it("13a splits punctuation but keeps decimals and apostrophes", () => {
    expect(tokenize13a("It wasn't 3.5 mg/dL, ok.")).toBe("It wasn't 3.5 mg / dL , ok .");
  });
  it("13a unescapes entities and drops <skipped>", () => {
    expect(tokenize13a("a &amp; b<skipped>")).toBe("a & b");
  });
  it("zh isolates Chinese characters and keeps Latin runs with 13a", () => {
    expect(tokenizeZh("血糖HbA1c 7.5%，偏高")).toBe("血 糖 HbA1c 7.5 % ， 偏 高");
  });
  it("zh BLEU of identical text is 100", () => {
    expect(sentenceBleu("空腹血糖偏高", ["空腹血糖偏高"], { tokenize: "zh" }).score).toBeCloseTo(100, 10);
  });
});
