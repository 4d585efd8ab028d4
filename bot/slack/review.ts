/**
 * The Acknowledge / Approve / Edit / Reject buttons on review pages (posted by the pager, see
 * server/review/slack.ts): Slack users are mapped to console users (users file `slackUserId`),
 * only reviewers and admins may act, and every press calls the same review operation as the
 * console (`review.handleReviewAction`). Edit opens a modal with the draft; Reject a modal with
 * the reason codes. Every interaction — done, refused or failed — is audited (ids and codes).
 */
import type { App } from "@slack/bolt";
import { toAppError } from "../../core/errors.js";
import type { AuditStore, Log, ReviewDesk } from "../../core/ports.js";
import type { Poster } from "./poster.js";

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === "object" ? (v as Loose) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");

const ACTING_ROLES = new Set(["reviewer", "admin"]);

export function registerReviewListeners(app: App, d: { audit: AuditStore; log: Log; review: ReviewDesk; poster: Poster }): void {
  const s = d;
  const ACTION_RE = new RegExp(`^(${d.review.ids.actions.join("|")})$`);
  const VIEW_RE = new RegExp(`^(${d.review.ids.editModal}|${d.review.ids.rejectModal})$`);
  /** The console user a Slack user acts as, if they may act on review cases at all. */
  const reviewerOf = (slackUserId: string): string | null => {
    const u = d.review.userBySlackId(slackUserId);
    return u && ACTING_ROLES.has(u.role) ? u.username : null;
  };
  const refusal = (slackUserId: string) =>
    d.review.userBySlackId(slackUserId) ? "role-may-not-review" : "slack-user-not-linked";

  const audit = (caseId: string, payload: Record<string, unknown>) =>
    s.audit.append({ kind: "slack-review-interaction", caseId: caseId || "slack:unknown-case", payload });

  app.action(ACTION_RE, async ({ ack, body, client }) => {
    await ack();
    const p = body as unknown as Loose;
    const slackUser = str(obj(p.user).id);
    const action = obj((p.actions as unknown[] | undefined)?.[0]);
    const caseId = str(action.value).slice(0, 200);
    const container = obj(p.container);
    const channel = str(container.channel_id) || str(obj(p.channel).id);
    const thread = str(container.thread_ts) || str(container.message_ts);
    const tell = async (text: string) => {
      if (channel && slackUser) await client.chat.postEphemeral({ channel, user: slackUser, text }).catch(() => {});
    };
    const step = d.review.stepOf(body, reviewerOf);
    if (!step) {
      const reason = reviewerOf(slackUser) ? "bad-payload" : refusal(slackUser);
      s.log.debug({ event: "slack.review.refused", caseId, reason }, "slack review interaction refused");
      await audit(caseId, { action: str(action.action_id), slackUser, outcome: "refused", reason });
      await tell(
        reason === "slack-user-not-linked"
          ? "Your Slack account is not linked to a GlycoPilot reviewer, so this button does nothing. Ask an admin to add your Slack user id."
          : "Only reviewers and admins may act on review cases.",
      );
      return;
    }
    if (step.kind === "modal") {
      await audit(step.caseId, { action: step.modal, slackUser, outcome: "modal-opened" });
      await client.views.open({ trigger_id: step.triggerId, view: (await d.review.modalView(step)) as never });
      return;
    }
    try {
      const out = await d.review.act(step.input);
      await audit(step.input.caseId, {
        action: step.input.action,
        slackUser,
        reviewer: step.input.reviewer,
        outcome: out.status,
      });
      if (channel && thread)
        await d.poster.post(
          channel,
          {
            text: `Case ${step.input.action}d`,
            blocks: [
              {
                type: "context",
                elements: [
                  {
                    type: "mrkdwn",
                    text: `${step.input.action === "acknowledge" ? "Acknowledged" : "Approved"} by <@${slackUser}> — case ${out.status}${out.delivered ? ", reply delivered" : ""}.`,
                  },
                ],
              },
            ],
          },
          thread,
        );
    } catch (e) {
      const err = toAppError(e);
      await audit(step.input.caseId, { action: step.input.action, slackUser, outcome: "failed", code: err.code });
      await tell(`Could not ${step.input.action} the case: ${err.code === "INTERNAL" ? "internal error" : err.message}`);
    }
  });

  app.view(VIEW_RE, async ({ ack, body }) => {
    const view = obj((body as unknown as Loose).view);
    const slackUser = str(obj((body as unknown as Loose).user).id);
    const caseId = str(view.private_metadata).slice(0, 200);
    const field = view.callback_id === d.review.ids.editModal ? "reply" : "reason";
    const step = d.review.stepOf(body, reviewerOf);
    if (step?.kind !== "action") {
      const reason = reviewerOf(slackUser) ? "bad-submission" : refusal(slackUser);
      await audit(caseId, { action: str(view.callback_id), slackUser, outcome: "refused", reason });
      await ack({
        response_action: "errors",
        errors: {
          [field]:
            reason === "bad-submission"
              ? field === "reply"
                ? "Write the reply to send."
                : "Choose a reason."
              : "You may not act on review cases.",
        },
      });
      return;
    }
    // The decision runs before the ack, so a conflict (already decided) shows in the modal.
    try {
      const out = await d.review.act(step.input);
      await audit(step.input.caseId, {
        action: step.input.action,
        slackUser,
        reviewer: step.input.reviewer,
        outcome: out.status,
        ...(step.input.reason ? { reason: step.input.reason } : {}),
      });
      await ack();
    } catch (e) {
      const err = toAppError(e);
      await audit(step.input.caseId, { action: step.input.action, slackUser, outcome: "failed", code: err.code });
      await ack({
        response_action: "errors",
        errors: { [field]: err.code === "INTERNAL" ? "internal error" : err.message.slice(0, 150) },
      });
    }
  });
}
