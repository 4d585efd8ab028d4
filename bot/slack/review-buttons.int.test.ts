/**
 * The review-page buttons through the real Slack endpoint (/slack/interactions) with real
 * signatures, on real Redis, Chroma and PGlite, Slack's Web API played by the stand-in: each
 * button calls the same review operation as the console, Slack users are mapped to reviewers
 * and their role checked, every interaction is audited, and a replayed signed command or
 * interaction is refused within the replay window.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../server/auth/credentials.js";
import {
  API_TOKENS,
  bearer,
  type RecordingChannel,
  type ReviewTestSystem,
  recordingChannel,
  SESSION_SECRET,
  seedCase,
  TOKENS,
  testUsers,
} from "../../server/review/fixtures.test-helper.js";
import { reviewModule } from "../../server/review/index.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { type SlackApiStandin, startSlackApiStandin } from "../../test/standins/slack-api-standin.js";
import { type SlackPlugin, slackPlugin } from "./index.js";
import { signSlackRequest } from "./verify.js";

const SECRET = "slack-review-signing-secret";
let t: ReviewTestSystem;
let slack: SlackApiStandin;
let plugin: SlackPlugin;
let wechat: RecordingChannel;

beforeAll(async () => {
  slack = await startSlackApiStandin();
  const users = [
    ...(await testUsers()),
    { username: "cli2", role: "clinician" as const, passwordHash: await hashPassword("x-pass-123"), slackUserId: "UCLI1" },
  ];
  const review = reviewModule({ sessionSecret: SESSION_SECRET, users, apiTokens: API_TOKENS });
  wechat = recordingChannel("wechat");
  const sys = await buildTestSystem(
    { API_TOKENS },
    {
      worker: false,
      review,
      plugins: [
        async () => ({ name: "wechat", channel: wechat }),
        async (ports, config) => {
          plugin = (await slackPlugin({
            signingSecret: SECRET,
            botToken: "xoxb-review",
            apiUrl: slack.url,
            minPostIntervalMs: 1,
            botUserId: "UBOT",
            processBeforeResponse: true,
          })(ports, config)) as SlackPlugin;
          return plugin;
        },
      ],
    },
  );
  t = {
    sys,
    review,
    wechat,
    stop: async () => {
      await sys.stop();
    },
  };
});
afterAll(async () => {
  await t?.stop();
  await slack?.close();
});

function post(path: string, form: URLSearchParams, ts?: number) {
  const body = form.toString();
  return t.sys.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...signSlackRequest(SECRET, body, ts) },
    body,
  });
}
let n = 0;
const interaction = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) });
function button(actionId: string, caseId: string, user = "UREV1") {
  n++;
  return interaction({
    type: "block_actions",
    user: { id: user },
    trigger_id: `trig-${n}`,
    team: { id: "T1" },
    api_app_id: "A1",
    container: { type: "message", channel_id: "CREVIEW", message_ts: `1700000000.00${n}` },
    channel: { id: "CREVIEW" },
    actions: [{ type: "button", action_id: actionId, value: caseId, action_ts: `${Date.now() / 1000}` }],
  });
}
function submission(callbackId: string, caseId: string, values: Record<string, unknown>, user = "UREV1") {
  n++;
  return interaction({
    type: "view_submission",
    user: { id: user },
    team: { id: "T1" },
    api_app_id: "A1",
    view: { id: `V${n}`, callback_id: callbackId, private_metadata: caseId, state: { values } },
  });
}
const caseOf = async (id: string) =>
  (await (await t.sys.app.request(`/v1/review/cases/${id}`, { headers: bearer(TOKENS.reviewer) })).json()) as {
    status: string;
    acknowledgedBy?: string | null;
    reviewer?: string | null;
  };
const interactions = async (caseId: string) =>
  (await t.sys.services.audit.list(caseId))
    .filter((e) => e.kind === "slack-review-interaction")
    .map((e) => e.payload as Record<string, unknown>);
const reviewActions = async (caseId: string) =>
  (await t.sys.services.audit.list(caseId)).filter((e) => e.kind === "review-action").map((e) => e.payload);

describe("review-page buttons", () => {
  it("Acknowledge: the case is acknowledged by the linked reviewer, audited, and confirmed in the thread", async () => {
    const { id } = await seedCase(t);
    const res = await post("/slack/interactions", button("glyco_case_ack", id));
    expect(res.status).toBe(200);
    await plugin.idle();
    const detail = JSON.stringify(await caseOf(id));
    expect(detail).toMatch(/"acknowledgedBy":"rev"/);
    expect(await reviewActions(id)).toEqual([expect.objectContaining({ action: "acknowledge", reviewer: "rev" })]);
    expect(await interactions(id)).toEqual([
      expect.objectContaining({ action: "acknowledge", slackUser: "UREV1", reviewer: "rev", outcome: "acknowledged" }),
    ]);
    expect(
      slack.callsTo("chat.postMessage").some((c) => JSON.stringify(c.args.blocks).includes("Acknowledged by <@UREV1>")),
    ).toBe(true);
  });

  it("Approve: delivered once through the message's channel, exactly as the console would", async () => {
    const { id } = await seedCase(t);
    const before = wechat.sent.length;
    expect((await post("/slack/interactions", button("glyco_case_approve", id))).status).toBe(200);
    await plugin.idle();
    expect((await caseOf(id)).status).toBe("approved");
    expect(wechat.sent.slice(before).map((o) => o.messageId)).toEqual([id]);
    // A second press (a new, differently signed request) cannot deliver twice: one decision wins.
    expect((await post("/slack/interactions", button("glyco_case_approve", id))).status).toBe(200);
    await plugin.idle();
    expect(wechat.sent.slice(before)).toHaveLength(1);
    expect((await interactions(id)).map((p) => p.outcome)).toEqual(["approved", "failed"]);
    expect(slack.callsTo("chat.postEphemeral").at(-1)?.args.text).toMatch(/Could not approve/);
  });

  it("Edit: opens a modal holding the draft; the submitted text is what is delivered", async () => {
    const { id } = await seedCase(t);
    const opens = slack.callsTo("views.open").length;
    expect((await post("/slack/interactions", button("glyco_case_edit", id))).status).toBe(200);
    await plugin.idle();
    const open = slack.callsTo("views.open")[opens];
    const view = open?.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe("glyco_case_edit_modal");
    expect(view.private_metadata).toBe(id);
    expect(JSON.stringify(view.blocks)).toContain("Please keep taking your medicine");
    const before = wechat.sent.length;
    const text = "Keep your current dose; the nurse will call you today about your sugar readings.";
    const res = await post(
      "/slack/interactions",
      submission("glyco_case_edit_modal", id, { reply: { text: { type: "plain_text_input", value: text } } }),
    );
    expect(res.status).toBe(200);
    expect((await caseOf(id)).status).toBe("edited");
    expect(wechat.sent.slice(before).map((o) => o.text)).toEqual([text]);
  });

  it("Reject: a modal with the reason codes; the reason is recorded and nothing is delivered", async () => {
    const { id } = await seedCase(t);
    const opens = slack.callsTo("views.open").length;
    await post("/slack/interactions", button("glyco_case_reject", id));
    await plugin.idle();
    const view = slack.callsTo("views.open")[opens]?.args.view as { callback_id: string };
    expect(view.callback_id).toBe("glyco_case_reject_modal");
    // No reason → the modal shows an error and the case stays open.
    const empty = await post("/slack/interactions", submission("glyco_case_reject_modal", id, {}));
    expect(((await empty.json()) as { response_action: string }).response_action).toBe("errors");
    expect((await caseOf(id)).status).toBe("open");
    const before = wechat.sent.length;
    const res = await post(
      "/slack/interactions",
      submission("glyco_case_reject_modal", id, {
        reason: { code: { type: "static_select", selected_option: { value: "wrong-dose" } } },
      }),
    );
    expect(res.status).toBe(200);
    expect((await caseOf(id)).status).toBe("rejected");
    expect(wechat.sent.length).toBe(before);
    expect(await reviewActions(id)).toEqual([expect.objectContaining({ action: "reject", reviewer: "rev" })]);
    expect((await interactions(id)).at(-1)).toMatchObject({ action: "reject", outcome: "rejected", reason: "wrong-dose" });
  });

  it("an unlinked Slack user and a linked clinician are refused (audited, told why); the case stays open", async () => {
    const { id } = await seedCase(t);
    for (const user of ["UNOBODY", "UCLI1"]) {
      await post("/slack/interactions", button("glyco_case_approve", id, user));
      await plugin.idle();
      const modal = await post(
        "/slack/interactions",
        submission("glyco_case_edit_modal", id, { reply: { text: { type: "plain_text_input", value: "hi" } } }, user),
      );
      expect(((await modal.json()) as { response_action: string }).response_action).toBe("errors");
    }
    expect((await caseOf(id)).status).toBe("open");
    expect(await reviewActions(id)).toEqual([]);
    expect((await interactions(id)).map((p) => p.reason)).toEqual([
      "slack-user-not-linked",
      "slack-user-not-linked",
      "role-may-not-review",
      "role-may-not-review",
    ]);
  });
});

describe("replays of signed commands and interactions", () => {
  it("a /glyco command replayed 3 times opens one modal", async () => {
    const form = new URLSearchParams({
      command: "/glyco",
      text: "",
      trigger_id: "trig-replay",
      channel_id: "CCLIN",
      user_id: "UDOC",
      team_id: "T1",
    });
    const ts = Math.floor(Date.now() / 1000);
    const before = slack.callsTo("views.open").length;
    const refusedBefore = plugin.replaysRefused();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post("/slack/commands", form, ts)).status);
    await plugin.idle();
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(
      slack
        .callsTo("views.open")
        .slice(before)
        .filter((c) => c.args.trigger_id === "trig-replay"),
    ).toHaveLength(1);
    expect(plugin.replaysRefused() - refusedBefore).toBe(3);
  });

  it("a replayed Approve is refused: one review action, one delivery, one audit of the interaction", async () => {
    const { id } = await seedCase(t);
    const form = button("glyco_case_approve", id);
    const ts = Math.floor(Date.now() / 1000);
    const before = wechat.sent.length;
    const refusedBefore = plugin.replaysRefused();
    for (let i = 0; i < 3; i++) expect((await post("/slack/interactions", form, ts)).status).toBe(200);
    await plugin.idle();
    expect(plugin.replaysRefused() - refusedBefore).toBe(2);
    console.log(`slack: ${plugin.replaysRefused()} replayed signed commands/interactions refused in this file`);
    expect(wechat.sent.length - before).toBe(1);
    expect(await interactions(id)).toHaveLength(1);
    expect(await reviewActions(id)).toHaveLength(1);
  });
});
