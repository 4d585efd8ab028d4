import { describe, expect, it } from "vitest";
import { extractChoice, loadMcq, type McqItem, parseMcqCsv, scoreMcq } from "./mcq.js";

describe("parseMcqCsv", () => {
  const items = loadMcq();
  it("parses all 235 Diabetica A1 questions with five options and a letter answer", () => {
    expect(items).toHaveLength(235);
    for (const it of items) expect(Object.keys(it.options)).toEqual(["A", "B", "C", "D", "E"]);
  });
  it("parses the first item exactly", () => {
    expect(items[0]).toEqual<McqItem>({
      id: "mcq-001",
      question: "主要鉴别皮质醇增高是原发于肾上腺还是继发于垂体及下丘脑的试验为",
      options: {
        A: "血浆皮质醇测定",
        B: "尿游离皮质醇测定",
        C: "尿17-羟皮质类固醇测定",
        D: "尿17-酮皮质类固醇测定",
        E: "促肾上腺皮质激素(ACTH)兴奋试验",
      },
      answer: "E",
    });
  });
  it("handles quoted commas, doubled quotes and CRLF", () => {
    const csv =
      '\uFEFFquestion,answer\r\n"Question: a, ""b""\r\nOption A: x\r\nOption B: y\r\nOption C: z\r\nOption D: w\r\nOption E: v",C：z\r\n';
    expect(parseMcqCsv(csv)[0]).toMatchObject({ question: 'a, "b"', answer: "C", options: { E: "v" } });
  });
  it("names the row when an option is missing", () => {
    expect(() => parseMcqCsv('question,answer\n"Question: q\nOption A: x",A：x\n')).toThrow(/row 2.*missing options B,C,D,E/);
  });
});

describe("extractChoice", () => {
  it.each([
    ["B", "B"],
    ["B：尿崩症", "B"],
    ["(C) 格列齐特", "C"],
    ["答案是B。", "B"],
    ["正确答案为：（E）促肾上腺皮质激素兴奋试验", "E"],
    ["选项B和C都不对，答案是A", "A"],
    ["应选D，因为…", "D"],
    ["本题选 e", "E"],
    ["答案：Ｃ", "C"],
    ["The answer is (B) HLA-B27.", "B"],
    ["Answer: d", "D"],
    ["I would choose option E because stress matters.", "E"],
    ["HLA-B27 阳性最常见，故选B", "B"],
    ["根据分析，最可能的是 D 下肢动脉", "D"],
    ["无法确定", null],
    ["A or B, hard to say", null],
  ])("%s → %s", (text, letter) => expect(extractChoice(text)).toBe(letter));

  it("falls back to quoted option text", () => {
    const item = loadMcq()[1] as McqItem; // HLA-B27 question
    expect(extractChoice("强直性脊柱炎通常 HLA-B27 阳性", item.options)).toBe("B");
    expect(extractChoice("不知道", item.options)).toBeNull();
  });
});

describe("scoreMcq", () => {
  it("counts unanswered as wrong", () => {
    expect(
      scoreMcq([
        { gold: "A", predicted: "A" },
        { gold: "B", predicted: "C" },
        { gold: "C", predicted: null },
        { gold: "D", predicted: "D" },
      ]),
    ).toEqual({ accuracy: 0.5, correct: 2, total: 4, unanswered: 1 });
  });
});
