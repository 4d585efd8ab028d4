/**
 * The composition root: the one place that reads configuration, starts or connects the
 * services (Redis, Chroma, SQL, model host), wires adapters to ports and returns the running
 * system. Everything else receives its dependencies from here.
 */

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Worker } from "bullmq";
import { Redis } from "ioredis";
import { createHttpChannel } from "../bot/http/channel.js";
import { slackPlugin } from "../bot/slack/index.js";
import { wecomPlugin } from "../bot/wecom/index.js";
import type { Config } from "../core/config.js";
import { AppError } from "../core/errors.js";
import type { ChannelPorts, Clock, Health, Llm, QueueJob } from "../core/ports.js";
import { emergencyNumberFor } from "../guardrails/replies.js";
import type { IngestProgress } from "../rag/ingest.js";
import { createApp } from "./app.js";
import { type Knowledge, openKnowledge, openSqlStore } from "./clients.js";
import { enrollmentRoutes } from "./conversations/enrollment-routes.js";
import { createHandoff } from "./conversations/handoff.js";
import { createConversations } from "./conversations/index.js";
import { CHANNEL_POLICIES } from "./conversations/policy.js";
import { type RunningService, startRedisServer } from "./infra/redis-server.js";
import { createIntake } from "./intake.js";
import { createBullQueue, PIPELINE_QUEUE, producerConnection } from "./jobs/queue.js";
import { startRequeueSweep } from "./jobs/requeue.js";
import { createBullScheduler } from "./jobs/scheduler.js";
import { startPipelineWorker } from "./jobs/worker.js";
import { createAnthropicLlm } from "./llm/anthropic.js";
import { createOllamaLlm } from "./llm/ollama.js";
import { createLogger, type Logger, withAuditTrace } from "./log.js";
import { createMetrics, instrumentLlm } from "./observability/metrics.js";
import { createRedisRateLimiter } from "./observability/rate-limit.js";
import { createTracing, type Tracing } from "./observability/tracing.js";
import { DEFAULT_PIPELINE_OPTIONS, type PipelineDeps } from "./pipeline/types.js";
import { createReviewDesk } from "./review/desk.js";
import { type ReviewModule, reviewModule } from "./review/index.js";
import { createSlackPager } from "./review/pager.js";
import { SLA_QUEUE } from "./review/sla-worker.js";
import { queuesDashboard } from "./routes/queues-admin.js";
import type { ChannelPlugin, PluginFactory, Services } from "./services.js";
import { createStopper, drainWorker, type StopSummary, trackInFlight } from "./shutdown.js";
import { configuredSigner, openCheckpointSink, startAuditCheckpoints } from "./stores/audit-checkpoint.js";
import { createSqlAuditStore } from "./stores/audit-store.js";
import { startRetentionPurge } from "./stores/erasure.js";
import { resealPhi } from "./stores/phi-crypto.js";
import { createRedisReplayGuard, createSqlReplayGuard } from "./stores/replay-guard.js";
import { createSqlResultStore } from "./stores/result-store.js";

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
  /** Progress of the knowledge ingest on a first start (the CLI draws a bar). */
  onIngestProgress?: (p: IngestProgress) => void;
}

export interface System {
  services: Services;
  app: ReturnType<typeof createApp>;
  deps: PipelineDeps;
  knowledge: Knowledge;
  redisUrl: string;
  worker: Worker<QueueJob> | null;
  /**
   * Stop accepting work, drain in-flight jobs (those still running at the deadline go back to
   * the queue), then close workers, Redis, Chroma and SQL — within `deadlineMs` (default 8 s).
   */
  stop(o?: { deadlineMs?: number }): Promise<StopSummary>;
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

/**
 * Channel adapters switched on by configuration. The WeChat adapter is loaded only when
 * configured: it imports wechaty, the slowest module of the server to load (seconds).
 */
async function configuredPlugins(config: Config): Promise<PluginFactory[]> {
  const out: PluginFactory[] = [];
  if (config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_SOCKET_MODE)) out.push(slackPlugin());
  if (config.WECHAT_TOKEN || config.WECHAT_PUPPET) out.push((await import("../bot/wechat/index.js")).wechatPlugin());
  if (config.WECOM_TOKEN) out.push(wecomPlugin());
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
    ...(config.SLACK_BOT_TOKEN
      ? {
          pager: createSlackPager({
            token: config.SLACK_BOT_TOKEN,
            ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
          }),
        }
      : {}),
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
  // Configuration problems first, before anything is started.
  const clinic = clinicOptions(config);
  const stopper = createStopper(log);
  const stopAll = async (o: { deadlineMs?: number } = {}) => stopper.run(o);
  // How long each start-up step took (logged once started: where a slow restart goes).
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - mark);
    mark = now;
  };
  // The knowledge base (the embedded Chroma process, the corpus check) starts while Redis and
  // SQL open: independent, and together most of a restart. Registered for stop once open, so a
  // failure elsewhere still stops it.
  let knowledgeOpening: Promise<Knowledge> | null = null;
  try {
    knowledgeOpening = openKnowledge(config, {
      ...(opts.knowledgePaths ? { paths: opts.knowledgePaths } : {}),
      ...(opts.onIngestProgress ? { onProgress: opts.onIngestProgress } : {}),
    }).then((k) => {
      stopper.add("chroma", () => k.stop());
      return k;
    });
    knowledgeOpening.catch(() => {});
    let redis: RunningService | null = null;
    if (!config.REDIS_URL) {
      redis = await startRedisServer({ dir: opts.persistRedis === false ? null : join(config.DATA_DIR, "redis") }, (m) =>
        log.info(m),
      );
      stopper.add("redis-server", () => (redis as RunningService).stop());
    }
    const redisUrl = config.REDIS_URL ?? (redis as RunningService).url;
    phase("redis");

    const db = await openSqlStore(config, {
      ...(opts.sqlDir === undefined ? {} : { dataDir: opts.sqlDir }),
      warn: (m) => log.warn(m),
    });
    stopper.add("sql", () => db.close());
    phase("sql");
    const results = createSqlResultStore(db);
    // LOG_LEVEL=debug/trace: every audit event is also a log event (ids and codes only).
    const audit = withAuditTrace(createSqlAuditStore(db, clock), log);
    // Signed checkpoints of the audit head outside the table; the last one is written on stop,
    // after the worker has closed (steps stop in reverse).
    const signer = configuredSigner({ ...config, AUDIT_CHECKPOINT_PUBLIC_KEY: undefined }, (m) => log.warn(m));
    const cpSink = await openCheckpointSink(config, redisUrl);
    stopper.add("audit-checkpoint-sink", cpSink.close);
    const checkpoints = startAuditCheckpoints({
      db,
      signer,
      sink: cpSink.sink,
      intervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
      clock,
      onError: (e) => log.warn({ err: e.message }, "audit checkpoint failed"),
    });
    stopper.add("audit-checkpoint", () => checkpoints.stop());
    phase("audit-checkpoints");

    const knowledge = await knowledgeOpening;
    phase("knowledge-wait");

    const queue = createBullQueue({ redisUrl, prefix: config.QUEUE_PREFIX });
    stopper.add("queue", () => queue.close());
    const metrics = createMetrics(queue);
    const tracing = opts.tracing ?? (await defaultTracing(config));
    stopper.add("tracing", () => tracing.shutdown());
    const rawLlm = createLlm(config);
    const llm = rawLlm ? instrumentLlm(rawLlm, metrics, tracing) : null;
    if (!llm) {
      log.warn(
        "NO MODEL HOST CONFIGURED (set OLLAMA_HOST, or LLM_PROVIDER=anthropic with ANTHROPIC_API_KEY): running WITHOUT A MODEL (CASE-BASED MODE): consultations get guideline-based drafts from the guideline engine, patients get answers from their own targets or education passages, other drafts come from similar past cases — each labelled as such",
      );
    }
    const rlRedis = producerConnection(redisUrl);
    rlRedis.on("error", () => {});
    stopper.add("rate-limit-redis", async () => rlRedis.disconnect());
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
        modelTriage: config.MODEL_TRIAGE,
        ...clinic,
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

    phase("services");
    // The channel adapters' ports (core/ports.ts ChannelPorts): nothing else of the server reaches them.
    const handoff = createHandoff({ db, audit, results });
    const conversations = createConversations(services, { handoff, clinicContact: clinic.clinicContact });
    // Replay keys in Redis (WeChat callbacks): connects on first use, never waits long — an
    // unanswered check refuses the request and the sender retries.
    const replayRedis = new Redis(redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 2_000,
    });
    replayRedis.on("error", () => {}); // reported as a refused request (503), not an unhandled event
    stopper.add("replay-redis", async () => replayRedis.disconnect());
    const ports: ChannelPorts = {
      intake: createIntake(services, conversations.intake),
      audit,
      log,
      clock,
      patients: conversations.patients,
      handoff,
      replay: createRedisReplayGuard(replayRedis, config.QUEUE_PREFIX),
      durableReplay: createSqlReplayGuard(db, clock),
      reviews: deps.reviews,
      reviewDesk: createReviewDesk(review, services),
    };
    const plugins: ChannelPlugin[] = [];
    for (const make of [...(await configuredPlugins(config)), ...(opts.plugins ?? [])]) {
      const p = await make(ports, config);
      await p.channel.start();
      stopper.add(`channel:${p.name}`, () => p.channel.stop());
      channels[p.name] = p.channel;
      plugins.push(p);
    }
    // Patients link a channel with an enrollment code the clinic issues (when such a channel runs).
    const enrollment = plugins.some((p) => CHANNEL_POLICIES[p.name]) ? [enrollmentRoutes(conversations.bindings)] : [];
    const board = queuesDashboard({
      auth: review.auth,
      redisUrl,
      prefix: config.QUEUE_PREFIX,
      names: [PIPELINE_QUEUE, SLA_QUEUE],
    });
    stopper.add("queue dashboard", () => board.close());
    const routes = [...plugins.flatMap((p) => (p.routes ? [p.routes] : [])), ...enrollment, review.routes, board.routes];
    // Review pages are scheduled jobs (BullMQ, Redis connections opened on first use).
    const scheduler = createBullScheduler({ redisUrl, prefix: config.QUEUE_PREFIX, queue: SLA_QUEUE, clock, log });
    stopper.add("scheduler", () => scheduler.close());
    phase("channels");
    await review.start(services, { scheduler });
    stopper.add("review", () => review.stop());
    phase("review");

    let worker: Worker<QueueJob> | null = null;
    if (opts.worker ?? config.RUN_WORKER) {
      worker = startPipelineWorker({ redisUrl, prefix: config.QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY }, deps);
      const inFlight = trackInFlight(worker);
      stopper.add("worker", (budgetMs) => drainWorker(worker as Worker<QueueJob>, inFlight, budgetMs, log));
      const sweep = startRequeueSweep({
        db,
        queue,
        log,
        intervalMs: config.REQUEUE_INTERVAL_MS,
        graceMs: config.REQUEUE_GRACE_MS,
      });
      stopper.add("requeue-sweep", async () => sweep.stop());
      // PHI at rest: seal rows left in plain jsonb (written before encryption) and re-seal rows
      // under a retired key id (rotation), in the background; then purge past the retention period.
      const reseal = resealPhi(db, db.phi)
        .then((n) => {
          if (n.messages || n.patients) log.info({ ...n, keyId: db.phi.currentId }, "PHI sealed with the current key");
        })
        .catch((e: Error) => log.warn({ err: e.message }, "PHI re-seal failed; will retry at next start"));
      stopper.add("phi-reseal", () => reseal);
      const purge = startRetentionPurge({
        db,
        audit,
        days: config.RETENTION_DAYS,
        clock,
        onResult: (r) => {
          if (r.messages || r.patients) log.info({ ...r, days: config.RETENTION_DAYS }, "retention purge");
        },
        onError: (e) => log.warn({ err: e.message }, "retention purge failed"),
      });
      stopper.add("retention-purge", () => purge.stop());
    }
    const app = createApp(services, { routes });
    phase("worker+app");
    log.info({ event: "startup.phases", ms: phases }, "system started");
    return { services, app, deps, knowledge, redisUrl, worker, stop: stopAll };
  } catch (e) {
    await knowledgeOpening?.catch(() => {});
    await stopAll();
    throw e;
  }
}

/** The clinic's emergency number and contact for patient texts; an unknown country without EMERGENCY_NUMBER is a config error. */
function clinicOptions(config: Config): { emergencyNumber?: string; clinicContact: string; publicUrl?: string } {
  const n = emergencyNumberFor(config.CLINIC_COUNTRY, config.EMERGENCY_NUMBER);
  if (config.CLINIC_COUNTRY && !n)
    throw new AppError(
      "CONFIG_INVALID",
      `invalid configuration:\n  CLINIC_COUNTRY: no built-in emergency number for ${config.CLINIC_COUNTRY}; set EMERGENCY_NUMBER`,
    );
  return {
    ...(n ? { emergencyNumber: n } : {}),
    clinicContact: config.CLINIC_CONTACT,
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  };
}
