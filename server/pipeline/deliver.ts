/**
 * Step 7, deliver: send through the message's channel (idempotent per message id: a re-run
 * job never sends twice) or open a review case; then store the result. Held cases deliver
 * nothing until a reviewer decides.
 */
import type { PipelineResult } from "../../core/domain.js";
import type { PipelineDeps, PipelineState } from "./types.js";

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
  };
}

export async function deliver(state: PipelineState, deps: PipelineDeps): Promise<PipelineResult> {
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
  if (result.reply !== null && channel) {
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
        text: result.reply,
        ...(state.message.replyTo ? { replyTo: state.message.replyTo } : {}),
        result,
      });
      delivered = out.delivered;
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
    },
  });
  return result;
}
