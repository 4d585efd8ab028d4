/**
 * Worker processes SIGKILLed under load: 1,000 messages (patient messages of every urgency and
 * consultations) through an in-process server onto three `glycopilot worker` processes that
 * share one Redis, Chroma and a private PostgreSQL; a random worker is killed every 1–3 s and
 * respawned. Every message must end with exactly one result and at most one send per channel.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { loadConfig } from "../../core/config.js";
import { PIPELINE_QUEUE } from "../../server/jobs/queue.js";
import { createLogger } from "../../server/log.js";
import { buildSystem, type System } from "../../server/main.js";
import { type PostgresCluster, startPostgres } from "../helpers/postgres.js";
import { jsonPost } from "../helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../standins/model-host-standin.js";
import {
  CONSULTATION,
  delayed,
  deliveryFacts,
  killHard,
  log,
  modelAnswer,
  PATIENT,
  patientText,
  sleep,
  spawnWorker,
  type WorkerProcess,
  waitUntil,
} from "./support.js";

const N = 1_000;
const WORKERS = 3;
const SUBMITTERS = 8;
const DEADLINE_MS = 8 * 60_000;

let pg: PostgresCluster;
let model: ModelHostStandin;
let sys: System;
let env: Record<string, string>;
const prefix = `chaos${randomUUID().slice(0, 8)}`;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  model = await startModelHostStandin();
  model.reply((req) => delayed(5 + Math.floor(Math.random() * 26), { kind: "json", value: modelAnswer(req) }));
  env = {
    REDIS_URL: inject("redisUrl"),
    CHROMA_URL: inject("chromaUrl"),
    CHROMA_PREFIX: "test",
    DATABASE_URL: pg.url,
    OLLAMA_HOST: model.url,
    OLLAMA_NUM_PARALLEL: "4",
    QUEUE_PREFIX: prefix,
    AUTO_INGEST: "false",
    LOG_LEVEL: "silent",
    WORKER_CONCURRENCY: "4",
    MODEL_TIMEOUT_MS: "5000",
    RATE_LIMIT_SENDER_PER_MIN: "0",
    RATE_LIMIT_TOKEN_PER_MIN: "0",
    DATA_DIR: mkdtempSync(join(tmpdir(), "glyco-chaos-")),
  };
  // The server first: it applies the migrations before any worker connects.
  sys = await buildSystem(loadConfig(env), { worker: false, log: createLogger("silent") });
  await sys.services.results.putPatient(PATIENT.ref as string, PATIENT);
  for (let i = 0; i < WORKERS; i++) workers.push(spawnWorker(env));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => killHard(w)));
  await sys?.stop();
  await model?.close();
  pg?.destroy();
});

it("SIGKILLed workers: 1,000 messages, exactly one result each, at most one send per channel", async () => {
  const redis = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: null });
  // QueueEvents blocks on its connection: give it its own.
  const eventsConn = new Redis(env.REDIS_URL as string, { maxRetriesPerRequest: null });
  const events = new QueueEvents(PIPELINE_QUEUE, { connection: eventsConn, prefix });
  const stalled = new Set<string>();
  events.on("stalled", ({ jobId }) => stalled.add(jobId));
  await events.waitUntilReady();
  const db = sys.services.db;
  const ids: string[] = [];
  const urgency: Record<string, number> = {};
  let kills = 0;
  let submitted = 0;
  const non202: number[] = [];

  const resultsSoFar = async () =>
    Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM results r JOIN messages m ON m.id = r.id")).rows[0]?.n ?? 0);

  // Killer: while work is in flight, SIGKILL a random worker every 1–3 s and respawn it. Only
  // workers that report running are picked: a worker still starting (seconds under load) holds
  // no jobs, and killing it would test nothing.
  let killing = true;
  let killsStarting = 0;
  const killer = (async () => {
    while (killing) {
      await sleep(1_000 + Math.random() * 2_000);
      if (!killing) break;
      const ready = workers.map((w, i) => ({ w, i })).filter(({ w }) => /worker \d+ running/.test(w.stderr()));
      if (ready.length === 0) {
        killsStarting++;
        continue;
      }
      const { w: victim, i } = ready[Math.floor(Math.random() * ready.length)] as { w: WorkerProcess; i: number };
      await killHard(victim);
      kills++;
      workers[i] = spawnWorker(env);
    }
  })();

  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: SUBMITTERS }, async () => {
      while (next < N) {
        const i = next++;
        const consult = i % 5 === 4;
        const res = consult
          ? await sys.app.request(
              "/v1/consultations",
              jsonPost({ ...CONSULTATION, chiefComplaint: `${CONSULTATION.chiefComplaint} (#${i})` }),
            )
          : await sys.app.request(
              "/v1/messages",
              jsonPost({ conversationId: `chaos-c${i % 50}`, patientRef: PATIENT.ref, text: patientText(i) }),
            );
        if (res.status !== 202) {
          non202.push(res.status);
          continue;
        }
        const body = (await res.json()) as { id: string; urgency: string };
        ids.push(body.id);
        const k = consult ? "consultation" : body.urgency;
        urgency[k] = (urgency[k] ?? 0) + 1;
        submitted++;
      }
    }),
  );
  const acceptSeconds = (Date.now() - t0) / 1000;
  log(
    `worker-kill: accepted ${submitted}/${N} in ${acceptSeconds.toFixed(1)} s (${JSON.stringify(urgency)}); non-202: ${non202.length}`,
  );

  // Keep killing until 90 % of results are in (or 2 minutes), then let the survivors drain.
  await waitUntil(async () => (await resultsSoFar()) >= N * 0.9 || Date.now() - t0 > 120_000, 130_000, 500);
  killing = false;
  await killer;
  const killPhase = (Date.now() - t0) / 1000;
  const allDone = await waitUntil(async () => (await resultsSoFar()) >= ids.length, DEADLINE_MS - (Date.now() - t0), 1_000);
  const total = (Date.now() - t0) / 1000;

  const facts = await deliveryFacts(db, ids);
  const q = new Queue(PIPELINE_QUEUE, { connection: redis, prefix });
  const jobs = await q.getJobs(["completed", "failed", "active", "waiting", "delayed", "prioritized"], 0, N * 2);
  // attemptsMade also counts the successful attempt (BullMQ ≥ 5); a re-run shows as a second start.
  const retried = jobs.filter((j) => j.attemptsStarted > 1 || j.stalledCounter > 0);
  const failed = jobs.filter((j) => j.failedReason);
  const counts = await q.getJobCounts();
  const held = Number(
    (await db.query<{ n: string }>("SELECT count(*) AS n FROM results WHERE held AND id = ANY($1)", [ids])).rows[0]?.n ?? 0,
  );
  const errored = await db.query<{ code: string; n: string }>(
    "SELECT result->>'error' AS code, count(*) AS n FROM results WHERE id = ANY($1) AND result->>'error' IS NOT NULL GROUP BY 1",
    [ids],
  );

  log(
    `worker-kill: kills ${kills} (${WORKERS} workers; ${killsStarting} ticks skipped with no worker up yet; kill phase ${killPhase.toFixed(1)} s); all results after ${total.toFixed(1)} s: ${allDone}`,
  );
  log(
    `worker-kill: results ${facts.results}/${ids.length}; messages without a result ${facts.missing}; held ${held}; errors ${JSON.stringify(Object.fromEntries(errored.rows.map((r) => [r.code, Number(r.n)])))}`,
  );
  log(
    `worker-kill: deliveries with >1 row per (message, channel) ${facts.dupDeliveryRows}; messages sent ${facts.sentMessages}; sent more than once ${facts.multiSend.length}; deliver events ${facts.deliverEvents}`,
  );
  log(
    `worker-kill: jobs retried or stalled-recovered ${retried.length} (stalled events ${stalled.size}); failed jobs ${failed.length}; queue ${JSON.stringify(counts)}`,
  );

  await q.close();
  await events.close();
  eventsConn.disconnect();
  redis.disconnect();

  expect(non202).toEqual([]);
  expect(submitted).toBe(N);
  expect(kills).toBeGreaterThan(0);
  expect(facts.missing).toBe(0);
  expect(facts.results).toBe(N);
  expect(facts.dupDeliveryRows).toBe(0);
  expect(facts.multiSend).toEqual([]);
});
