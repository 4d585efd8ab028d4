/**
 * "Open the knowledge base" on a VectorStore and an Embedder it is handed (built by the
 * composition root's builder, server/clients.ts `openKnowledge`): ingests the shipped corpus
 * when the collection is empty, built by another embedder or older than the shipped corpus
 * (incremental: only changed chunks are embedded), seeds the similar-case collection, and
 * builds the in-process BM25 index. Constructs no client itself.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../core/config.js";
import { AppError } from "../core/errors.js";
import type { Embedder, VectorStore } from "../core/ports.js";
import { CaseIndex } from "./cases.js";
import { listFiles } from "./documents.js";
import { type IngestProgress, type IngestSummary, ingest } from "./ingest.js";
import { KnowledgeBase, type KnowledgeBaseOptions } from "./retriever.js";

/** The shipped corpus, resolved from this module so it works from any cwd. */
export const CORPUS_DIR = fileURLToPath(new URL("./corpus/", import.meta.url));
export const DEFAULT_CORPUS_PATHS: readonly string[] = ["medquad", "formulary", "protocols", "education", "guidelines"].map((d) =>
  join(CORPUS_DIR, d),
);
export const KNOWLEDGE_COLLECTION = "knowledge";
export const CASES_COLLECTION = "cases";

export interface OpenOptions {
  /** Corpus to keep ingested. @defaultValue DEFAULT_CORPUS_PATHS */
  paths?: readonly string[];
  onProgress?: (p: IngestProgress) => void;
  /** Extra KnowledgeBase options (rerank, filter, onDrop). */
  kb?: Pick<KnowledgeBaseOptions, "rerank" | "filter" | "onDrop" | "candidates" | "rrfK">;
  /** Seed the similar-case collection from the shipped Synthea cases when empty. @defaultValue true */
  seedCases?: boolean;
}

export interface OpenedKnowledgeBase {
  kb: KnowledgeBase;
  store: VectorStore;
  embedder: Embedder;
  cases: CaseIndex;
  /** Set when open() had to (re-)ingest. */
  ingested?: IngestSummary;
}

/** Content fingerprint of the corpus files: changes when any shipped document changes. */
export async function corpusFingerprint(paths: readonly string[]): Promise<string> {
  const h = createHash("sha256");
  for (const f of await listFiles(paths)) h.update(f.slice(f.lastIndexOf("/"))).update(await readFile(f));
  return h.digest("hex").slice(0, 16);
}

export async function openKnowledgeBase(
  deps: { store: VectorStore; embedder: Embedder },
  config: Pick<Config, "AUTO_INGEST">,
  opts: OpenOptions = {},
): Promise<OpenedKnowledgeBase> {
  const { store, embedder } = deps;
  const paths = opts.paths ?? DEFAULT_CORPUS_PATHS;
  const meta = await store.collectionMetadata(KNOWLEDGE_COLLECTION);
  const count = await store.count(KNOWLEDGE_COLLECTION);
  const fingerprint = await corpusFingerprint(paths);
  const sameEmbedder = meta.embedder === embedder.id;
  let ingested: IngestSummary | undefined;
  if (count > 0 && !sameEmbedder && !config.AUTO_INGEST) {
    throw new AppError(
      "CONFLICT",
      `knowledge collection was built with ${String(meta.embedder)}, configured embedder is ${embedder.id}: run \`glycopilot ingest\` or set AUTO_INGEST=true`,
    );
  }
  if (config.AUTO_INGEST && (count === 0 || !sameEmbedder || meta.corpus !== fingerprint)) {
    ingested = await ingest({
      store,
      embedder,
      paths,
      collection: KNOWLEDGE_COLLECTION,
      resetOnEmbedderChange: true,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    await store.setCollectionMetadata(KNOWLEDGE_COLLECTION, { embedder: embedder.id, dim: embedder.dim, corpus: fingerprint });
  }

  const cases = new CaseIndex({ store, collection: CASES_COLLECTION });
  if (opts.seedCases ?? true) await cases.seedIfEmpty();

  const kb = new KnowledgeBase({ store, embedder, collection: KNOWLEDGE_COLLECTION, cases, ...(opts.kb ?? {}) });
  await kb.refresh();
  return { kb, store, embedder, cases, ...(ingested ? { ingested } : {}) };
}
