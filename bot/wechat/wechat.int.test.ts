/**
 * The WeChat Official Account adapter through its real callback endpoint with real signatures,
 * on real Redis, Chroma and PGlite; the WeChat API and the model host are local stand-ins.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAFETY_NET } from "../../guardrails/index.js";
import { wechatAuditRef } from "../../server/conversations/audit-ref.js";
import type { System } from "../../server/main.js";
import { buildTestSystem, jsonPost } from "../../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { startWechatApiStandin, type WechatApiStandin } from "../../test/standins/wechat-api-standin.js";
import { type WechatPlugin, wechatPlugin } from "./index.js";
import { signWechat } from "./signature.js";
import { textMessageXml } from "./xml.js";

const TOKEN = "wx-callback-token";
const CONTACT = "0571-8888-0000 (Mon–Fri 8:00–17:00)";
const REPLY = "谢谢您的反馈。请继续每天监测血糖并记录，下次复诊时带给医生看。";
let sys: System;
let wx: WechatApiStandin;
let model: ModelHostStandin;
let plugin: WechatPlugin;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply({
    kind: "json",
    value: { labTests: [], examinations: [], medications: [], recommendations: [], reply: REPLY, confidence: 0.9 },
  });
  wx = await startWechatApiStandin({ appId: "wxapp", appSecret: "wxsecret" });
  const make = wechatPlugin({ token: TOKEN, appId: "wxapp", appSecret: "wxsecret", apiUrl: wx.url });
  sys = await buildTestSystem(
    { OLLAMA_HOST: model.url, MODEL_TIMEOUT_MS: "3000", CLINIC_CONTACT: CONTACT },
    { clock: now, plugins: [async (p, c) => (plugin = (await make(p, c)) as WechatPlugin)] },
  );
  for (const ref of ["pat-wx-1", "pat-wx-2", "pat-wx-3", "pat-wx-replay"]) {
    await sys.services.results.putPatient(ref, {
      ref,
      age: 57,
      sex: "female",
      diagnoses: ["type 2 diabetes"],
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
  }
});
afterAll(async () => {
  await sys?.stop();
  await wx?.close();
  await model?.close();
});

function query(o: { openid?: string; forge?: boolean; tsOffsetS?: number; echostr?: string } = {}) {
  const ts = String(Math.floor(now().getTime() / 1000) + (o.tsOffsetS ?? 0));
  const nonce = randomUUID().slice(0, 10);
  const signature = o.forge ? signWechat("wrong-token", ts, nonce) : signWechat(TOKEN, ts, nonce);
  const q = new URLSearchParams({
    signature,
    timestamp: ts,
    nonce,
    ...(o.openid ? { openid: o.openid } : {}),
    ...(o.echostr ? { echostr: o.echostr } : {}),
  });
  return q.toString();
}
const postXml = (xml: string, o: Parameters<typeof query>[0] = {}) =>
  sys.app.request(`/wechat/callback?${query(o)}`, { method: "POST", headers: { "content-type": "text/xml" }, body: xml });
let msgSeq = 7_400_000_000_000_000_000n;
const nextMsgId = () => String(++msgSeq);
const say = (openid: string, content: string, msgId = nextMsgId()) =>
  postXml(textMessageXml({ from: openid, content, msgId }), { openid });

async function bind(openid: string, ref: string) {
  const res = await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: ref }));
  expect(res.status).toBe(201);
  const { code } = (await res.json()) as { code: string };
  await say(openid, `绑定 ${code}`);
  await wx.waitFor(() => wx.to(openid).some((m) => m.content.startsWith("绑定成功")));
  return code;
}

describe("callback verification and safe XML", () => {
  it("GET echostr: valid signature echoes, forged → 401", async () => {
    const ok = await sys.app.request(`/wechat/callback?${query({ echostr: "echo-42" })}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("echo-42");
    expect((await sys.app.request(`/wechat/callback?${query({ echostr: "x", forge: true })}`)).status).toBe(401);
  });

  it.each([
    ["forged signature", { forge: true }, 401],
    ["timestamp 10 minutes old", { tsOffsetS: -600 }, 401],
  ])("POST with %s → %i, nothing sent", async (_n, o, status) => {
    const before = wx.sent.length;
    const res = await postXml(textMessageXml({ from: "o-forged", content: "hello", msgId: nextMsgId() }), {
      ...o,
      openid: "o-forged",
    });
    expect(res.status).toBe(status);
    await new Promise((r) => setTimeout(r, 200));
    expect(wx.sent.length).toBe(before);
  });

  it.each([
    [
      "a DOCTYPE",
      `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x "boom">]><xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>`,
    ],
    [
      "an external ENTITY",
      `<!ENTITY xxe SYSTEM "file:///etc/passwd"><xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content></xml>`,
    ],
    ["malformed XML", "<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType>"],
  ])("XML with %s → 400", async (_n, xml) => {
    const res = await postXml(xml, { openid: "o1" });
    expect(res.status).toBe(400);
  });

  it("one signed (timestamp, nonce) reused with 5 different bodies: the first is answered, 4 refused and audited", async () => {
    const openid = "o-replay";
    const code = await (await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: "pat-wx-replay" }))).json();
    await say(openid, `绑定 ${(code as { code: string }).code}`);
    await wx.waitFor(() => wx.to(openid).some((m) => m.content.startsWith("绑定成功")));
    const q = query({ openid });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const xml = textMessageXml({ from: openid, content: `forged body ${i}: please change my insulin`, msgId: nextMsgId() });
      const res = await sys.app.request(`/wechat/callback?${q}`, {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: xml,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 401, 401, 401, 401]);
    await wx.waitFor(() => wx.to(openid).some((m) => m.content === REPLY));
    const refused = (await sys.services.audit.list("wechat:callback")).filter((e) => e.kind === "wechat-replay-refused");
    expect(refused.length).toBeGreaterThanOrEqual(4);
    // Only the first body entered the pipeline.
    const rows = await sys.services.db.query<{ n: string }>("SELECT count(*) AS n FROM messages WHERE conversation_id = $1", [
      `wechat:${openid}`,
    ]);
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });

  it("a plaintext echostr verification cannot be replayed either", async () => {
    const q = query({ echostr: "echo-once" });
    expect((await sys.app.request(`/wechat/callback?${q}`)).status).toBe(200);
    expect((await sys.app.request(`/wechat/callback?${q}`)).status).toBe(401);
  });

  it("an encrypted callback on a server without an EncodingAESKey → 400, not accepted", async () => {
    const res = await sys.app.request(`/wechat/callback?${query()}&encrypt_type=aes&msg_signature=x`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: "<xml><ToUserName>gh</ToUserName><Encrypt>AAAA</Encrypt></xml>",
    });
    expect(res.status).toBe(400);
  });

  it("oversized XML → 413", async () => {
    const res = await postXml(textMessageXml({ from: "o1", content: "糖".repeat(9000), msgId: nextMsgId() }), { openid: "o1" });
    expect(res.status).toBe(413);
  });
});

describe("binding and unknown senders", () => {
  it("an unknown sender gets a polite explanation and nothing enters the pipeline", async () => {
    const before = model.chatRequests().length;
    const res = await say("o-stranger", "你好，我想问一下血糖的问题");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("success");
    await wx.waitFor(() => wx.to("o-stranger").length === 1);
    expect(wx.to("o-stranger")[0]?.content).toMatch(/绑定 123456/);
    expect(wx.to("o-stranger")[0]?.content).toContain(CONTACT);
    await new Promise((r) => setTimeout(r, 500));
    expect(model.chatRequests().length).toBe(before);
    expect(wx.to("o-stranger")).toHaveLength(1);
  });

  it("an unknown sender describing an emergency gets the safety net with its first aid first, then the binding explanation; nothing enters the pipeline", async () => {
    const before = model.chatRequests().length;
    const res = await say("o-stranger-2", "我爸突然嘴歪了，右边手脚没力气，说话不清楚");
    expect(await res.text()).toBe("success");
    await wx.waitFor(() => wx.to("o-stranger-2").length === 2);
    const [net, notice] = wx.to("o-stranger-2").map((m) => m.content);
    expect(net).toMatch(/拨打120/);
    expect(net).toMatch(/不要给吃喝/);
    expect(notice).toMatch(/绑定 123456/);
    expect(model.chatRequests().length).toBe(before);
    const audit = (await sys.services.audit.list()).filter((e) => e.kind === "wechat-unknown-sender");
    expect(audit.some((e) => (e.payload as { emergency?: string[] }).emergency?.includes("stroke-signs"))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain("嘴歪");
  });

  it("an enrollment code binds once; reusing it fails; unknown patients get no code", async () => {
    const code = await bind("o-p1", "pat-wx-1");
    await say("o-other", `link ${code}`);
    await wx.waitFor(() => wx.to("o-other").length === 1);
    expect(wx.to("o-other")[0]?.content).toMatch(/not valid or has expired/);
    expect((await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: "nobody" }))).status).toBe(404);
  });
});

describe("messages from a bound patient", () => {
  it("'success' at once, the answer later through the customer-service API; a duplicate MsgId yields one reply", async () => {
    await bind("o-p2", "pat-wx-2");
    const before = wx.to("o-p2").length;
    const xml = textMessageXml({ from: "o-p2", content: "最近空腹血糖7点多，饮食要注意什么？", msgId: nextMsgId() });
    const t0 = performance.now();
    const first = await postXml(xml, { openid: "o-p2" });
    expect(await first.text()).toBe("success");
    expect(performance.now() - t0).toBeLessThan(4000); // WeChat retries after 5 s
    for (let i = 0; i < 2; i++) expect(await (await postXml(xml, { openid: "o-p2" })).text()).toBe("success");
    await wx.waitFor(() => wx.to("o-p2").length > before);
    await new Promise((r) => setTimeout(r, 1500));
    const replies = wx.to("o-p2").slice(before);
    expect(replies.map((m) => m.content)).toEqual([REPLY]);
  });

  it("an emergency in Chinese gets the fixed safety-net text immediately, once", async () => {
    await bind("o-p3", "pat-wx-3");
    const before = wx.to("o-p3").length;
    const t0 = performance.now();
    const res = await say("o-p3", "我妈晕倒了，血糖2.1");
    expect(await res.text()).toBe("success");
    await wx.waitFor(() => wx.to("o-p3").length > before, 3000);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(wx.to("o-p3")[before]?.content).toBe(SAFETY_NET.zh.emergency);
    await new Promise((r) => setTimeout(r, 2000));
    expect(
      wx
        .to("o-p3")
        .slice(before)
        .filter((m) => m.content === SAFETY_NET.zh.emergency),
    ).toHaveLength(1);
  });

  it("at most 5 messages per patient message: the 5th names the clinic contact, the 6th is suppressed", async () => {
    await say("o-p1", "好的，谢谢");
    await wx.waitFor(() => wx.to("o-p1").some((m) => m.content === REPLY));
    await plugin.idle();
    const addr = { address: "o-p1", transport: "oa" as const, lang: "zh" as const };
    // The bot's reply was message 1 of this window; four more fit.
    const outs = [];
    for (let i = 2; i <= 6; i++) outs.push(await plugin.outbound.sendAs(addr, `message ${i}`, "clinician"));
    expect(outs.map((o) => o.delivered)).toEqual([true, true, true, true, false]);
    expect(outs[4]?.detail).toBe("suppressed: quota");
    const last = wx.to("o-p1").at(-1)?.content ?? "";
    expect(last).toMatch(/^message 5\n\n/);
    expect(last).toContain(CONTACT);
    const audit = await sys.services.audit.list(wechatAuditRef("o-p1"));
    expect(audit.find((e) => e.kind === "wechat-window-suppressed")?.payload).toEqual({
      transport: "oa",
      sendKind: "clinician",
      reason: "quota",
    });
  });

  it("48 h after the patient's last message nothing more can be sent", async () => {
    await say("o-p2", "明白了");
    await wx.waitFor(() => wx.to("o-p2").filter((m) => m.content === REPLY).length === 2);
    offsetMs = 48 * 3600_000 + 1000;
    try {
      const r = await plugin.outbound.sendAs({ address: "o-p2", transport: "oa", lang: "zh" }, "late", "clinician");
      expect(r).toEqual({ delivered: false, detail: "suppressed: window-closed" });
    } finally {
      offsetMs = 0;
    }
  });

  it("an expired access token is refreshed once and the message still goes out", async () => {
    const tokens = wx.tokenRequests;
    wx.expireToken();
    await say("o-stranger", "hello?");
    await wx.waitFor(() => wx.to("o-stranger").length === 2);
    expect(wx.tokenRequests).toBe(tokens + 1);
    expect(wx.to("o-stranger")[1]?.content).toMatch(/link 123456/);
  });
});
