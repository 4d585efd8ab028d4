/** `eval <suite>` and `eval text` end to end: registry → runner → JSON + HTML + PNG on disk. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { run, textMetrics } from "../../server/cli/eval.js";
import { parseEvalResult } from "../result.js";
import { registerSuite } from "../suites.js";

const dir = await mkdtemp(join(tmpdir(), "glycopilot-eval-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("eval <suite>", () => {
  it("runs a registered suite and writes json, html and png", async () => {
    registerSuite("clitest", async (ctx) => {
      const tick = ctx.progress(3);
      for (let i = 0; i < 3; i++) tick();
      return {
        suite: "clitest",
        createdAt: "2026-01-01T00:00:00.000Z",
        metrics: { emergencyRecall: 1, macroF1: 0.8 },
        safety: ["emergencyRecall"],
        higherIsBetter: {},
        details: {
          confusion: {
            labels: ["a", "b"],
            matrix: [
              [2, 0],
              [1, 3],
            ],
          },
          scores: [0.1, 0.5, 0.9],
        },
      };
    });
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await run(["clitest", "--out", dir])).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const result = parseEvalResult(await readFile(join(dir, "clitest.json"), "utf8"));
    expect(result.metrics.macroF1).toBe(0.8);
    const html = await readFile(join(dir, "clitest.html"), "utf8");
    expect(html.match(/<svg/g)).toHaveLength(2); // confusion + histogram
    const png = await readFile(join(dir, "clitest.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("returns 2 for an unknown suite", async () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await run(["no-such-suite"])).toBe(2);
    } finally {
      err.mockRestore();
    }
  });
});

describe("eval text", () => {
  it("identical files score 100 on every metric", async () => {
    const f = join(dir, "same.txt");
    await writeFile(f, "The dog bit the man.\nHbA1c 7.5% is above target.\n");
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    try {
      expect(await run(["text", "--hyp", f, "--ref", f])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const m = JSON.parse(out.join("")) as Record<string, number>;
    for (const k of ["bleu4", "rouge1", "rouge2", "rougeL"]) expect(m[k]).toBeCloseTo(100, 9);
  });
  it("averages ROUGE over lines and uses the zh tokenizers for Chinese", () => {
    // line 1 identical (F=1), line 2 disjoint (F=0) → ROUGE-1 = 50
    expect(textMetrics(["a b", "c d"], ["a b", "e f"], "en").rouge1).toBeCloseTo(50, 12);
    expect(textMetrics(["空腹血糖偏高"], ["空腹血糖偏高"], "zh").bleu4).toBeCloseTo(100, 9);
    expect(() => textMetrics(["a"], [], "en")).toThrow(/lines/);
  });
});
