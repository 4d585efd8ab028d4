/**
 * Retrieval benchmark. Every figure is measured beside a raw-Chroma baseline in the same run:
 * an unfiltered, distances-only query of the same collection with the same vectors and the same
 * number of candidates — what Chroma itself costs, so a ratio says what our path adds.
 *
 * 1. Shipped corpus: cold ingest through the server's path, then hybrid / BM25 / dense search
 *    through the KnowledgeBase; the old query shape (`current` filter + documents and metadata)
 *    as a reference; the similar-case query after the knowledge query vs. beside it.
 * 2. Scale: synthetic collections of each size (default 1,000 and 100,000 chunks: copies of the
 *    corpus chunks with their metadata and a distinguishing suffix), embedded with the product's
 *    default embedder at its real dimension (offline-hash-v1, 1,024), searched the same ways.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig } from "../core/config.js";
import type { Embedder, VectorStore } from "../core/ports.js";
import { loadQuestions } from "./eval-retrieval.js";
import { patientFromFhirBundle } from "./fhir.js";
import { openKnowledgeBase } from "./open.js";
import { KnowledgeBase } from "./retriever.js";

/** The clients the benchmark runs on, from the composition root's builder (server/clients.ts). */
export interface BenchClients {
  vectorStore(
    config: Config,
    o?: { prefix?: string; batchSize?: number },
  ): Promise<{ store: VectorStore; url: string; stop(): Promise<void> }>;
  embedder(config: Config): Embedder;
}

export interface BenchOptions {
  /** Synthetic collection sizes for the scale test. @defaultValue [1000, 100000] */
  sizes?: number[];
  /** Queries per latency measurement. @defaultValue 100 */
  queries?: number;
  log?: (line: string) => void;
}

export interface Latency {
  p50: number;
  p95: number;
  mean: number;
}

/** One search path and the raw-Chroma baseline measured beside it. */
export interface Figure {
  name: string;
  latency: Latency;
  /** p50 of this path / p50 of the raw baseline. */
  ratio: number;
}

export interface ScalePoint {
  chunks: number;
  upsertMs: number;
  upsertChunksPerSec: number;
  /** Raw Chroma: unfiltered, distances only, same candidates. */
  raw: Latency;
  figures: Figure[];
}

export interface BenchResult {
  embedder: { id: string; dim: number };
  corpus: {
    chunks: number;
    ingestMs: number;
    ingestChunksPerSec: number;
    raw: Latency;
    figures: Figure[];
    /** Knowledge search then similar cases, one after the other vs. at once. */
    similar: { sequential: Latency; parallel: Latency; similarAlone: Latency };
  };
  scale: ScalePoint[];
  totalMs: number;
}

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(at(0.5)), p95: round(at(0.95)), mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)) };
}

async function time<T>(items: readonly T[], fn: (q: T) => Promise<unknown> | unknown): Promise<Latency> {
  // One untimed pass over a few items warms the JIT and the connections.
  for (const q of items.slice(0, 5)) await fn(q);
  const samples: number[] = [];
  for (const q of items) {
    const t0 = performance.now();
    await fn(q);
    samples.push(performance.now() - t0);
  }
  return latency(samples);
}

const ratio = (a: Latency, base: Latency) => (base.p50 > 0 ? a.p50 / base.p50 : Number.NaN);

/** The search paths measured at every size, each against the raw baseline. */
async function measure(
  kb: KnowledgeBase,
  store: VectorStore,
  collection: string,
  questions: string[],
  vectors: number[][],
): Promise<{ raw: Latency; figures: Figure[] }> {
  const n = 50; // the KnowledgeBase's default candidates per retriever
  const items = questions.map((q, i) => ({ q, v: vectors[i] as number[] }));
  const raw = await time(items, (x) => store.queryIds(collection, [x.v], n));
  const paths: [string, (x: { q: string; v: number[] }) => Promise<unknown>][] = [
    ["hybrid (KnowledgeBase.search)", (x) => kb.search(x.q, { k: 5 })],
    ["dense (KnowledgeBase.search)", (x) => kb.search(x.q, { k: 5, mode: "dense" })],
    ["bm25 (KnowledgeBase.search)", (x) => kb.search(x.q, { k: 5, mode: "bm25" })],
    ["dense, patient audience filter", (x) => kb.search(x.q, { k: 5, mode: "dense", audience: "patient" })],
    ["old query shape (current filter + documents)", (x) => store.query(collection, x.v, n, { eq: { current: true } })],
  ];
  const figures: Figure[] = [];
  for (const [name, fn] of paths) {
    const l = await time(items, fn);
    figures.push({ name, latency: l, ratio: ratio(l, raw) });
  }
  return { raw, figures };
}

export async function benchRetrieval(clients: BenchClients, opts: BenchOptions = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const dir = await mkdtemp(join(tmpdir(), "glyco-bench-"));
  const questions = (await loadQuestions()).slice(0, opts.queries ?? 100).map((q) => q.question);
  const config = loadConfig({ DATA_DIR: dir, CHROMA_PREFIX: "bench" });
  // The product's default embedder at its real dimension.
  const embedder = clients.embedder(config);
  const vectors = await embedder.embed(questions);
  // An embedded Chroma of its own under the temp DATA_DIR.
  const chroma = await clients.vectorStore(config);
  try {
    // 1. Shipped corpus: cold ingest through the same path the server uses.
    const tIngest = performance.now();
    const opened = await openKnowledgeBase({ store: chroma.store, embedder }, config);
    const ingestMs = performance.now() - tIngest;
    const chunks = opened.kb.size;
    log(`corpus: ${chunks} chunks ingested in ${(ingestMs / 1000).toFixed(1)} s (${embedder.id}, dim ${embedder.dim})`);
    const corpus = await measure(opened.kb, opened.store, "knowledge", questions, vectors);

    const fixture = new URL("./fixtures/Fabian_Murray_a120c913-9ee0-4fcc-8344-826e74335c80.json", import.meta.url);
    const now = new Date("2021-06-01T00:00:00Z");
    const patient = patientFromFhirBundle(JSON.parse(readFileSync(fixture, "utf8")), { now });
    const similarAlone = await time(questions, () => opened.kb.similarCases(patient, 10));
    const sequential = await time(questions, async (q) => {
      await opened.kb.search(q, { k: 5 });
      await opened.kb.similarCases(patient, 10);
    });
    const parallel = await time(questions, (q) =>
      Promise.all([opened.kb.search(q, { k: 5 }), opened.kb.similarCases(patient, 10)]),
    );
    log(`corpus: knowledge + similar cases p50 sequential ${sequential.p50} ms, parallel ${parallel.p50} ms`);

    // 2. Scale: synthetic collections built from the real chunks, with their metadata.
    const base = await opened.store.getAll("knowledge");
    const { store } = await clients.vectorStore({ ...config, CHROMA_URL: chroma.url }, { prefix: "benchsyn_", batchSize: 1_000 });
    const scale: ScalePoint[] = [];
    for (const size of opts.sizes ?? [1_000, 100_000]) {
      const collection = `syn${size}`;
      const rows = Array.from({ length: size }, (_, i) => {
        const b = base[i % base.length] as (typeof base)[number];
        const { hash: _hash, ...meta } = b.metadata;
        return {
          id: `s${i}`,
          text: `${b.document} [synthetic copy ${Math.floor(i / base.length)} item ${i}]`,
          meta: { ...meta, current: true },
        };
      });
      const tUp = performance.now();
      for (let i = 0; i < size; i += 1_000) {
        const slice = rows.slice(i, i + 1_000);
        const vs = await embedder.embed(slice.map((r) => r.text));
        await store.upsert(
          collection,
          slice.map((r, j) => ({ id: r.id, vector: vs[j] as number[], document: r.text, metadata: r.meta })),
        );
        if (i > 0 && (i / 1_000) % 20 === 0) log(`synthetic ${size}: upserted ${i + slice.length}`);
      }
      const upsertMs = performance.now() - tUp;
      log(`synthetic ${size}: upserted in ${(upsertMs / 1000).toFixed(1)} s`);
      const kb = new KnowledgeBase({ store, embedder, collection });
      kb.setRows(rows);
      const m = await measure(kb, store, collection, questions, vectors);
      scale.push({
        chunks: size,
        upsertMs: Math.round(upsertMs),
        upsertChunksPerSec: Math.round(size / (upsertMs / 1000)),
        ...m,
      });
      await store.dropCollection(collection);
    }
    return {
      embedder: { id: embedder.id, dim: embedder.dim },
      corpus: {
        chunks,
        ingestMs: Math.round(ingestMs),
        ingestChunksPerSec: Math.round(chunks / (ingestMs / 1000)),
        ...corpus,
        similar: { sequential, parallel, similarAlone },
      },
      scale,
      totalMs: Math.round(performance.now() - t0),
    };
  } finally {
    await chroma.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
