/**
 * Slack ack benchmark: n signed app_mention events sent at once to POST /slack/events on a real
 * HTTP server (127.0.0.1, port 0); reports ack latency p50/p99 — Slack retries anything not
 * acked within 3 s. The ack path is verify → parse → store → triage → enqueue; the pipeline
 * worker is off unless a running system is passed in, so answers are not part of the figure.
 */
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { slackPlugin } from "../../bot/slack/index.js";
import { signSlackRequest } from "../../bot/slack/verify.js";
import { loadConfig } from "../../core/config.js";
import { createLogger } from "../../server/log.js";
import { buildSystem, type System } from "../../server/main.js";

export interface SlackAckBench {
  n: number;
  ok: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  under3s: number;
  /** Same concurrency against GET /healthz on the same server: the transport floor. */
  baselineP50Ms: number;
  baselineP99Ms: number;
}

export interface SlackAckBenchOptions {
  /** A running system with the Slack plugin mounted; built (worker off) when omitted. */
  system?: System;
  signingSecret?: string;
  /** Environment for the system built when `system` is omitted (REDIS_URL, CHROMA_URL…). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

/** A signed-ready Slack app_mention event body; `i` varies the text and timestamps. */
export function mentionEventBody(eventId: string, i: number): string {
  const ts = `${1_720_000_000 + i}.000100`;
  return JSON.stringify({
    type: "event_callback",
    team_id: "T1",
    api_app_id: "A1",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: "app_mention",
      user: "UBENCH",
      text: `<@UBOT> T2DM HbA1c 8.${i % 10}% on metformin — next step? (${i})`,
      ts,
      channel: "CBENCH",
      event_ts: ts,
    },
  });
}

export async function benchSlackAck(n = 100, opts: SlackAckBenchOptions = {}): Promise<SlackAckBench> {
  const secret = opts.signingSecret ?? "bench-signing-secret";
  const log = opts.log ?? (() => {});
  let own: System | null = null;
  if (!opts.system) {
    log("building a system (worker off) …");
    const config = loadConfig({
      DATA_DIR: mkdtempSync(join(tmpdir(), "glyco-bench-")),
      LOG_LEVEL: "silent",
      AUTO_INGEST: "false",
      ...opts.env,
    });
    // Web API calls would go nowhere (discard port): the worker is off, so none are made.
    own = await buildSystem(config, {
      sqlDir: null,
      worker: false,
      persistRedis: false,
      log: createLogger("silent"),
      plugins: [
        slackPlugin({
          signingSecret: secret,
          botToken: "xoxb-bench",
          apiUrl: "http://127.0.0.1:9/api/",
          botId: "BBENCH",
          botUserId: "UBOT",
        }),
      ],
    });
  }
  const sys = (opts.system ?? own) as System;
  const server = serve({ fetch: sys.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const run = `${Date.now()}`;
  try {
    log(`sending ${n} signed events concurrently to ${url}`);
    const times = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const body = mentionEventBody(`EvBench${run}${i}`, i);
        const t0 = performance.now();
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...signSlackRequest(secret, body) },
          body,
        });
        await res.arrayBuffer();
        return { ms: performance.now() - t0, ok: res.status === 200 };
      }),
    );
    const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
    const base = (
      await Promise.all(
        Array.from({ length: n }, async () => {
          const t0 = performance.now();
          await (await fetch(url.replace("/slack/events", "/healthz"))).arrayBuffer();
          return performance.now() - t0;
        }),
      )
    ).sort((a, b) => a - b);
    const out = {
      n,
      ok: times.filter((t) => t.ok).length,
      p50Ms: pct(sorted, 50),
      p99Ms: pct(sorted, 99),
      maxMs: sorted.at(-1) ?? Number.NaN,
      under3s: sorted.filter((x) => x < 3000).length,
      baselineP50Ms: pct(base, 50),
      baselineP99Ms: pct(base, 99),
    };
    log(
      `ack latency: p50 ${out.p50Ms.toFixed(1)} ms, p99 ${out.p99Ms.toFixed(1)} ms, max ${out.maxMs.toFixed(1)} ms; ${out.ok}/${n} 200; ${out.under3s}/${n} under 3 s`,
    );
    log(
      `baseline GET /healthz at the same concurrency: p50 ${out.baselineP50Ms.toFixed(1)} ms, p99 ${out.baselineP99Ms.toFixed(1)} ms`,
    );
    return out;
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await own?.stop();
  }
}
