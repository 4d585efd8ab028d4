/**
 * "Correct triage" on a Slack review page (issue 12, item 4): the button opens a modal with two
 * static selects (urgency, responder) set to the case's current triage; the submission calls
 * the same correction service as the console and POST /v1/review/cases/:id/triage, through
 * the ReviewDesk port (server/review/triage-correction.ts: stored, queue priority follows,
 * audited, exported as triage SFT/DPO pairs). The Slack user is checked like the review buttons do: linked to a
 * console user (users file `slackUserId`) whose role is reviewer or admin, on the press and
 * again on the submission. Every interaction — opened, corrected, refused, failed — is audited
 * with ids and codes only.
 */
import type { App } from "@slack/bolt";
import { z } from "zod";
import { Responder, Urgency } from "../../core/domain.js";
import { toAppError } from "../../core/errors.js";
import type { AuditStore, Log, ReviewDesk } from "../../core/ports.js";
import type { Poster } from "./poster.js";

/** The modal's two selects, checked before the correction is submitted. */
const TriageChoiceInput = z.object({ urgency: Urgency, responder: Responder });

/** The review page's button (server/review/slack.ts `reviewBlocks` carries it, value = case id). */
export const TRIAGE_FIX_ACTION = "glyco_triage_fix";
export const TRIAGE_FIX_CALLBACK = "glyco_triage_fix_modal";

const ACTING_ROLES = new Set(["reviewer", "admin"]);
const URGENCY_LABEL: Record<Urgency, string> = { emergency: "Emergency", urgent: "Urgent (today)", routine: "Routine" };
const RESPONDER_LABEL: Record<Responder, string> = {
  physician: "Physician",
  nurse: "Nurse",
  assistant: "Assistant",
  bot: "Bot (automatic reply)",
};

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v && typeof v === "object" ? (v as Loose) : {});
const str = (v: unknown) => (typeof v === "string" ? v : "");
const plain = (text: string) => ({ type: "plain_text" as const, text: text.slice(0, 150) });

interface Meta {
  caseId: string;
  channel?: string;
  thread?: string;
}

function option<T extends string>(labels: Record<T, string>, v: T) {
  return { text: plain(labels[v]), value: v };
}

/** The modal: two static selects preset to the case's current urgency and responder. */
export function triageFixView(meta: Meta, current: { urgency: Urgency; responder: Responder }): Record<string, unknown> {
  return {
    type: "modal",
    callback_id: TRIAGE_FIX_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain("Correct triage"),
    submit: plain("Save correction"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "The queue follows your correction; corrections train the triage model (`glycopilot export triage-dpo`).",
          },
        ],
      },
      {
        type: "input",
        block_id: "urgency",
        label: plain("Urgency"),
        element: {
          type: "static_select",
          action_id: "v",
          initial_option: option(URGENCY_LABEL, current.urgency),
          options: Urgency.options.map((u) => option(URGENCY_LABEL, u)),
        },
      },
      {
        type: "input",
        block_id: "responder",
        label: plain("Responder"),
        element: {
          type: "static_select",
          action_id: "v",
          initial_option: option(RESPONDER_LABEL, current.responder),
          options: Responder.options.map((r) => option(RESPONDER_LABEL, r)),
        },
      },
    ],
  };
}

function parseMeta(raw: string): Meta | null {
  try {
    const m = obj(JSON.parse(raw));
    const caseId = str(m.caseId).slice(0, 200);
    if (!caseId) return null;
    return {
      caseId,
      ...(str(m.channel) ? { channel: str(m.channel) } : {}),
      ...(str(m.thread) ? { thread: str(m.thread) } : {}),
    };
  } catch {
    return null;
  }
}

const selected = (values: Loose, block: string) => str(obj(obj(obj(values[block]).v).selected_option).value);

export function registerTriageCorrection(app: App, d: { audit: AuditStore; log: Log; review: ReviewDesk; poster: Poster }): void {
  const s = d;
  const reviewerOf = (slackUserId: string): string | null => {
    const u = slackUserId ? d.review.userBySlackId(slackUserId) : null;
    return u && ACTING_ROLES.has(u.role) ? u.username : null;
  };
  const refusal = (slackUserId: string) =>
    slackUserId && d.review.userBySlackId(slackUserId) ? "role-may-not-review" : "slack-user-not-linked";
  const audit = (caseId: string, payload: Record<string, unknown>) =>
    s.audit.append({ kind: "slack-review-interaction", caseId: caseId || "slack:unknown-case", payload });

  app.action(TRIAGE_FIX_ACTION, async ({ ack, body, client }) => {
    await ack();
    const p = body as unknown as Loose;
    const slackUser = str(obj(p.user).id);
    const caseId = str(obj((p.actions as unknown[] | undefined)?.[0]).value).slice(0, 200);
    const container = obj(p.container);
    const channel = str(container.channel_id) || str(obj(p.channel).id);
    const thread = str(container.thread_ts) || str(container.message_ts);
    const tell = async (text: string) => {
      if (channel && slackUser) await client.chat.postEphemeral({ channel, user: slackUser, text }).catch(() => {});
    };
    const reviewer = reviewerOf(slackUser);
    if (!reviewer) {
      const reason = refusal(slackUser);
      await audit(caseId, { action: "triage-correct", slackUser, outcome: "refused", reason });
      await tell(
        reason === "slack-user-not-linked"
          ? "Your Slack account is not linked to a GlycoPilot reviewer, so this button does nothing. Ask an admin to add your Slack user id."
          : "Only reviewers and admins may correct a case's triage.",
      );
      return;
    }
    const rc = caseId ? await d.review.caseTriage(caseId) : null;
    const triage = rc?.current;
    const trigger = str(p.trigger_id);
    if (!rc || !triage || !trigger) {
      await audit(caseId, {
        action: "triage-correct",
        slackUser,
        outcome: "refused",
        reason: !rc ? "no-such-case" : "no-triage",
      });
      await tell(!rc ? "No such review case." : "This case has no triage to correct.");
      return;
    }
    await audit(rc.messageId, { action: "triage-correct", caseId: rc.id, slackUser, reviewer, outcome: "modal-opened" });
    const meta: Meta = { caseId: rc.id, ...(channel ? { channel } : {}), ...(thread ? { thread } : {}) };
    // The current urgency is the queue's priority: the one a previous correction left.
    await client.views.open({ trigger_id: trigger, view: triageFixView(meta, triage) as never });
  });

  app.view(TRIAGE_FIX_CALLBACK, async ({ ack, body }) => {
    const p = body as unknown as Loose;
    const view = obj(p.view);
    const slackUser = str(obj(p.user).id);
    const meta = parseMeta(str(view.private_metadata));
    const reviewer = reviewerOf(slackUser);
    if (!reviewer || !meta) {
      const reason = !reviewer ? refusal(slackUser) : "bad-submission";
      await audit(meta?.caseId ?? "", { action: "triage-correct", slackUser, outcome: "refused", reason });
      await ack({ response_action: "errors", errors: { urgency: "You may not correct the triage of review cases." } });
      return;
    }
    const values = obj(obj(view.state).values);
    const input = TriageChoiceInput.safeParse({
      urgency: selected(values, "urgency"),
      responder: selected(values, "responder"),
    });
    if (!input.success) {
      await audit(meta.caseId, { action: "triage-correct", slackUser, reviewer, outcome: "refused", reason: "bad-submission" });
      await ack({
        response_action: "errors",
        errors: Object.fromEntries(input.error.issues.map((i) => [String(i.path[0]), "Choose one."])),
      });
      return;
    }
    // The correction runs before the ack, so a failure shows in the modal.
    try {
      const out = await d.review.correctTriage({ caseId: meta.caseId, reviewer, ...input.data });
      await audit(out.messageId ?? out.caseId, {
        action: "triage-correct",
        caseId: out.caseId,
        slackUser,
        reviewer,
        outcome: "corrected",
        before: out.before,
        after: out.after,
      });
      await ack();
      if (meta.channel && meta.thread)
        await d.poster
          .post(
            meta.channel,
            {
              text: "Triage corrected",
              blocks: [
                {
                  type: "context",
                  elements: [
                    {
                      type: "mrkdwn",
                      text: `Triage corrected by <@${slackUser}>: ${out.before.urgency}/${out.before.responder} → *${out.after.urgency}/${out.after.responder}*.`,
                    },
                  ],
                },
              ],
            },
            meta.thread,
          )
          .catch((e: unknown) =>
            s.log.warn({ caseId: out.caseId, err: (e as Error).message }, "slack: triage confirmation not posted"),
          );
    } catch (e) {
      const err = toAppError(e);
      await audit(meta.caseId, { action: "triage-correct", slackUser, reviewer, outcome: "failed", code: err.code });
      await ack({
        response_action: "errors",
        errors: { urgency: err.code === "INTERNAL" ? "internal error" : err.message.slice(0, 150) },
      });
    }
  });
}
