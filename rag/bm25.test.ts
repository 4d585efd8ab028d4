import { describe, expect, it } from "vitest";
import { Bm25Index } from "./bm25.js";
import { reciprocalRankFusion } from "./fusion.js";
import { tokenize } from "./tokenize.js";

const docs = [
  "Metformin is first-line therapy for type 2 diabetes.",
  "Insulin glargine is a basal insulin analog.",
  "Hypoglycemia: treat with 15 g of glucose and recheck after 15 minutes.",
  "Diabetic foot ulcers need urgent referral.",
  "Insulin insulin insulin pumps deliver insulin.",
];

describe("BM25", () => {
  const idx = Bm25Index.build(docs);

  it("ranks the document that contains the rare query term first", () => {
    expect(idx.search("metformin therapy", 3)[0]?.index).toBe(0);
    expect(idx.search("foot ulcer", 3)[0]?.index).toBe(3);
  });

  it("computes Lucene IDF and the BM25 formula (k1 1.2, b 0.75)", () => {
    // "metformin" appears in 1 of 5 documents.
    expect(idx.idf("metformin")).toBeCloseTo(Math.log(1 + (5 - 1 + 0.5) / 1.5), 10);
    const lens = docs.map((d) => tokenize(d).length);
    const tokens0 = lens[0] as number;
    const avgdl = lens.reduce((a, b) => a + b) / lens.length;
    const hit = idx.search("metformin", 1)[0];
    const expected = (idx.idf("metformin") * (1 * 2.2)) / (1 + 1.2 * (1 - 0.75 + (0.75 * tokens0) / avgdl));
    expect(hit?.score).toBeCloseTo(expected, 6);
  });

  it("saturates term frequency", () => {
    const hits = idx.search("insulin", 5);
    expect(hits.map((h) => h.index).sort()).toEqual([1, 4]);
    expect((hits[0]?.score as number) / (hits[1]?.score as number)).toBeLessThan(2);
  });

  it("applies the accept filter before top-k and returns nothing for unknown terms", () => {
    expect(idx.search("insulin", 5, (i) => i !== 4).map((h) => h.index)).toEqual([1]);
    expect(idx.search("zzzunknown", 5)).toEqual([]);
  });

  it("answers term membership from its forward index exactly as tokenising the document would", () => {
    const idx = Bm25Index.build(docs);
    const probe = ["insulin", "metformin", "glucose", "15", "ulcers", "zzzunknown", "analog", "the"];
    docs.forEach((d, i) => {
      const set = new Set(tokenize(d));
      for (const t of probe) expect(idx.contains(i, t), `${t} in doc ${i}`).toBe(set.has(t));
    });
    expect(idx.contains(99, "insulin")).toBe(false);
  });

  it("rebuilds from the term bags of an older index with identical scores (no re-tokenising)", () => {
    const idx = Bm25Index.build(docs);
    const bag = idx.bag(4);
    expect(bag.length).toBe(tokenize(docs[4] as string).length);
    expect(bag.counts[bag.terms.indexOf("insulin")]).toBe(4);
    // Reorder and reuse: the rebuilt index scores every query exactly as a fresh build does.
    const order = [3, 0, 4, 1, 2];
    const rebuilt = Bm25Index.fromBags(order.map((d) => idx.bag(d)));
    const fresh = Bm25Index.build(order.map((d) => docs[d] as string));
    for (const q of ["insulin", "glucose recheck", "type 2 diabetes metformin", "foot"])
      expect(rebuilt.search(q, 5)).toEqual(fresh.search(q, 5));
  });

  it("scales: 20k documents index and answer (latency figures: npm run bench)", () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `${docs[i % docs.length]} note ${i} term${i % 997}`);
    const big = Bm25Index.build(many);
    const hits = big.search("term42 insulin", 10);
    expect(hits[0]?.index !== undefined && many[hits[0].index]?.includes("term42")).toBe(true);
  });
});

describe("reciprocal rank fusion", () => {
  it("sums 1/(k+rank) and normalizes by the maximum", () => {
    const fused = reciprocalRankFusion(
      [
        ["a", "b", "c"],
        ["b", "a", "d"],
      ],
      60,
    );
    expect(
      fused
        .map((f) => f.id)
        .slice(0, 2)
        .sort(),
    ).toEqual(["a", "b"]);
    const a = fused.find((f) => f.id === "a");
    expect(a?.rrf).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(a?.normalized).toBeCloseTo((1 / 61 + 1 / 62) / (2 / 61), 12);
    const d = fused.find((f) => f.id === "d");
    expect(d?.ranks).toEqual([undefined, 3]);
    expect(fused[fused.length - 1]?.normalized).toBeGreaterThan(0);
  });

  it("ranks an item found by both lists above one found at rank 1 by a single list", () => {
    const fused = reciprocalRankFusion(
      [
        ["x", "both"],
        ["y", "both"],
      ],
      60,
    );
    expect(fused[0]?.id).toBe("both");
  });
});
