/**
 * Spine benchmark: consultations per second through HTTP → BullMQ → worker → stored result,
 * with the stand-in model host answering instantly, and the pipeline's own overhead p50/p95.
 * Baseline in the same run: a trivial BullMQ job round trip on the same Redis, and one round
 * trip to the stand-in model host, so the figures read as ratios, not machine-dependent absolutes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { Ollama } from "ollama";
import { loadConfig } from "../../core/config.js";
import { createLogger } from "../../server/log.js";
import { buildSystem } from "../../server/main.js";
import { startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { cpuPer, cpuSnapshot } from "./baselines.js";
import { fmt, summarize } from "./stats.js";

const DRAFT = {
  labTests: [{ name: "HbA1c", citations: [] }],
  examinations: [],
  medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily", action: "continue", citations: [] }],
  recommendations: [{ text: "Review in 3 months.", citations: [] }],
  confidence: 0.8,
};

const BODY = JSON.stringify({
  sex: "female",
  age: 60,
  diagnoses: ["type 2 diabetes"],
  chiefComplaint: "follow-up, HbA1c 8.1%",
  labs: [{ name: "HbA1c", value: 8.1, unit: "%" }],
  medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily" }],
});

export interface SpineBenchResult {
  consultations: number;
  perSecond: number;
  overheadP50Ms: number;
  overheadP95Ms: number;
  /** Accept → completed, with `concurrency` clients submitting as fast as they can (includes queue wait). */
  endToEndP50Ms: number;
  endToEndP95Ms: number;
  bullmqJobsPerSecond: number;
  modelRoundTripP50Ms: number;
  /** One consultation at a time (nothing else queued): processing time and accept → done. */
  single: { n: number; overheadP50Ms: number; overheadP95Ms: number; endToEndP50Ms: number };
  /** CPU ms per consultation during the saturated run, by process (server = this process:
   * HTTP, worker, PGlite and the in-process model stand-in). */
  cpuPerMessage: Array<{ process: string; msPer: number }>;
}

async function bullBaseline(redisUrl: string, n: number): Promise<number> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const q = new Queue("bench-baseline", { connection, prefix: "benchb" });
  const workerConn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let done = 0;
  let resolveAll: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  const w = new Worker(
    "bench-baseline",
    async () => {
      if (++done === n) resolveAll();
    },
    { connection: workerConn, prefix: "benchb", concurrency: 8 },
  );
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await q.add("j", { i }, { removeOnComplete: true });
  await finished;
  const perSec = n / ((performance.now() - t0) / 1000);
  await w.close();
  await q.obliterate({ force: true }).catch(() => {});
  await q.close();
  connection.disconnect();
  workerConn.disconnect();
  return perSec;
}

export async function benchSpine(
  opts: { n?: number; concurrency?: number; log?: (s: string) => void } = {},
): Promise<SpineBenchResult> {
  const n = opts.n ?? 300;
  const concurrency = opts.concurrency ?? 16;
  const log = opts.log ?? (() => {});
  const standin = await startModelHostStandin();
  standin.reply({ kind: "json", value: DRAFT });
  const dir = mkdtempSync(join(tmpdir(), "glyco-bench-"));
  const config = loadConfig({
    DATA_DIR: dir,
    OLLAMA_HOST: standin.url,
    LOG_LEVEL: "silent",
    WORKER_CONCURRENCY: "8",
    OLLAMA_NUM_PARALLEL: "8",
  });
  const sys = await buildSystem(config, { log: createLogger("silent"), persistRedis: false });
  const server = serve({ fetch: sys.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => server.once("listening", () => r()));
  const addr = server.address();
  const base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  try {
    // Model round trip alone (the real client against the stand-in).
    const ollama = new Ollama({ host: standin.url });
    const rt: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await ollama.chat({ model: "glycopilot-glm4-9b", messages: [{ role: "user", content: "x" }], format: {} });
      rt.push(performance.now() - t);
    }
    const bullPerSec = await bullBaseline(sys.redisUrl, 2000);
    log(`  baseline: ${fmt(bullPerSec, 0)} trivial BullMQ jobs/s; model stand-in round trip p50 ${fmt(summarize(rt).p50)} ms`);

    // The pipeline's own overhead is a job's processing time (processedOn → finishedOn), which
    // excludes waiting in the queue; end-to-end latency under saturation is reported separately.
    const worker = sys.worker;
    if (!worker) throw new Error("bench needs the in-process worker");
    const accepted = new Map<string, number>();
    const overhead: number[] = [];
    const endToEnd: number[] = [];
    let completed = 0;
    let onDone: (() => void) | null = null;
    let target = 0;
    worker.on("completed", (job) => {
      if (job.processedOn && job.finishedOn) overhead.push(job.finishedOn - job.processedOn);
      const t = accepted.get(job.id ?? "");
      if (t !== undefined) endToEnd.push(performance.now() - t);
      if (++completed >= target && onDone) onDone();
    });
    const waitFor = (count: number) =>
      new Promise<void>((resolve) => {
        target = count;
        onDone = resolve;
        if (completed >= count) resolve();
      });
    const submit = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/v1/consultations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: BODY,
      });
      const body = (await res.json()) as { id: string };
      accepted.set(body.id, t);
    };

    // Single job latency: one consultation at a time, each waited for (also warms the JIT).
    const singles = Math.min(30, n);
    for (let i = 1; i <= singles; i++) {
      const done = waitFor(i);
      await submit();
      await done;
    }
    const sOver = summarize(overhead.splice(0));
    const sE2e = summarize(endToEnd.splice(0));
    log(
      `  single job (nothing else queued, ${singles} in turn): overhead p50 ${fmt(sOver.p50)} ms, p95 ${fmt(sOver.p95)} ms; accept → done p50 ${fmt(sE2e.p50)} ms`,
    );

    const cpu0 = cpuSnapshot();
    const allDone = waitFor(singles + n);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          next++;
          await submit();
        }
      }),
    );
    await allDone;
    const seconds = (performance.now() - t0) / 1000;
    const cpuPerMessage = cpuPer(cpu0, n);
    const s = summarize(overhead);
    const e2e = summarize(endToEnd);
    return {
      consultations: n,
      perSecond: n / seconds,
      overheadP50Ms: s.p50,
      overheadP95Ms: s.p95,
      endToEndP50Ms: e2e.p50,
      endToEndP95Ms: e2e.p95,
      bullmqJobsPerSecond: bullPerSec,
      modelRoundTripP50Ms: summarize(rt).p50,
      single: { n: singles, overheadP50Ms: sOver.p50, overheadP95Ms: sOver.p95, endToEndP50Ms: sE2e.p50 },
      cpuPerMessage,
    };
  } finally {
    server.close();
    await sys.stop();
    await standin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
