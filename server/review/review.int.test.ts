/**
 * The review operation end to end on a real system: decisions deliver (or withhold) through
 * the original channel exactly once, the stored result shows what was sent, audit events hold
 * hashes not text, and a patient token only ever reads its own conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonPost } from "../../test/helpers/system.js";
import { sha256 } from "./actions.js";
import { bearer, buildReviewSystem, type ReviewTestSystem, seedCase, TOKENS } from "./fixtures.test-helper.js";

let t: ReviewTestSystem;
beforeAll(async () => {
  t = await buildReviewSystem();
});
afterAll(async () => {
  await t?.stop();
});

const act = (caseId: string, body: unknown, token: string = TOKENS.reviewer) =>
  t.sys.app.request(`/v1/review/cases/${caseId}/actions`, jsonPost(body, bearer(token)));

describe("handleReviewAction through the API", () => {
  it("approving a held reply delivers the draft once through the original channel and records it", async () => {
    const { id, result } = await seedCase(t);
    const before = t.wechat.sent.length;
    const res = await act(id, { action: "approve" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "approved", delivered: true, deliveryId: id });
    expect(t.wechat.sent.slice(before).map((o) => [o.messageId, o.text])).toEqual([[id, result.draft?.reply]]);
    expect(await t.sys.services.results.countDeliveries(id)).toBe(1);
    const stored = await t.sys.services.results.getResult(id);
    expect(stored).toMatchObject({ reply: result.draft?.reply, held: false });

    const again = await act(id, { action: "approve" });
    expect(again.status).toBe(409);
    expect(t.wechat.sent.length).toBe(before + 1);
  });

  it("an edit delivers exactly the reviewer's text; the audit holds its hash, never the text", async () => {
    const { id } = await seedCase(t, { urgency: "routine" });
    const edited = "Please check your sugar before meals and bring the log to the clinic on Monday.";
    const res = await act(id, { action: "edit", text: edited });
    expect(res.status).toBe(200);
    expect(t.wechat.sent.at(-1)).toMatchObject({ messageId: id, text: edited });
    const events = await t.sys.services.audit.list(id);
    const ev = events.find((e) => e.kind === "review-action");
    expect(ev?.payload).toMatchObject({ action: "edit", reviewer: "bot-reviewer", textSha256: sha256(edited), delivered: true });
    expect(JSON.stringify(events)).not.toContain("bring the log");
    expect((await t.sys.services.audit.verify()).ok).toBe(true);
  });

  it("a rejection needs a reason code and withholds: nothing is sent", async () => {
    const { id } = await seedCase(t);
    const before = t.wechat.sent.length;
    expect((await act(id, { action: "reject" })).status).toBe(400);
    expect((await act(id, { action: "reject", reason: "not-a-code" })).status).toBe(400);
    const res = await act(id, { action: "reject", reason: "unsafe-medication" });
    expect(await res.json()).toMatchObject({ status: "rejected", delivered: false, detail: "withheld" });
    expect(t.wechat.sent.length).toBe(before);
    expect(await t.sys.services.results.countDeliveries(id)).toBe(0);
    const ev = (await t.sys.services.audit.list(id)).find((e) => e.kind === "review-action");
    expect(ev?.payload).toMatchObject({ action: "reject", reasonCode: "unsafe-medication" });
  });

  it("an edit after an escalation whose safety net was already sent goes out as a separate correction", async () => {
    const { id } = await seedCase(t, {
      urgency: "emergency",
      action: "escalate",
      sentReply: "Call emergency services now.",
      draft: null,
    });
    const approve = await act(id, { action: "approve" });
    expect(await approve.json()).toMatchObject({ status: "approved", delivered: false });

    const { id: id2 } = await seedCase(t, {
      urgency: "emergency",
      action: "escalate",
      sentReply: "Call emergency services now.",
      draft: null,
    });
    const res = await act(id2, { action: "edit", text: "A nurse will call you within 10 minutes." });
    expect(await res.json()).toMatchObject({ status: "edited", delivered: true, deliveryId: `${id2}:review` });
    expect(await t.sys.services.results.countDeliveries(id2)).toBe(1);
    expect(await t.sys.services.results.countDeliveries(`${id2}:review`)).toBe(1);
    expect(t.wechat.sent.at(-1)).toMatchObject({ messageId: `${id2}:review`, text: "A nurse will call you within 10 minutes." });
  });

  it("when the console and Slack race on one case, exactly one decision wins and one message is sent", async () => {
    const { id } = await seedCase(t);
    const before = t.wechat.sent.length;
    const [a, b] = await Promise.all([
      t.review.handleReviewAction({ caseId: id, action: "approve", reviewer: "rev" }).then(
        () => "ok",
        (e: Error) => e.message,
      ),
      t.review.handleReviewAction({ caseId: id, action: "edit", reviewer: "rev2", text: "Edited in Slack." }).then(
        () => "ok",
        (e: Error) => e.message,
      ),
    ]);
    expect([a, b].filter((x) => x === "ok")).toHaveLength(1);
    expect([a, b].find((x) => x !== "ok")).toMatch(/already (approved|edited)/);
    expect(t.wechat.sent.length - before).toBe(1);
  });

  it("acknowledging moves the case out of 'open' but keeps it in the active queue", async () => {
    const { id } = await seedCase(t, { urgency: "emergency" });
    const res = await act(id, { action: "acknowledge" });
    expect(res.status).toBe(200);
    const list = (await (
      await t.sys.app.request("/v1/review/cases?urgency=emergency", { headers: bearer(TOKENS.reviewer) })
    ).json()) as { id: string; status: string }[];
    expect(list.find((c) => c.id === id)).toMatchObject({ status: "acknowledged" });
    expect((await act(id, { action: "acknowledge" })).status).toBe(409);
  });

  it("the case detail is redacted: no phone number or name from the message reaches the reviewer view", async () => {
    const { id } = await seedCase(t, { text: "This is Zhang Wei, phone 13812345678, my sugar is 15 every morning." });
    const d = (await (await t.sys.app.request(`/v1/review/cases/${id}`, { headers: bearer(TOKENS.reviewer) })).json()) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(d)).not.toContain("13812345678");
    expect(d.message).toMatch(/\[PHONE\]/);
    expect(d).toMatchObject({ rules: expect.arrayContaining(["hyperglycemia-persistent", "dosing-to-patient"]) });
  });

  it("queue filters by urgency, channel, rule and age", async () => {
    const { id } = await seedCase(t, {
      urgency: "routine",
      channel: "http",
      triage: { flags: [{ code: "rare-rule-x", evidence: "x", source: "s" }] },
    });
    const get = async (qs: string) =>
      (
        (await (await t.sys.app.request(`/v1/review/cases?${qs}`, { headers: bearer(TOKENS.reviewer) })).json()) as {
          id: string;
        }[]
      ).map((c) => c.id);
    expect(await get("rule=rare-rule-x")).toEqual([id]);
    expect(await get("channel=http&urgency=routine")).toContain(id);
    expect(await get("channel=wechat")).not.toContain(id);
    expect(await get("minAgeMs=3600000")).not.toContain(id);
  });
});

describe("GET /v1/conversations/:id", () => {
  it("a patient token reads its own conversation and nobody else's", async () => {
    const { id } = await seedCase(t, {
      conversationId: "conv-a",
      sender: { role: "patient", ref: "pat-A" },
      text: "Morning sugar 9.8, is that ok?",
    });
    await seedCase(t, { conversationId: "conv-b", sender: { role: "patient", ref: "pat-B" } });
    const mine = await t.sys.app.request("/v1/conversations/conv-a", { headers: bearer(TOKENS.patientA) });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as { turns: { id: string }[] }).turns.map((x) => x.id)).toEqual([id]);
    expect((await t.sys.app.request("/v1/conversations/conv-b", { headers: bearer(TOKENS.patientA) })).status).toBe(404);
    expect((await t.sys.app.request("/v1/conversations/conv-a", { headers: bearer(TOKENS.patientB) })).status).toBe(404);
    expect((await t.sys.app.request("/v1/conversations/conv-a")).status).toBe(401);
    expect((await t.sys.app.request("/v1/conversations/conv-a", { headers: bearer("made-up") })).status).toBe(401);
    expect((await t.sys.app.request("/v1/conversations/conv-a", { headers: bearer(TOKENS.clinician) })).status).toBe(200);
  });
});
