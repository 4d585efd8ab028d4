/**
 * Slack request signatures: HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret,
 * within a 5-minute window either side of now (Bolt's own check only rejects stale
 * timestamps; a far-future timestamp would otherwise be replayable for as long as it is
 * "future"). `signSlackRequest` is for tests and the ack benchmark.
 */
import { createHmac } from "node:crypto";
import { isValidSlackRequest } from "@slack/bolt";

export const SLACK_REPLAY_WINDOW_S = 300;

export function verifySlackSignature(o: {
  signingSecret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
}): boolean {
  if (!o.timestamp || !o.signature || !/^\d{1,12}$/.test(o.timestamp)) return false;
  const ts = Number(o.timestamp);
  if (Math.abs(o.nowMs / 1000 - ts) > SLACK_REPLAY_WINDOW_S) return false;
  return isValidSlackRequest({
    signingSecret: o.signingSecret,
    body: o.rawBody,
    headers: { "x-slack-signature": o.signature, "x-slack-request-timestamp": ts },
    nowMilliseconds: o.nowMs,
  });
}

/** Headers Slack would send with `rawBody` at `timestampS` (seconds). */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampS = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const sig = createHmac("sha256", signingSecret).update(`v0:${timestampS}:${rawBody}`).digest("hex");
  return { "x-slack-request-timestamp": String(timestampS), "x-slack-signature": `v0=${sig}` };
}
