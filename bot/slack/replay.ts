/**
 * The replay guard for signed Slack commands and interactions, in SQL (table slack_requests) so
 * every replica refuses a request another one has already processed. Keys older than twice the
 * signature window are purged now and then; a replay older than the window fails its signature
 * check anyway.
 */
import type { Services } from "../../server/services.js";
import { SLACK_REPLAY_WINDOW_S } from "./verify.js";

export function sqlReplayGuard(s: Services, purgeEvery = 500): (key: string) => Promise<boolean> {
  let n = 0;
  return async function firstSeen(key) {
    const r = await s.db.query(
      "INSERT INTO slack_requests (key_hash, seen_at) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING RETURNING 1",
      [key, s.clock().toISOString()],
    );
    if (++n % purgeEvery === 0) {
      const before = new Date(s.clock().getTime() - 2 * SLACK_REPLAY_WINDOW_S * 1000).toISOString();
      await s.db.query("DELETE FROM slack_requests WHERE seen_at < $1", [before]).catch(() => {});
    }
    return r.rows.length > 0;
  };
}
