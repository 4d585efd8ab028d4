import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceDocument } from "./documents.js";
import { loadDocuments } from "./documents.js";
import { OfflineHashEmbedder } from "./embedders/offline.js";
import { ingest } from "./ingest.js";
import { CORPUS_DIR } from "./open.js";
import { KnowledgeBase } from "./retriever.js";
import { startTestChroma, type TestChroma } from "./test-support.js";

let chroma: TestChroma;
let corpus: SourceDocument[];
beforeAll(async () => {
  chroma = await startTestChroma();
  const protocols = await loadDocuments([
    join(CORPUS_DIR, "protocols"),
    join(CORPUS_DIR, "education"),
    join(CORPUS_DIR, "formulary"),
  ]);
  expect(protocols.problems).toEqual([]);
  // A slice of MedQuAD keeps the test fast while covering the JSONL path and split passages.
  const lines = (await readFile(join(CORPUS_DIR, "medquad", "medquad_passages.jsonl"), "utf8"))
    .split("\n")
    .slice(0, 60)
    .join("\n");
  const tmp = join(chroma.dir, "medquad-slice.jsonl");
  await import("node:fs/promises").then((fs) => fs.writeFile(tmp, lines));
  corpus = [...protocols.docs, ...(await loadDocuments([tmp])).docs];
}, 60_000);
afterAll(async () => {
  await chroma?.stop();
});

const embedder = new OfflineHashEmbedder();

describe("ingest + KnowledgeBase on embedded Chroma", () => {
  it("ingests, is idempotent, deletes removed chunks and tracks superseded versions", async () => {
    const store = chroma.store();
    const first = await ingest({ store, embedder, documents: corpus, collection: "kb" });
    expect(first.documents).toBe(corpus.length);
    expect(first.upserted).toBe(first.chunks);
    expect(await store.count("kb")).toBe(first.chunks);
    const idsBefore = (await store.getAll("kb")).map((r) => r.id).sort();

    const again = await ingest({ store, embedder, documents: corpus, collection: "kb" });
    expect(again).toMatchObject({ upserted: 0, deleted: 0, relabeled: 0, chunks: first.chunks });
    expect((await store.getAll("kb")).map((r) => r.id).sort()).toEqual(idsBefore);

    // Cut a protocol down to its first section: its other chunks must go, nothing else changes.
    const foot = corpus.find((d) => d.sourceId === "protocol:diabetic-foot") as SourceDocument;
    const shortened = { ...foot, text: foot.text.split("\n## ")[0] as string };
    const edited = corpus.map((d) => (d === foot ? shortened : d));
    const third = await ingest({ store, embedder, documents: edited, collection: "kb" });
    expect(third.deleted).toBeGreaterThan(0);
    expect(third.upserted).toBe(0); // the kept first chunk is byte-identical
    const footChunks = await store.get("kb", { where: { sourceId: "protocol:diabetic-foot" } });
    expect(footChunks.length).toBe(1);

    // Both versions of the insulin titration protocol are stored; only 2025.1 is current.
    const titration = await store.get("kb", { where: { sourceId: "protocol:insulin-titration" } });
    const versions = new Map(titration.map((r) => [String(r.metadata.version), r.metadata.current]));
    expect(versions).toEqual(
      new Map([
        ["2024.1", false],
        ["2025.1", true],
      ]),
    );

    // Re-ingesting only the old version later must not make it current again.
    const old = corpus.filter((d) => d.sourceId === "protocol:insulin-titration" && d.version === "2024.1");
    const fourth = await ingest({ store, embedder, documents: old, collection: "kb" });
    expect(fourth.upserted).toBe(0);
    const after = await store.get("kb", { where: { $and: [{ sourceId: "protocol:insulin-titration" }, { current: true }] } });
    expect(new Set(after.map((r) => r.metadata.version))).toEqual(new Set(["2025.1"]));
  });

  it("searches with filters, excludes superseded versions and resolves citations to text", async () => {
    const store = chroma.store();
    await ingest({ store, embedder, documents: corpus, collection: "kb" });
    const kb = new KnowledgeBase({ store, embedder, collection: "kb" });
    await kb.refresh();

    const hits = await kb.search("basal insulin titration 2 units every 3 days", { k: 5, kind: ["protocol"] });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]?.citation.sourceId).toBe("protocol:insulin-titration");
    expect(hits.every((h) => h.kind === "protocol")).toBe(true);
    expect(hits.some((h) => h.citation.version === "2024.1")).toBe(false);
    const withOld = await kb.search("basal insulin titration 2 units every 3 days", {
      k: 10,
      kind: ["protocol"],
      includeSuperseded: true,
    });
    expect(withOld.some((h) => h.citation.version === "2024.1")).toBe(true);

    for (const h of hits) {
      expect(h.score).toBeGreaterThanOrEqual(0);
      expect(h.score).toBeLessThanOrEqual(1);
      const back = await kb.getChunk(h.citation.chunkId);
      expect(back?.text).toBe(h.text);
      expect(back?.citation).toEqual(h.citation);
    }
    expect(await kb.getChunk("no-such-chunk")).toBeNull();

    const zh = await kb.search("低血糖 晕倒 叫不醒 怎么办", { k: 3, audience: "patient", lang: "zh" });
    expect(zh[0]?.citation.sourceId).toBe("education:hypoglycemia-zh");
    const patientOnly = await kb.search("metformin kidney", { k: 10, audience: "patient" });
    expect(patientOnly.every((p) => p.audience === "patient")).toBe(true);
    const formulary = await kb.search("glipizide type 2 diabetes glycemic control", { k: 3, kind: ["formulary"] });
    expect(formulary[0]?.citation.sourceId.startsWith("dailymed:")).toBe(true);
  });

  it("drops passages rejected by the filter hook, reports them, and still fills k", async () => {
    const store = chroma.store();
    await ingest({ store, embedder, documents: corpus, collection: "kb" });
    const dropped: string[] = [];
    const kb = new KnowledgeBase({
      store,
      embedder,
      collection: "kb",
      filter: (p) => p.kind !== "protocol",
      onDrop: (p) => dropped.push(p.citation.chunkId),
    });
    await kb.refresh();
    const hits = await kb.search("hypoglycemia glucose 15 g", { k: 4 });
    expect(hits.length).toBe(4);
    expect(hits.every((h) => h.kind !== "protocol")).toBe(true);
    expect(dropped.length).toBeGreaterThan(0);
  });

  it("refuses to mix embedders unless asked to reset", async () => {
    const store = chroma.store();
    await ingest({ store, embedder, documents: corpus.slice(0, 3), collection: "kb" });
    const other = new OfflineHashEmbedder({ dim: 512 });
    Object.defineProperty(other, "id", { value: "offline-hash-512" });
    await expect(ingest({ store, embedder: other, documents: corpus.slice(0, 3), collection: "kb" })).rejects.toThrow(
      /holds offline-hash-v1/,
    );
    const reset = await ingest({
      store,
      embedder: other,
      documents: corpus.slice(0, 3),
      collection: "kb",
      resetOnEmbedderChange: true,
    });
    expect(reset.upserted).toBe(reset.chunks);
  });
});
