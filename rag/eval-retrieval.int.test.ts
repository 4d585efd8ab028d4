import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../core/config.js";
import { type Knowledge, openKnowledge } from "../server/clients.js";
import { evaluateRetrieval, formatTable } from "./eval-retrieval.js";

let dir: string;
let opened: Knowledge;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "glyco-eval-"));
  opened = await openKnowledge(loadConfig({ DATA_DIR: dir, CHROMA_PREFIX: "eval" }), { seedCases: false });
}, 180_000);
afterAll(async () => {
  await opened?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("retrieval evaluation on the MedQuAD dev questions", () => {
  it("fused recall@5 ≥ 0.90 (gold document id), printed per mode", async () => {
    const rows = await evaluateRetrieval(opened.kb);
    console.log(`\n${formatTable(rows)}\n`);
    const hybrid = rows.find((r) => r.mode === "hybrid");
    expect(hybrid?.questions).toBeGreaterThan(300);
    expect(hybrid?.recallAt5).toBeGreaterThanOrEqual(0.9);
    for (const r of rows) expect(r.mrr).toBeGreaterThan(0.5);
  }, 180_000);

  it("re-opening an up-to-date knowledge base does not re-ingest", async () => {
    const again = await openKnowledge(loadConfig({ DATA_DIR: dir, CHROMA_PREFIX: "eval", CHROMA_URL: opened.chromaUrl }), {
      seedCases: false,
    });
    try {
      expect(again.ingested).toBeUndefined();
      expect(again.kb.size).toBe(opened.kb.size);
    } finally {
      await again.stop();
    }
  }, 60_000);
});
