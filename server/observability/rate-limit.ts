/**
 * Rate limiting on Redis (shared by every server instance): a fixed window counter per key.
 * Scopes: per sender (a patient or clinician ref) and per token (the bearer token's hash, or the
 * client address when there is none). When Redis is unreachable the limiter lets requests
 * through and says so in the logs: availability of intake matters more than the limit, and
 * accepted messages are still guarded end to end.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";

export interface RateDecision {
  allowed: boolean;
  remaining: number;
  retryAfterS: number;
}

export interface RateLimiter {
  hit(scope: string, key: string, limit: number, windowMs: number): Promise<RateDecision>;
}

export function createRedisRateLimiter(redis: Redis, prefix: string, onError: (e: Error) => void = () => {}): RateLimiter {
  return {
    async hit(scope, key, limit, windowMs) {
      const window = Math.floor(Date.now() / windowMs);
      // Keys hold a hash, never the raw ref or token.
      const k = `${prefix}:rl:${scope}:${createHash("sha256").update(key).digest("hex").slice(0, 32)}:${window}`;
      try {
        const res = await redis.multi().incr(k).pexpire(k, windowMs).exec();
        const count = Number(res?.[0]?.[1] ?? 0);
        const retryAfterS = Math.max(1, Math.ceil(((window + 1) * windowMs - Date.now()) / 1000));
        return { allowed: count <= limit, remaining: Math.max(0, limit - count), retryAfterS };
      } catch (e) {
        onError(e as Error);
        return { allowed: true, remaining: limit, retryAfterS: 0 };
      }
    },
  };
}

/** Throws RATE_LIMITED (429 with Retry-After) when the key is over its limit. */
export async function enforceRate(
  limiter: RateLimiter | undefined,
  scope: string,
  key: string,
  limit: number,
  windowMs = 60_000,
): Promise<void> {
  if (!limiter || limit <= 0) return;
  const d = await limiter.hit(scope, key, limit, windowMs);
  if (!d.allowed) {
    throw new AppError("RATE_LIMITED", `too many requests for this ${scope}; retry in ${d.retryAfterS} s`, {
      details: { scope, retryAfterS: d.retryAfterS },
    });
  }
}
