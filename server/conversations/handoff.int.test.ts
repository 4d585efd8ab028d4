/**
 * Cross-channel handoff end to end: a WeChat patient's message escalates → the patient is told →
 * the case lands in the Slack review channel with the conversation so far → the clinician's
 * thread reply (and modal reply) reach the patient → the bot stays silent → "Return to bot".
 * Real HTTP endpoints and signatures; Slack, WeChat and the model host are local stand-ins.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { slackPlugin } from "../../bot/slack/index.js";
import { signSlackRequest } from "../../bot/slack/verify.js";
import { wechatPlugin } from "../../bot/wechat/index.js";
import { signWechat } from "../../bot/wechat/signature.js";
import { textMessageXml } from "../../bot/wechat/xml.js";
import { SAFETY_NET } from "../../guardrails/index.js";
import { buildTestSystem, jsonPost } from "../../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { type SlackApiStandin, type SlackCall, startSlackApiStandin } from "../../test/standins/slack-api-standin.js";
import { startWechatApiStandin, type WechatApiStandin } from "../../test/standins/wechat-api-standin.js";
import type { System } from "../main.js";

const SECRET = "slack-secret";
const TOKEN = "wx-token";
const REPLY = "谢谢您的反馈。请继续监测血糖，下次复诊时带上记录。";
const DOCTOR = "您好，我是王医生。请拍一张脚的照片发给门诊，今天下午来换药。";
const OPENID = "o-handoff";
const CONV = `wechat:${OPENID}`;
let sys: System;
let slack: SlackApiStandin;
let wx: WechatApiStandin;
let model: ModelHostStandin;

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply({
    kind: "json",
    value: { labTests: [], examinations: [], medications: [], recommendations: [], reply: REPLY, confidence: 0.9 },
  });
  slack = await startSlackApiStandin();
  wx = await startWechatApiStandin({ appId: "wxapp", appSecret: "wxsecret" });
  sys = await buildTestSystem(
    { OLLAMA_HOST: model.url, MODEL_TIMEOUT_MS: "3000", CLINIC_CONTACT: "0571-0000" },
    {
      plugins: [
        slackPlugin({
          signingSecret: SECRET,
          botToken: "xoxb-t",
          apiUrl: slack.url,
          reviewChannel: "CREVIEW",
          minPostIntervalMs: 20,
          botUserId: "UBOT",
          botId: "BBOT",
        }),
        wechatPlugin({
          token: TOKEN,
          appId: "wxapp",
          appSecret: "wxsecret",
          apiUrl: wx.url,
        }),
      ],
    },
  );
  await sys.services.results.putPatient("pat-ho", {
    ref: "pat-ho",
    age: 60,
    sex: "male",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
  const { code } = (await (await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: "pat-ho" }))).json()) as {
    code: string;
  };
  await patientSays(`绑定 ${code}`);
  await wx.waitFor((s) => s.some((m) => m.content.startsWith("绑定成功")));
});
afterAll(async () => {
  await sys?.stop();
  for (const s of [slack, wx, model]) await s?.close();
});

/** Who owns a conversation, as the conversation module stored it (the bot until anyone else). */
async function owner(id: string): Promise<string> {
  const r = await sys.services.db.query<{ owner: string }>("SELECT owner FROM conversations WHERE id = $1", [id]);
  return r.rows[0]?.owner ?? "bot";
}

let seq = 0;
async function patientSays(content: string, openid = OPENID) {
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID().slice(0, 8);
  const q = new URLSearchParams({ signature: signWechat(TOKEN, ts, nonce), timestamp: ts, nonce, openid });
  const res = await sys.app.request(`/wechat/callback?${q}`, {
    method: "POST",
    body: textMessageXml({ from: openid, content, msgId: String(9_000_000 + ++seq) }),
  });
  expect(await res.text()).toBe("success");
}
function slackPost(path: string, body: string, type = "application/json") {
  return sys.app.request(path, { method: "POST", headers: { "content-type": type, ...signSlackRequest(SECRET, body) }, body });
}
const interaction = (payload: unknown) =>
  slackPost(
    "/slack/interactions",
    new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    "application/x-www-form-urlencoded",
  );
const sentTexts = () => wx.to(OPENID).map((m) => m.content);
const casePosts = () => slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "CREVIEW");
async function waitAudit(kind: string, n = 1) {
  const deadline = Date.now() + 15_000;
  while ((await sys.services.audit.list()).filter((e) => e.kind === kind).length < n) {
    if (Date.now() > deadline) throw new Error(`no ${kind} audit event`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it("escalate → patient told → clinician reply delivered → bot silent → return to bot", async () => {
  // 1. The bot answers while it owns the conversation.
  await patientSays("今天血糖6.8，正常吗？");
  await wx.waitFor((s) => s.some((m) => m.content === REPLY));
  expect(await owner(CONV)).toBe("bot");

  // 2. An urgent foot problem escalates: the patient is told, the case goes to Slack with the conversation so far.
  await patientSays("我脚上起了个水泡，有点红");
  await wx.waitFor((s) => s.some((m) => m.content === SAFETY_NET.zh.escalated));
  await slack.waitFor(() => casePosts().length > 0);
  expect(await owner(CONV)).toBe("human");
  const casePost = casePosts()[0] as SlackCall;
  const caseTs = casePost.response.ts as string;
  const caseText = JSON.stringify(casePost.args.blocks);
  expect(caseText).toContain("今天血糖6.8");
  expect(caseText).toContain(REPLY);
  expect(caseText).toContain("水泡");
  expect(caseText).toContain("handoff_reply");

  // 3. The clinician answers in the case thread; the text reaches the patient in WeChat.
  const ev = (text: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: `Ev${randomUUID()}`,
      event: {
        type: "message",
        channel: "CREVIEW",
        channel_type: "channel",
        user: "UDOC",
        text,
        ts: `${Date.now() / 1000}`,
        thread_ts: caseTs,
        ...extra,
      },
    });
  expect((await slackPost("/slack/events", ev(DOCTOR))).status).toBe(200);
  await wx.waitFor((s) => s.some((m) => m.content === DOCTOR));
  // The bot's own posts in the thread come back as events: ignored, no loop.
  await slackPost("/slack/events", ev("Patient: echo", { bot_id: "BBOT", user: "UBOT" }));

  // 4. While the human owns it, the patient's next message goes to the thread and the bot stays silent.
  const repliesBefore = sentTexts().filter((t) => t === REPLY).length;
  await patientSays("好的，照片已经拍了");
  await slack.waitFor(() =>
    slack.callsTo("chat.postMessage").some((c) => c.args.thread_ts === caseTs && String(c.args.text).includes("照片已经拍了")),
  );
  await waitAudit("handoff-bot-silenced");
  expect(sentTexts().filter((t) => t === REPLY).length).toBe(repliesBefore);
  expect(sentTexts()).not.toContain("Patient: echo");

  // 5. "Reply to patient" modal.
  await interaction({
    type: "block_actions",
    user: { id: "UDOC" },
    team: { id: "T1" },
    trigger_id: "trig-h",
    actions: [{ type: "button", action_id: "handoff_reply", block_id: "handoff", value: CONV, action_ts: "1" }],
  });
  await slack.waitFor(() => slack.callsTo("views.open").some((c) => c.args.trigger_id === "trig-h"));
  const view = slack.callsTo("views.open").find((c) => c.args.trigger_id === "trig-h")?.args.view as {
    callback_id: string;
    private_metadata: string;
  };
  await interaction({
    type: "view_submission",
    user: { id: "UDOC" },
    team: { id: "T1" },
    view: {
      id: "VR1",
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: { text: { v: { value: "换药后请保持干燥。" } } } },
    },
  });
  await wx.waitFor((s) => s.some((m) => m.content === "换药后请保持干燥。"));

  // 6. Return to bot: the patient is told, and the bot answers again.
  await interaction({
    type: "block_actions",
    user: { id: "UDOC" },
    team: { id: "T1" },
    actions: [{ type: "button", action_id: "handoff_return", block_id: "handoff", value: CONV, action_ts: "2" }],
  });
  await wx.waitFor((s) => s.some((m) => m.content.startsWith("医生已结束本次人工回复")));
  expect(await owner(CONV)).toBe("bot");
  await patientSays("今天血糖6.5");
  await wx.waitFor((s) => s.filter((m) => m.content === REPLY).length === repliesBefore + 1);

  // Every hop audited, with ids and kinds only — no message text.
  const events = await sys.services.audit.list();
  const kinds = events.map((e) => e.kind);
  for (const k of [
    "handoff-escalated",
    "handoff-clinician-reply",
    "handoff-patient-forwarded",
    "handoff-bot-silenced",
    "handoff-returned",
  ])
    expect(kinds).toContain(k);
  const handoffPayloads = JSON.stringify(
    events.filter((e) => e.kind.startsWith("handoff-") || e.kind.startsWith("wechat-")).map((e) => e.payload),
  );
  for (const text of [DOCTOR, "水泡", "照片", "换药", REPLY]) expect(handoffPayloads).not.toContain(text);
  expect(events.filter((e) => e.kind === "handoff-clinician-reply").map((e) => (e.payload as { via: string }).via)).toEqual([
    "slack-thread",
    "slack-modal",
  ]);
});

it("everything a handoff forwards to the Slack review channel is redacted: names, phone numbers, ids, addresses", async () => {
  const openid = "o-handoff-phi";
  await sys.services.results.putPatient("pat-ho-phi", {
    ref: "pat-ho-phi",
    age: 66,
    sex: "female",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
  const { code } = (await (await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: "pat-ho-phi" }))).json()) as {
    code: string;
  };
  await patientSays(`绑定 ${code}`, openid);
  await wx.waitFor(() => wx.to(openid).some((m) => m.content.startsWith("绑定成功")));
  const before = casePosts().length;

  // A routine message with identifiers, answered by the bot: it becomes part of the transcript.
  await patientSays("我叫欧阳秀英，身份证11010519491231002X，手机13812345678，今天空腹血糖6.8", openid);
  await wx.waitFor(() => wx.to(openid).some((m) => m.content === REPLY));
  // The escalating message names the patient again and gives an address.
  await patientSays("欧阳秀英脚上起了个水泡，有点红，家住杭州市西湖区文三路90弄5号602室", openid);
  await slack.waitFor(() => casePosts().length > before);
  const casePost = casePosts()[before] as SlackCall;
  const caseTs = casePost.response.ts as string;
  // While a human owns the conversation, the patient's next message is forwarded to the thread.
  await patientSays("Mary Wang is my daughter, call her on (415) 555-0132. 照片已经拍了", openid);
  await slack.waitFor(() =>
    slack.callsTo("chat.postMessage").some((c) => c.args.thread_ts === caseTs && String(c.args.text).includes("照片")),
  );

  const forwarded = slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === "CREVIEW" || c.args.thread_ts === caseTs)
    .slice(before)
    .map((c) => JSON.stringify(c.args));
  const all = forwarded.join("\n");
  for (const raw of ["欧阳秀英", "秀英", "11010519491231002X", "13812345678", "文三路90弄5号", "Mary Wang", "555-0132"])
    expect(all).not.toContain(raw);
  // The clinical content the clinician needs is still there, with typed placeholders.
  for (const kept of ["6.8", "水泡", "照片已经拍了", "[NAME]", "[PHONE]", "[ID]", "[ADDRESS]"]) expect(all).toContain(kept);
});
