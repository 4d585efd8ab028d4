/**
 * Backoff lockout for sign-ins and bearer tokens, kept in SQL (table auth_failures) so every
 * replica sees the same counts and a Redis outage does not switch it off. Failures are counted
 * per key (an account, or a client address); from the `maxFailures`-th failure in a row the key
 * is locked for `lockoutMs`, doubling with each further failure up to `maxLockoutMs`. A success
 * clears the account's count; failures older than `windowMs` are forgotten. Keys are stored
 * hashed.
 */
import { createHash } from "node:crypto";
import type { SqlQueryable } from "../stores/sql.js";

export type ThrottleScope = "login-user" | "login-addr" | "token-addr";

export interface ThrottleOptions {
  /** @defaultValue 5 */
  maxFailures: number;
  /** @defaultValue 60 s */
  lockoutMs: number;
  /** @defaultValue 1 h */
  maxLockoutMs: number;
  /** @defaultValue 15 min */
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  maxFailures: 5,
  lockoutMs: 60_000,
  maxLockoutMs: 3_600_000,
  windowMs: 900_000,
};

export interface Lock {
  locked: boolean;
  /** Seconds until the key may try again (0 when not locked). */
  retryAfterS: number;
  failures: number;
}

const hashKey = (scope: string, key: string) => createHash("sha256").update(`${scope}\u0000${key}`).digest("hex");

export interface Throttle {
  status(db: SqlQueryable, scope: ThrottleScope, key: string, now: Date): Promise<Lock>;
  /** Count one failure; returns the state after it (locked when this failure reached the limit). */
  fail(db: SqlQueryable, scope: ThrottleScope, key: string, now: Date): Promise<Lock>;
  clear(db: SqlQueryable, scope: ThrottleScope, key: string): Promise<void>;
}

export function createThrottle(opts: Partial<ThrottleOptions> = {}): Throttle {
  const o = { ...DEFAULT_THROTTLE, ...opts };
  const lockFor = (failures: number) =>
    failures < o.maxFailures ? 0 : Math.min(o.maxLockoutMs, o.lockoutMs * 2 ** Math.min(30, failures - o.maxFailures));
  const view = (failures: number, lockedUntil: Date | null, now: Date): Lock => {
    const ms = lockedUntil ? lockedUntil.getTime() - now.getTime() : 0;
    return { locked: ms > 0, retryAfterS: ms > 0 ? Math.ceil(ms / 1000) : 0, failures };
  };
  return {
    async status(db, scope, key, now) {
      const r = await db.query<{ failures: number; locked_until: Date | string | null; last_failure_at: Date | string }>(
        "SELECT failures, locked_until, last_failure_at FROM auth_failures WHERE scope = $1 AND key_hash = $2",
        [scope, hashKey(scope, key)],
      );
      const row = r.rows[0];
      if (!row) return { locked: false, retryAfterS: 0, failures: 0 };
      const lockedUntil = row.locked_until ? new Date(row.locked_until) : null;
      const stale = now.getTime() - new Date(row.last_failure_at).getTime() > o.windowMs;
      if (stale && !(lockedUntil && lockedUntil > now)) return { locked: false, retryAfterS: 0, failures: 0 };
      return view(Number(row.failures), lockedUntil, now);
    },
    async fail(db, scope, key, now) {
      const k = hashKey(scope, key);
      const windowStart = new Date(now.getTime() - o.windowMs);
      // One statement: concurrent failures on two replicas both count.
      const r = await db.query<{ failures: number }>(
        `INSERT INTO auth_failures (scope, key_hash, failures, last_failure_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (scope, key_hash) DO UPDATE SET
           failures = CASE WHEN auth_failures.last_failure_at < $4
                            AND (auth_failures.locked_until IS NULL OR auth_failures.locked_until < $3)
                           THEN 1 ELSE auth_failures.failures + 1 END,
           last_failure_at = $3
         RETURNING failures`,
        [scope, k, now.toISOString(), windowStart.toISOString()],
      );
      const failures = Number(r.rows[0]?.failures ?? 1);
      const ms = lockFor(failures);
      const lockedUntil = ms > 0 ? new Date(now.getTime() + ms) : null;
      if (lockedUntil)
        await db.query("UPDATE auth_failures SET locked_until = $3 WHERE scope = $1 AND key_hash = $2", [
          scope,
          k,
          lockedUntil.toISOString(),
        ]);
      return view(failures, lockedUntil, now);
    },
    async clear(db, scope, key) {
      await db.query("DELETE FROM auth_failures WHERE scope = $1 AND key_hash = $2", [scope, hashKey(scope, key)]);
    },
  };
}
