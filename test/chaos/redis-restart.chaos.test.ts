/**
 * Redis stopped and restarted under load: a private redis-server with AOF persistence, one
 * in-process system with its worker (PGlite). 200 messages; midway Redis goes down for a few
 * seconds. Readiness must say redis, intake must keep answering 202 (messages are stored in SQL
 * before they are enqueued), and every message — including those accepted during the outage,
 * which only the requeue sweep can enqueue — must end with exactly one result.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CORPUS_DIR } from "../../rag/open.js";
import { freePort } from "../../server/infra/ports.js";
import { type RunningService, startRedisServer } from "../../server/infra/redis-server.js";
import type { System } from "../../server/main.js";
import { buildTestSystem, jsonPost } from "../helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../standins/model-host-standin.js";
import { delayed, deliveryFacts, log, modelAnswer, PATIENT, patientText, sleep, waitUntil } from "./support.js";

const N = 200;
const OUTAGE_MS = 4_000;
/** Sweep interval 15 s + grace 10 s (server/jobs/requeue.ts defaults), plus the backlog itself. */
const DRAIN_MS = 120_000;

let redis: RunningService;
let port: number;
let dir: string;
let model: ModelHostStandin;
let sys: System;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "glyco-redis-chaos-"));
  port = await freePort();
  redis = await startRedisServer({ dir, port });
  model = await startModelHostStandin();
  model.reply((req) => delayed(5 + Math.floor(Math.random() * 20), { kind: "json", value: modelAnswer(req) }));
  sys = await buildTestSystem(
    {
      REDIS_URL: redis.url,
      OLLAMA_HOST: model.url,
      CHROMA_PREFIX: "chaos-redis", // its own (protocols-only) corpus, not the shared "test" one
      MODEL_TIMEOUT_MS: "5000",
      WORKER_CONCURRENCY: "4",
      // Limits on but out of reach: the limiter's Redis path ("unavailable: allowing") is exercised.
      RATE_LIMIT_SENDER_PER_MIN: "1000000",
      RATE_LIMIT_TOKEN_PER_MIN: "1000000",
    },
    { worker: true, knowledgePaths: [join(CORPUS_DIR, "protocols")] },
  );
  await sys.services.results.putPatient(PATIENT.ref as string, PATIENT);
});

afterAll(async () => {
  await sys?.stop();
  await redis?.stop();
  await model?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it("Redis down for a few seconds: intake keeps answering 202, readiness names redis, every message gets exactly one result", async () => {
  const ids: string[] = [];
  const duringOutage: string[] = [];
  const statuses: Record<string, number> = {};
  let down = false;
  const submit = async (i: number) => {
    const res = await sys.app.request(
      "/v1/messages",
      jsonPost({ conversationId: `redis-c${i % 20}`, patientRef: PATIENT.ref, text: patientText(i) }),
    );
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status !== 202) return;
    const { id } = (await res.json()) as { id: string };
    ids.push(id);
    if (down) duringOutage.push(id);
  };
  const batch = async (from: number, to: number, concurrency = 4) => {
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < to) await submit(next++);
      }),
    );
  };

  const t0 = Date.now();
  await batch(0, 80);
  // Outage: stop Redis while the worker is busy with the first batch.
  await redis.stop();
  down = true;
  const outageStart = Date.now();
  const ready = await sys.app.request("/readyz");
  const readyBody = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
  const intakeReady = await sys.app.request("/readyz/intake");
  await batch(80, 140);
  const rest = OUTAGE_MS - (Date.now() - outageStart);
  if (rest > 0) await sleep(rest);
  redis = await startRedisServer({ dir, port });
  down = false;
  const outageMs = Date.now() - outageStart;
  await batch(140, N);
  const readyAfter = await waitUntil(async () => (await sys.app.request("/readyz")).status === 200, 15_000, 250);

  const db = sys.services.db;
  const count = async () =>
    Number((await db.query<{ n: string }>("SELECT count(*) AS n FROM results WHERE id = ANY($1)", [ids])).rows[0]?.n ?? 0);
  const drained = await waitUntil(async () => (await count()) >= ids.length, DRAIN_MS, 500);
  const facts = await deliveryFacts(db, ids);
  const outageResults = Number(
    (await db.query<{ n: string }>("SELECT count(*) AS n FROM results WHERE id = ANY($1)", [duringOutage])).rows[0]?.n ?? 0,
  );
  const requeueErrors = Number(
    (
      await db.query<{ n: string }>("SELECT count(*) AS n FROM results WHERE id = ANY($1) AND result->>'error' IS NOT NULL", [
        ids,
      ])
    ).rows[0]?.n ?? 0,
  );

  log(
    `redis-restart: submitted ${N}, HTTP statuses ${JSON.stringify(statuses)}; accepted during the ${outageMs} ms outage: ${duringOutage.length}`,
  );
  log(
    `redis-restart: /readyz during outage ${ready.status} (redis ok=${readyBody.checks.redis?.ok}, ${readyBody.checks.redis?.detail ?? ""}); /readyz/intake ${intakeReady.status}; ready again after restart: ${readyAfter}`,
  );
  log(
    `redis-restart: all results in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${drained}; results ${facts.results}/${ids.length}; outage-accepted with result ${outageResults}/${duringOutage.length}; without a result ${facts.missing}; results with an error ${requeueErrors}`,
  );
  log(
    `redis-restart: messages sent ${facts.sentMessages}; sent more than once ${facts.multiSend.length}; duplicate delivery rows ${facts.dupDeliveryRows}; deliver events ${facts.deliverEvents}`,
  );

  expect(statuses).toEqual({ 202: N });
  expect(duringOutage.length).toBeGreaterThan(0);
  expect(ready.status).toBe(503);
  expect(readyBody.checks.redis?.ok).toBe(false);
  expect(readyBody.checks.sql?.ok).toBe(true);
  expect(intakeReady.status).toBe(200);
  expect(readyAfter).toBe(true);
  expect(facts.missing).toBe(0);
  expect(facts.results).toBe(N);
  expect(outageResults).toBe(duringOutage.length);
  expect(facts.multiSend).toEqual([]);
});
