/**
 * SLA paging on real Redis/BullMQ with the real Slack WebClient against the Slack API
 * stand-in: a case is paged on open (on-call DM + review channel), re-paged to the next
 * person when not acknowledged within its service level, then the fallback channel; an
 * acknowledged case is not paged again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackApiStandin, startSlackApiStandin } from "../../test/standins/slack-api-standin.js";
import { buildReviewSystem, type ReviewTestSystem, seedCase } from "./fixtures.test-helper.js";
import { createSlackPager } from "./pager.js";
import { REVIEW_ACTION_IDS } from "./slack.js";

let slack: SlackApiStandin;
let t: ReviewTestSystem;
const SLA_MS = 600;

beforeAll(async () => {
  slack = await startSlackApiStandin();
  t = await buildReviewSystem({
    pager: createSlackPager({ token: "xoxb-test", slackApiUrl: slack.url }),
    oncall: {
      roster: [
        { name: "Dr. First", slackUserId: "UFIRST1" },
        { name: "Dr. Second", slackUserId: "USECOND2" },
      ],
      reviewChannel: "CREVIEW",
      fallbackChannel: "CFALLBACK",
    },
    sla: { emergencyMs: SLA_MS, urgentMs: SLA_MS * 2, routineMs: 86400_000 },
    publicUrl: "https://review.example.org",
  });
});
afterAll(async () => {
  await t?.stop();
  await slack?.close();
});

const postsFor = (caseId: string) =>
  slack.callsTo("chat.postMessage").filter((c) => JSON.stringify(c.args.blocks).includes(caseId));

describe("SLA paging", () => {
  it("pages the on-call clinician and the review channel on open, then re-pages the roster, then the fallback", async () => {
    const opened = Date.now();
    const { id } = await seedCase(t, { urgency: "emergency", text: "Patient Li Ming 13812345678 fainted after insulin" });
    await slack.waitFor(() => postsFor(id).length >= 2, 10_000);
    const first = postsFor(id);
    expect(first.map((c) => c.args.channel)).toEqual(["UFIRST1", "CREVIEW"]);
    expect(first[0]?.token).toBe("xoxb-test");
    const blocks = JSON.stringify(first[0]?.args.blocks);
    for (const actionId of Object.values(REVIEW_ACTION_IDS)) expect(blocks).toContain(actionId);
    expect(blocks).toContain(`https://review.example.org/console/cases/${id}`);
    expect(blocks).not.toContain("13812345678");

    await slack.waitFor(() => postsFor(id).length >= 4, 10_000);
    const all = postsFor(id);
    expect(all.map((c) => c.args.channel)).toEqual(["UFIRST1", "CREVIEW", "USECOND2", "CFALLBACK"]);
    // Re-pages wait for the service level; they are delayed jobs, not a poll.
    expect((all[2]?.at ?? 0) - (all[0]?.at ?? 0)).toBeGreaterThanOrEqual(SLA_MS - 50);
    expect((all[3]?.at ?? 0) - opened).toBeGreaterThanOrEqual(2 * SLA_MS - 50);
    expect(String(all[3]?.args.text)).toContain("<!here>");
    // The page is posted before its audit event is appended: wait for the third event to land.
    const pageEvents = async () => (await t.sys.services.audit.list(id)).filter((e) => e.kind === "review-page");
    for (let tries = 0; tries < 100 && (await pageEvents()).length < 3; tries++) await new Promise((r) => setTimeout(r, 50));
    const pages = await pageEvents();
    expect(pages.map((e) => (e.payload as { level: number }).level)).toEqual([0, 1, 2]);
  });

  it("an acknowledged case is not re-paged", async () => {
    const { id } = await seedCase(t, { urgency: "emergency" });
    await slack.waitFor(() => postsFor(id).length >= 1, 10_000);
    await t.review.handleReviewAction({ caseId: id, action: "acknowledge", reviewer: "rev" });
    await new Promise((r) => setTimeout(r, SLA_MS * 3));
    expect(postsFor(id).map((c) => c.args.channel)).toEqual(["UFIRST1", "CREVIEW"]);
  });

  it("a page arriving after the case was decided does nothing", async () => {
    const { id } = await seedCase(t, { urgency: "urgent" });
    await slack.waitFor(() => postsFor(id).length >= 1, 10_000);
    await t.review.handleReviewAction({ caseId: id, action: "reject", reviewer: "rev", reason: "incomplete" });
    await new Promise((r) => setTimeout(r, SLA_MS * 2 + 400));
    expect(postsFor(id)).toHaveLength(2);
  });
});
