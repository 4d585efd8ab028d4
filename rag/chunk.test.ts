import { describe, expect, it } from "vitest";
import { chunkDocument, splitSections, splitSentences } from "./chunk.js";

const sentence = (i: number) => `Sentence number ${i} explains one fact about insulin titration and fasting glucose goals.`;

describe("chunking", () => {
  it("splits at headings and keeps the heading path", () => {
    const secs = splitSections("intro text\n# A\nalpha\n## B\nbeta\n# C\ngamma");
    expect(secs.map((s) => s.path)).toEqual(["", "A", "A > B", "C"]);
  });

  it("splits English and Chinese sentences", () => {
    expect(splitSentences("First one. Second one? Third!")).toEqual(["First one.", "Second one?", "Third!"]);
    expect(splitSentences("先测血糖。再吃糖片！还是不行怎么办？")).toEqual(["先测血糖。", "再吃糖片！", "还是不行怎么办？"]);
    // Decimals and abbreviations followed by lowercase are not sentence ends.
    expect(splitSentences("Take 2.5 mg, e.g. with food.")).toEqual(["Take 2.5 mg, e.g. with food."]);
  });

  it("packs sentences to about the target size, never mid-sentence, with overlap", () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(" ");
    const chunks = chunkDocument({ unit: "doc@1", title: "Doc", text }, { target: 800, overlap: 160 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      const body = c.text.split("\n")[1] as string;
      expect(body.length).toBeLessThanOrEqual(800);
      expect(body.endsWith(".")).toBe(true);
    }
    // Overlap: each chunk starts with the previous chunk's last sentence.
    const bodies = chunks.map((c) => c.text.split("\n")[1] ?? "");
    const last = (bodies[0] ?? "").split(/(?<=\.) /).pop() ?? "";
    expect(last.length).toBeGreaterThan(0);
    expect((bodies[1] ?? "").startsWith(last)).toBe(true);
  });

  it("chunks Chinese text on Chinese punctuation", () => {
    const text = Array.from({ length: 60 }, (_, i) => `第${i}条：低血糖时先吃十五克葡萄糖，十五分钟后复测血糖。`).join("");
    const chunks = chunkDocument({ unit: "zh@1", title: "低血糖", text });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.text.endsWith("。")).toBe(true);
  });

  it("gives identical ids for unchanged text and changes only the edited chunk's id", () => {
    const sections = ["# One", sentence(1), "# Two", sentence(2), "# Three", sentence(3)];
    const a = chunkDocument({ unit: "d@1", title: "T", text: sections.join("\n") });
    const b = chunkDocument({ unit: "d@1", title: "T", text: sections.join("\n") });
    expect(b.map((c) => c.id)).toEqual(a.map((c) => c.id));
    const edited = [...sections];
    edited[3] = "A different second fact.";
    const c = chunkDocument({ unit: "d@1", title: "T", text: edited.join("\n") });
    expect(c[0]?.id).toBe(a[0]?.id);
    expect(c[1]?.id).not.toBe(a[1]?.id);
    expect(c[2]?.id).toBe(a[2]?.id);
  });

  it("uses passage ids for single-chunk MedQuAD passages and ~n when split", () => {
    expect(chunkDocument({ unit: "medquad:x#p1", title: "X", text: "Short.", sequentialIds: true }).map((c) => c.id)).toEqual([
      "medquad:x#p1",
    ]);
    const long = Array.from({ length: 30 }, (_, i) => sentence(i)).join(" ");
    const ids = chunkDocument({ unit: "medquad:x#p2", title: "X", text: long, sequentialIds: true }).map((c) => c.id);
    expect(ids[0]).toBe("medquad:x#p2~0");
    expect(ids[1]).toBe("medquad:x#p2~1");
  });
});
