/**
 * Replay protection for WeChat callbacks: each (timestamp, nonce) pair is accepted once within
 * the replay window. Plain-mode signatures do not cover the body, so without this one captured
 * query string could carry any number of forged bodies. Kept in Redis with a TTL (shared by every
 * server instance); when Redis cannot answer the callback is refused (WeChat retries), never
 * accepted unchecked.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";

export interface ReplayGuard {
  /** True the first time this (timestamp, nonce) is seen; false on reuse. Throws DEPENDENCY_UNAVAILABLE when unsure. */
  firstUse(timestamp: string, nonce: string): Promise<boolean>;
  /** Forget a pair whose request failed after the check, so WeChat's retry of it is not refused. */
  release(timestamp: string, nonce: string): Promise<void>;
}

const keyOf = (prefix: string, timestamp: string, nonce: string) =>
  `${prefix}:wxnonce:${createHash("sha256").update(`${timestamp}\n${nonce}`).digest("hex").slice(0, 40)}`;

export function createRedisReplayGuard(redis: Redis, o: { prefix: string; windowS: number }): ReplayGuard {
  return {
    async release(timestamp, nonce) {
      await redis.del(keyOf(o.prefix, timestamp, nonce)).catch(() => {});
    },
    async firstUse(timestamp, nonce) {
      try {
        // The timestamp may be up to windowS in the future or the past: keep the pair for 2 windows.
        const r = await redis.set(keyOf(o.prefix, timestamp, nonce), "1", "EX", 2 * o.windowS + 1, "NX");
        return r === "OK";
      } catch (e) {
        throw new AppError("DEPENDENCY_UNAVAILABLE", "replay check unavailable (Redis); refusing the callback", {
          cause: e,
          retryable: true,
        });
      }
    },
  };
}
