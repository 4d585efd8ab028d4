/**
 * The clients the system runs on, built from configuration: Chroma (embedded unless CHROMA_URL)
 * and the VectorStore over it, the embedder, the knowledge base on both, the SQL store (PGlite
 * under DATA_DIR unless DATABASE_URL). server/main.ts's buildSystem builds the running system
 * from these; the CLI commands, the benchmarks and the eval suites call the same functions, so
 * no command wires a client by hand. Together with server/main.ts this is the composition root
 * (the architecture test holds every other module to the ports).
 */
import { join } from "node:path";
import type { Config } from "../core/config.js";
import { AppError } from "../core/errors.js";
import type { Embedder } from "../core/ports.js";
import { type EmbeddedChroma, startEmbeddedChroma } from "../rag/chroma-server.js";
import { ChromaVectorStore } from "../rag/chroma-store.js";
import { createEmbedder } from "../rag/embedders/index.js";
import { type OpenedKnowledgeBase, type OpenOptions, openKnowledgeBase } from "../rag/open.js";
import { openSql, type SqlClient } from "./stores/sql.js";

export interface VectorBackend {
  store: ChromaVectorStore;
  /** The Chroma server's URL (the embedded one's when CHROMA_URL is not set). */
  url: string;
  /** Stops the embedded Chroma this call started (nothing for CHROMA_URL). */
  stop(): Promise<void>;
}

/**
 * The VectorStore from configuration: embedded Chroma under DATA_DIR/chroma unless CHROMA_URL is
 * set, collections prefixed with CHROMA_PREFIX; refused (and the embedded server stopped) when
 * Chroma does not answer.
 */
export async function openVectorStore(
  config: Pick<Config, "CHROMA_URL" | "DATA_DIR" | "CHROMA_PREFIX">,
  o: { prefix?: string; batchSize?: number } = {},
): Promise<VectorBackend> {
  let chroma: EmbeddedChroma | undefined;
  if (!config.CHROMA_URL) chroma = await startEmbeddedChroma({ path: join(config.DATA_DIR, "chroma") });
  const url = config.CHROMA_URL ?? (chroma as EmbeddedChroma).url;
  try {
    const store = new ChromaVectorStore({
      url,
      prefix: o.prefix ?? `${config.CHROMA_PREFIX}_`,
      ...(o.batchSize ? { batchSize: o.batchSize } : {}),
    });
    const health = await store.health();
    if (!health.ok) throw new AppError("DEPENDENCY_UNAVAILABLE", health.detail ?? "chroma unavailable");
    return { store, url, stop: async () => chroma?.stop() };
  } catch (e) {
    await chroma?.stop();
    throw e;
  }
}

/** The configured embedder (EMBEDDER: the offline hash embedder, or Ollama at OLLAMA_HOST). */
export function openEmbedder(
  config: Pick<Config, "EMBEDDER" | "OLLAMA_HOST" | "OLLAMA_EMBED_MODEL" | "MODEL_TIMEOUT_MS">,
): Embedder {
  return createEmbedder(config);
}

export type KnowledgeConfig = Pick<
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

export type KnowledgeOptions = OpenOptions & { embedder?: Embedder };

export interface Knowledge extends OpenedKnowledgeBase {
  chromaUrl: string;
  stop(): Promise<void>;
}

/**
 * The knowledge base from configuration: the vector store and embedder above, kept ingested and
 * seeded by rag/open.ts. `embedder` overrides the configured one (benchmarks, tests).
 */
export async function openKnowledge(config: KnowledgeConfig, opts: KnowledgeOptions = {}): Promise<Knowledge> {
  const { embedder: given, ...rest } = opts;
  const vectors = await openVectorStore(config);
  try {
    const embedder = given ?? openEmbedder(config);
    const opened = await openKnowledgeBase({ store: vectors.store, embedder }, config, rest);
    return { ...opened, chromaUrl: vectors.url, stop: vectors.stop };
  } catch (e) {
    await vectors.stop();
    throw e;
  }
}

/**
 * The SQL store from configuration: PostgreSQL at DATABASE_URL, else PGlite under DATA_DIR/pglite
 * (`dataDir` overrides it; null = in memory), migrated, with the PHI keyring.
 */
export function openSqlStore(
  config: Pick<Config, "DATABASE_URL" | "DATA_DIR" | "PHI_ENCRYPTION_KEYS" | "PHI_KEY_ID">,
  o: { dataDir?: string | null; warn?: (m: string) => void } = {},
): Promise<SqlClient> {
  return openSql({
    ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
    dataDir: o.dataDir === undefined ? join(config.DATA_DIR, "pglite") : o.dataDir,
    phiKeys: config.PHI_ENCRYPTION_KEYS,
    phiKeyId: config.PHI_KEY_ID,
    keyDir: config.DATA_DIR,
    ...(o.warn ? { warn: o.warn } : {}),
  });
}
