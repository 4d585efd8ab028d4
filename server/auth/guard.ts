/**
 * Access control for reviewer, clinician and admin routes. Every protected route is declared
 * through `auth.route(...)`, which both installs the guard and records the route, so the
 * shared security suite (server/auth/security.int.test.ts) covers new routes automatically.
 *
 * A caller is a machine (Authorization: Bearer <token>, hashed in API_TOKENS) or a person
 * (signed session cookie). Unsafe methods from a session need the session's CSRF token
 * (hidden form field `_csrf` or header X-CSRF-Token); bearer calls carry no ambient
 * credential and need none.
 */
import type { Context, Handler, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError } from "../../core/errors.js";
import type { AppEnv } from "../services.js";
import { matchToken, type Principal, parseApiTokens, type Role, type User, verifyPassword } from "./credentials.js";
import { newCsrfToken, readSession, SESSION_COOKIE, sameToken, signSession } from "./session.js";

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
  /** Mark cookies Secure (browsers accept Secure cookies on http://localhost too). @defaultValue true */
  secureCookies?: boolean;
  now?: () => number;
}

export type AuthEnv = AppEnv & { Variables: AppEnv["Variables"] & { principal: Principal; csrf: string | null } };

export interface Auth {
  /** Declare a protected route on `app`; the guard runs before `handler`. */
  route(
    app: Hono<AuthEnv>,
    method: Method,
    path: string,
    spec: { roles: readonly Role[]; kind: "page" | "api" },
    handler: Handler<AuthEnv>,
  ): void;
  /** Every route declared so far (what the security suite iterates over). */
  routes(): readonly ProtectedRoute[];
  /** Check a username/password; on success set the session cookie. */
  login(c: Context, username: string, password: string): Promise<Principal | null>;
  logout(c: Context): void;
  /** The principal of a request without enforcing anything (login page, conversations). */
  identify(c: Context): { principal: Principal; csrf: string | null } | null;
  userBySlackId(slackUserId: string): User | null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function createAuth(opts: AuthOptions): Auth {
  if (opts.sessionSecret.length < 32) throw new AppError("CONFIG_INVALID", "SESSION_SECRET must be at least 32 characters");
  const tokens = parseApiTokens(opts.apiTokens);
  const now = opts.now ?? Date.now;
  const ttl = opts.sessionTtlMs ?? 8 * 3600_000;
  const secure = opts.secureCookies ?? true;
  const users = new Map(opts.users.map((u) => [u.username, u]));
  const declared: ProtectedRoute[] = [];

  const identify: Auth["identify"] = (c) => {
    const authz = c.req.header("authorization");
    if (authz !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const p = m?.[1] ? matchToken(tokens, m[1]) : null;
      return p ? { principal: p, csrf: null } : null;
    }
    const s = readSession(getCookie(c, SESSION_COOKIE), opts.sessionSecret, now());
    if (!s) return null;
    const user = users.get(s.u);
    // A user removed from the file, or whose role changed, loses the old session at once.
    if (!user || user.role !== s.r) return null;
    return { principal: { name: s.u, role: s.r, via: "session" }, csrf: s.csrf };
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
        const who = identify(c);
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
      app.on(method, path, guard, handler);
    },
    routes: () => [...declared],
    async login(c, username, password) {
      const user = users.get(username);
      // Hash even for unknown users so response time does not reveal which usernames exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) return null;
      const value = signSession({ u: user.username, r: user.role, exp: now() + ttl, csrf: newCsrfToken() }, opts.sessionSecret);
      setCookie(c, SESSION_COOKIE, value, {
        httpOnly: true,
        sameSite: "Strict",
        secure,
        path: "/",
        maxAge: Math.floor(ttl / 1000),
      });
      return { name: user.username, role: user.role, via: "session" };
    },
    logout(c) {
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure, httpOnly: true, sameSite: "Strict" });
    },
    identify,
    userBySlackId: (id) => opts.users.find((u) => u.slackUserId === id) ?? null,
  };
}

// scrypt of a random password; used only to spend the same time on unknown usernames.
const DUMMY_HASH = "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w3q2+7w0=";
