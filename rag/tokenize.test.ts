import { describe, expect, it } from "vitest";
import { cjkBigrams, stem, tokenize } from "./tokenize.js";

describe("tokenize", () => {
  it("lowercases, drops stopwords and stems English", () => {
    expect(tokenize("What are the symptoms of Diabetic Kidney Disease?")).toEqual(["symptom", "diabetic", "kidney", "disease"]);
  });

  it.each([
    ["kidneys", "kidney"],
    ["therapies", "therapy"],
    ["glasses", "glass"],
    ["status", "status"],
    ["testing", "test"],
    ["treated", "treat"],
    ["2.5", "2.5"],
  ])("stem(%s) = %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it("keeps numbers and decimals (doses, lab values)", () => {
    expect(tokenize("HbA1c 7.5% type 2")).toEqual(["hba1c", "7.5", "type", "2"]);
  });

  it("segments Chinese with jieba and drops punctuation and function words", () => {
    const toks = tokenize("低血糖时应该怎么办？血糖仪显示HI");
    expect(toks).toContain("低血糖");
    expect(toks).toContain("血糖仪");
    expect(toks).toContain("hi");
    expect(toks).not.toContain("？");
    expect(toks).not.toContain("怎么办");
  });

  it("produces CJK character bigrams only for CJK runs", () => {
    expect(cjkBigrams("糖尿病 abc 肾病")).toEqual(["糖尿", "尿病", "肾病"]);
  });
});
