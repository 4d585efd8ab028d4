/**
 * The composition root: the one place that reads configuration, starts or connects the
 * services (Redis, Chroma, SQL, model host), wires adapters to ports and returns the running
 * system. Everything else receives its dependencies from here.
 */

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Worker } from "bullmq";
import type { Hono } from "hono";
import { createHandoff, type Handoff } from "../bot/handoff/index.js";
import { createHttpChannel } from "../bot/http/channel.js";
import { slackPlugin } from "../bot/slack/index.js";
import { wechatPlugin } from "../bot/wechat/index.js";
import type { Config } from "../core/config.js";
import type { InboundMessage } from "../core/domain.js";
import type { Channel, Clock, Health, Llm, QueueJob } from "../core/ports.js";
import { type OpenedKnowledgeBase, openKnowledgeBase } from "../rag/open.js";
import { createApp } from "./app.js";
import { type RunningService, startRedisServer } from "./infra/redis-server.js";
import { createBullQueue, producerConnection } from "./jobs/queue.js";
import { startRequeueSweep } from "./jobs/requeue.js";
import { startPipelineWorker } from "./jobs/worker.js";
import { createAnthropicLlm } from "./llm/anthropic.js";
import { createOllamaLlm } from "./llm/ollama.js";
import { createLogger, type Logger, withAuditTrace } from "./log.js";
import { createMetrics, instrumentLlm } from "./observability/metrics.js";
import { createRedisRateLimiter } from "./observability/rate-limit.js";
import { createTracing, type Tracing } from "./observability/tracing.js";
import { DEFAULT_PIPELINE_OPTIONS, type PipelineDeps } from "./pipeline/types.js";
import { type ReviewModule, reviewModule } from "./review/index.js";
import type { AppEnv, Services } from "./services.js";
import { createSqlAuditStore } from "./stores/audit-store.js";
import { createSqlResultStore } from "./stores/result-store.js";
import { openSql, type SqlClient } from "./stores/sql.js";

/**
 * A channel adapter as the composition root sees it: the Channel that delivers, and the HTTP
 * routes that receive (Slack Events API, WeChat callbacks…). Built from the running services.
 */
export interface ChannelPlugin {
  name: InboundMessage["channel"];
  channel: Channel;
  routes?: Hono<AppEnv>;
}

/** What the composition root hands every plugin besides services and config. */
export interface PluginExtras {
  db: SqlClient;
  /** Conversation ownership shared by the patient and clinician channels. */
  handoff: Handoff;
  /** The review module, so the Slack adapter's review-page buttons call the same operation as the console. */
  review?: ReviewModule;
}

export type PluginFactory = (services: Services, config: Config, extras?: PluginExtras) => ChannelPlugin | Promise<ChannelPlugin>;

export interface BuildOptions {
  /** Channel adapters to mount (in addition to those enabled by configuration). */
  plugins?: PluginFactory[];
  clock?: Clock;
  log?: Logger;
  /** Start the pipeline worker in this process. @defaultValue config.RUN_WORKER */
  worker?: boolean;
  /** Persist embedded Redis to disk. @defaultValue true */
  persistRedis?: boolean;
  /** Tracing (tests pass one with an in-memory exporter). @defaultValue OTLP when configured, else not exported */
  tracing?: Tracing;
  /** The review module (tests pass one with their own users, roster and pager). @defaultValue from configuration */
  review?: ReviewModule;
  /** Knowledge corpus to keep ingested. @defaultValue the shipped corpus */
  knowledgePaths?: readonly string[];
  /** Override the SQL data dir (null: in-memory PGlite, for tests). */
  sqlDir?: string | null;
}

export interface System {
  services: Services;
  app: ReturnType<typeof createApp>;
  deps: PipelineDeps;
  knowledge: OpenedKnowledgeBase;
  redisUrl: string;
  worker: Worker<QueueJob> | null;
  stop(): Promise<void>;
}

/** The model provider from configuration, or null (case-based mode). */
export function createLlm(config: Config): Llm | null {
  if (config.LLM_PROVIDER === "anthropic") {
    if (!config.ANTHROPIC_API_KEY) return null;
    return createAnthropicLlm({
      apiKey: config.ANTHROPIC_API_KEY,
      model: config.ANTHROPIC_MODEL,
      timeoutMs: config.MODEL_TIMEOUT_MS,
      ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
    });
  }
  if (!config.OLLAMA_HOST) return null;
  return createOllamaLlm({
    host: config.OLLAMA_HOST,
    model: config.OLLAMA_MODEL,
    keepAlive: config.OLLAMA_KEEP_ALIVE,
    timeoutMs: config.MODEL_TIMEOUT_MS,
    parallel: config.OLLAMA_NUM_PARALLEL,
  });
}

async function defaultTracing(config: Config): Promise<Tracing> {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return createTracing();
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
  return createTracing({ exporter: new OTLPTraceExporter({ url: config.OTEL_EXPORTER_OTLP_ENDPOINT }), batch: true });
}

/** Channel adapters switched on by configuration. */
function configuredPlugins(config: Config): PluginFactory[] {
  const out: PluginFactory[] = [];
  if (config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_SOCKET_MODE)) out.push(slackPlugin());
  if (config.WECHAT_TOKEN || config.WECHAT_PUPPET) out.push(wechatPlugin());
  return out;
}

/** The review console, paging and review actions, from configuration. */
function configuredReview(config: Config, log: Logger): ReviewModule {
  if (!config.SESSION_SECRET)
    log.warn("SESSION_SECRET not set: console sessions use a random key and end when the process restarts");
  return reviewModule({
    sessionSecret: config.SESSION_SECRET ?? randomBytes(32).toString("hex"),
    ...(config.USERS_FILE ? { usersFile: config.USERS_FILE } : {}),
    ...(config.API_TOKENS ? { apiTokens: config.API_TOKENS } : {}),
    ...(config.ONCALL_FILE ? { oncallFile: config.ONCALL_FILE } : {}),
    ...(config.SLACK_BOT_TOKEN ? { slackToken: config.SLACK_BOT_TOKEN } : {}),
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    ...(config.SLACK_REVIEW_CHANNEL ? { reviewChannel: config.SLACK_REVIEW_CHANNEL } : {}),
    ...(config.SLACK_FALLBACK_CHANNEL ? { fallbackChannel: config.SLACK_FALLBACK_CHANNEL } : {}),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
    sla: {
      emergencyMs: config.SLA_EMERGENCY_MS,
      urgentMs: config.SLA_URGENT_MS,
      routineMs: config.SLA_ROUTINE_MS,
      utcOffsetMinutes: config.SLA_UTC_OFFSET_MINUTES,
    },
  });
}

export async function buildSystem(config: Config, opts: BuildOptions = {}): Promise<System> {
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? (() => new Date());
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e: Error) => log.warn({ err: e.message }, "stop failed"));
  };
  try {
    let redis: RunningService | null = null;
    if (!config.REDIS_URL) {
      redis = await startRedisServer({ dir: opts.persistRedis === false ? null : join(config.DATA_DIR, "redis") }, (m) =>
        log.info(m),
      );
      cleanups.push(() => (redis as RunningService).stop());
    }
    const redisUrl = config.REDIS_URL ?? (redis as RunningService).url;

    const db = await openSql({
      ...(config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : {}),
      dataDir: opts.sqlDir === undefined ? join(config.DATA_DIR, "pglite") : opts.sqlDir,
    });
    cleanups.push(() => db.close());
    const results = createSqlResultStore(db);
    // LOG_LEVEL=debug/trace: every audit event is also a log event (ids and codes only).
    const audit = withAuditTrace(createSqlAuditStore(db, clock), log);

    const knowledge = await openKnowledgeBase(config, opts.knowledgePaths ? { paths: opts.knowledgePaths } : {});
    cleanups.push(() => knowledge.stop());

    const queue = createBullQueue({ redisUrl, prefix: config.QUEUE_PREFIX });
    cleanups.push(() => queue.close());
    const metrics = createMetrics(queue);
    const tracing = opts.tracing ?? (await defaultTracing(config));
    cleanups.push(() => tracing.shutdown());
    const rawLlm = createLlm(config);
    const llm = rawLlm ? instrumentLlm(rawLlm, metrics, tracing) : null;
    if (!llm) {
      log.warn(
        "NO MODEL HOST CONFIGURED (set OLLAMA_HOST, or LLM_PROVIDER=anthropic with ANTHROPIC_API_KEY): running in CASE-BASED MODE — drafts are aggregated from similar past cases and labelled as such",
      );
    }
    const rlRedis = producerConnection(redisUrl);
    rlRedis.on("error", () => {});
    cleanups.push(async () => rlRedis.disconnect());
    const rateLimiter = createRedisRateLimiter(rlRedis, config.QUEUE_PREFIX, (e) =>
      log.warn({ err: e.message }, "rate limiter: Redis unavailable; limits kept in process"),
    );

    const channels: PipelineDeps["channels"] = { http: createHttpChannel() };
    const review = opts.review ?? configuredReview(config, log);
    const deps: PipelineDeps = {
      results,
      // Opening a review case also pages the on-call reviewer (when a roster is configured).
      reviews: review.wrapReviewStore(results),
      audit,
      retriever: knowledge.kb,
      llm,
      channels,
      clock,
      options: {
        ...DEFAULT_PIPELINE_OPTIONS,
        samples: config.SELF_CONSISTENCY_SAMPLES,
        minRetrievalScore: config.MIN_RETRIEVAL_SCORE,
        selfInformed: config.PROMPT_SELF_INFORMED,
        peerInformed: config.PROMPT_PEER_INFORMED,
      },
      log,
      metrics,
      tracing,
    };
    const modelCheck = async (): Promise<Health> =>
      llm ? llm.health() : { ok: true, detail: "case-based mode: no model host configured" };
    const services: Services = {
      config,
      log,
      clock,
      results,
      audit,
      queue,
      db,
      pipeline: deps,
      metrics,
      tracing,
      rateLimiter,
      mode: llm ? "model" : "case-based",
      readiness: {
        redis: () => queue.health(),
        sql: () => results.health(),
        chroma: () => knowledge.kb.health(),
        model: modelCheck,
      },
    };

    const handoff = createHandoff({ db });
    const plugins: ChannelPlugin[] = [];
    for (const make of [...configuredPlugins(config), ...(opts.plugins ?? [])]) {
      const p = await make(services, config, { db, handoff, review });
      await p.channel.start();
      cleanups.push(() => p.channel.stop());
      channels[p.name] = p.channel;
      plugins.push(p);
    }
    const routes = [...plugins.flatMap((p) => (p.routes ? [p.routes] : [])), review.routes];
    await review.start(services, { redisUrl });
    cleanups.push(() => review.stop());

    let worker: Worker<QueueJob> | null = null;
    if (opts.worker ?? config.RUN_WORKER) {
      worker = startPipelineWorker({ redisUrl, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY }, deps);
      cleanups.push(async () => {
        await (worker as Worker<QueueJob>).close();
      });
      const sweep = startRequeueSweep({
        db,
        queue,
        log,
        intervalMs: config.REQUEUE_INTERVAL_MS,
        graceMs: config.REQUEUE_GRACE_MS,
      });
      cleanups.push(async () => sweep.stop());
    }
    return { services, app: createApp(services, { routes }), deps, knowledge, redisUrl, worker, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
