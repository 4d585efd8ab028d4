/**
 * What the Slack app listens to: questions by @mention or DM, the /glyco slash command and its
 * modal, the review buttons on answers, and the handoff case threads. Listeners ack at once and
 * hand the message to Intake (core/ports.ts); they never triage nor detect languages.
 */
import type { App } from "@slack/bolt";
import type { PatientContext } from "../../core/domain.js";
import type { AuditStore, HandoffDesk, Intake, IntakeSubmission, ReviewStore } from "../../core/ports.js";
import { ACTIONS } from "./blocks.js";
import { HANDOFF_ACTIONS } from "./desk.js";
import { CONSULT_CALLBACK, consultView, parseConsultSubmission, REPLY_CALLBACK, replyText, replyView } from "./modal.js";
import type { Poster } from "./poster.js";

export interface ListenerDeps {
  intake: Intake;
  audit: AuditStore;
  /** Opens a review case when a clinician flags or escalates an answer. */
  reviews: ReviewStore;
  poster: Poster;
  handoff?: HandoffDesk;
  reviewChannel?: string;
}

type Loose = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : "");

export const stripMention = (text: string) => text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, "").trim();

/** A clinician's question → an Intake submission; the answer goes to `thread`. */
function slackSubmission(m: {
  channel: string;
  thread: string;
  user: string;
  text: string;
  key: string;
  patient?: PatientContext;
}): IntakeSubmission {
  return {
    channel: "slack",
    kind: "consultation",
    conversationId: `slack:${m.channel}:${m.thread}`,
    sender: { role: "clinician", ref: `slack:${m.user}` },
    text: m.text,
    key: m.key,
    replyTo: { channel: m.channel, thread_ts: m.thread },
    ...(m.patient ? { patient: m.patient, langContext: m.patient.chiefComplaint ?? "" } : {}),
  };
}

export function registerListeners(app: App, d: ListenerDeps): void {
  async function ask(ev: Loose, eventId: string) {
    const text = stripMention(str(ev.text));
    const channel = str(ev.channel);
    const ts = str(ev.ts);
    if (!text || !channel || !ts) return;
    const thread = str(ev.thread_ts) || ts;
    await d.intake.submit(slackSubmission({ channel, thread, user: str(ev.user), text, key: `slack:${eventId}` }));
  }

  app.event("app_mention", async ({ event, body }) => {
    const ev = event as unknown as Loose;
    if (str(ev.channel).startsWith("D")) return; // DMs arrive as message.im too
    await ask(ev, str((body as Loose).event_id));
  });

  app.message(async ({ message, body }) => {
    const ev = message as unknown as Loose;
    if (ev.subtype || ev.bot_id) return; // edits, joins, and every bot post (our own included): no loops
    if (ev.channel_type === "im") return ask(ev, str((body as Loose).event_id));
    const thread = str(ev.thread_ts);
    if (!d.handoff || !thread || thread === str(ev.ts)) return;
    const conv = await d.handoff.findByCase({ channel: str(ev.channel), ts: thread });
    if (!conv) return;
    const text = str(ev.text).trim();
    if (text)
      await d.handoff.clinicianReply({
        conversationId: conv.id,
        clinicianRef: `slack:${str(ev.user)}`,
        text,
        via: "slack-thread",
      });
  });

  app.command("/glyco", async ({ ack, command, client }) => {
    await ack();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: consultView({ channel: command.channel_id, user: command.user_id }),
    });
  });

  app.view(CONSULT_CALLBACK, async ({ ack, view, body }) => {
    const parsed = parseConsultSubmission(view.state.values as never);
    if (!parsed.ok) {
      await ack({ response_action: "errors", errors: parsed.errors });
      return;
    }
    await ack();
    const meta = JSON.parse(view.private_metadata || "{}") as { channel?: string; user?: string };
    const channel = meta.channel || body.user.id;
    const root = await d.poster.post(channel, {
      text: "Consultation received",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: `:stethoscope: Consultation from <@${body.user.id}> received — the answer will follow in this thread.`,
          },
        },
      ],
    });
    await d.intake.submit(
      slackSubmission({
        channel: root.channel,
        thread: root.ts,
        user: body.user.id,
        text: parsed.question,
        key: `slack:view:${view.id}`,
        patient: parsed.patient,
      }),
    );
  });

  for (const [kind, actionId] of Object.entries(ACTIONS)) {
    app.action(actionId, async ({ ack, action, body }) => {
      await ack();
      const messageId = str((action as unknown as Loose).value);
      const user = body.user.id;
      await d.audit.append({
        kind: "slack-review-action",
        caseId: messageId,
        payload: { action: kind, clinician: `slack:${user}` },
      });
      if (kind !== "accept") {
        await d.reviews.openCase({
          messageId,
          priority: kind === "escalate" ? "urgent" : "routine",
          action: `clinician-${kind}`,
          reasons: [`${kind} by slack:${user}`],
        });
      }
      const container = (body as unknown as Loose).container as Loose | undefined;
      const channel = str(container?.channel_id);
      const thread = str(container?.thread_ts) || str(container?.message_ts);
      const label = { accept: "accepted", escalate: "escalated to the review queue", flag: "flagged for review" }[kind];
      if (channel && thread)
        await d.poster.post(
          channel,
          {
            text: `Answer ${label}`,
            blocks: [{ type: "context", elements: [{ type: "mrkdwn", text: `Answer ${label} by <@${user}>.` }] }],
          },
          thread,
        );
    });
  }

  app.action(HANDOFF_ACTIONS.reply, async ({ ack, action, body, client }) => {
    await ack();
    const trigger = str((body as unknown as Loose).trigger_id);
    if (trigger) await client.views.open({ trigger_id: trigger, view: replyView(str((action as unknown as Loose).value)) });
  });

  app.view(REPLY_CALLBACK, async ({ ack, view, body }) => {
    const text = replyText(view.state.values as never);
    if (!text) {
      await ack({ response_action: "errors", errors: { text: "Write a message first." } });
      return;
    }
    await ack();
    await d.handoff?.clinicianReply({
      conversationId: view.private_metadata,
      clinicianRef: `slack:${body.user.id}`,
      text,
      via: "slack-modal",
    });
  });

  app.action(HANDOFF_ACTIONS.giveBack, async ({ ack, action, body }) => {
    await ack();
    await d.handoff?.returnToBot({
      conversationId: str((action as unknown as Loose).value),
      clinicianRef: `slack:${body.user.id}`,
    });
  });
}
