/**
 * Duplicate channel callbacks under load, through the real HTTP endpoints (a real server on
 * 127.0.0.1) with real signatures: 200 Slack events each delivered three times at once (the
 * original and X-Slack-Retry-Num 1 and 2), and 200 WeChat MsgIds each posted three times at once.
 * The stand-ins count the sends: zero duplicate replies. A Slack event is answered 200 only once
 * stored, so a copy may get 503 under the burst; an event with no 200 is retried, as Slack would.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { slackPlugin } from "../../bot/slack/index.js";
import { signSlackRequest } from "../../bot/slack/verify.js";
import { wechatPlugin } from "../../bot/wechat/index.js";
import { signWechat } from "../../bot/wechat/signature.js";
import { textMessageXml } from "../../bot/wechat/xml.js";
import type { System } from "../../server/main.js";
import { buildTestSystem } from "../helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../standins/model-host-standin.js";
import { type SlackApiStandin, startSlackApiStandin } from "../standins/slack-api-standin.js";
import { startWechatApiStandin, type WechatApiStandin } from "../standins/wechat-api-standin.js";
import { countRows, delayed, deliveryFacts, log, modelAnswer, PATIENT, patientText, waitUntil } from "./support.js";

const N = 200;
const COPIES = 3;
/** Events (or MsgIds) in flight at once; each sends its copies concurrently. */
const IN_FLIGHT = 16;
const SECRET = "chaos-slack-signing-secret";
const WX_TOKEN = "chaos-wx-token";

let model: ModelHostStandin;
let slack: SlackApiStandin;
let wx: WechatApiStandin;
let sys: System;
let server: ServerType;
let base: string;

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply((req) => delayed(5 + Math.floor(Math.random() * 20), { kind: "json", value: modelAnswer(req) }));
  slack = await startSlackApiStandin();
  wx = await startWechatApiStandin({ appId: "wxchaos", appSecret: "wxchaos-secret" });
  sys = await buildTestSystem(
    {
      OLLAMA_HOST: model.url,
      MODEL_TIMEOUT_MS: "5000",
      WORKER_CONCURRENCY: "8",
      RATE_LIMIT_SENDER_PER_MIN: "0",
      RATE_LIMIT_TOKEN_PER_MIN: "0",
      CLINIC_CONTACT: "0571-0000",
    },
    {
      worker: true,
      plugins: [
        slackPlugin({
          signingSecret: SECRET,
          botToken: "xoxb-chaos",
          apiUrl: slack.url,
          minPostIntervalMs: 0,
          botUserId: "UBOT",
        }),
        wechatPlugin({
          token: WX_TOKEN,
          appId: "wxchaos",
          appSecret: "wxchaos-secret",
          apiUrl: wx.url,
        }),
      ],
    },
  );
  await sys.services.results.putPatient(PATIENT.ref as string, PATIENT);
  // Bound patients, as after a successful enrollment (binding itself is covered by bot/wechat tests).
  for (let i = 0; i < N; i++) {
    await sys.services.db.query("INSERT INTO wechat_bindings (openid, patient_ref) VALUES ($1,$2)", [
      `o-chaos-${i}`,
      PATIENT.ref,
    ]);
  }
  server = serve({ fetch: sys.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await sys?.stop();
  await Promise.all([model?.close(), slack?.close(), wx?.close()]);
});

async function inBatches(n: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

it("Slack retries and WeChat duplicate callbacks under load: zero duplicate replies", async () => {
  const run = randomUUID().slice(0, 8);
  const slackStatus: Record<string, number> = {};
  const wxStatus: Record<string, number> = {};
  const slackRetryStatus: Record<string, number> = {};
  const slackUnacked: number[] = [];
  const tick = (m: Record<string, number>, s: number) => {
    m[s] = (m[s] ?? 0) + 1;
  };
  const threads: string[] = [];
  const t0 = Date.now();

  const slackSide = inBatches(N, async (i) => {
    const ts = `${1_730_000_000 + i}.${run.slice(0, 6).replace(/\D/g, "0").padEnd(6, "0")}`;
    threads.push(ts);
    const body = JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: `EvChaos${run}${i}`,
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: "app_mention",
        user: "UDOC",
        text: `<@UBOT> T2DM HbA1c 8.${i % 10}% on metformin — next step? (${i})`,
        ts,
        channel: `CCHAOS${i % 8}`,
        event_ts: ts,
      },
    });
    const send = (k: number) =>
      fetch(`${base}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...signSlackRequest(SECRET, body),
          ...(k > 0 ? { "x-slack-retry-num": String(k), "x-slack-retry-reason": "http_timeout" } : {}),
        },
        body,
      });
    const copies = await Promise.all(Array.from({ length: COPIES }, (_, k) => send(k)));
    let acked = false;
    for (const r of copies) {
      tick(slackStatus, r.status);
      acked ||= r.status === 200;
      await r.arrayBuffer();
    }
    // An event is answered 200 only once stored; under this burst a copy may get 503 (not stored
    // within the ack deadline). Like Slack, retry an event none of whose copies got a 200.
    for (let k = COPIES; !acked && k < COPIES + 3; k++) {
      const r = await send(k);
      tick(slackRetryStatus, r.status);
      acked = r.status === 200;
      await r.arrayBuffer();
    }
    if (!acked) slackUnacked.push(i);
  });

  const wxSide = inBatches(N, async (i) => {
    const openid = `o-chaos-${i}`;
    const xml = textMessageXml({
      from: openid,
      content: patientText(i),
      msgId: `74${run.replace(/\D/g, "1").slice(0, 6)}${String(i).padStart(6, "0")}`,
    });
    const copies = await Promise.all(
      Array.from({ length: COPIES }, () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomUUID().slice(0, 10);
        const q = new URLSearchParams({ signature: signWechat(WX_TOKEN, timestamp, nonce), timestamp, nonce, openid });
        return fetch(`${base}/wechat/callback?${q}`, { method: "POST", headers: { "content-type": "text/xml" }, body: xml });
      }),
    );
    for (const r of copies) {
      tick(wxStatus, r.status);
      await r.arrayBuffer();
    }
  });
  await Promise.all([slackSide, wxSide]);
  const sendSeconds = (Date.now() - t0) / 1000;

  const db = sys.services.db;
  const accepted = async (channel: string) => countRows(db, "SELECT count(*) AS n FROM messages WHERE channel = $1", [channel]);
  const finished = async () =>
    countRows(db, "SELECT count(*) AS n FROM messages m JOIN results r ON r.id = m.id WHERE m.channel IN ('slack', 'wechat')");
  const drained = await waitUntil(async () => (await finished()) >= N * 2, 180_000, 500);
  // Sends happen before the result is stored; a short grace for background (deferred) WeChat sends.
  await new Promise((r) => setTimeout(r, 2_000));

  const ids = (await db.query<{ id: string }>("SELECT id FROM messages WHERE channel IN ('slack', 'wechat')")).rows.map(
    (r) => r.id,
  );
  const facts = await deliveryFacts(db, ids);
  const posts = slack.callsTo("chat.postMessage").filter((c) => c.status === 200);
  const perThread = new Map<string, number>();
  for (const p of posts) perThread.set(String(p.args.thread_ts), (perThread.get(String(p.args.thread_ts)) ?? 0) + 1);
  const slackDup = threads.filter((t) => (perThread.get(t) ?? 0) > 1);
  const slackAnswered = threads.filter((t) => (perThread.get(t) ?? 0) === 1).length;
  const perOpenid = Array.from({ length: N }, (_, i) => wx.to(`o-chaos-${i}`).length);
  const wxDup = perOpenid.filter((c) => c > 1).length;
  const wxAnswered = perOpenid.filter((c) => c === 1).length;

  log(
    `duplicates: ${N} Slack events × ${COPIES} → HTTP ${JSON.stringify(slackStatus)} (retries of events with no 200: ${JSON.stringify(slackRetryStatus)}; never acknowledged ${slackUnacked.length}); ${N} WeChat MsgIds × ${COPIES} → HTTP ${JSON.stringify(wxStatus)}; sent in ${sendSeconds.toFixed(1)} s`,
  );
  log(
    `duplicates: messages accepted slack ${await accepted("slack")}, wechat ${await accepted("wechat")}; all results: ${drained} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  log(
    `duplicates: Slack chat.postMessage ${posts.length}; threads answered once ${slackAnswered}/${N}; answered more than once ${slackDup.length}`,
  );
  log(
    `duplicates: WeChat custom-send ${wx.sent.length}; MsgIds answered once ${wxAnswered}/${N}; more than once ${wxDup}; none ${perOpenid.filter((c) => c === 0).length}`,
  );
  log(
    `duplicates: audit sends ${facts.sentMessages}; sent more than once ${facts.multiSend.length}; results ${facts.results}/${ids.length}`,
  );

  // 200, or 503 for a copy not yet stored (Slack retries it); every event acknowledged in the end.
  expect(Object.keys(slackStatus).filter((k) => k !== "200" && k !== "503")).toEqual([]);
  expect(slackUnacked).toEqual([]);
  expect(wxStatus).toEqual({ 200: N * COPIES });
  expect(await accepted("slack")).toBe(N);
  expect(await accepted("wechat")).toBe(N);
  expect(drained).toBe(true);
  expect(slackDup).toEqual([]);
  expect(wxDup).toBe(0);
  expect(slackAnswered).toBe(N);
  expect(wxAnswered).toBe(N);
  expect(facts.multiSend).toEqual([]);
});
