/** The retrieval suite against the test-wide Chroma (corpus ingested once by test/global-setup.ts). */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../core/config.js";
import { loadQuestions } from "../../rag/eval-retrieval.js";
import { createRetrievalRunner } from "./retrieval.js";

const dir = await mkdtemp(join(tmpdir(), "glycopilot-retrieval-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("retrieval suite", () => {
  it("scores bm25, dense and hybrid on the given questions, ticking once per query", async () => {
    const questions = (await loadQuestions()).slice(0, 12);
    const file = join(dir, "q.jsonl");
    await writeFile(file, questions.map((q) => JSON.stringify(q)).join("\n"));
    const config = loadConfig({ CHROMA_URL: inject("chromaUrl"), CHROMA_PREFIX: "test", DATA_DIR: dir });
    // One tally per progress bar: an ingest bar appears only when the shared Chroma's corpus was
    // changed by another test file, so the query bar (the last one) is counted on its own.
    const bars: { total: number; ticks: number }[] = [];
    const r = await createRetrievalRunner({ config })({
      dataFile: file,
      progress: (total) => {
        const bar = { total, ticks: 0 };
        bars.push(bar);
        return () => void bar.ticks++;
      },
    });
    expect(bars.at(-1)).toEqual({ total: 36, ticks: 36 });
    expect((r.details as { questions: number }).questions).toBe(12);
    for (const mode of ["bm25", "dense", "hybrid"]) {
      const at1 = r.metrics[`${mode}_recallAt1`] as number;
      const at5 = r.metrics[`${mode}_recallAt5`] as number;
      const mrr = r.metrics[`${mode}_mrr`] as number;
      expect(at1).toBeGreaterThanOrEqual(0);
      expect(at5).toBeGreaterThanOrEqual(at1);
      expect(at5).toBeLessThanOrEqual(1);
      expect(mrr).toBeGreaterThanOrEqual(at1); // a rank-1 hit contributes 1 to both
    }
    // Templated "What is X?" questions: the lexical half alone finds most gold documents.
    expect(r.metrics.bm25_recallAt5).toBeGreaterThan(0.5);
  });
});
