/**
 * Retrieval benchmark: ingest throughput and query latency (p50/p95) on the shipped corpus,
 * then BM25 and dense query latency at 100k synthetic chunks (copies of corpus chunks with a
 * distinguishing suffix). Dense vectors for the synthetic set use a smaller hashed dimension
 * (default 64) because pushing 100k × 1024 floats through Chroma's JSON API alone takes
 * minutes; query latency is dominated by the HNSW search, which the reduced dim still exercises.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../core/config.js";
import { Bm25Index } from "./bm25.js";
import { startEmbeddedChroma } from "./chroma-server.js";
import { ChromaVectorStore } from "./chroma-store.js";
import { OfflineHashEmbedder } from "./embedders/offline.js";
import { loadQuestions } from "./eval-retrieval.js";
import { openKnowledgeBase } from "./open.js";

export interface BenchOptions {
  /** Synthetic chunks for the scale test. @defaultValue 100000 */
  syntheticChunks?: number;
  /** Hashed dimension of the synthetic dense vectors. @defaultValue 64 */
  syntheticDim?: number;
  /** Queries per latency measurement. @defaultValue 100 */
  queries?: number;
  log?: (line: string) => void;
}

export interface Latency {
  p50: number;
  p95: number;
  mean: number;
}

export interface BenchResult {
  corpus: { chunks: number; ingestMs: number; ingestChunksPerSec: number; hybrid: Latency; bm25: Latency; dense: Latency };
  synthetic: {
    chunks: number;
    dim: number;
    upsertMs: number;
    upsertChunksPerSec: number;
    bm25BuildMs: number;
    bm25: Latency;
    dense: Latency;
  };
  totalMs: number;
}

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(at(0.5)), p95: round(at(0.95)), mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)) };
}

async function time(queries: string[], fn: (q: string) => Promise<unknown> | unknown): Promise<Latency> {
  const samples: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await fn(q);
    samples.push(performance.now() - t0);
  }
  return latency(samples);
}

export async function benchRetrieval(opts: BenchOptions = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => {});
  const t0 = performance.now();
  const dir = await mkdtemp(join(tmpdir(), "glyco-bench-"));
  const questions = (await loadQuestions()).slice(0, opts.queries ?? 100).map((q) => q.question);
  try {
    // 1. Shipped corpus: cold ingest through the same path the server uses.
    const chroma = await startEmbeddedChroma({ path: join(dir, "chroma") });
    try {
      const tIngest = performance.now();
      const opened = await openKnowledgeBase(loadConfig({ DATA_DIR: dir, CHROMA_URL: chroma.url, CHROMA_PREFIX: "bench" }), {
        seedCases: false,
      });
      const ingestMs = performance.now() - tIngest;
      const chunks = opened.kb.size;
      log(`corpus: ${chunks} chunks ingested in ${(ingestMs / 1000).toFixed(1)} s`);
      const hybrid = await time(questions, (q) => opened.kb.search(q, { k: 5 }));
      const bm25 = await time(questions, (q) => opened.kb.search(q, { k: 5, mode: "bm25" }));
      const dense = await time(questions, (q) => opened.kb.search(q, { k: 5, mode: "dense" }));
      log(`corpus query ms: hybrid p50 ${hybrid.p50} p95 ${hybrid.p95}`);

      // 2. Scale: 100k synthetic chunks built from the real ones.
      const n = opts.syntheticChunks ?? 100_000;
      const dim = opts.syntheticDim ?? 64;
      const base = (await opened.store.getAll("knowledge")).map((r) => r.document);
      const texts = Array.from(
        { length: n },
        (_, i) => `${base[i % base.length]} [synthetic copy ${Math.floor(i / base.length)} item ${i}]`,
      );
      const tBuild = performance.now();
      const index = Bm25Index.build(texts);
      const bm25BuildMs = performance.now() - tBuild;
      const bm25Big = await time(questions, (q) => index.search(q, 50));
      log(`synthetic: BM25 over ${n} chunks built in ${(bm25BuildMs / 1000).toFixed(1)} s, p50 ${bm25Big.p50} ms`);

      const small = new OfflineHashEmbedder({ dim });
      const store = new ChromaVectorStore({ url: chroma.url, prefix: "benchsyn_", batchSize: 2_000 });
      const tUp = performance.now();
      for (let i = 0; i < n; i += 2_000) {
        const slice = texts.slice(i, i + 2_000);
        const vectors = await small.embed(slice);
        await store.upsert(
          "synthetic",
          slice.map((t, j) => ({
            id: `s${i + j}`,
            vector: vectors[j] as number[],
            document: t.slice(0, 200),
            metadata: { current: true },
          })),
        );
        if ((i / 2_000) % 10 === 0) log(`synthetic: upserted ${i + slice.length}/${n}`);
      }
      const upsertMs = performance.now() - tUp;
      const denseBig = await time(questions, async (q) => {
        const [v] = await small.embed([q]);
        return store.query("synthetic", v as number[], 50, { current: true });
      });
      log(`synthetic: dense p50 ${denseBig.p50} ms p95 ${denseBig.p95} ms`);
      await opened.stop();
      return {
        corpus: {
          chunks,
          ingestMs: Math.round(ingestMs),
          ingestChunksPerSec: Math.round(chunks / (ingestMs / 1000)),
          hybrid,
          bm25,
          dense,
        },
        synthetic: {
          chunks: n,
          dim,
          upsertMs: Math.round(upsertMs),
          upsertChunksPerSec: Math.round(n / (upsertMs / 1000)),
          bm25BuildMs: Math.round(bm25BuildMs),
          bm25: bm25Big,
          dense: denseBig,
        },
        totalMs: Math.round(performance.now() - t0),
      };
    } finally {
      await chroma.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
