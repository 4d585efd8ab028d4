/**
 * "Open the knowledge base from config": what the composition root and the CLI commands
 * share. Starts embedded Chroma unless CHROMA_URL is set, ingests the shipped corpus when
 * the collection is empty, built by another embedder or older than the shipped corpus
 * (incremental: only changed chunks are embedded), seeds the similar-case collection, and
 * builds the in-process BM25 index.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../core/config.js";
import { AppError } from "../core/errors.js";
import type { Embedder } from "../core/ports.js";
import { CaseIndex } from "./cases.js";
import { type EmbeddedChroma, startEmbeddedChroma } from "./chroma-server.js";
import { ChromaVectorStore } from "./chroma-store.js";
import { listFiles } from "./documents.js";
import { createEmbedder } from "./embedders/index.js";
import { type IngestProgress, type IngestSummary, ingest } from "./ingest.js";
import { KnowledgeBase, type KnowledgeBaseOptions } from "./retriever.js";

/** The shipped corpus, resolved from this module so it works from any cwd. */
export const CORPUS_DIR = fileURLToPath(new URL("./corpus/", import.meta.url));
export const DEFAULT_CORPUS_PATHS: readonly string[] = ["medquad", "formulary", "protocols", "education", "guidelines"].map((d) =>
  join(CORPUS_DIR, d),
);
export const KNOWLEDGE_COLLECTION = "knowledge";
export const CASES_COLLECTION = "cases";

export type OpenConfig = Pick<
  Config,
  | "CHROMA_URL"
  | "DATA_DIR"
  | "CHROMA_PREFIX"
  | "AUTO_INGEST"
  | "EMBEDDER"
  | "OLLAMA_HOST"
  | "OLLAMA_EMBED_MODEL"
  | "MODEL_TIMEOUT_MS"
>;

export interface OpenOptions {
  embedder?: Embedder;
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
  store: ChromaVectorStore;
  embedder: Embedder;
  cases: CaseIndex;
  chromaUrl: string;
  /** Set when open() had to (re-)ingest. */
  ingested?: IngestSummary;
  stop(): Promise<void>;
}

/** Content fingerprint of the corpus files: changes when any shipped document changes. */
export async function corpusFingerprint(paths: readonly string[]): Promise<string> {
  const h = createHash("sha256");
  for (const f of await listFiles(paths)) h.update(f.slice(f.lastIndexOf("/"))).update(await readFile(f));
  return h.digest("hex").slice(0, 16);
}

export async function openKnowledgeBase(config: OpenConfig, opts: OpenOptions = {}): Promise<OpenedKnowledgeBase> {
  let chroma: EmbeddedChroma | undefined;
  if (!config.CHROMA_URL) chroma = await startEmbeddedChroma({ path: join(config.DATA_DIR, "chroma") });
  const chromaUrl = config.CHROMA_URL ?? (chroma as EmbeddedChroma).url;
  try {
    const store = new ChromaVectorStore({ url: chromaUrl, prefix: `${config.CHROMA_PREFIX}_` });
    const health = await store.health();
    if (!health.ok) throw new AppError("DEPENDENCY_UNAVAILABLE", health.detail ?? "chroma unavailable");
    const embedder = opts.embedder ?? createEmbedder(config);
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
    return {
      kb,
      store,
      embedder,
      cases,
      chromaUrl,
      ...(ingested ? { ingested } : {}),
      stop: async () => {
        await chroma?.stop();
      },
    };
  } catch (e) {
    await chroma?.stop();
    throw e;
  }
}
