/**
 * HTTP intake benchmark: autocannon against a real server on 127.0.0.1 (port 0) for
 * POST /v1/messages (a registered patient, every body unique) and POST /slack/events (pre-signed
 * app_mention events with distinct event_ids, acked before processing). The worker is off: the
 * figure is intake — validate, store in SQL, triage, audit, enqueue — not answers. Baselines in
 * the same run: a bare Hono app on @hono/node-server (GET /healthz and a JSON POST that parses the
 * body and answers 202), and GET /healthz on the same server, so the figures read as ratios.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { slackPlugin } from "../../bot/slack/index.js";
import { signSlackRequest } from "../../bot/slack/verify.js";
import { loadConfig } from "../../core/config.js";
import { createLogger } from "../../server/log.js";
import { buildSystem } from "../../server/main.js";
import { startBareHono } from "./baselines.js";
import { mentionEventBody } from "./slack-ack.js";

/** The subset of autocannon's options and result used here (the package ships no types). */
interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: CannonRequest, context: Record<string, unknown>) => CannonRequest;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  idReplacement?: boolean;
  requests?: CannonRequest[];
}
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  "2xx": number;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (opts: CannonOptions) => Promise<CannonResult>;

export interface HttpFigure {
  route: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  /** Messages in SQL for this route once the run ended (Slack stores after acking). */
  stored?: number;
}

export interface HttpBenchResult {
  connections: number;
  durationS: number;
  healthz: HttpFigure;
  messages: HttpFigure;
  slack: HttpFigure;
  /** Bare Hono on @hono/node-server, same connections and duration. */
  bare: { healthz: HttpFigure; post: HttpFigure };
}

export interface HttpBenchOptions {
  /** Seconds per route. @defaultValue 10 */
  durationS?: number;
  /** @defaultValue 50 */
  connections?: number;
  /** Environment for the system (REDIS_URL, CHROMA_URL, DATABASE_URL…); embedded services otherwise. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

const SECRET = "bench-http-signing-secret";

function figure(route: string, r: CannonResult): HttpFigure {
  return {
    route,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    total: r.requests.total,
    ok2xx: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

export async function benchHttp(opts: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const duration = opts.durationS ?? 10;
  const connections = opts.connections ?? 50;
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "glyco-bench-http-"));
  // Rate limits off: one patient and one client address would otherwise be throttled, and the
  // limiter is not what is being measured. The worker is off; the corpus is not needed.
  const config = loadConfig({
    DATA_DIR: dir,
    LOG_LEVEL: "silent",
    AUTO_INGEST: "false",
    RATE_LIMIT_SENDER_PER_MIN: "0",
    RATE_LIMIT_TOKEN_PER_MIN: "0",
    ...opts.env,
  });
  const sys = await buildSystem(config, {
    worker: false,
    persistRedis: false,
    sqlDir: null,
    log: createLogger("silent"),
    // Web API calls would go nowhere (discard port): the worker is off, so none are made.
    plugins: [
      slackPlugin({
        signingSecret: SECRET,
        botToken: "xoxb-bench",
        apiUrl: "http://127.0.0.1:9/api/",
        botId: "BBENCH",
        botUserId: "UBOT",
        processBeforeResponse: false,
      }),
    ],
  });
  await sys.services.results.putPatient("bench-p1", {
    ref: "bench-p1",
    age: 60,
    sex: "female",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
  const server = serve({ fetch: sys.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const bareApp = await startBareHono();
    let bare: HttpBenchResult["bare"];
    try {
      log(`baseline, bare Hono: GET /healthz and a JSON POST, ${connections} connections, ${duration} s each`);
      const bareHealthz = figure(
        "bare Hono GET /healthz",
        await autocannon({ url: `${bareApp.url}/healthz`, connections, duration }),
      );
      const barePost = figure(
        "bare Hono JSON POST",
        await autocannon({
          url: `${bareApp.url}/v1/messages`,
          connections,
          duration,
          method: "POST",
          headers: { "content-type": "application/json" },
          idReplacement: true,
          body: JSON.stringify({
            conversationId: "bench-c-[<id>]",
            patientRef: "bench-p1",
            text: "My fasting sugar was 7.2 ([<id>])",
          }),
        }),
      );
      bare = { healthz: bareHealthz, post: barePost };
    } finally {
      await bareApp.close();
    }
    log(`healthz: ${connections} connections, ${duration} s`);
    const healthz = figure("GET /healthz", await autocannon({ url: `${url}/healthz`, connections, duration }));

    log(`POST /v1/messages: ${connections} connections, ${duration} s, unique bodies`);
    const messages = figure(
      "POST /v1/messages",
      await autocannon({
        url: `${url}/v1/messages`,
        connections,
        duration,
        method: "POST",
        headers: { "content-type": "application/json" },
        idReplacement: true,
        body: JSON.stringify({
          conversationId: "bench-c-[<id>]",
          patientRef: "bench-p1",
          text: "My fasting sugar was 7.2 this morning, is that okay? ([<id>])",
        }),
      }),
    );

    // Signed ahead of time (the signature covers the body), enough that none repeats at ~5k req/s.
    const run = Date.now().toString(36);
    const signed = Array.from({ length: Math.max(5_000, duration * 5_000) }, (_, i) => {
      const body = mentionEventBody(`EvHttp${run}${i}`, i);
      return { body, headers: { "content-type": "application/json", ...signSlackRequest(SECRET, body) } };
    });
    let next = 0;
    log(`POST /slack/events: ${connections} connections, ${duration} s, ${signed.length} pre-signed events`);
    const slack = figure(
      "POST /slack/events",
      await autocannon({
        url,
        connections,
        duration,
        requests: [
          {
            method: "POST",
            path: "/slack/events",
            setupRequest: (req) => {
              const e = signed[next++ % signed.length] as (typeof signed)[number];
              return { ...req, body: e.body, headers: e.headers };
            },
          },
        ],
      }),
    );
    if (next > signed.length) log(`note: ${next - signed.length} Slack events were repeats (deduplicated by event_id)`);
    // Acked Slack events are stored in the background; give that a moment before counting.
    const stored = async (channel: string) =>
      Number(
        (await sys.services.db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE channel = $1", [channel])).rows[0]
          ?.n ?? 0,
      );
    const acked = slack.ok2xx;
    for (let i = 0; i < 20 && (await stored("slack")) < acked; i++) await new Promise((r) => setTimeout(r, 500));
    messages.stored = await stored("http");
    slack.stored = await stored("slack");
    log(`stored: ${messages.stored} HTTP messages, ${slack.stored} of ${acked} acked Slack events (after up to 10 s)`);
    return { connections, durationS: duration, healthz, messages, slack, bare };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await sys.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
