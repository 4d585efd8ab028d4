/**
 * Access control for reviewer, clinician and admin routes. Every protected route is declared
 * through `auth.route(...)`, which both installs the guard and records the route, so the
 * shared security suite (server/auth/security.int.test.ts) covers new routes automatically.
 *
 * A caller is a machine (Authorization: Bearer <token>, hashed in API_TOKENS) or a person
 * (a server-side session in SQL behind a signed cookie; logout and admin revocation end it at
 * once). Bad passwords and bad tokens are throttled per account and per client address with a
 * backoff lockout (server/auth/attempts.ts). Unsafe methods from a session need the session's CSRF token
 * (hidden form field `_csrf` or header X-CSRF-Token); bearer calls carry no ambient
 * credential and need none.
 */
import type { Context, Handler, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { describeRoute } from "hono-openapi";
import { AppError } from "../../core/errors.js";
import { protectedRouteDoc, type RouteDoc } from "../routes/openapi-doc.js";
import type { AppEnv, Services } from "../services.js";
import { assertTokenAddressOpen, loginGate, tokenFailed } from "./attempts.js";
import { matchToken, type Principal, parseApiTokens, type Role, type User, verifyPassword } from "./credentials.js";
import { isLoopbackHost } from "./open-api.js";
import { createSessionStore, SESSION_COOKIE, sameToken } from "./session.js";

export type Method = "GET" | "POST";

export interface ProtectedRoute {
  method: Method;
  /** Hono path pattern, e.g. /console/cases/:id */
  path: string;
  roles: readonly Role[];
  /** Pages redirect to the login form when there is no session; APIs answer 401. */
  kind: "page" | "api";
}

export interface AuthOptions {
  users: readonly User[];
  /** HMAC key for session cookies (SESSION_SECRET, at least 32 characters). */
  sessionSecret: string;
  /** API_TOKENS: "name:role:sha256hex,…". */
  apiTokens?: string | undefined;
  /** @defaultValue 8 hours */
  sessionTtlMs?: number;
  /**
   * Mark cookies Secure. "auto": Secure unless the request is addressed to a loopback host
   * (http://127.0.0.1 on a laptop), so any deployment reached by name gets Secure cookies.
   * @defaultValue "auto"
   */
  secureCookies?: boolean | "auto";
  now?: () => number;
}

export type AuthEnv = AppEnv & { Variables: AppEnv["Variables"] & { principal: Principal; csrf: string | null } };

export type LoginResult = { ok: true; principal: Principal } | { ok: false; retryAfterS: number | null };

export interface Auth {
  /** Declare a protected route on `app`; the guard runs before `handler`. */
  route(
    app: Hono<AuthEnv>,
    method: Method,
    path: string,
    spec: {
      roles: readonly Role[];
      kind: "page" | "api" /** OpenAPI summary etc.; security comes from `roles`. */;
      doc?: RouteDoc;
    },
    handler: Handler<AuthEnv>,
  ): void;
  /** Every route declared so far (what the security suite iterates over). */
  routes(): readonly ProtectedRoute[];
  /** Check a username/password under the sign-in throttle; on success start a session (cookie set). */
  login(c: Context, username: string, password: string): Promise<LoginResult>;
  /** Revoke this request's session and clear the cookie. */
  logout(c: Context): Promise<void>;
  /** End every session of `username` (admin). Returns how many were live. */
  revokeSessions(c: Context, username: string, by: string): Promise<number>;
  /** The principal of a request without enforcing roles (429 when its address is locked out for bad tokens). */
  identify(c: Context): Promise<{ principal: Principal; csrf: string | null } | null>;
  /** Whether cookies set on this request are Secure. */
  secureFor(c: Context): boolean;
  userBySlackId(slackUserId: string): User | null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const servicesOf = (c: Context): Services => (c.var as { services: Services }).services;

export function createAuth(opts: AuthOptions): Auth {
  if (opts.sessionSecret.length < 32) throw new AppError("CONFIG_INVALID", "SESSION_SECRET must be at least 32 characters");
  const tokens = parseApiTokens(opts.apiTokens);
  // The system clock (services.clock) unless a test passes its own.
  const nowFor = (c: Context) => (opts.now ? new Date(opts.now()) : servicesOf(c).clock());
  const ttl = opts.sessionTtlMs ?? 8 * 3600_000;
  const users = new Map(opts.users.map((u) => [u.username, u]));
  const sessions = createSessionStore(opts.sessionSecret);
  const declared: ProtectedRoute[] = [];

  const secureFor = (c: Context): boolean => {
    const mode = opts.secureCookies ?? "auto";
    if (mode !== "auto") return mode;
    return !isLoopbackHost(new URL(c.req.url).hostname);
  };

  const identify: Auth["identify"] = async (c) => {
    const authz = c.req.header("authorization");
    if (authz !== undefined) {
      await assertTokenAddressOpen(c);
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const p = m?.[1] ? matchToken(tokens, m[1]) : null;
      if (!p) await tokenFailed(c);
      return p ? { principal: p, csrf: null } : null;
    }
    const s = await sessions.read(servicesOf(c).db, getCookie(c, SESSION_COOKIE), nowFor(c));
    if (!s) return null;
    const user = users.get(s.username);
    // A user removed from the file, or whose role changed, loses the old session at once.
    if (!user || user.role !== s.role) return null;
    return { principal: { name: s.username, role: s.role, via: "session" }, csrf: s.csrf };
  };

  async function csrfOk(c: Context, expected: string): Promise<boolean> {
    const header = c.req.header("x-csrf-token");
    if (header !== undefined) return sameToken(header, expected);
    const type = c.req.header("content-type") ?? "";
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return false;
    const form = await c.req.parseBody();
    const field = form._csrf;
    return typeof field === "string" && sameToken(field, expected);
  }

  return {
    route(app, method, path, spec, handler) {
      declared.push({ method, path, roles: spec.roles, kind: spec.kind });
      const guard: Handler<AuthEnv> = async (c, next) => {
        const who = await identify(c);
        if (!who) {
          if (spec.kind === "page" && method === "GET" && c.req.header("authorization") === undefined) {
            return c.redirect(`/console/login?next=${encodeURIComponent(c.req.path)}`, 303);
          }
          throw new AppError("UNAUTHORIZED", "sign in or send a valid API token");
        }
        if (!spec.roles.includes(who.principal.role))
          throw new AppError("FORBIDDEN", `role ${who.principal.role} may not ${method} ${path}`);
        if (UNSAFE.has(c.req.method) && who.csrf !== null && !(await csrfOk(c, who.csrf))) {
          throw new AppError("FORBIDDEN", "missing or wrong CSRF token");
        }
        c.set("principal", who.principal);
        c.set("csrf", who.csrf);
        await next();
      };
      // The route's OpenAPI description, security included (server/routes/openapi-doc.ts).
      app.on(method, path, describeRoute(protectedRouteDoc(method, path, spec)), guard, handler);
    },
    routes: () => [...declared],
    async login(c, username, password) {
      const gate = await loginGate(c, username);
      if (gate.locked) return { ok: false, retryAfterS: gate.locked.retryAfterS };
      const user = users.get(username);
      // Hash even for unknown users so response time does not reveal which usernames exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        // This attempt was checked and failed: a 401. If it reached the limit, the next one is refused.
        await gate.failed(username);
        return { ok: false, retryAfterS: null };
      }
      await gate.succeeded(username);
      const s = await sessions.create(servicesOf(c).db, { username: user.username, role: user.role, ttlMs: ttl, now: nowFor(c) });
      setCookie(c, SESSION_COOKIE, s.cookie, {
        httpOnly: true,
        sameSite: "Strict",
        secure: secureFor(c),
        path: "/",
        maxAge: Math.floor(ttl / 1000),
      });
      return { ok: true, principal: { name: user.username, role: user.role, via: "session" } };
    },
    async logout(c) {
      await sessions.revoke(servicesOf(c).db, getCookie(c, SESSION_COOKIE), "logout", nowFor(c));
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureFor(c), httpOnly: true, sameSite: "Strict" });
    },
    revokeSessions: (c, username, by) => sessions.revokeUser(servicesOf(c).db, username, by, nowFor(c)),
    identify,
    secureFor,
    userBySlackId: (id) => opts.users.find((u) => u.slackUserId === id) ?? null,
  };
}

// scrypt of a random password; used only to spend the same time on unknown usernames.
const DUMMY_HASH = "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w0=";
