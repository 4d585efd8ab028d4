import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceDocument } from "./documents.js";
import { loadDocuments } from "./documents.js";
import { OfflineHashEmbedder } from "./embedders/offline.js";
import { historyCollection, ingest } from "./ingest.js";
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
    // The searched collection holds current chunks only; superseded ones are in its history.
    const hist = historyCollection("kb");
    expect((await store.getAll("kb")).every((r) => r.metadata.current === true)).toBe(true);
    const superseded = await store.getAll(hist);
    expect(superseded.length).toBeGreaterThan(0);
    expect(superseded.every((r) => r.metadata.current === false)).toBe(true);
    expect((await store.count("kb")) + superseded.length).toBe(first.chunks);
    const allIds = async () => [...(await store.getAll("kb")), ...(await store.getAll(hist))].map((r) => r.id).sort();
    const idsBefore = await allIds();

    const again = await ingest({ store, embedder, documents: corpus, collection: "kb" });
    expect(again).toMatchObject({ upserted: 0, deleted: 0, relabeled: 0, chunks: first.chunks });
    expect(await allIds()).toEqual(idsBefore);

    // Cut a protocol down to its first section: its other chunks must go, nothing else changes.
    const foot = corpus.find((d) => d.sourceId === "protocol:diabetic-foot") as SourceDocument;
    const shortened = { ...foot, text: foot.text.split("\n## ")[0] as string };
    const edited = corpus.map((d) => (d === foot ? shortened : d));
    const third = await ingest({ store, embedder, documents: edited, collection: "kb" });
    expect(third.deleted).toBeGreaterThan(0);
    expect(third.upserted).toBe(0); // the kept first chunk is byte-identical
    const footChunks = await store.get("kb", { filter: { eq: { sourceId: "protocol:diabetic-foot" } } });
    expect(footChunks.length).toBe(1);

    // Both versions of the insulin titration protocol are stored; only 2025.1 is current and searched.
    const versionsIn = async (c: string) =>
      new Map(
        (await store.get(c, { filter: { eq: { sourceId: "protocol:insulin-titration" } } })).map((r) => [
          String(r.metadata.version),
          r.metadata.current,
        ]),
      );
    expect(await versionsIn("kb")).toEqual(new Map([["2025.1", true]]));
    expect(await versionsIn(hist)).toEqual(new Map([["2024.1", false]]));

    // Re-ingesting only the old version later must not make it current again.
    const old = corpus.filter((d) => d.sourceId === "protocol:insulin-titration" && d.version === "2024.1");
    const fourth = await ingest({ store, embedder, documents: old, collection: "kb" });
    expect(fourth).toMatchObject({ upserted: 0, relabeled: 0 });
    expect(await versionsIn("kb")).toEqual(new Map([["2025.1", true]]));
    expect(await versionsIn(hist)).toEqual(new Map([["2024.1", false]]));
  });

  it("moves a version to the history when a newer one arrives, vectors and all, and back when that one goes", async () => {
    const store = chroma.store();
    const hist = historyCollection("kb");
    const doc = (version: string, effective: string, text: string): SourceDocument => ({
      sourceId: "protocol:test-move",
      docId: "test-move",
      title: "Move test",
      url: "https://example.org/move",
      version,
      effective,
      kind: "protocol",
      audience: "clinician",
      language: "en",
      source: "test",
      text,
    });
    const v1 = doc("1", "2024-01-01", "Version one says check glucose every morning.");
    const v2 = doc("2", "2025-01-01", "Version two says check glucose before every meal.");
    await ingest({ store, embedder, documents: [v1], collection: "kb" });
    const [before] = await store.getAll("kb");
    expect(before?.metadata).toMatchObject({ version: "1", current: true });

    // v2 alone: v1 is not re-ingested, so it is moved (not re-embedded) into the history.
    const second = await ingest({ store, embedder, documents: [v2], collection: "kb" });
    expect(second).toMatchObject({ upserted: 1, relabeled: 1 });
    expect((await store.getAll("kb")).map((r) => r.metadata.version)).toEqual(["2"]);
    const moved = await store.getAll(hist);
    expect(moved.map((r) => [r.id, r.document, r.metadata.current])).toEqual([[before?.id, before?.document, false]]);
    // The moved vector is the one the embedder made: searching the history by it finds it first.
    const [v1Vector] = await embedder.embed([before?.document as string]);
    const top = (await store.queryIds(hist, [v1Vector as number[]], 1))[0]?.[0];
    expect(top?.id).toBe(before?.id);
    expect(top?.score).toBeCloseTo(1, 3);

    // v1 re-dated past v2: it becomes current again and v2 moves out.
    const third = await ingest({ store, embedder, documents: [{ ...v1, effective: "2026-01-01" }], collection: "kb" });
    expect(third.upserted).toBe(1); // its metadata changed (effective), so it is rewritten
    expect((await store.getAll("kb")).map((r) => r.metadata.version)).toEqual(["1"]);
    expect((await store.getAll(hist)).map((r) => r.metadata.version)).toEqual(["2"]);
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

  it("never returns a chunk superseded after the last refresh, and re-tokenises only changed chunks", async () => {
    const store = chroma.store();
    const protocol = corpus.filter((d) => d.sourceId === "protocol:hypoglycemia");
    await ingest({ store, embedder, documents: protocol, collection: "kb" });
    const kb = new KnowledgeBase({ store, embedder, collection: "kb" });
    await kb.refresh();
    const q = "hypoglycemia 15 g glucose recheck";
    const before = await kb.search(q, { k: 3 });
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((p) => p.citation.version === protocol[0]?.version)).toBe(true);

    // Another process ingests a newer version; this KnowledgeBase has not refreshed yet.
    const newer = protocol.map((d) => ({ ...d, version: "2099.1", effective: "2099-01-01" }));
    await ingest({ store, embedder, documents: newer, collection: "kb" });
    for (const mode of ["hybrid", "dense", "bm25"] as const) {
      const stale = await kb.search(q, { k: 3, mode });
      // The old version's passages were moved to the history: they are dropped, not cited.
      expect(stale.every((p) => p.citation.version !== protocol[0]?.version)).toBe(true);
    }
    const oldChunks = kb.size;
    expect(kb.tokenisedAtRefresh).toBe(oldChunks);
    await kb.refresh();
    // The superseded chunks kept their term data; only the new version's chunks were tokenised.
    expect(kb.size).toBe(2 * oldChunks);
    expect(kb.tokenisedAtRefresh).toBe(oldChunks);
    const after = await kb.search(q, { k: 3 });
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((p) => p.citation.version === "2099.1")).toBe(true);
    const all = await kb.search(q, { k: 10, includeSuperseded: true });
    expect(new Set(all.map((p) => p.citation.version))).toEqual(new Set([protocol[0]?.version, "2099.1"]));
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
