/**
 * Rate limiting on Redis (shared by every server instance): a fixed window counter per key.
 * Scopes: per sender (a patient or clinician ref) and per token (the bearer token's hash, or the
 * client address when there is none). When Redis is unreachable the limits are kept by an
 * in-process limiter instead (per process, so N replicas allow up to N × the limit) and the
 * logs say so: a Redis outage must not switch rate limiting off.
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

/** A fixed-window limiter in this process's memory (the fallback while Redis is down). */
export function createMemoryRateLimiter(opts: { now?: () => number; maxKeys?: number } = {}): RateLimiter {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const counts = new Map<string, { window: number; count: number }>();
  return {
    async hit(scope, key, limit, windowMs) {
      const t = now();
      const window = Math.floor(t / windowMs);
      const k = `${scope}:${windowMs}:${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
      let e = counts.get(k);
      if (!e || e.window !== window) {
        e = { window, count: 0 };
        counts.delete(k);
        counts.set(k, e);
        // Bounded memory: drop the oldest keys (a flood of distinct keys cannot grow the map).
        while (counts.size > maxKeys) counts.delete(counts.keys().next().value as string);
      }
      e.count++;
      const retryAfterS = Math.max(1, Math.ceil(((window + 1) * windowMs - t) / 1000));
      return { allowed: e.count <= limit, remaining: Math.max(0, limit - e.count), retryAfterS };
    },
  };
}

export function createRedisRateLimiter(
  redis: Redis,
  prefix: string,
  onError: (e: Error) => void = () => {},
  fallback: RateLimiter = createMemoryRateLimiter(),
): RateLimiter {
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
        return fallback.hit(scope, key, limit, windowMs);
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
