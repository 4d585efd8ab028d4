/**
 * Step 7, deliver: send through the message's channel (idempotent per message id: a re-run
 * job never sends twice) or open a review case; then store the result. Held cases deliver
 * nothing clinical until a reviewer decides: a patient is told a person will follow up, and a
 * clinician gets a notice in the conversation (held or escalated, the rule codes — never the
 * evidence — and the case link), so nobody waits on silence.
 */
import { type Lang, type PipelineResult, reasonCodes } from "../../core/domain.js";
import { memorySummary } from "../conversations/memory.js";
import type { PipelineDeps, PipelineState } from "./types.js";

const NOTICE = {
  en: (held: boolean, priority: string, codes: string, link: string) =>
    `${held ? "Held for review" : "Escalated"} (${priority}): no answer was sent. Why: ${codes}. Case: ${link}`,
  zh: (held: boolean, priority: string, codes: string, link: string) =>
    `${held ? "已转人工审核" : "已升级处理"}（${priority === "emergency" ? "紧急" : priority === "urgent" ? "加急" : "常规"}）：未发送回复。原因：${codes}。病例：${link}`,
};

/** The plain-text notice a clinician gets for a held or escalated consultation. */
export function heldNoticeText(result: PipelineResult, lang: Lang, publicUrl?: string): string {
  const link = publicUrl ? `${publicUrl.replace(/\/$/, "")}/console/cases/${encodeURIComponent(result.id)}` : result.id;
  const priority = result.decision?.priority ?? result.triage?.urgency ?? "routine";
  const held = result.decision?.action !== "escalate";
  return NOTICE[lang === "zh" ? "zh" : "en"](held, priority, reasonCodes(result).join(", ") || "—", link);
}

export function toResult(state: PipelineState): PipelineResult {
  const action = state.decision?.action ?? "hold-for-review";
  return {
    id: state.message.id,
    kind: state.message.kind,
    status: "done",
    triage: state.triage ?? null,
    passages: state.passages.map((p) => ({ score: p.score, citation: p.citation })),
    draft: state.draft ?? null,
    findings: state.findings,
    decision: state.decision ?? { action: "hold-for-review", reasons: ["no decision"] },
    reply: state.reply,
    // Held = no answer went out; a fixed "a person will follow up" notice does not count as one.
    held: action === "hold-for-review" || (action === "escalate" && state.decision?.priority !== "emergency"),
    error: state.error ?? null,
    lang: state.lang,
    ...(state.memory ? { memory: memorySummary(state.memory) } : {}),
  };
}

export async function deliver(state: PipelineState, deps: PipelineDeps): Promise<PipelineResult> {
  // The trail so far is durable before anything is sent or a case is opened.
  await deps.audit.flush?.();
  const result = toResult(state);
  const action = result.decision?.action ?? "hold-for-review";
  if (action === "hold-for-review" || action === "escalate") {
    await deps.reviews.openCase({
      messageId: state.message.id,
      priority: result.decision?.priority ?? state.triage?.urgency ?? "routine",
      action,
      reasons: result.decision?.reasons ?? [],
    });
  }
  let delivered = false;
  let detail: string | undefined;
  let unconfirmed = false;
  const channel = deps.channels[state.message.channel];
  // A clinician is never left waiting on a held or escalated consultation: a notice goes to them.
  const text =
    result.reply ??
    (result.held && state.audience === "clinician" ? heldNoticeText(result, state.lang, deps.options.publicUrl) : null);
  if (text !== null && channel) {
    // A held message's "a person will follow up" notice is claimed under its own id, so the
    // reviewer's answer can still be delivered once under the message id.
    const deliveryId = result.held ? `${state.message.id}:notice` : state.message.id;
    // Claim, send, confirm. A re-run that finds a claim never confirmed cannot know whether the
    // send happened (the worker died in between): it neither re-sends nor drops it silently —
    // a human checks.
    if (await deps.results.claimDelivery(deliveryId, channel.name)) {
      const out = await channel.deliver({
        messageId: state.message.id,
        conversationId: state.message.conversationId,
        text,
        ...(state.message.replyTo ? { replyTo: state.message.replyTo } : {}),
        result,
      });
      delivered = out.delivered;
      if (!out.delivered) result.delivered = false;
      detail = out.detail;
      await deps.results.confirmDelivery(deliveryId, channel.name);
    } else if ((await deps.results.deliveryConfirmed(deliveryId, channel.name)) === false) {
      unconfirmed = true;
      detail = "claimed before a crash, never confirmed: sent to a human";
      await deps.reviews.openCase({
        messageId: state.message.id,
        priority: result.decision?.priority ?? state.triage?.urgency ?? "routine",
        action: "delivery-unconfirmed",
        reasons: ["delivery unconfirmed after a worker failure: check whether the reply reached the recipient"],
      });
    } else detail = "already delivered";
  }
  await deps.results.finish(result);
  await deps.audit.append({
    kind: "deliver",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: {
      action,
      channel: state.message.channel,
      delivered,
      detail: detail ?? null,
      reviewCase: unconfirmed || (action !== "send" && action !== "send-with-caveat"),
      notice: result.reply === null && text !== null,
    },
  });
  return result;
}
