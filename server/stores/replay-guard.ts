/**
 * The ReplayGuard port (core/ports.ts) in Redis (expiring keys under the queue prefix: WeChat's
 * (timestamp, nonce) pairs) and in SQL (table slack_requests: Slack's signed commands and
 * interactions, refused by every replica even while Redis is down; keys older than their TTL are
 * purged now and then).
 */
import type { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";
import type { Clock, ReplayGuard } from "../../core/ports.js";
import type { SqlClient } from "./sql.js";

export function createRedisReplayGuard(redis: Redis, prefix: string): ReplayGuard {
  return {
    async forget(key) {
      await redis.del(`${prefix}:${key}`).catch(() => {});
    },
    async firstSeen(key, ttlS) {
      try {
        return (await redis.set(`${prefix}:${key}`, "1", "EX", ttlS, "NX")) === "OK";
      } catch (e) {
        throw new AppError("DEPENDENCY_UNAVAILABLE", "replay check unavailable (Redis); refusing the request", {
          cause: e,
          retryable: true,
        });
      }
    },
  };
}

export function createSqlReplayGuard(db: SqlClient, clock: Clock, purgeEvery = 500): ReplayGuard {
  let n = 0;
  return {
    async forget(key) {
      await db.query("DELETE FROM slack_requests WHERE key_hash = $1", [key]).catch(() => {});
    },
    async firstSeen(key, ttlS) {
      const r = await db.query(
        "INSERT INTO slack_requests (key_hash, seen_at) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING RETURNING 1",
        [key, clock().toISOString()],
      );
      if (++n % purgeEvery === 0) {
        const before = new Date(clock().getTime() - ttlS * 1000).toISOString();
        await db.query("DELETE FROM slack_requests WHERE seen_at < $1", [before]).catch(() => {});
      }
      return r.rows.length > 0;
    },
  };
}
