/**
 * Clinicians always hear back in Slack, through the real Events endpoint with real signatures
 * (real Redis, Chroma, PGlite; Slack's Web API and the model host are the local stand-ins): a
 * held consultation gets a thread reply saying it is held, why (rule codes, not PHI) and the
 * case link; a Chinese consultation gets Chinese Block Kit labels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { System } from "../../server/main.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { type SlackApiStandin, type SlackCall, startSlackApiStandin } from "../../test/standins/slack-api-standin.js";
import { slackPlugin } from "./index.js";
import { signSlackRequest } from "./verify.js";

const SECRET = "slack-signing-secret-held";
const PUBLIC_URL = "https://glyco.example.org";
let sys: System;
let slack: SlackApiStandin;
let model: ModelHostStandin;

const promptOf = (body: unknown) =>
  ((body as { messages?: { role: string; content: string }[] }).messages ?? []).find((m) => m.role === "user")?.content ?? "";

/** The stand-in model: an unsafe metformin dose when asked about "unsafe", else a clean, cited draft. */
function draftFor(prompt: string) {
  const cite = [...prompt.matchAll(/^\[([^\]\n]+)\]/gm)].map((m) => m[1] as string).slice(0, 1);
  const unsafe = /unsafe-case/.test(prompt);
  return {
    labTests: [{ name: "HbA1c", reason: "glycaemic control", citations: cite }],
    examinations: [],
    medications: [
      {
        name: "metformin",
        dose: unsafe ? "5000 mg" : "1000 mg",
        frequency: "twice daily",
        route: "oral",
        action: unsafe ? "increase" : "continue",
        citations: cite,
      },
    ],
    recommendations: [{ text: unsafe ? "Increase metformin." : "三个月后复查。", citations: cite }],
    confidence: 0.8,
  };
}

beforeAll(async () => {
  model = await startModelHostStandin();
  model.reply((req) => ({ kind: "json", value: draftFor(promptOf(req.body)) }));
  slack = await startSlackApiStandin();
  sys = await buildTestSystem(
    { OLLAMA_HOST: model.url, MODEL_TIMEOUT_MS: "3000", PUBLIC_URL },
    {
      plugins: [
        slackPlugin({
          signingSecret: SECRET,
          botToken: "xoxb-test",
          apiUrl: slack.url,
          minPostIntervalMs: 50,
          botUserId: "UBOT",
        }),
      ],
    },
  );
});
afterAll(async () => {
  await sys?.stop();
  await slack?.close();
  await model?.close();
});

let n = 0;
function mention(text: string) {
  n++;
  const ts = `1720000${String(n).padStart(3, "0")}.000200`;
  const body = JSON.stringify({
    type: "event_callback",
    team_id: "T1",
    api_app_id: "A1",
    event_id: `EvHeld${Date.now()}${n}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_mention", user: "UDOC", text: `<@UBOT> ${text}`, ts, channel: "CCLIN", event_ts: ts },
  });
  return { ts, body };
}
const post = (body: string) =>
  sys.app.request("/slack/events", {
    method: "POST",
    headers: { "content-type": "application/json", ...signSlackRequest(SECRET, body) },
    body,
  });
const inThread = (thread: string) => (calls: SlackCall[]) =>
  calls.filter((c) => c.method === "chat.postMessage" && c.status === 200 && c.args.thread_ts === thread);
const textOf = (call: SlackCall | undefined) =>
  ((call?.args.blocks as { text?: { text: string } }[] | undefined) ?? []).map((b) => b.text?.text ?? "").join("\n");

describe("held consultations in Slack", () => {
  it("a held consultation posts a thread reply: held, the rule codes, the case link — not the draft", async () => {
    const { ts, body } = mention("unsafe-case 60M T2DM on metformin, HbA1c 8.4%, eGFR 75 — intensify?");
    expect((await post(body)).status).toBe(200);
    await slack.waitFor((c) => inThread(ts)(c).length > 0, 20_000);
    const [notice] = inThread(ts)(slack.calls);
    const text = textOf(notice);
    expect(text).toMatch(/No answer was sent/);
    expect(text).toMatch(/`[a-z0-9-]+`/); // at least one rule code
    expect(text).toContain(`${PUBLIC_URL}/console/cases/`);
    // The unchecked draft stays out of Slack: no dose, no buttons to accept it.
    expect(text).not.toMatch(/5000 mg|Increase metformin/);
    expect(((notice?.args.blocks ?? []) as { type: string }[]).some((b) => b.type === "actions")).toBe(false);
    // The case it links to is the held consultation.
    const id = /console\/cases\/([^|>]+)/.exec(text)?.[1] ?? "";
    const got = (await (await sys.app.request(`/v1/consultations/${decodeURIComponent(id)}`)).json()) as Record<string, unknown>;
    expect(got).toMatchObject({ held: true, decision: { action: "hold-for-review" } });
    expect(got.review).toMatchObject({ status: "open" });
  });

  it("a Chinese consultation is answered with Chinese Block Kit labels and buttons", async () => {
    const { ts, body } = mention("男，60岁，2型糖尿病，二甲双胍治疗，糖化血红蛋白8.4%，下一步怎么调整？");
    expect((await post(body)).status).toBe(200);
    await slack.waitFor((c) => inThread(ts)(c).length > 0, 20_000);
    const [answer] = inThread(ts)(slack.calls);
    const blocks = answer?.args.blocks as { type: string; text?: { text: string }; elements?: { text?: { text: string } }[] }[];
    expect(blocks[0]?.text?.text).toBe("GlycoPilot 回复");
    const text = textOf(answer);
    expect(text).toMatch(/\*检验项目\*/);
    expect(text).not.toMatch(/\*Lab tests\*|\*Medications\*/);
    const buttons = blocks.find((b) => b.type === "actions")?.elements?.map((e) => e.text?.text);
    expect(buttons).toEqual(["采纳", "升级处理", "标记审核"]);
  });
});
