/**
 * The Pager port (core/ports.ts) on Slack's chat.postMessage (the WebClient from @slack/web-api,
 * re-exported by Bolt): a direct message to the on-call clinician, a copy in the review
 * channel, or the fallback channel with @here once the roster is exhausted. The message carries
 * the case summary (redacted) and the Acknowledge / Approve / Edit / Reject buttons
 * (server/review/slack.ts). Built by the composition root only (server/main.ts).
 */
import { webApi } from "@slack/bolt";
import type { Pager } from "../../core/ports.js";
import { reviewBlocks } from "./slack.js";

export interface SlackPagerOptions {
  token: string;
  /** Slack Web API base URL (a stand-in in tests). @defaultValue https://slack.com/api/ */
  slackApiUrl?: string;
}

export function createSlackPager(opts: SlackPagerOptions): Pager {
  const client = new webApi.WebClient(opts.token, {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 1, minTimeout: 200, maxTimeout: 1000 },
  });
  return {
    async page(req) {
      const { target, summary } = req;
      const lead =
        target.kind === "person"
          ? `${req.level === 0 ? "Review needed" : `Not acknowledged in time — re-paging (level ${req.level})`}: <@${target.person.slackUserId}>`
          : "<!here> Review case not acknowledged by anyone on the roster";
      const text = `${lead} — ${summary.urgency} ${summary.kind} case ${summary.caseId}`;
      const blocks = reviewBlocks(summary, lead);
      const posted: string[] = [];
      const channel = target.kind === "person" ? target.person.slackUserId : target.channel;
      const r = await client.chat.postMessage({ channel, text, blocks: blocks as never, unfurl_links: false });
      posted.push(`${channel}@${r.ts ?? "?"}`);
      if (req.reviewChannel && req.reviewChannel !== channel && req.level === 0) {
        const r2 = await client.chat.postMessage({
          channel: req.reviewChannel,
          text,
          blocks: blocks as never,
          unfurl_links: false,
        });
        posted.push(`${req.reviewChannel}@${r2.ts ?? "?"}`);
      }
      return { detail: posted.join(" ") };
    },
  };
}
