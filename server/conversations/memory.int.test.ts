/**
 * Conversation memory through the real HTTP path and the real WeChat callback (issue 16 item 5):
 * a follow-up is triaged and prompted with the conversation's earlier turns, the memory is
 * audited (counts, never text) and shown on the result.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wechatPlugin } from "../../bot/wechat/index.js";
import { signWechat } from "../../bot/wechat/signature.js";
import { textMessageXml } from "../../bot/wechat/xml.js";
import type { PipelineResult } from "../../core/domain.js";
import { buildTestSystem, jsonPost, waitForResult } from "../../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { startWechatApiStandin, type WechatApiStandin } from "../../test/standins/wechat-api-standin.js";
import type { System } from "../main.js";

const TOKEN = "wx-memory-token";
const REPLY = "Thank you. Keep checking your sugar and tell your care team.";
let sys: System;
let model: ModelHostStandin;
let wx: WechatApiStandin;

const patient = (ref: string) => ({
  ref,
  age: 52,
  sex: "male" as const,
  diagnoses: ["type 2 diabetes"],
  labs: [],
  medications: [],
  allergies: [],
  recentEvents: [],
});

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply({
    kind: "json",
    value: { labTests: [], examinations: [], medications: [], recommendations: [], reply: REPLY, confidence: 0.9 },
  });
  wx = await startWechatApiStandin({ appId: "wxmem", appSecret: "wxmemsecret" });
  const make = wechatPlugin({
    token: TOKEN,
    appId: "wxmem",
    appSecret: "wxmemsecret",
    apiUrl: wx.url,
  });
  sys = await buildTestSystem(
    { OLLAMA_HOST: model.url, MODEL_TIMEOUT_MS: "3000", CLINIC_CONTACT: "the clinic" },
    { plugins: [make] },
  );
  for (const ref of ["mem-en", "mem-en-alone", "mem-prompt", "mem-zh"]) await sys.services.results.putPatient(ref, patient(ref));
});
afterAll(async () => {
  await sys?.stop();
  await wx?.close();
  await model?.close();
});

async function send(conversationId: string, patientRef: string, text: string): Promise<PipelineResult & { id: string }> {
  const res = await sys.app.request("/v1/messages", jsonPost({ conversationId, patientRef, text }));
  expect(res.status).toBe(202);
  return (await waitForResult(sys.app, res.headers.get("location") as string)) as unknown as PipelineResult & { id: string };
}

const memoryEvents = async (id: string) => (await sys.services.audit.list(id)).filter((e) => e.kind === "conversation-memory");

describe("memory on the HTTP path", () => {
  it("'still shaking' after a reported 3.2 mmol/L is urgent; alone it is not", async () => {
    const first = await send("conv-mem-en", "mem-en", "My sugar was 3.2 mmol/L this morning");
    expect(first.triage?.urgency).toBe("routine");
    const follow = await send("conv-mem-en", "mem-en", "still shaking");
    expect(follow.triage?.urgency).toBe("urgent");
    expect(follow.triage?.flags.map((f) => f.code)).toContain("hypo-level1");
    expect(follow.memory).toEqual({ turns: 1, messageIds: [first.id], fromHistory: ["hypo-level1"] });
    const [ev] = await memoryEvents(follow.id);
    expect(ev?.payload).toEqual({ turns: 1, chars: expect.any(Number), patientFromThread: false, fromHistory: ["hypo-level1"] });
    expect(JSON.stringify(ev?.payload)).not.toMatch(/3\.2|shaking/);

    const alone = await send("conv-mem-en-alone", "mem-en-alone", "still shaking");
    expect(alone.triage?.urgency).toBe("routine");
    expect(alone.memory?.turns ?? 0).toBe(0);
    expect(await memoryEvents(alone.id)).toEqual([]);
  });

  it("the model prompt carries the earlier turn and the reply sent, redacted", async () => {
    await send("conv-mem-prompt", "mem-prompt", "I'm Zhang Wei. My fasting sugar was 7.8 mmol/L today");
    const before = model.chatRequests().length;
    const follow = await send("conv-mem-prompt", "mem-prompt", "what should I eat for breakfast?");
    expect(follow.memory?.turns).toBe(1);
    const req = model.chatRequests().slice(before).at(-1);
    const prompt = JSON.stringify(req?.body);
    expect(prompt).toMatch(/Earlier in this conversation/);
    expect(prompt).toMatch(/7\.8 mmol\/L/);
    expect(prompt).toContain(REPLY);
    expect(prompt).not.toMatch(/Zhang Wei/);
    expect(follow.draft?.promptVersion).toMatch(/\+memory$/);
  });

  it("turns of another patient's conversation are not recalled", async () => {
    await send("conv-mem-en", "mem-en", "thanks");
    const other = await sys.services.results.conversationTurns("conv-mem-prompt", {
      before: new Date().toISOString(),
      excludeId: "none",
      limit: 10,
    });
    expect(other.every((t) => t.message.sender.ref === "mem-prompt")).toBe(true);
  });
});

describe("memory on the WeChat path (Chinese)", () => {
  function query(openid: string) {
    const ts = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID().slice(0, 10);
    return new URLSearchParams({ signature: signWechat(TOKEN, ts, nonce), timestamp: ts, nonce, openid }).toString();
  }
  let seq = 7_500_000_000_000_000_000n;
  const say = (openid: string, content: string) =>
    sys.app.request(`/wechat/callback?${query(openid)}`, {
      method: "POST",
      headers: { "content-type": "text/xml" },
      body: textMessageXml({ from: openid, content, msgId: String(++seq) }),
    });
  async function resultOf(conversationId: string, n: number): Promise<PipelineResult> {
    for (let i = 0; i < 400; i++) {
      const rows = await sys.services.db.query<{ id: string }>(
        "SELECT id FROM messages WHERE conversation_id = $1 ORDER BY created_at, received_at",
        [conversationId],
      );
      const id = rows.rows[n]?.id;
      const result = id ? await sys.services.results.getResult(id) : null;
      if (result) return result;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no result for message ${n} of ${conversationId}`);
  }

  it("“还是在抖” after “血糖3.2 mmol/L” is urgent", async () => {
    const res = await sys.app.request("/v1/enrollment-codes", jsonPost({ patientRef: "mem-zh" }));
    const { code } = (await res.json()) as { code: string };
    expect(await (await say("o-mem-zh", `绑定 ${code}`)).text()).toBe("success");
    await wx.waitFor(() => wx.to("o-mem-zh").some((m) => m.content.startsWith("绑定成功")));
    expect(await (await say("o-mem-zh", "血糖3.2 mmol/L")).text()).toBe("success");
    const first = await resultOf("wechat:o-mem-zh", 0);
    expect(first.triage?.urgency).toBe("routine");
    expect(await (await say("o-mem-zh", "还是在抖")).text()).toBe("success");
    const follow = await resultOf("wechat:o-mem-zh", 1);
    expect(follow.triage?.urgency).toBe("urgent");
    expect(follow.memory).toMatchObject({ turns: 1, messageIds: [first.id], fromHistory: ["hypo-level1"] });
  });
});
