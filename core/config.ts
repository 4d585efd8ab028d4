/**
 * Configuration: one zod schema over the environment, parsed once at start by the composition
 * root. Every problem is reported together. This is the only module that reads process.env.
 */
import { z } from "zod";
import { AppError } from "./errors.js";

/** CLINIC_CONTACT when unset; patient texts in Chinese say the same thing in Chinese (guardrails/replies.ts). */
export const DEFAULT_CLINIC_CONTACT = "the clinic's phone number on your appointment card";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
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
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]+$/)
    .default("glyco"),
  /** Collection-name prefix in Chroma, so tests and deployments do not collide. */
  CHROMA_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default("glyco"),

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
  ANTHROPIC_MODEL: z.string().default("claude-sonnet-4-6"),
  /** Per model call. @defaultValue 30000 */
  MODEL_TIMEOUT_MS: int(30_000, 100, 600_000),
  /** Self-consistency samples per draft (1 disables the agreement check). */
  SELF_CONSISTENCY_SAMPLES: int(1, 1, 9),
  /** Include the patient's own history (trends, medications, events) in prompts (PMLM self-informed). */
  PROMPT_SELF_INFORMED: bool.default(true),
  /** Include the most similar past cases in prompts (PMLM peer-informed). */
  PROMPT_PEER_INFORMED: bool.default(true),
  /** With a model host: a model triage prompt runs beside the rules; the higher urgency wins (issue 12). */
  MODEL_TRIAGE: bool.default(true),
  EMBEDDER: z.enum(["offline", "ollama"]).default("offline"),

  WORKER_CONCURRENCY: int(8, 1, 256),
  /** How often workers re-enqueue accepted messages that have no result (after a Redis outage). */
  REQUEUE_INTERVAL_MS: int(15_000, 200, 3_600_000),
  /** Only messages older than this are re-enqueued (leaves time for the normal path). */
  REQUEUE_GRACE_MS: int(10_000, 0, 3_600_000),
  /** Start the pipeline worker in the server process (`glycopilot start`). */
  RUN_WORKER: bool.default(true),
  /** Request body limit for JSON APIs. @defaultValue 65536 */
  BODY_LIMIT_BYTES: int(64 * 1024, 1024, 10 * 1024 * 1024),
  /** Retrieval passages below this fused score make the draft uncertain. */
  MIN_RETRIEVAL_SCORE: z.coerce.number().min(0).max(1).default(0.2),
  /** Ingest the shipped corpus on start when the knowledge collection is empty. */
  AUTO_INGEST: bool.default(true),

  /** Messages per minute per sender (patient or clinician ref); 0 disables. */
  RATE_LIMIT_SENDER_PER_MIN: int(30, 0, 1_000_000),
  /** Requests per minute per API token (or client address without one); 0 disables. */
  RATE_LIMIT_TOKEN_PER_MIN: int(600, 0, 1_000_000),

  /** OTLP/HTTP endpoint for traces (e.g. http://otel-collector:4318/v1/traces); unset: traces are not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),

  /** Slack app: enables the clinician bot when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set. */
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  /** Slack Web API base (tests point it at a local stand-in). */
  SLACK_API_URL: url.optional(),
  /** Slack channel id where escalated patient cases and review pages go. */
  SLACK_REVIEW_CHANNEL: z.string().optional(),
  /** Where unacknowledged pages go after the whole roster. */
  SLACK_FALLBACK_CHANNEL: z.string().optional(),
  /** Receive Slack over Socket Mode (no public URL); needs SLACK_APP_TOKEN. @defaultValue false */
  SLACK_SOCKET_MODE: bool.default(false),
  /** App-level token for Socket Mode. */
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, "must be an app-level token (xapp-…)")
    .optional(),

  /** WeChat Official Account: enables the patient channel when WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_APP_SECRET are set. */
  WECHAT_TOKEN: z.string().optional(),
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_APP_SECRET: z.string().optional(),
  /** WeChat API base (access token, customer-service messages). */
  WECHAT_API_URL: url.default("https://api.weixin.qq.com"),
  /** Official Account safe mode / WeCom: the 43-character EncodingAESKey. When set, plaintext callbacks are refused. */
  WECHAT_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, "must be 43 base64 characters (WeChat's EncodingAESKey)")
    .optional(),
  /** WeCom corp id: the receive id WeCom messages are encrypted for (checked on every message). */
  WECOM_CORP_ID: z.string().optional(),
  /** WeCom application channel (bot/wecom, clinicians): enabled when WECOM_TOKEN is set, with the corp id, AgentId, secret and key. */
  WECOM_TOKEN: z.string().optional(),
  WECOM_AGENT_ID: z.coerce.number().int().positive().optional(),
  WECOM_SECRET: z.string().optional(),
  WECOM_ENCODING_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}$/, "must be 43 base64 characters (WeCom's EncodingAESKey)")
    .optional(),
  /** WeCom API base (access token, application messages). */
  WECOM_API_URL: url.default("https://qyapi.weixin.qq.com"),
  /** wechaty puppet (e.g. wechaty-puppet-service); unset → no wechaty bot. */
  WECHAT_PUPPET: z.string().optional(),
  /** How patients reach the clinic (told to unknown senders and when the message window runs out). */
  CLINIC_CONTACT: z.string().default(DEFAULT_CLINIC_CONTACT),
  /**
   * ISO 3166 alpha-2 country of the clinic (CN, US, GB, …): the emergency number every patient
   * is told follows it, whatever language they write in. Unset: 120 in Chinese, 911 in English.
   */
  CLINIC_COUNTRY: z
    .string()
    .regex(/^[A-Za-z]{2}$/, "must be a two-letter country code such as CN, US or GB")
    .transform((v) => v.toUpperCase())
    .optional(),
  /** Overrides the emergency number of CLINIC_COUNTRY (a country not in the built-in table needs it). */
  EMERGENCY_NUMBER: z
    .string()
    .regex(/^[0-9]{2,6}$/, "must be 2-6 digits")
    .optional(),
  /** Shared secret with the edge Worker; when set, /slack/* and /wechat/* require X-Glyco-Edge-Secret. */
  EDGE_SECRET: z.string().min(16).optional(),

  /** Machine tokens: "name:role:sha256hex,…" (roles clinician, reviewer, admin, patient). */
  API_TOKENS: z.string().optional(),
  /**
   * Serve the /v1 API without tokens on a non-loopback HOST. Without it, `glycopilot start`
   * refuses to listen beyond loopback when API_TOKENS is unset. @defaultValue false
   */
  ALLOW_OPEN_API: bool.default(false),
  /**
   * Proxies whose X-Forwarded-For is believed: comma-separated addresses or CIDRs (IPv4/IPv6),
   * e.g. "10.0.0.0/8,127.0.0.1". Unset: the client address is the socket's peer, and
   * X-Forwarded-For is ignored (it is forgeable).
   */
  TRUSTED_PROXIES: z.string().optional(),
  /** Failed sign-ins (or bad tokens) allowed per account and per client address before a lockout. @defaultValue 5 */
  LOGIN_MAX_FAILURES: int(5, 1, 1000),
  /** The first lockout; each further failure while over the limit doubles it. @defaultValue 60000 */
  LOGIN_LOCKOUT_MS: int(60_000, 100, 86_400_000),
  /** The longest lockout. @defaultValue 3600000 */
  LOGIN_LOCKOUT_MAX_MS: int(3_600_000, 100, 7 * 86_400_000),
  /** Failures are forgotten after this long without another. @defaultValue 900000 */
  LOGIN_FAILURE_WINDOW_MS: int(900_000, 1000, 7 * 86_400_000),
  /** On-call roster for review paging (deploy/oncall.example.json). Unset: cases queue, nobody is paged. */
  ONCALL_FILE: z.string().optional(),
  /** Console users with scrypt hashes (deploy/users.example.json). */
  USERS_FILE: z.string().optional(),
  /** HMAC key for console session cookies (≥ 32 chars); required in production so replicas share sessions. */
  SESSION_SECRET: z.string().min(32).optional(),
  /** Acknowledgement service levels by urgency. */
  SLA_EMERGENCY_MS: int(5 * 60_000, 1_000),
  SLA_URGENT_MS: int(60 * 60_000, 1_000),
  /** Working time: weekends do not count. */
  SLA_ROUTINE_MS: int(24 * 60 * 60_000, 1_000),
  /** Minutes east of UTC used to decide what a weekend is (480 = China). */
  SLA_UTC_OFFSET_MINUTES: z.coerce.number().int().min(-720).max(840).default(0),
  /** Ed25519 key signing audit checkpoints: PKCS#8 PEM or base64 of a 32-byte seed. Unset: a key generated under DATA_DIR (warned). */
  AUDIT_SIGNING_KEY: z.string().optional(),
  /** Public half, for `audit verify` on a host that must not hold the signing key (SPKI PEM or base64 raw). */
  AUDIT_CHECKPOINT_PUBLIC_KEY: z.string().optional(),
  /** Where signed checkpoints of the audit head go: an append-only file, or a Redis list (needs REDIS_URL). */
  AUDIT_CHECKPOINT_SINK: z.enum(["file", "redis"]).default("file"),
  /** Checkpoint file. @defaultValue DATA_DIR/audit-checkpoints.jsonl */
  AUDIT_CHECKPOINT_FILE: z.string().optional(),
  /** How often the head is checkpointed when it moved (and always once on shutdown). */
  AUDIT_CHECKPOINT_INTERVAL_MS: int(60_000, 1_000, 24 * 3600_000),
  /**
   * Keys sealing message bodies and patient contexts in SQL (AES-256-GCM): "KEY_ID:BASE64_32_BYTES,…".
   * Several for rotation (new data uses PHI_KEY_ID; any listed key opens what it sealed). Unset:
   * a key generated into DATA_DIR/phi.key (0600), with a warning.
   */
  PHI_ENCRYPTION_KEYS: z.string().optional(),
  /** Which of PHI_ENCRYPTION_KEYS seals new data. @defaultValue the first listed */
  PHI_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,32}$/)
    .optional(),
  /** Days finished messages (and their results, deliveries, closed review cases) are kept; 0 keeps them forever. */
  RETENTION_DAYS: int(365, 0, 36_500),
  /** Public base URL of the console, for "Open in console" links in Slack pages. */
  PUBLIC_URL: url.optional(),
  /**
   * Where /docs loads the Scalar viewer script (the UMD standalone bundle of @scalar/api-reference),
   * e.g. a hospital's own mirror. @defaultValue Scalar's public CDN (jsDelivr)
   */
  DOCS_SCRIPT_URL: url.optional(),
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
