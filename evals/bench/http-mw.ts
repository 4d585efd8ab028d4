/**
 * Per-request middleware cost: GET /healthz on the real app (every app-wide middleware: tracing,
 * request id, path guard, body limit, metrics, and the /v1 guards that /healthz skips) against a
 * bare Hono app answering the same JSON on @hono/node-server, side by side in one process. The two
 * are measured alternately (bare, app, bare, app, …) so machine load hits both alike; the figure
 * is the ratio of the medians. Target (issue 18): ≥ 0.7×.
 *
 *   npx tsx evals/bench/http-mw.ts [--seconds 5] [--rounds 3] [--connections 50] [--otlp]
 *
 * `--otlp` points OTEL_EXPORTER_OTLP_ENDPOINT at a local sink, so spans are really exported (the
 * cost of tracing switched on); without it spans are created but not exported (the default).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { loadConfig } from "../../core/config.js";
import { createLogger } from "../../server/log.js";
import { buildSystem } from "../../server/main.js";

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (o: {
  url: string;
  connections: number;
  duration: number;
}) => Promise<CannonResult>;

export interface MiddlewareBenchResult {
  rounds: number;
  secondsPerRun: number;
  connections: number;
  bare: number[];
  app: number[];
  bareMedian: number;
  appMedian: number;
  ratio: number;
  appP99Ms: number;
  exported: boolean;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({ fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function benchMiddleware(
  o: { seconds?: number; rounds?: number; connections?: number; otlp?: boolean; log?: (s: string) => void } = {},
): Promise<MiddlewareBenchResult> {
  const seconds = o.seconds ?? 5;
  const rounds = o.rounds ?? 3;
  const connections = o.connections ?? 50;
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "glyco-bench-mw-"));
  // A sink for OTLP/HTTP export: accepts and drops every batch.
  const sink = o.otlp
    ? await new Promise<{ url: string; close(): void }>((resolve) => {
        const s = createServer((req, res) => {
          req.resume();
          req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
        });
        s.listen(0, "127.0.0.1", () =>
          resolve({ url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1/traces`, close: () => s.close() }),
        );
      })
    : null;
  const config = loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: "silent",
    AUTO_INGEST: "false",
    ...(sink ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {}),
  });
  const sys = await buildSystem(config, { worker: false, persistRedis: false, sqlDir: null, log: createLogger("silent") });
  const bareApp = new Hono();
  bareApp.get("/healthz", (c) => c.json({ ok: true }));
  const bare = await listen(bareApp.fetch);
  const app = await listen(sys.app.fetch);
  const out = { bare: [] as number[], app: [] as number[] };
  let p99 = 0;
  try {
    // Warm both (JIT, connection setup) before measuring.
    await autocannon({ url: `${bare.url}/healthz`, connections, duration: 1 });
    await autocannon({ url: `${app.url}/healthz`, connections, duration: 1 });
    for (let i = 0; i < rounds; i++) {
      const b = await autocannon({ url: `${bare.url}/healthz`, connections, duration: seconds });
      const a = await autocannon({ url: `${app.url}/healthz`, connections, duration: seconds });
      if (a.non2xx || a.errors || b.non2xx || b.errors) throw new Error("errors or non-2xx answers during the run");
      out.bare.push(b.requests.average);
      out.app.push(a.requests.average);
      p99 = Math.max(p99, a.latency.p99);
      log(`round ${i + 1}: bare ${b.requests.average.toFixed(0)} req/s, app ${a.requests.average.toFixed(0)} req/s`);
    }
  } finally {
    await app.close();
    await bare.close();
    await sys.stop();
    sink?.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const bareMedian = median(out.bare);
  const appMedian = median(out.app);
  return {
    rounds,
    secondsPerRun: seconds,
    connections,
    ...out,
    bareMedian,
    appMedian,
    ratio: appMedian / bareMedian,
    appP99Ms: p99,
    exported: Boolean(sink),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      rounds: { type: "string", default: "3" },
      connections: { type: "string", default: "50" },
      otlp: { type: "boolean", default: false },
    },
  });
  const r = await benchMiddleware({
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    connections: Number(values.connections),
    otlp: values.otlp,
    log: (s) => console.log(s),
  });
  console.log(
    `GET /healthz: app ${r.appMedian.toFixed(0)} req/s vs bare Hono ${r.bareMedian.toFixed(0)} req/s = ${r.ratio.toFixed(2)}× (target ≥ 0.70×; median of ${r.rounds} alternating ${r.secondsPerRun} s runs, ${r.connections} connections${r.exported ? ", spans exported over OTLP" : ""}); app p99 ${r.appP99Ms} ms`,
  );
  process.exit(0);
}
