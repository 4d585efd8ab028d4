/**
 * The clinician desk in Slack: an escalated patient conversation is posted to the review
 * channel with the conversation so far, and its thread becomes the case thread — a clinician's
 * thread reply (or the "Reply to patient" modal) goes to the patient; "Return to bot" hands back.
 */
import type { types } from "@slack/bolt";
import type { CaseRef, ClinicianDesk, TranscriptLine } from "../../core/ports.js";
import { esc, packLines } from "./blocks.js";
import type { Poster } from "./poster.js";

export const HANDOFF_ACTIONS = { reply: "handoff_reply", giveBack: "handoff_return" } as const;

export function caseBlocks(c: {
  conversationId: string;
  priority: string;
  reasons: string[];
  transcript: TranscriptLine[];
}): types.KnownBlock[] {
  const icon = c.priority === "emergency" ? ":rotating_light:" : ":warning:";
  const blocks: types.KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: `Patient case — escalated (${c.priority})` } },
    { type: "section", text: { type: "mrkdwn", text: `${icon} ${esc(c.reasons.join("; ") || "escalated by the pipeline")}` } },
  ];
  const lines = c.transcript.map((l) => `*${l.who === "patient" ? "Patient" : "Bot"}:* ${esc(l.text)}`);
  // Keep the case message within 50 blocks: header, reason, transcript (≤ 45), context, actions.
  for (const t of packLines(lines.length ? ["*Conversation so far*", ...lines] : ["_(no earlier messages)_"]).slice(-45)) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: t } });
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: "The bot is silent in this conversation now. Reply in this thread to message the patient (WeChat).",
      },
    ],
  });
  blocks.push({
    type: "actions",
    block_id: "handoff",
    elements: [
      {
        type: "button",
        action_id: HANDOFF_ACTIONS.reply,
        text: { type: "plain_text", text: "Reply to patient" },
        style: "primary",
        value: c.conversationId,
      },
      {
        type: "button",
        action_id: HANDOFF_ACTIONS.giveBack,
        text: { type: "plain_text", text: "Return to bot" },
        value: c.conversationId,
      },
    ],
  });
  return blocks;
}

export function createSlackDesk(poster: Poster, reviewChannel: string): ClinicianDesk {
  return {
    async postCase(c): Promise<CaseRef> {
      const r = await poster.post(reviewChannel, { text: `Patient case escalated (${c.priority})`, blocks: caseBlocks(c) });
      return { channel: r.channel, ts: r.ts };
    },
    async postToCase(ref, text) {
      for (const t of packLines(esc(text).split("\n"))) {
        await poster.post(
          ref.channel,
          { text: t.slice(0, 200), blocks: [{ type: "section", text: { type: "mrkdwn", text: t } }] },
          ref.ts,
        );
      }
    },
  };
}
