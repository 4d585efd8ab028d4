/**
 * Configuration: one zod schema over the environment, parsed once at start by the composition
 * root. Every problem is reported together. This is the only module that reads process.env.
 */
import { z } from "zod";
import { AppError } from "./errors.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);
const url = z.url();

export const ConfigSchema = z.object({
  /** Port the HTTP server listens on; 0 picks a free port. @defaultValue 8787 */
  PORT: int(8787, 0, 65535),
  HOST: z.string().default("127.0.0.1"),
  /** Where the embedded services keep their data (PGlite, Chroma, Redis dump). */
  DATA_DIR: z.string().default(".glycopilot"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),

  /** External Redis; when unset a local redis-server is started on a free loopback port. */
  REDIS_URL: url.optional(),
  /** External Chroma; when unset the embedded Chroma server from the chromadb package is started. */
  CHROMA_URL: url.optional(),
  /** PostgreSQL; when unset an embedded PGlite database under DATA_DIR is used. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9:_-]+$/).default("glyco"),
  /** Collection-name prefix in Chroma, so tests and deployments do not collide. */
  CHROMA_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default("glyco"),

  /** Ollama host, e.g. http://gpu-host:11434. Unset → case-based mode (announced loudly). */
  OLLAMA_HOST: url.optional(),
  OLLAMA_MODEL: z.string().default("glycopilot-glm4-9b"),
  OLLAMA_KEEP_ALIVE: z.string().default("30m"),
  /** Must match the host's OLLAMA_NUM_PARALLEL: requests beyond it wait here, not on the GPU. */
  OLLAMA_NUM_PARALLEL: int(2, 1, 64),
  OLLAMA_EMBED_MODEL: z.string().default("nomic-embed-text"),
  LLM_PROVIDER: z.enum(["ollama", "anthropic"]).default("ollama"),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: url.optional(),
  ANTHROPIC_MODEL: z.string().default("claude-sonnet-4-5"),
  /** Per model call. @defaultValue 30000 */
  MODEL_TIMEOUT_MS: int(30_000, 100, 600_000),
  /** Self-consistency samples per draft (1 disables the agreement check). */
  SELF_CONSISTENCY_SAMPLES: int(1, 1, 9),
  EMBEDDER: z.enum(["offline", "ollama"]).default("offline"),

  WORKER_CONCURRENCY: int(8, 1, 256),
  /** Start the pipeline worker in the server process (`glycopilot start`). */
  RUN_WORKER: bool.default(true),
  /** Request body limit for JSON APIs. @defaultValue 65536 */
  BODY_LIMIT_BYTES: int(64 * 1024, 1024, 10 * 1024 * 1024),
  /** Retrieval passages below this fused score make the draft uncertain. */
  MIN_RETRIEVAL_SCORE: z.coerce.number().min(0).max(1).default(0.0),
  /** Ingest the shipped corpus on start when the knowledge collection is empty. */
  AUTO_INGEST: bool.default(true),

  /** Messages per minute per sender (patient or clinician ref); 0 disables. */
  RATE_LIMIT_SENDER_PER_MIN: int(30, 0, 1_000_000),
  /** Requests per minute per API token (or client address without one); 0 disables. */
  RATE_LIMIT_TOKEN_PER_MIN: int(600, 0, 1_000_000),

  /** OTLP/HTTP endpoint for traces (e.g. http://otel-collector:4318/v1/traces); unset: traces are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),

  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: url.optional(),
  WECHAT_TOKEN: z.string().optional(),
  API_TOKENS: z.string().optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Parse the environment once. Throws CONFIG_INVALID listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") cleaned[key] = v;
  }
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new AppError("CONFIG_INVALID", `invalid configuration:\n  ${problems.join("\n  ")}`, { details: problems });
  }
  return parsed.data;
}
