/**
 * Runs every rouge-score vector (evals/fixtures/rouge_score_vectors.json, from
 * google-research rouge/rouge_scorer_test.py) to its stated number of decimal places,
 * like the upstream `assertAlmostEqual(expected, got, places)`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { porterStem } from "./porter.js";
import { lcsIndices, lcsTable, type RougeType, score, summaryLevelLcs, tokenizeZh, unionLcs } from "./rouge.js";

interface Vector {
  rouge_types: RougeType[];
  target: string;
  prediction: string;
  use_stemmer: boolean;
  expected: Record<string, { precision: number; recall: number; fmeasure: number }>;
  places: number;
  note?: string;
}
interface File {
  helper_vectors: {
    lcs_table: { ref: number[]; cand: number[]; lcs_len: number; lcs_ref_indices: number[] };
    union_lcs: { ref: number[]; cands: number[][]; union: number[] };
    summary_level_lcs: { refs: number[][]; cands: number[][]; recall: number; precision: number; fmeasure: number };
  };
  vectors: Vector[];
}

const file = JSON.parse(readFileSync(new URL("../fixtures/rouge_score_vectors.json", import.meta.url), "utf8")) as File;

/** Python unittest assertAlmostEqual: round(a - b, places) == 0. */
function almostEqual(got: number, expected: number, places: number, label: string): void {
  const ok = Math.abs(got - expected) < 0.5 * 10 ** -places;
  expect(ok, `${label}: got ${got}, expected ${expected} to ${places} places`).toBe(true);
}

describe("rouge-score vectors", () => {
  it("has all 24 vectors", () => expect(file.vectors).toHaveLength(24));

  it.each(file.vectors.map((v, i) => [i, v.note ?? v.rouge_types.join("+"), v] as const))("vector %i (%s)", (_i, _note, v) => {
    const got = score(v.target, v.prediction, v.rouge_types, { useStemmer: v.use_stemmer });
    for (const [type, exp] of Object.entries(v.expected)) {
      const g = got[type];
      expect(g, type).toBeDefined();
      if (!g) continue;
      almostEqual(g.precision, exp.precision, v.places, `${type}.precision`);
      almostEqual(g.recall, exp.recall, v.places, `${type}.recall`);
      almostEqual(g.fmeasure, exp.fmeasure, v.places, `${type}.fmeasure`);
    }
  });
});

describe("rouge-score helper vectors", () => {
  const h = file.helper_vectors;
  it("lcs table and backtracked indices", () => {
    const t = lcsTable(h.lcs_table.ref, h.lcs_table.cand);
    expect(t[h.lcs_table.ref.length]?.[h.lcs_table.cand.length]).toBe(h.lcs_table.lcs_len);
    expect(lcsIndices(h.lcs_table.ref, h.lcs_table.cand)).toEqual(h.lcs_table.lcs_ref_indices);
  });
  it("union LCS", () => {
    expect(unionLcs(h.union_lcs.ref, h.union_lcs.cands)).toEqual(h.union_lcs.union);
  });
  it("summary-level LCS", () => {
    const s = summaryLevelLcs(h.summary_level_lcs.refs, h.summary_level_lcs.cands);
    almostEqual(s.recall, h.summary_level_lcs.recall, 4, "recall");
    almostEqual(s.precision, h.summary_level_lcs.precision, 4, "precision");
    almostEqual(s.fmeasure, h.summary_level_lcs.fmeasure, 4, "fmeasure");
  });
});

describe("porter stemmer (nltk NLTK_EXTENSIONS)", () => {
  // Expected stems from nltk's documented examples in porter.py docstrings.
  it.each([
    ["caresses", "caress"],
    ["ponies", "poni"],
    ["ties", "tie"],
    ["cats", "cat"],
    ["agreed", "agre"],
    ["disabled", "disabl"],
    ["matting", "mat"],
    ["mating", "mate"],
    ["meeting", "meet"],
    ["milling", "mill"],
    ["happy", "happi"],
    ["enjoy", "enjoy"],
    ["relational", "relat"],
    ["generalization", "gener"],
    ["dying", "die"],
    ["skies", "sky"],
    ["running", "run"],
  ])("%s → %s", (word, stem) => expect(porterStem(word)).toBe(stem));
});

describe("zh mode (GlycoPilot extension)", () => {
  it("tokenizes CJK per character and Latin runs as words", () => {
    expect(tokenizeZh("空腹血糖 HbA1c 7.5%")).toEqual(["空", "腹", "血", "糖", "hba1c", "7", "5"]);
  });
  it("scores Chinese text that the default tokenizer cannot see", () => {
    const s = score("建议复查糖化血红蛋白", "建议复查血糖", ["rouge1"], { tokenizer: "zh" });
    // overlap 建 议 复 查 血 糖 = 6; prediction 6 tokens, target 10 tokens
    expect(s.rouge1?.precision).toBeCloseTo(1, 12);
    expect(s.rouge1?.recall).toBeCloseTo(0.6, 12);
    expect(score("建议复查", "建议复查", ["rouge1"]).rouge1?.fmeasure).toBe(0);
  });
});
