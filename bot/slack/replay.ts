/**
 * The replay guard for signed Slack commands and interactions: the composition root's durable
 * ReplayGuard (SQL, table slack_requests), so every replica refuses a request another one has
 * already processed, even while Redis is down. Keys are kept twice the signature window; a
 * replay older than the window fails its signature check anyway.
 */
import type { ReplayGuard } from "../../core/ports.js";
import { SLACK_REPLAY_WINDOW_S } from "./verify.js";

export function slackReplayGuard(guard: ReplayGuard): (key: string) => Promise<boolean> {
  return (key) => guard.firstSeen(key, 2 * SLACK_REPLAY_WINDOW_S);
}
