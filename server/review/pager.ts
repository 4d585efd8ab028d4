/**
 * Paging a human about a review case. `Pager` is the port; `createSlackPager` posts with
 * Slack's chat.postMessage (the WebClient from @slack/web-api, re-exported by Bolt): a direct
 * message to the on-call clinician, a copy in the review channel, or the fallback channel
 * with @here once the roster is exhausted. The message carries the case summary (redacted)
 * and the Acknowledge / Approve / Edit / Reject buttons (server/review/slack.ts).
 */
import { webApi } from "@slack/bolt";
import type { Redacted, Urgency } from "../../core/domain.js";
import type { PageTarget } from "./oncall.js";
import { reviewBlocks } from "./slack.js";

export interface CaseSummary {
  caseId: string;
  urgency: Urgency;
  channel: string;
  kind: string;
  /** The decision's reasons and the rules that fired: codes, no patient text. */
  reasons: string[];
  rules: string[];
  /** The message, PHI removed, shortened. */
  excerpt: Redacted;
  dueAt: Date;
  /** Link to the case in the console, when the console's public URL is known. */
  url?: string;
}

export interface PageRequest {
  target: PageTarget;
  /** 0 on open; each missed service level pages the next level. */
  level: number;
  summary: CaseSummary;
  /** Also post the first page here (the team's review channel). */
  reviewChannel?: string;
}

/**
 * Contract: `page` delivers one page (or throws, and the SLA job retries it). Leaves out: who
 * is next and when (the SLA worker decides), acknowledgement (handleReviewAction).
 */
export interface Pager {
  page(req: PageRequest): Promise<{ detail: string }>;
}

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
