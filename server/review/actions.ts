/**
 * handleReviewAction: the one operation behind every reviewer decision, whether it comes from
 * the console, the JSON API or a Slack button. It moves the case (atomically: one decision
 * wins), delivers or withholds through the message's original channel (claiming delivery
 * first so nothing is sent twice), stops the SLA pages, and appends an audit event that holds
 * ids, the action, reason codes and a hash of edited text, never the text itself.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { InboundMessage, PipelineResult } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { renderDraftText } from "../pipeline/render.js";
import type { Services } from "../services.js";
import type { CaseRow, ReviewSql } from "./store.js";

export const ReviewActionKind = z.enum(["acknowledge", "approve", "edit", "reject"]);
export type ReviewActionKind = z.infer<typeof ReviewActionKind>;

/** Why a reviewer rejected a draft: a closed set, so exports and audits can count them. */
export const RejectReason = z.enum([
  "unsafe-medication",
  "wrong-dose",
  "contraindicated",
  "not-grounded",
  "wrong-audience",
  "needs-in-person-care",
  "incomplete",
  "other",
]);
export type RejectReason = z.infer<typeof RejectReason>;

export const ReviewActionInput = z.object({
  caseId: z.string().min(1).max(200),
  action: ReviewActionKind,
  /** Who acts: a console username, a token name, or the console user linked to a Slack user. */
  reviewer: z.string().min(1).max(200),
  /** Edit: the reply to deliver. Reject: optionally, what the reviewer would have said (for DPO). */
  text: z.string().trim().min(1).max(8000).optional(),
  reason: RejectReason.optional(),
});
export type ReviewActionInput = z.infer<typeof ReviewActionInput>;

export interface ReviewActionResult {
  caseId: string;
  status: CaseRow["status"];
  delivered: boolean;
  /** The delivery id claimed (message id, or "<message id>:review" for a correction after a sent reply). */
  deliveryId: string | null;
  detail: string;
}

export interface ActionDeps {
  services: Services;
  sql: ReviewSql;
  /** Stop the SLA pages of a case (acknowledged or decided). */
  cancelPages(caseId: string): Promise<void>;
}

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/**
 * The reply a case would send if approved as drafted; null when there is nothing to approve.
 * For a held message that is the reviewed draft — never the stored reply, which for a patient
 * is the "a person will follow up" notice already sent, and for a clinician a held notice.
 */
export function draftReplyText(message: InboundMessage, result: PipelineResult): string | null {
  if (!result.held) return result.reply;
  const d = result.draft;
  if (!d) return null;
  if (message.sender.role === "patient") return d.reply?.trim() ? d.reply : null;
  return renderDraftText(d, result.lang ?? message.lang) || null;
}

export async function handleReviewAction(deps: ActionDeps, raw: ReviewActionInput): Promise<ReviewActionResult> {
  const input = ReviewActionInput.parse(raw);
  const { services: s, sql } = deps;
  const c = await sql.get(input.caseId);
  if (!c) throw new AppError("NOT_FOUND", `no review case ${input.caseId.slice(0, 120)}`);
  const at = s.clock();
  const audit = (payload: Record<string, unknown>) =>
    s.audit.append({
      kind: "review-action",
      caseId: c.messageId,
      payload: { caseId: c.id, action: input.action, reviewer: input.reviewer, ...payload },
    });

  if (input.action === "acknowledge") {
    if (!(await sql.acknowledge(c.id, input.reviewer, at))) throw conflict((await sql.get(c.id)) ?? c);
    await deps.cancelPages(c.id);
    await audit({ priority: c.priority });
    return { caseId: c.id, status: "acknowledged", delivered: false, deliveryId: null, detail: "acknowledged" };
  }
  if (c.status !== "open" && c.status !== "acknowledged") throw conflict(c);
  const message = await sql.message(c.messageId);
  if (!message || !c.result) throw new AppError("CONFLICT", "the pipeline has not finished this message yet; try again shortly");
  const result = c.result;

  let text: string | null = null;
  if (input.action === "approve") {
    text = result.held ? draftReplyText(message, result) : null;
    if (result.held && !text) throw new AppError("BAD_REQUEST", "there is no draft reply to approve; edit it instead");
  } else if (input.action === "edit") {
    if (!input.text) throw new AppError("BAD_REQUEST", "an edit needs the reply text to deliver");
    text = input.text;
  } else if (!input.reason) {
    throw new AppError("BAD_REQUEST", `a rejection needs a reason code (${RejectReason.options.join(", ")})`);
  }
  const channel = s.pipeline.channels[message.channel];
  if (text !== null && !channel)
    throw new AppError("DEPENDENCY_UNAVAILABLE", `channel ${message.channel} is not running; nothing was decided`);

  const status = input.action === "approve" ? "approved" : input.action === "edit" ? "edited" : "rejected";
  const stored = input.action === "approve" ? null : (input.text ?? null);
  if (!(await sql.decide(c.id, { status, reviewer: input.reviewer, edits: stored, reasonCode: input.reason ?? null, at }))) {
    throw conflict((await sql.get(c.id)) ?? c);
  }
  await deps.cancelPages(c.id);

  let delivered = false;
  let deliveryId: string | null = null;
  let detail = input.action === "reject" ? "withheld" : "nothing to send: the reply was already delivered";
  if (text !== null && channel) {
    // A held reply goes out under the message id; a correction to a reply already sent gets its own id.
    deliveryId = result.held ? message.id : `${message.id}:review`;
    if (await s.results.claimDelivery(deliveryId, channel.name, `review:${input.action}`)) {
      try {
        const sent: PipelineResult = {
          ...result,
          reply: text,
          held: false,
          draft: input.action === "edit" ? null : result.draft,
          ...(result.lang ? { lang: result.lang } : {}),
        };
        const out = await channel.deliver({
          messageId: deliveryId,
          conversationId: message.conversationId,
          text,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          result: sent,
        });
        delivered = out.delivered;
        detail = out.detail ?? (out.delivered ? "delivered" : "not delivered");
        await s.results.confirmDelivery(deliveryId, channel.name);
        if (result.held && out.delivered) await sql.markDelivered(message.id, text);
      } catch (e) {
        detail = `delivery failed: ${(e as Error).name}`;
        s.log.error({ caseId: c.id, err: (e as Error).message }, "review delivery failed");
      }
    } else detail = "already delivered";
  }
  await audit({
    channel: message.channel,
    deliveryId,
    delivered,
    detail,
    ...(input.reason ? { reasonCode: input.reason } : {}),
    ...(input.text ? { textSha256: sha256(input.text), textLength: input.text.length } : {}),
  });
  return { caseId: c.id, status, delivered, deliveryId, detail };
}

function conflict(c: CaseRow): AppError {
  const who = c.reviewer ?? c.acknowledgedBy;
  return new AppError("CONFLICT", `case is already ${c.status}${who ? ` by ${who}` : ""}`, { details: { status: c.status } });
}
