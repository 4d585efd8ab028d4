/**
 * Throttling failed credentials, per request: the client address (X-Forwarded-For only behind
 * TRUSTED_PROXIES), the SQL-backed backoff lockout configured by LOGIN_MAX_FAILURES and
 * friends, and the audit events for failures and lockouts. Used by the /v1 token guard, the
 * console/review guard and the sign-in form. Requests with no socket address (in-process
 * calls) are throttled per account only.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { Config } from "../../core/config.js";
import { AppError } from "../../core/errors.js";
import type { Services } from "../services.js";
import { clientAddress, trustedProxiesFor } from "./client-address.js";
import { createThrottle, type Lock, type Throttle, type ThrottleScope } from "./throttle.js";

const throttles = new WeakMap<Config, Throttle>();

export function throttleFor(config: Config): Throttle {
  let t = throttles.get(config);
  if (!t) {
    t = createThrottle({
      maxFailures: config.LOGIN_MAX_FAILURES,
      lockoutMs: config.LOGIN_LOCKOUT_MS,
      maxLockoutMs: config.LOGIN_LOCKOUT_MAX_MS,
      windowMs: config.LOGIN_FAILURE_WINDOW_MS,
    });
    throttles.set(config, t);
  }
  return t;
}

const services = (c: Context): Services => (c.var as { services: Services }).services;

export function addressOf(c: Context): string | null {
  return clientAddress(c, trustedProxiesFor(services(c).config.TRUSTED_PROXIES));
}

/** A short hash that lets an operator correlate one address's attempts without storing it. */
export const addrRef = (addr: string) => `addr:${createHash("sha256").update(addr).digest("hex").slice(0, 16)}`;

export function lockedError(lock: Lock): AppError {
  return new AppError("RATE_LIMITED", `too many failed attempts; try again in ${lock.retryAfterS} s`, {
    details: { scope: "auth", retryAfterS: lock.retryAfterS },
  });
}

/** Refuse with 429 when this request's client address is locked out for bad tokens. */
export async function assertTokenAddressOpen(c: Context): Promise<void> {
  const addr = addressOf(c);
  if (!addr) return;
  const s = services(c);
  const lock = await throttleFor(s.config).status(s.db, "token-addr", addr, s.clock());
  if (lock.locked) {
    s.log.debug({ event: "auth.token.locked", addr: addrRef(addr), retryAfterS: lock.retryAfterS }, "token attempt refused");
    throw lockedError(lock);
  }
}

/** Count a bad bearer token against the client address; audited. */
export async function tokenFailed(c: Context): Promise<void> {
  const addr = addressOf(c);
  const s = services(c);
  if (!addr) return;
  const lock = await throttleFor(s.config).fail(s.db, "token-addr", addr, s.clock());
  await audit(c, "auth-token-failed", addrRef(addr), {
    scope: "token-addr",
    failures: lock.failures,
    lockedForS: lock.retryAfterS,
  });
}

export interface LoginGate {
  /** Locked: refuse before checking the password. */
  locked: Lock | null;
  failed(user: string): Promise<Lock>;
  succeeded(user: string): Promise<void>;
}

/** The sign-in throttle for one attempt on `user` from this request's address. */
export async function loginGate(c: Context, user: string): Promise<LoginGate> {
  const s = services(c);
  const t = throttleFor(s.config);
  const addr = addressOf(c);
  const keys: Array<[ThrottleScope, string]> = [["login-user", user.slice(0, 64)]];
  if (addr) keys.push(["login-addr", addr]);
  const now = s.clock();
  const locks = await Promise.all(keys.map(([scope, k]) => t.status(s.db, scope, k, now)));
  const worst = locks.filter((l) => l.locked).sort((a, b) => b.retryAfterS - a.retryAfterS)[0] ?? null;
  if (worst) {
    s.log.debug({ event: "auth.login.locked", retryAfterS: worst.retryAfterS }, "sign-in refused while locked");
    await audit(c, "auth-login-locked", `user:${user.slice(0, 64)}`, {
      user: user.slice(0, 64),
      ...(addr ? { addr: addrRef(addr) } : {}),
      retryAfterS: worst.retryAfterS,
    });
  }
  return {
    locked: worst,
    async failed(u) {
      const after = await Promise.all(keys.map(([scope, k]) => t.fail(s.db, scope, k, s.clock())));
      const lock = after.sort((a, b) => b.retryAfterS - a.retryAfterS)[0] as Lock;
      await audit(c, "auth-login-failed", `user:${u.slice(0, 64)}`, {
        user: u.slice(0, 64),
        ...(addr ? { addr: addrRef(addr) } : {}),
        failures: Math.max(...after.map((l) => l.failures)),
        lockedForS: lock.retryAfterS,
      });
      return lock;
    },
    async succeeded(u) {
      await t.clear(s.db, "login-user", u.slice(0, 64));
    },
  };
}

async function audit(c: Context, kind: string, caseId: string, payload: Record<string, unknown>): Promise<void> {
  const s = services(c);
  await s.audit.append({ kind, caseId, traceId: (c.var as { requestId?: string }).requestId, payload });
}
