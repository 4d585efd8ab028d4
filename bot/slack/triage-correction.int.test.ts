/**
 * "Correct triage" on the Slack review page through the real Slack endpoint
 * (/slack/interactions) with real signatures, on real Redis, Chroma and PGlite, Slack's Web API
 * played by the stand-in: the page carries the button, the button opens a modal preset to the
 * case's triage, the submission goes through the same correction service as the console and
 * POST /v1/review/cases/:id/triage (queue priority, audit, DPO export), and unlinked users or
 * clinicians are refused on the press and on the submission.
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
import { reviewBlocks } from "../../server/review/slack.js";
import { triageDpoRecords } from "../../server/review/triage-correction.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { type SlackApiStandin, startSlackApiStandin } from "../../test/standins/slack-api-standin.js";
import { type SlackPlugin, slackPlugin } from "./index.js";
import { TRIAGE_FIX_ACTION, TRIAGE_FIX_CALLBACK } from "./triage-correction.js";
import { signSlackRequest } from "./verify.js";

const SECRET = "slack-triage-signing-secret";
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
            botToken: "xoxb-triage",
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

function post(form: URLSearchParams) {
  const body = form.toString();
  return t.sys.app.request("/slack/interactions", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...signSlackRequest(SECRET, body) },
    body,
  });
}
let n = 0;
const interaction = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) });
function press(caseId: string, user = "UREV1") {
  n++;
  return interaction({
    type: "block_actions",
    user: { id: user },
    trigger_id: `trig-triage-${n}`,
    team: { id: "T1" },
    api_app_id: "A1",
    container: { type: "message", channel_id: "CREVIEW", message_ts: `1700000100.00${n}` },
    channel: { id: "CREVIEW" },
    actions: [{ type: "button", action_id: TRIAGE_FIX_ACTION, value: caseId, action_ts: "1700000100.1" }],
  });
}
function submit(privateMetadata: string, values: Record<string, unknown>, user = "UREV1") {
  n++;
  return interaction({
    type: "view_submission",
    user: { id: user },
    team: { id: "T1" },
    api_app_id: "A1",
    view: { id: `VT${n}`, callback_id: TRIAGE_FIX_CALLBACK, private_metadata: privateMetadata, state: { values } },
  });
}
const pick = (urgency?: string, responder?: string) => ({
  ...(urgency ? { urgency: { v: { type: "static_select", selected_option: { value: urgency } } } } : {}),
  ...(responder ? { responder: { v: { type: "static_select", selected_option: { value: responder } } } } : {}),
});
const corrections = async (caseId: string) =>
  (
    await t.sys.services.db.query<{ reviewer: string; urgency: string; responder: string }>(
      "SELECT reviewer, urgency, responder FROM triage_corrections WHERE case_id = $1 ORDER BY id",
      [caseId],
    )
  ).rows;
const audits = async (caseId: string, kind: string) =>
  (await t.sys.services.audit.list(caseId)).filter((e) => e.kind === kind).map((e) => e.payload as Record<string, unknown>);

interface ModalView {
  callback_id: string;
  private_metadata: string;
  blocks: Array<{ block_id?: string; element?: { initial_option?: { value: string }; options?: Array<{ value: string }> } }>;
}

describe("Correct triage from the Slack review page", () => {
  it("the review page carries the button with the case id", () => {
    const blocks = reviewBlocks(
      {
        caseId: "case-9",
        urgency: "urgent",
        channel: "wechat",
        kind: "message",
        reasons: [],
        rules: [],
        excerpt: "x" as never,
        dueAt: new Date(0),
      },
      "lead",
    ) as Array<{ type: string; elements?: Array<{ action_id: string; value?: string }> }>;
    const buttons = blocks.find((b) => b.type === "actions")?.elements ?? [];
    expect(buttons.find((b) => b.action_id === TRIAGE_FIX_ACTION)).toMatchObject({ value: "case-9" });
  });

  it("the button opens a modal preset to the case's triage; the submission corrects it like the console does", async () => {
    const { id } = await seedCase(t, { urgency: "urgent" });
    const opens = slack.callsTo("views.open").length;
    expect((await post(press(id))).status).toBe(200);
    await plugin.idle();
    const view = slack.callsTo("views.open")[opens]?.args.view as ModalView;
    expect(view.callback_id).toBe(TRIAGE_FIX_CALLBACK);
    expect(JSON.parse(view.private_metadata)).toEqual({ caseId: id, channel: "CREVIEW", thread: expect.any(String) });
    const preset = Object.fromEntries(
      view.blocks.filter((b) => b.block_id).map((b) => [b.block_id, b.element?.initial_option?.value]),
    );
    expect(preset).toEqual({ urgency: "urgent", responder: "nurse" });
    expect(view.blocks.find((b) => b.block_id === "responder")?.element?.options?.map((o) => o.value)).toEqual([
      "physician",
      "nurse",
      "assistant",
      "bot",
    ]);

    const res = await post(submit(view.private_metadata, pick("emergency", "physician")));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await plugin.idle();
    // The same service as POST /v1/review/cases/:id/triage: stored, priority follows, audited, exported.
    expect(await corrections(id)).toEqual([{ reviewer: "rev", urgency: "emergency", responder: "physician" }]);
    const listed = (await (
      await t.sys.app.request("/v1/review/cases?urgency=emergency", { headers: bearer(TOKENS.reviewer) })
    ).json()) as Array<{ id: string }>;
    const ids = listed.map((c) => c.id);
    expect(ids).toContain(id);
    expect(await audits(id, "triage-corrected")).toEqual([
      expect.objectContaining({
        caseId: id,
        reviewer: "rev",
        before: { urgency: "urgent", responder: "nurse" },
        after: { urgency: "emergency", responder: "physician" },
      }),
    ]);
    expect((await audits(id, "slack-review-interaction")).map((p) => p.outcome)).toEqual(["modal-opened", "corrected"]);
    const dpo = await triageDpoRecords(t.sys.services.db);
    expect(dpo.some((r) => r.chosen === JSON.stringify({ urgency: "emergency", responder: "physician" }))).toBe(true);
    expect(
      slack
        .callsTo("chat.postMessage")
        .some((c) =>
          JSON.stringify(c.args.blocks).includes("Triage corrected by <@UREV1>: urgent/nurse → *emergency/physician*"),
        ),
    ).toBe(true);

    // A second correction opens preset to the corrected urgency.
    const again = slack.callsTo("views.open").length;
    await post(press(id));
    await plugin.idle();
    const v2 = slack.callsTo("views.open")[again]?.args.view as ModalView;
    expect(v2.blocks.find((b) => b.block_id === "urgency")?.element?.initial_option?.value).toBe("emergency");
  });

  it("a submission without a choice shows errors in the modal and changes nothing", async () => {
    const { id } = await seedCase(t);
    const res = await post(submit(JSON.stringify({ caseId: id }), pick("urgent")));
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors)).toEqual(["responder"]);
    expect(await corrections(id)).toEqual([]);
  });

  it("an unlinked Slack user and a linked clinician are refused on the press and the submission (audited, told why)", async () => {
    const { id } = await seedCase(t);
    const opens = slack.callsTo("views.open").length;
    for (const user of ["UNOBODY", "UCLI1"]) {
      await post(press(id, user));
      await plugin.idle();
      const res = await post(submit(JSON.stringify({ caseId: id }), pick("emergency", "physician"), user));
      expect(((await res.json()) as { response_action: string }).response_action).toBe("errors");
    }
    expect(slack.callsTo("views.open").length).toBe(opens);
    expect(await corrections(id)).toEqual([]);
    expect((await audits(id, "slack-review-interaction")).map((p) => p.reason)).toEqual([
      "slack-user-not-linked",
      "slack-user-not-linked",
      "role-may-not-review",
      "role-may-not-review",
    ]);
    expect(slack.callsTo("chat.postEphemeral").at(-1)?.args.text).toMatch(/Only reviewers and admins/);
  });

  it("an unknown case: told so, nothing opened", async () => {
    const opens = slack.callsTo("views.open").length;
    await post(press("no-such-case"));
    await plugin.idle();
    expect(slack.callsTo("views.open").length).toBe(opens);
    expect(slack.callsTo("chat.postEphemeral").at(-1)?.args.text).toBe("No such review case.");
  });
});
