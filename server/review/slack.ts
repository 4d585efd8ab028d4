/**
 * Slack side of review, for bot/slack to wire: the Block Kit of a page, the Edit and Reject
 * modals, and the mapping from Slack's interaction payloads to `handleReviewAction`.
 *
 * How bot/slack wires it (Bolt):
 *   app.action(/^glyco_case_/, async ({ ack, body, client }) => {
 *     await ack();
 *     const step = fromSlackInteraction(body, review.reviewerForSlackUser);
 *     if (step?.kind === "modal") await client.views.open({ trigger_id: step.triggerId, view: await review.modalView(step) });
 *     if (step?.kind === "action") await review.handleReviewAction(step.input);   // same op as the console
 *   });
 *   app.view(/^glyco_case_/, async ({ ack, body }) => {
 *     const step = fromSlackInteraction(body, review.reviewerForSlackUser);
 *     await ack();                                             // or ack({response_action:"errors",…}) on bad input
 *     if (step?.kind === "action") await review.handleReviewAction(step.input);
 *   });
 *   (review = the object reviewModule() returns; modalView fills the Edit modal with the current draft.)
 *
 * Payload → operation:
 *   block_actions, action_id glyco_case_ack      value=caseId → {action:"acknowledge"}
 *   block_actions, action_id glyco_case_approve  value=caseId → {action:"approve"}
 *   block_actions, action_id glyco_case_edit     value=caseId → open the Edit modal
 *   block_actions, action_id glyco_case_reject   value=caseId → open the Reject modal
 *   view_submission callback_id glyco_case_edit_modal   → {action:"edit", text: state.values.reply.text.value}
 *   view_submission callback_id glyco_case_reject_modal → {action:"reject", reason: state.values.reason.code.selected_option.value,
 *                                                          text?: state.values.alternative.text.value}
 *   caseId travels in `value` (buttons) and `private_metadata` (modals); reviewer = the console
 *   user whose slackUserId is body.user.id (unknown Slack users are refused: null).
 */

import type { CaseSummary } from "../../core/ports.js";
import { RejectReason, type ReviewActionInput } from "./actions.js";

export const REVIEW_ACTION_IDS = {
  acknowledge: "glyco_case_ack",
  approve: "glyco_case_approve",
  edit: "glyco_case_edit",
  reject: "glyco_case_reject",
} as const;
export const EDIT_CALLBACK = "glyco_case_edit_modal";
export const REJECT_CALLBACK = "glyco_case_reject_modal";

const plain = (text: string) => ({ type: "plain_text" as const, text: text.slice(0, 150) });
const mrkdwnEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function reviewBlocks(s: CaseSummary, lead: string): unknown[] {
  const fields = [
    `*Urgency:* ${s.urgency}`,
    `*Channel:* ${s.channel} (${s.kind})`,
    `*Acknowledge by:* <!date^${Math.floor(s.dueAt.getTime() / 1000)}^{time} {date_short}|${s.dueAt.toISOString()}>`,
    `*Rules:* ${mrkdwnEscape(s.rules.join(", ") || "—")}`,
  ];
  const button = (id: string, text: string, extra: Record<string, unknown> = {}) => ({
    type: "button",
    action_id: id,
    text: plain(text),
    value: s.caseId,
    ...extra,
  });
  return [
    { type: "section", text: { type: "mrkdwn", text: lead } },
    { type: "section", fields: fields.map((t) => ({ type: "mrkdwn", text: t })) },
    {
      type: "section",
      text: { type: "mrkdwn", text: `*Message (redacted):*\n>${mrkdwnEscape(s.excerpt).replace(/\n/g, "\n>")}` },
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: mrkdwnEscape(`Reasons: ${s.reasons.join("; ") || "—"}`).slice(0, 2900) }],
    },
    {
      type: "actions",
      block_id: "glyco_case_review",
      elements: [
        button(REVIEW_ACTION_IDS.acknowledge, "Acknowledge"),
        button(REVIEW_ACTION_IDS.approve, "Approve", { style: "primary" }),
        button(REVIEW_ACTION_IDS.edit, "Edit"),
        button(REVIEW_ACTION_IDS.reject, "Reject", { style: "danger" }),
        button("glyco_triage_fix", "Correct triage"), // bot/slack/triage-correction.ts: urgency and responder
        ...(s.url ? [{ type: "button", action_id: "glyco_case_open", text: plain("Open in console"), url: s.url }] : []),
      ],
    },
  ];
}

export function editModalView(caseId: string, draftText: string): Record<string, unknown> {
  return {
    type: "modal",
    callback_id: EDIT_CALLBACK,
    private_metadata: caseId,
    title: plain("Edit reply"),
    submit: plain("Send edited reply"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: "reply",
        label: plain("Reply to deliver"),
        element: { type: "plain_text_input", action_id: "text", multiline: true, initial_value: draftText.slice(0, 3000) },
      },
    ],
  };
}

export function rejectModalView(caseId: string): Record<string, unknown> {
  return {
    type: "modal",
    callback_id: REJECT_CALLBACK,
    private_metadata: caseId,
    title: plain("Reject draft"),
    submit: plain("Reject"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: "reason",
        label: plain("Reason"),
        element: {
          type: "static_select",
          action_id: "code",
          options: RejectReason.options.map((r) => ({ text: plain(r), value: r })),
        },
      },
      {
        type: "input",
        block_id: "alternative",
        optional: true,
        label: plain("What should have been said (optional, used for training)"),
        element: { type: "plain_text_input", action_id: "text", multiline: true },
      },
    ],
  };
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === "object" ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);

export type SlackReviewStep =
  | { kind: "action"; input: ReviewActionInput }
  | { kind: "modal"; triggerId: string; caseId: string; modal: "edit" | "reject" };

/**
 * Map a Slack interaction payload (block_actions or view_submission) to the review operation.
 * Returns null for payloads that are not review interactions or come from an unknown user.
 */
export function fromSlackInteraction(
  payload: unknown,
  reviewerForSlackUser: (slackUserId: string) => string | null,
): SlackReviewStep | null {
  const p = obj(payload);
  const slackUser = str(obj(p.user).id);
  const reviewer = slackUser ? reviewerForSlackUser(slackUser) : null;
  if (!reviewer) return null;
  if (p.type === "block_actions") {
    const a = obj((p.actions as unknown[] | undefined)?.[0]);
    const caseId = str(a.value);
    if (!caseId) return null;
    switch (a.action_id) {
      case REVIEW_ACTION_IDS.acknowledge:
        return { kind: "action", input: { caseId, action: "acknowledge", reviewer } };
      case REVIEW_ACTION_IDS.approve:
        return { kind: "action", input: { caseId, action: "approve", reviewer } };
      case REVIEW_ACTION_IDS.edit:
      case REVIEW_ACTION_IDS.reject: {
        const triggerId = str(p.trigger_id);
        return triggerId
          ? { kind: "modal", triggerId, caseId, modal: a.action_id === REVIEW_ACTION_IDS.edit ? "edit" : "reject" }
          : null;
      }
      default:
        return null;
    }
  }
  if (p.type === "view_submission") {
    const view = obj(p.view);
    const caseId = str(view.private_metadata);
    const values = obj(obj(view.state).values);
    if (!caseId) return null;
    if (view.callback_id === EDIT_CALLBACK) {
      const text = str(obj(obj(values.reply).text).value);
      return text ? { kind: "action", input: { caseId, action: "edit", reviewer, text } } : null;
    }
    if (view.callback_id === REJECT_CALLBACK) {
      const reason = RejectReason.safeParse(str(obj(obj(obj(values.reason).code).selected_option).value));
      const text = str(obj(obj(values.alternative).text).value);
      if (!reason.success) return null;
      return { kind: "action", input: { caseId, action: "reject", reviewer, reason: reason.data, ...(text ? { text } : {}) } };
    }
  }
  return null;
}
