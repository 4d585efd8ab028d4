/**
 * `glycopilot bench` (npm run bench): every benchmark, printed as figures and as ratios
 * against baselines measured in the same process.
 */
import { readFileSync } from "node:fs";
import { Ollama } from "ollama";
import { benchAudit } from "../../evals/bench/audit.js";
import { formatCpu } from "../../evals/bench/baselines.js";
import { benchHttp } from "../../evals/bench/http.js";
import { benchRestart } from "../../evals/bench/restart.js";
import { benchScale } from "../../evals/bench/scale.js";
import { benchSlackAck } from "../../evals/bench/slack-ack.js";
import { benchSpine } from "../../evals/bench/spine.js";
import { fmt, summarize } from "../../evals/bench/stats.js";
import { benchPrecheck } from "../../guardrails/bench.js";
import { benchRetrieval } from "../../rag/bench.js";
import { startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { openEmbedder, openVectorStore } from "../clients.js";
import { parseArgs } from "./jsonl.js";

type Section = {
  name: string;
  run: (log: (s: string) => void, flags: Record<string, string | boolean>) => Promise<void>;
};

const SECTIONS: Section[] = [
  {
    name: "spine",
    async run(log) {
      const r = await benchSpine({ log });
      log(`  ${r.consultations} consultations HTTP → queue → worker → result: ${fmt(r.perSecond, 1)} /s`);
      log(
        `  pipeline overhead per job (seven steps, model answering instantly): p50 ${fmt(r.overheadP50Ms)} ms, p95 ${fmt(r.overheadP95Ms)} ms`,
      );
      log(
        `  end to end under saturation (accept → done, incl. queue wait): p50 ${fmt(r.endToEndP50Ms, 0)} ms, p95 ${fmt(r.endToEndP95Ms, 0)} ms`,
      );
      log(
        `  single job vs saturated: overhead p50 ${fmt(r.single.overheadP50Ms)} ms alone vs ${fmt(r.overheadP50Ms)} ms under load (${fmt(r.overheadP50Ms / r.single.overheadP50Ms, 1)} ×: waiting, not work)`,
      );
      log(`  CPU per consultation by process (ms): ${formatCpu(r.cpuPerMessage)}`);
      log(`  ratio: pipeline throughput = ${fmt(r.perSecond / r.bullmqJobsPerSecond, 3)} × trivial BullMQ job throughput`);
      log(`  ratio: pipeline overhead p50 = ${fmt(r.overheadP50Ms / r.modelRoundTripP50Ms, 1)} × one stand-in model round trip`);
    },
  },
  {
    name: "guardrails",
    async run(log) {
      const texts = readFileSync(new URL("../../evals/datasets/triage-dev.jsonl", import.meta.url), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { text: string }).text);
      const g = benchPrecheck(texts, 20);
      // Baseline in the same run: one round trip of the real ollama client to the stand-in model host.
      const standin = await startModelHostStandin();
      standin.reply({ kind: "json", value: {} });
      const ollama = new Ollama({ host: standin.url });
      const rt: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        await ollama.chat({ model: "glycopilot-glm4-9b", messages: [{ role: "user", content: "x" }] });
        rt.push(performance.now() - t);
      }
      await standin.close();
      const m = summarize(rt);
      log(
        `  full pre-check (triage + redaction + injection) over ${texts.length} dev messages × 20: ${fmt(g.perSecond, 0)} msg/s, p50 ${fmt(g.p50Ms, 3)} ms, p99 ${fmt(g.p99Ms, 3)} ms`,
      );
      log(`  baseline: one stand-in model round trip p50 ${fmt(m.p50, 3)} ms, p99 ${fmt(m.p99, 3)} ms`);
      log(
        `  ratio: pre-check p50 = ${fmt(g.p50Ms / m.p50, 3)} × a model round trip to a local stand-in (a real 9B model takes seconds)`,
      );
    },
  },
  {
    name: "slack",
    async run(log) {
      await benchSlackAck(100); // warm-up run (JIT, connections)
      const r = await benchSlackAck(100);
      log(
        `  Slack ack, ${r.n} concurrent signed events: ${r.ok}/${r.n} acked 200, ${r.under3s}/${r.n} within 3 s; p50 ${fmt(r.p50Ms, 0)} ms, p99 ${fmt(r.p99Ms, 0)} ms`,
      );
      log(
        `  baseline: GET /healthz at the same concurrency p50 ${fmt(r.baselineP50Ms, 0)} ms, p99 ${fmt(r.baselineP99Ms, 0)} ms`,
      );
      log(`  ratio: ack p99 = ${fmt(r.p99Ms / r.baselineP99Ms, 1)} × /healthz p99`);
    },
  },
  {
    name: "http",
    async run(log) {
      const r = await benchHttp({ log: (l) => log(`  ${l}`) });
      for (const f of [r.bare.healthz, r.bare.post, r.healthz, r.messages, r.slack]) {
        log(
          `  ${f.route}: ${fmt(f.reqPerSec, 0)} req/s, p50 ${fmt(f.p50Ms, 0)} ms, p99 ${fmt(f.p99Ms, 0)} ms, non-2xx ${f.non2xx}, errors ${f.errors}`,
        );
      }
      log(
        `  ratio: /v1/messages = ${fmt(r.messages.reqPerSec / r.bare.post.reqPerSec, 3)} × a bare Hono JSON POST; /healthz = ${fmt(r.healthz.reqPerSec / r.bare.healthz.reqPerSec, 3)} × bare Hono GET /healthz`,
      );
      log(
        `  ratio: /v1/messages = ${fmt(r.messages.reqPerSec / r.healthz.reqPerSec, 3)} × /healthz; Slack ack = ${fmt(r.slack.reqPerSec / r.healthz.reqPerSec, 3)} × /healthz`,
      );
    },
  },
  {
    name: "scale",
    async run(log) {
      const r = await benchScale({ log: (l) => log(`  ${l}`) });
      log(
        `  worker start (spawn → running): ${fmt(r.workerStartMs.tsx, 0)} ms through tsx, ${r.workerStartMs.dist === null ? "n/a (npm run build first)" : `${fmt(r.workerStartMs.dist, 0)} ms prebuilt (${fmt(r.workerStartMs.tsx / r.workerStartMs.dist, 1)} × faster)`}`,
      );
      for (const p of r.points) {
        log(
          `  ${p.workers} worker process(es): ${p.messages} messages in ${fmt(p.seconds, 1)} s = ${fmt(p.perSecond, 1)}/s (${fmt(p.ratio, 2)} × one worker)${p.cpu ? `; cores busy: workers ${fmt(p.cpu.workers, 2)}, PostgreSQL ${fmt(p.cpu.postgres, 2)}, Chroma ${fmt(p.cpu.chroma, 2)}, Redis ${fmt(p.cpu.redis, 2)}, bench ${fmt(p.cpu.bench, 2)}, whole machine ${fmt(p.cpu.machine, 2)} of ${p.cpu.cores}` : ""}`,
        );
      }
      const two = r.points.find((p) => p.workers === 2);
      if (two)
        log(
          `  ratio: 2 workers = ${fmt(two.ratio, 2)} × 1 worker (target ≥ 1.6 where CPU allows; this machine has ${r.cpus} CPU(s)${r.cpus <= 2 ? ", shared by the workers, Redis, Chroma, PostgreSQL and this process: CPU does not allow it" : ""})`,
        );
      const c = r.conversations;
      log(
        `  ${c.clients} concurrent conversations × ${c.messagesEach} messages on ${c.workers} workers: accept → result p50 ${fmt(c.p50Ms, 0)} ms, p95 ${fmt(c.p95Ms, 0)} ms`,
      );
    },
  },
  {
    name: "retrieval",
    async run(log, flags) {
      // --chunks 1000,100000 (the default): synthetic collection sizes for the scale test.
      const sizes = typeof flags.chunks === "string" ? flags.chunks.split(",").map(Number) : undefined;
      const r = await benchRetrieval(
        { vectorStore: openVectorStore, embedder: openEmbedder },
        { log: (l) => log(`  ${l}`), ...(sizes ? { sizes } : {}) },
      );
      const c = r.corpus;
      const row = (f: { name: string; latency: { p50: number; p95: number }; ratio: number }) =>
        log(`    ${f.name}: p50 ${f.latency.p50} ms, p95 ${f.latency.p95} ms = ${fmt(f.ratio, 1)} × raw`);
      log(`  embedder ${r.embedder.id}, dim ${r.embedder.dim}`);
      log(`  shipped corpus: ${c.chunks} chunks, ingest ${fmt(c.ingestChunksPerSec, 0)} chunks/s`);
      log(`    baseline raw Chroma (unfiltered, distances only, 50 ids): p50 ${c.raw.p50} ms, p95 ${c.raw.p95} ms`);
      for (const f of c.figures) row(f);
      const s = c.similar;
      log(
        `    knowledge search + similar cases (similar alone p50 ${s.similarAlone.p50} ms): sequential p50 ${s.sequential.p50} ms, parallel p50 ${s.parallel.p50} ms = ${fmt(s.parallel.p50 / s.sequential.p50, 2)} × sequential`,
      );
      for (const p of r.scale) {
        log(
          `  ${p.chunks} synthetic chunks (dim ${r.embedder.dim}): upsert ${fmt(p.upsertChunksPerSec, 0)} chunks/s (${fmt(p.upsertMs / 1000, 0)} s)`,
        );
        log(`    baseline raw Chroma (unfiltered, distances only, 50 ids): p50 ${p.raw.p50} ms, p95 ${p.raw.p95} ms`);
        for (const f of p.figures) row(f);
      }
      const lo = r.scale[0];
      const hi = r.scale[r.scale.length - 1];
      if (lo && hi && hi !== lo) {
        for (const name of ["hybrid (KnowledgeBase.search)", "dense (KnowledgeBase.search)"]) {
          const a = lo.figures.find((f) => f.name === name);
          const b = hi.figures.find((f) => f.name === name);
          if (a && b)
            log(
              `  ratio: ${name} p50 at ${hi.chunks} = ${fmt(b.latency.p50 / a.latency.p50, 2)} × at ${lo.chunks} (raw Chroma: ${fmt(hi.raw.p50 / lo.raw.p50, 2)} ×)`,
            );
        }
      }
    },
  },
  {
    name: "audit",
    async run(log) {
      const r = await benchAudit({ log: (l) => log(`  ${l}`) });
      for (const f of r.stores) {
        log(
          `  ${f.store}: audit append p50 ${fmt(f.appendP50Ms)} ms (${fmt(f.appendPerSec, 0)}/s) vs raw single-row INSERT p50 ${fmt(f.rawInsertP50Ms)} ms (${fmt(f.rawInsertPerSec, 0)}/s) = ${fmt(f.appendP50Ms / f.rawInsertP50Ms, 2)} ×; one message's 8 events batched: ${fmt(f.batchPerEventMs, 3)} ms per event`,
        );
      }
      const c = r.concurrent;
      if (c)
        log(
          `  postgres, ${c.writers} concurrent writers × 2 messages each at a time, ${c.events} events: ${fmt(c.perSecond, 0)} events/s batched vs ${fmt(c.legacyPerSecond, 0)}/s with the old lock-across-round-trips append (${fmt(c.perSecond / c.legacyPerSecond, 1)} ×) vs ${fmt(c.rawInsertPerSecond, 0)}/s raw INSERTs; chain verifies: ${c.verified}`,
        );
    },
  },
  {
    name: "restart",
    async run(log) {
      const r = await benchRestart({ log: (l) => log(`  ${l}`) });
      for (const f of r)
        log(
          `  ${f.label} (${f.mode}): listening ${fmt(f.listeningMs / 1000, 1)} s, /readyz 200 at ${fmt(f.readyMs / 1000, 1)} s${f.ingested ? " (ingested the corpus)" : ""}`,
        );
    },
  },
];

export async function run(argv: string[]): Promise<number> {
  const { flags } = parseArgs(argv);
  const only = typeof flags.only === "string" ? flags.only.split(",") : null;
  const log = (s: string) => process.stdout.write(`${s}\n`);
  for (const s of SECTIONS) {
    if (only && !only.includes(s.name)) continue;
    log(`# ${s.name}`);
    const t = performance.now();
    await s.run(log, flags);
    log(`  (${fmt((performance.now() - t) / 1000, 1)} s)`);
  }
  // Every section closes what it opened (servers, Redis clients, child processes, SQL), so the
  // process exits by itself. Should something stay open, name it and exit anyway.
  setTimeout(() => {
    process.stderr.write(
      `bench: still open after the sections finished: ${process.getActiveResourcesInfo().join(", ")} — exiting\n`,
    );
    process.exit(process.exitCode ?? 0);
  }, 3_000).unref();
  return 0;
}
