/**
 * The WeCom application channel through its real callback endpoint: encrypted callbacks with
 * real msg_signature and AES (WeChat's crypto), on real Redis, Chroma and PGlite; the WeCom
 * API is a local stand-in. A member's question becomes a consultation; the answer goes back to
 * that member through message/send.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { System } from "../../server/main.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { createWechatCrypto, msgSignature } from "../wechat/crypto.js";
import { textMessageXml } from "../wechat/xml.js";
import { textParts } from "./api.js";
import { wecomPlugin } from "./index.js";
import { startWecomApiStandin, type WecomApiStandin } from "./test-support.js";

const TOKEN = "wecom-callback-token";
const AES = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const CORP_ID = "ww00000000000000aa";
const AGENT_ID = 1000002;
const SECRET = "wecom-app-secret";
const crypto = createWechatCrypto(AES);
let sys: System;
let api: WecomApiStandin;

beforeAll(async () => {
  api = await startWecomApiStandin({ corpId: CORP_ID, secret: SECRET });
  sys = await buildTestSystem(
    {},
    {
      plugins: [
        wecomPlugin({ corpId: CORP_ID, agentId: AGENT_ID, secret: SECRET, token: TOKEN, encodingAesKey: AES, apiUrl: api.url }),
      ],
    },
  );
});
afterAll(async () => {
  await sys?.stop();
  await api?.close();
});

function query(encrypted: string, o: { ts?: string; nonce?: string; forge?: boolean; echostr?: string } = {}) {
  const ts = o.ts ?? String(Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomUUID().slice(0, 10);
  const sig = msgSignature(o.forge ? "wrong-token" : TOKEN, ts, nonce, encrypted);
  return new URLSearchParams({ msg_signature: sig, timestamp: ts, nonce, ...(o.echostr ? { echostr: o.echostr } : {}) });
}
const envelope = (e: string) =>
  `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><AgentID><![CDATA[${AGENT_ID}]]></AgentID><Encrypt><![CDATA[${e}]]></Encrypt></xml>`;
let msgSeq = 6_100_000_000_000_000_000n;
function memberSays(user: string, content: string, o: { receiveId?: string; ts?: string; nonce?: string; forge?: boolean } = {}) {
  const e = crypto.encrypt(textMessageXml({ to: CORP_ID, from: user, content, msgId: String(++msgSeq) }), o.receiveId ?? CORP_ID);
  return sys.app.request(`/wecom/callback?${query(e, o)}`, {
    method: "POST",
    headers: { "content-type": "text/xml" },
    body: envelope(e),
  });
}

describe("WeCom callback", () => {
  it("URL verification: the encrypted echostr is checked and its plaintext answered; a forged signature → 401", async () => {
    const echostr = crypto.encrypt("echo-4711", CORP_ID);
    const ok = await sys.app.request(`/wecom/callback?${query(echostr, { echostr })}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("echo-4711");
    const forged = await sys.app.request(`/wecom/callback?${query(echostr, { echostr, forge: true })}`);
    expect(forged.status).toBe(401);
  });

  it("a member's question is acknowledged at once and answered through message/send, as a stored wecom consultation", async () => {
    const res = await memberSays("zhangsan", "2型糖尿病患者，二甲双胍治疗，HbA1c 8.5%，下一步怎么调整？");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("success");
    await api.waitFor((s) => s.some((m) => m.touser === "zhangsan"), 30_000);
    const first = api.sent.find((m) => m.touser === "zhangsan");
    expect(first?.agentid).toBe(AGENT_ID);
    expect(first?.content.length).toBeGreaterThan(0);
    const rows = await sys.services.db.query<{ kind: string; conversation_id: string }>(
      "SELECT kind, conversation_id FROM messages WHERE channel = 'wecom'",
    );
    expect(rows.rows).toEqual([{ kind: "consultation", conversation_id: "wecom:zhangsan" }]);
  });

  it("the same (timestamp, nonce) is accepted once; a message for another corp → 400; nothing more is sent", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const before = api.sent.length;
    expect((await memberSays("lisi", "hello", { ts, nonce: "n-wecom-1" })).status).toBe(200);
    expect((await memberSays("lisi", "other body", { ts, nonce: "n-wecom-1" })).status).toBe(401);
    expect((await memberSays("wangwu", "hello", { receiveId: "wwOTHERCORP" })).status).toBe(400);
    expect((await memberSays("wangwu", "hello", { forge: true })).status).toBe(401);
    await api.waitFor((s) => s.some((m) => m.touser === "lisi"), 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.sent.slice(before).map((m) => m.touser)).toEqual(["lisi"]);
  });

  it("an expired access token is refreshed once and the answer still goes out", async () => {
    const issued = api.tokensIssued();
    api.expireNext();
    expect((await memberSays("zhaoliu", "How often should HbA1c be checked in stable type 2 diabetes?")).status).toBe(200);
    await api.waitFor((s) => s.some((m) => m.touser === "zhaoliu"), 30_000);
    expect(api.tokensIssued()).toBe(issued + 1);
  });
});

describe("textParts", () => {
  it("splits at 2000 UTF-8 bytes without breaking a character", () => {
    const text = "血糖".repeat(700); // 4200 bytes
    const parts = textParts(text);
    expect(parts.join("")).toBe(text);
    expect(parts.every((p) => Buffer.byteLength(p) <= 2000)).toBe(true);
    expect(parts).toHaveLength(3);
    expect(textParts("")).toEqual([""]);
  });
});
