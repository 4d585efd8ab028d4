/**
 * Official Account safe mode and WeCom through the real callback endpoint: bodies encrypted by
 * the `openssl` command line (not by crypto.ts), msg_signature over the encrypted body, the app id
 * check, WeCom URL verification, plaintext refused, and replays refused — on real Redis and PGlite.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { System } from "../../server/main.js";
import { createRedisReplayGuard as redisGuard } from "../../server/stores/replay-guard.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { startWechatApiStandin, type WechatApiStandin } from "../../test/standins/wechat-api-standin.js";
import { wechatPlugin } from "./index.js";
import { opensslEncrypt, opensslSha1, wechatLayout } from "./openssl-vectors.js";
import { nonceGuard } from "./replay.js";
import { signWechat } from "./signature.js";
import { textMessageXml } from "./xml.js";

const TOKEN = "wx-safe-token";
const AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const APP_ID = "wxsafeapp";
const CORP_ID = "ww1234567890abcdef";
const CONTACT = "0571-8888-0000";
let sys: System;
let wx: WechatApiStandin;

beforeAll(async () => {
  wx = await startWechatApiStandin({ appId: APP_ID, appSecret: "wxsecret" });
  const make = wechatPlugin({
    token: TOKEN,
    appId: APP_ID,
    appSecret: "wxsecret",
    apiUrl: wx.url,
    encodingAesKey: AES,
    corpId: CORP_ID,
  });
  sys = await buildTestSystem({ CLINIC_CONTACT: CONTACT }, { plugins: [make] });
});
afterAll(async () => {
  await sys?.stop();
  await wx?.close();
});

const enc = (msg: string, receiveId = APP_ID) => opensslEncrypt(AES, wechatLayout(msg, receiveId, randomBytes(16)));
const envelope = (e: string) => `<xml><ToUserName><![CDATA[gh_clinic]]></ToUserName><Encrypt><![CDATA[${e}]]></Encrypt></xml>`;
function signed(encrypted: string, o: { forgeMsgSig?: boolean; wecom?: boolean; ts?: string; nonce?: string } = {}) {
  const ts = o.ts ?? String(Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomUUID().slice(0, 10);
  const sig = opensslSha1([TOKEN, ts, nonce, o.forgeMsgSig ? `${encrypted}x` : encrypted].sort().join(""));
  const q = new URLSearchParams({
    ...(o.wecom ? {} : { signature: signWechat(TOKEN, ts, nonce), encrypt_type: "aes" }),
    msg_signature: sig,
    timestamp: ts,
    nonce,
  });
  return q.toString();
}
const post = (query: string, body: string) =>
  sys.app.request(`/wechat/callback?${query}`, { method: "POST", headers: { "content-type": "text/xml" }, body });

describe("Official Account safe mode", () => {
  it("an encrypted text from an unknown sender is decrypted and answered (a notice via the CS API)", async () => {
    const e = enc(textMessageXml({ from: "o-safe-1", content: "你好，我想问一下血糖", msgId: "8800000000000000001" }));
    const res = await post(signed(e), envelope(e));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("success");
    await wx.waitFor(() => wx.to("o-safe-1").length === 1);
    expect(wx.to("o-safe-1")[0]?.content).toContain(CONTACT);
  });

  it("msg_signature not over this body → 401; message for another app id → 400; nothing sent", async () => {
    const e = enc(textMessageXml({ from: "o-safe-2", content: "hello", msgId: "8800000000000000002" }));
    expect((await post(signed(e, { forgeMsgSig: true }), envelope(e))).status).toBe(401);
    // Swapping in another (validly signed) Encrypt value: the plain signature alone no longer suffices.
    const other = enc(textMessageXml({ from: "o-safe-2", content: "forged", msgId: "8800000000000000003" }));
    const q = signed(e);
    expect((await post(q, envelope(other))).status).toBe(401);
    const foreign = enc(textMessageXml({ from: "o-safe-2", content: "hello", msgId: "8800000000000000004" }), "wxOTHERAPP");
    expect((await post(signed(foreign), envelope(foreign))).status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(wx.to("o-safe-2")).toHaveLength(0);
  });

  it("plaintext callbacks are refused once an EncodingAESKey is configured", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const q = new URLSearchParams({ signature: signWechat(TOKEN, ts, "n-plain"), timestamp: ts, nonce: "n-plain" });
    const res = await post(q.toString(), textMessageXml({ from: "o-safe-3", content: "hello", msgId: "8800000000000000005" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/safe mode/);
  });

  it("the same (timestamp, nonce) is accepted once: replays with other bodies are refused", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const e = enc(textMessageXml({ from: "o-safe-4", content: `body ${i}`, msgId: `88000000000000001${i}` }));
      statuses.push((await post(signed(e, { ts, nonce: "fixed-nonce-1" }), envelope(e))).status);
    }
    expect(statuses).toEqual([200, 401, 401, 401, 401]);
  });
});

describe("WeCom", () => {
  it("URL verification: the encrypted echostr is checked and its plaintext answered", async () => {
    const echo = enc("5927782489442352469", CORP_ID);
    const res = await sys.app.request(`/wechat/callback?${signed(echo, { wecom: true })}&echostr=${encodeURIComponent(echo)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("5927782489442352469");
    const bad = await sys.app.request(
      `/wechat/callback?${signed(echo, { wecom: true, forgeMsgSig: true })}&echostr=${encodeURIComponent(echo)}`,
    );
    expect(bad.status).toBe(401);
  });

  it("an encrypted WeCom message (corp id as receive id) is accepted", async () => {
    const e = enc(textMessageXml({ from: "wecom-user-1", content: "hello", msgId: "8800000000000000020" }), CORP_ID);
    const res = await post(
      signed(e, { wecom: true }),
      `<xml><ToUserName>${CORP_ID}</ToUserName><AgentID>1000002</AgentID><Encrypt><![CDATA[${e}]]></Encrypt></xml>`,
    );
    expect(res.status).toBe(200);
    const audit = await sys.services.audit.list();
    expect(audit.some((ev) => ev.kind === "wechat-unknown-sender")).toBe(true);
  });
});

describe("the replay guard (Redis)", () => {
  it("accepts a pair once, with a TTL covering both sides of the window; a released pair is accepted again", async () => {
    const redis = new Redis(inject("redisUrl"));
    try {
      const prefix = `t${randomUUID().slice(0, 8)}`;
      const g = nonceGuard(redisGuard(redis, prefix), 300);
      expect(await g.firstUse("1700000000", "n1")).toBe(true);
      expect(await g.firstUse("1700000000", "n1")).toBe(false);
      expect(await g.firstUse("1700000000", "n2")).toBe(true);
      const [k] = await redis.keys(`${prefix}:wxnonce:*`);
      expect(await redis.ttl(k as string)).toBeGreaterThan(600);
      await g.release("1700000000", "n1");
      expect(await g.firstUse("1700000000", "n1")).toBe(true);
      // Redis unreachable: refused (503), never accepted unchecked.
      const dead = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, lazyConnect: true, enableOfflineQueue: false });
      dead.on("error", () => {});
      await expect(nonceGuard(redisGuard(dead, prefix), 300).firstUse("1", "x")).rejects.toThrow(/unavailable/);
      dead.disconnect();
    } finally {
      redis.disconnect();
    }
  });
});
