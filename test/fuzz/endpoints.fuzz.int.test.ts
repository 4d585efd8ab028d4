/**
 * Fuzzing every public endpoint with 10,000 generated payloads each, through the real app
 * (real stores, real signatures where the generator chooses to sign): no 5xx where a 4xx is
 * right, no crash, no unhandled rejection, and the server still healthy afterwards.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackPlugin } from "../../bot/slack/index.js";
import { signSlackRequest } from "../../bot/slack/verify.js";
import { wechatPlugin } from "../../bot/wechat/index.js";
import { signWechat } from "../../bot/wechat/signature.js";
import { sha256Hex } from "../../server/auth/credentials.js";
import type { System } from "../../server/main.js";
import { buildTestSystem } from "../helpers/system.js";
import { type SlackApiStandin, startSlackApiStandin } from "../standins/slack-api-standin.js";
import { startWechatApiStandin, type WechatApiStandin } from "../standins/wechat-api-standin.js";
import { jsonBody, pick, type Rng, randomString, randomValue, rng, xmlBody } from "./generate.js";

const N = 10_000;
const BATCH = 50;
const SLACK_SECRET = "fuzz-slack-signing-secret";
const WX_TOKEN = "fuzz-wechat-token";
// The API is closed (API_TOKENS set) as in production; the fuzz calls carry an admin token so
// every payload reaches validation and the handlers rather than stopping at the guard.
const ADMIN = "fuzz-admin-token";
const AUTH = { authorization: `Bearer ${ADMIN}` };

let sys: System;
let slack: SlackApiStandin;
let wx: WechatApiStandin;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  slack = await startSlackApiStandin();
  wx = await startWechatApiStandin({ appId: "wxfuzz", appSecret: "wxfuzzsecret" });
  sys = await buildTestSystem(
    {
      RATE_LIMIT_TOKEN_PER_MIN: "0",
      RATE_LIMIT_SENDER_PER_MIN: "0",
      BODY_LIMIT_BYTES: "65536",
      API_TOKENS: `fuzz-ops:admin:${sha256Hex(ADMIN)}`,
    },
    {
      // Ingress only: the fuzz targets parsing and validation, not the pipeline.
      worker: false,
      plugins: [
        slackPlugin({
          signingSecret: SLACK_SECRET,
          botToken: "xoxb-fuzz",
          apiUrl: slack.url,
          botUserId: "UBOT",
          minPostIntervalMs: 1,
        }),
        wechatPlugin({ token: WX_TOKEN, appId: "wxfuzz", appSecret: "wxfuzzsecret", apiUrl: wx.url }),
      ],
    },
  );
  await sys.services.results.putPatient("fuzz-p", {
    ref: "fuzz-p",
    age: 60,
    sex: "male",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await sys?.stop();
  await slack?.close();
  await wx?.close();
});

type Gen = (r: Rng, i: number) => { path: string; init: RequestInit };

const validConsult = {
  sex: "female",
  age: 61,
  diagnoses: ["type 2 diabetes"],
  chiefComplaint: "follow-up",
  labs: [{ name: "HbA1c", value: 8.2, unit: "%" }],
  medications: [{ name: "metformin", dose: "500 mg" }],
};
const validMessage = { conversationId: "fuzz-conv", patientRef: "fuzz-p", text: "my sugar is 145 today" };
const validPatient = { age: 60, sex: "male", diagnoses: ["type 2 diabetes"] };

function jsonInit(r: Rng, method: string, valid: Record<string, unknown>): RequestInit {
  const b = jsonBody(r, valid);
  const headers: Record<string, string> = { ...AUTH, ...(b.contentType ? { "content-type": b.contentType } : {}) };
  if (r() < 0.2)
    headers["idempotency-key"] = pick(r, [randomUUID(), "", "x".repeat(300), "has space", "tab\tin", "\u00e9t\u00e9"]);
  return { method, headers, body: b.body as BodyInit };
}

/** encodeURIComponent throws on lone surrogates; such a path cannot be sent anyway. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "lone-surrogate";
  }
}

const GENERATORS: Record<string, Gen> = {
  "POST /v1/consultations": (r) => ({ path: "/v1/consultations", init: jsonInit(r, "POST", validConsult) }),
  "POST /v1/messages": (r) => ({ path: "/v1/messages", init: jsonInit(r, "POST", validMessage) }),
  "PUT /v1/patients/:ref": (r) => ({
    path: `/v1/patients/${enc(pick(r, ["fuzz-q", "a/b", "..", "x".repeat(200), randomString(r).slice(0, 30) || "e"]))}`,
    init: jsonInit(r, "PUT", validPatient),
  }),
  "GET /v1/…/:id": (r) => ({
    path: `/v1/${pick(r, ["consultations", "messages"])}/${enc(pick(r, [randomUUID(), randomString(r).slice(0, 50) || "z", "x".repeat(500)]))}`,
    init: { method: "GET", headers: AUTH },
  }),
  "path parameters of every id route": (r) => {
    const raw = pick(r, [
      "%00",
      "a%00b",
      "%01",
      "%7F",
      "%E0%A4%A",
      "%ED%A0%80",
      "%C0%AF",
      "%",
      "%25",
      "%2F",
      "..",
      "%2E%2E",
      "x".repeat(300),
      "\u4f60\u597d",
    ]);
    const id = r() < 0.5 ? raw : enc(randomString(r)) || "e";
    const [method, path] = pick(r, [
      ["GET", `/v1/conversations/${id}`],
      ["GET", `/v1/review/cases/${id}`],
      ["POST", `/v1/review/cases/${id}/actions`],
      ["POST", `/v1/review/cases/${id}/scores`],
      ["GET", `/v1/patients/${id}`],
      ["GET", `/v1/messages/${id}`],
      ["GET", `/v1/consultations/${id}`],
      ["GET", `/console/cases/${id}`],
    ] as const);
    return {
      path,
      init:
        method === "GET"
          ? { method, headers: AUTH }
          : {
              method,
              headers: { ...AUTH, "content-type": "application/json" },
              body: JSON.stringify(pick(r, [{ action: "approve" }, { action: "reject", reason: "other" }, { safety: 3 }])),
            },
    };
  },
  "POST /slack/events": (r, i) => {
    const event =
      r() < 0.5
        ? {
            type: "event_callback",
            event_id: `Ev${i}${randomUUID().slice(0, 6)}`,
            team_id: "T1",
            event: {
              type: pick(r, ["app_mention", "message", "reaction_added"]),
              user: "U1",
              text: randomString(r),
              channel: "C1",
              ts: "1.1",
              channel_type: pick(r, ["im", "channel"]),
            },
          }
        : randomValue(r);
    const raw = r() < 0.85 ? JSON.stringify(event) : randomString(r);
    const signed = r() < 0.5;
    const headers: Record<string, string> = {
      "content-type": pick(r, ["application/json", "application/x-www-form-urlencoded", "text/plain"]),
    };
    if (signed) Object.assign(headers, signSlackRequest(SLACK_SECRET, raw));
    else if (r() < 0.5) Object.assign(headers, signSlackRequest("wrong-secret", raw));
    if (r() < 0.2) headers["x-slack-retry-num"] = pick(r, ["1", "2", "x", "-1"]);
    return { path: "/slack/events", init: { method: "POST", headers, body: raw } };
  },
  "POST /wechat/callback": (r, i) => {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = String(i);
    const openid = pick(r, ["o-unknown", "o-fuzz", ""]);
    const valid = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${ts}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>${7_000_000 + i}</MsgId></xml>`;
    const sig = r() < 0.6 ? signWechat(WX_TOKEN, ts, nonce) : pick(r, ["", "deadbeef", signWechat("wrong", ts, nonce)]);
    const q = new URLSearchParams({ signature: sig, timestamp: pick(r, [ts, ts, "0", "abc", ""]), nonce, openid });
    return {
      path: `/wechat/callback?${q}`,
      init: {
        method: "POST",
        headers: { "content-type": pick(r, ["text/xml", "application/xml", "application/json"]) },
        body: xmlBody(r, valid),
      },
    };
  },
};

describe.each(Object.entries(GENERATORS))("fuzz %s", (name, gen) => {
  it(`${N} generated payloads: no 5xx, no crash`, async () => {
    const r = rng(0x5eed + name.length * 7919);
    const statuses = new Map<number, number>();
    const fives: string[] = [];
    for (let start = 0; start < N; start += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, N - start) }, async (_, j) => {
          const { path, init } = gen(r, start + j);
          const res = await sys.app.request(path, init);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500 && fives.length < 5)
            fives.push(`${res.status} ${path.slice(0, 80)} ${String(init.body).slice(0, 120)}`);
        }),
      );
    }
    const summary = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(" ");
    console.log(`fuzz ${name}: ${N} payloads → ${summary}`);
    expect(fives, fives.join("\n")).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(N);
    expect(unhandled).toEqual([]);
    expect((await sys.app.request("/healthz")).status).toBe(200);
  });
});
