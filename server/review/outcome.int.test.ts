/**
 * Clinicians and patients hear back after review, on a real system: approving a held patient
 * message delivers the reviewed draft (not the hold notice again), GET /v1/messages/:id and
 * /v1/consultations/:id return the reviewer's outcome, and the console shows as replies only
 * what was delivered, with undelivered drafts marked.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage, PipelineResult } from "../../core/domain.js";
import { safetyNetReply } from "../../guardrails/index.js";
import { jsonPost } from "../../test/helpers/system.js";
import { bearer, buildReviewSystem, type ReviewTestSystem, sampleDraft, TOKENS } from "./fixtures.test-helper.js";

let t: ReviewTestSystem;
beforeAll(async () => {
  t = await buildReviewSystem();
});
afterAll(async () => {
  await t?.stop();
});

const NOTICE = safetyNetReply("en", "held");
const DRAFT_REPLY =
  "A fasting reading of 7.2 mmol/L is at the top of your target range; tell the clinic if most readings stay above it.";

/**
 * A held message exactly as the pipeline leaves it: the stored reply is the "a person will
 * follow up" notice (sent to a patient under "<id>:notice"), the draft holds the reply to review.
 */
async function heldAsThePipelineLeavesIt(o: { kind?: InboundMessage["kind"]; noticeSent?: boolean } = {}) {
  const id = randomUUID();
  const s = t.sys.services;
  const patient = (o.kind ?? "message") === "message";
  const message: InboundMessage = {
    id,
    kind: o.kind ?? "message",
    channel: "wechat",
    conversationId: `conv-${id.slice(0, 8)}`,
    sender: patient ? { role: "patient", ref: "pat-A" } : { role: "clinician", ref: "dr-1" },
    text: patient ? "is a fasting sugar of 7.2 ok?" : "58F T2DM, HbA1c 8.1 on metformin — next step?",
    lang: "en",
    receivedAt: s.clock().toISOString(),
    idempotencyKey: `held:${id}`,
  };
  const result: PipelineResult = {
    id,
    kind: message.kind,
    status: "done",
    triage: { urgency: "routine", responder: "nurse", flags: [], complexity: [], escalate: false, injection: false },
    passages: [],
    draft: sampleDraft({ reply: patient ? DRAFT_REPLY : undefined }),
    findings: [{ code: "ungrounded-citation", severity: "warn", item: "HbA1c", message: "citation not retrieved" }],
    decision: { action: "hold-for-review", priority: "routine", reasons: ["warn: ungrounded-citation (HbA1c)"] },
    reply: patient ? NOTICE : null,
    held: true,
    error: null,
    lang: "en",
  };
  await s.results.accept(message);
  await t.sys.deps.reviews.openCase({
    messageId: id,
    priority: "routine",
    action: "hold-for-review",
    reasons: result.decision?.reasons ?? [],
  });
  await s.results.finish(result);
  if (patient && o.noticeSent !== false) {
    await s.results.claimDelivery(`${id}:notice`, "wechat", "pipeline");
    await s.results.confirmDelivery(`${id}:notice`, "wechat");
  }
  return { id, message, result };
}

const act = (caseId: string, body: unknown) =>
  t.sys.app.request(`/v1/review/cases/${caseId}/actions`, jsonPost(body, bearer(TOKENS.reviewer)));
const getJson = async (path: string) =>
  (await t.sys.app.request(path, { headers: bearer(TOKENS.reviewer) })).json() as Promise<Record<string, unknown>>;

describe("approve delivers the reviewed draft", () => {
  it("approving a held patient message sends the draft reply — not the hold notice again — and GET shows it", async () => {
    const { id } = await heldAsThePipelineLeavesIt();
    const before = t.wechat.sent.length;
    const res = await act(id, { action: "approve" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "approved", delivered: true, deliveryId: id });
    const sent = t.wechat.sent.slice(before);
    expect(sent.map((o) => o.text)).toEqual([DRAFT_REPLY]);
    expect(sent[0]?.text).not.toBe(NOTICE);

    const got = await getJson(`/v1/messages/${id}`);
    expect(got).toMatchObject({ held: false, reply: DRAFT_REPLY });
    expect(got.review).toMatchObject({ status: "approved", text: DRAFT_REPLY, reason: null, delivered: true });
  });

  it("the case detail proposes the draft reply, not the notice, as what approving would send", async () => {
    const { id } = await heldAsThePipelineLeavesIt();
    const d = await getJson(`/v1/review/cases/${id}`);
    expect(d.proposedReply).toBe(DRAFT_REPLY);
  });
});

describe("GET returns the reviewer's outcome", () => {
  it("a rejection with corrective text: status, reason code and the reviewer's text", async () => {
    const { id } = await heldAsThePipelineLeavesIt({ kind: "consultation" });
    const pending = await getJson(`/v1/consultations/${id}`);
    expect(pending).toMatchObject({ held: true, reply: null, review: { status: "open", text: null, reason: null } });

    const correction = "Do not intensify yet: repeat HbA1c in 3 months and review adherence first.";
    const res = await act(id, { action: "reject", reason: "unsafe-medication", text: correction });
    expect(res.status).toBe(200);
    const got = await getJson(`/v1/consultations/${id}`);
    expect(got.held).toBe(true);
    expect(got.review).toMatchObject({ status: "rejected", reason: "unsafe-medication", text: correction, delivered: false });
    expect(typeof (got.review as { decidedAt: unknown }).decidedAt).toBe("string");
  });

  it("an edit: the edited text that was delivered", async () => {
    const { id } = await heldAsThePipelineLeavesIt({ kind: "consultation" });
    const edited = "Add an SGLT2 inhibitor with proven cardiorenal benefit; recheck eGFR in 4 weeks.";
    expect((await act(id, { action: "edit", text: edited })).status).toBe(200);
    const got = await getJson(`/v1/consultations/${id}`);
    expect(got).toMatchObject({ held: false, reply: edited, review: { status: "edited", text: edited, delivered: true } });
  });

  it("a message that was never held has no review block", async () => {
    const { id } = await heldAsThePipelineLeavesIt();
    // Turn it into a sent answer as the pipeline would store it.
    const r = await t.sys.services.results.getResult(id);
    expect(r).not.toBeNull();
    const other = randomUUID();
    const m: InboundMessage = {
      ...((await t.sys.services.results.getMessage(id)) as InboundMessage),
      id: other,
      idempotencyKey: `sent:${other}`,
    };
    await t.sys.services.results.accept(m);
    await t.sys.services.results.finish({
      ...(r as PipelineResult),
      id: other,
      held: false,
      reply: "ok",
      decision: { action: "send", reasons: [] },
    });
    const got = await getJson(`/v1/messages/${other}`);
    expect(got.review).toBeUndefined();
  });
});

describe("the console shows only what was delivered", () => {
  it("a held draft is marked not delivered; the notice counts only once its delivery is confirmed", async () => {
    const { id, message } = await heldAsThePipelineLeavesIt({ noticeSent: false });
    const d = (await getJson(`/v1/review/cases/${id}`)) as {
      conversation: { id: string; reply: string | null; undelivered: string | null }[];
    };
    const turn = d.conversation.find((x) => x.id === id);
    expect(turn?.reply).toBeNull();
    expect(turn?.undelivered).toBe(DRAFT_REPLY);

    await t.sys.services.results.claimDelivery(`${id}:notice`, "wechat", "pipeline");
    await t.sys.services.results.confirmDelivery(`${id}:notice`, "wechat");
    const d2 = (await getJson(`/v1/review/cases/${id}`)) as typeof d;
    expect(d2.conversation.find((x) => x.id === id)?.reply).toBe(NOTICE);

    // The console page says so too.
    const staff = (await getJson(`/v1/conversations/${message.conversationId}`)) as { turns: { undelivered: string | null }[] };
    expect(staff.turns[0]?.undelivered).toBe(DRAFT_REPLY);
  });

  it("a reply the channel refused is not shown as a reply", async () => {
    const { id } = await heldAsThePipelineLeavesIt();
    const r = (await t.sys.services.results.getResult(id)) as PipelineResult;
    // What deliver stores when the channel answered delivered: false.
    const other = randomUUID();
    const m = { ...((await t.sys.services.results.getMessage(id)) as InboundMessage), id: other, idempotencyKey: `x:${other}` };
    await t.sys.services.results.accept(m);
    await t.sys.deps.reviews.openCase({ messageId: other, priority: "routine", action: "hold-for-review", reasons: [] });
    await t.sys.services.results.finish({
      ...r,
      id: other,
      held: false,
      reply: "Sent?",
      delivered: false,
      decision: { action: "escalate", priority: "emergency", reasons: [] },
    });
    await t.sys.services.results.claimDelivery(other, "wechat", "pipeline");
    await t.sys.services.results.confirmDelivery(other, "wechat");
    const d = (await getJson(`/v1/review/cases/${other}`)) as {
      conversation: { id: string; reply: string | null; undelivered: string | null }[];
    };
    const turn = d.conversation.find((x) => x.id === other);
    expect(turn?.reply).toBeNull();
    expect(turn?.undelivered).toBe("Sent?");
  });
});
