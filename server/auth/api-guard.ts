/**
 * Token authentication for the public /v1 API. With API_TOKENS configured, every /v1 request
 * needs a bearer token whose role may use that route: consultations and patient records are for
 * clinicians and admins; a patient token may only post messages as itself. Without API_TOKENS
 * (the embedded development default) the API is open and the server says so at start.
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../core/errors.js";
import type { AppEnv } from "../services.js";
import { assertTokenAddressOpen, tokenFailed } from "./attempts.js";
import { matchToken, type Principal, parseApiTokens, type Role } from "./credentials.js";

/** Which roles may call which /v1 route (method + path prefix); first match wins. */
const RULES: ReadonlyArray<{ method: string; prefix: string; roles: readonly Role[] }> = [
  { method: "POST", prefix: "/v1/messages", roles: ["patient", "clinician", "admin"] },
  { method: "GET", prefix: "/v1/messages/", roles: ["patient", "clinician", "reviewer", "admin"] },
  { method: "POST", prefix: "/v1/enrollment-codes", roles: ["clinician", "admin"] },
  { method: "*", prefix: "/v1/consultations", roles: ["clinician", "reviewer", "admin"] },
  { method: "*", prefix: "/v1/patients", roles: ["clinician", "admin"] },
  { method: "POST", prefix: "/v1/fhir", roles: ["clinician", "admin"] },
  { method: "POST", prefix: "/v1/admin/erasures", roles: ["admin"] },
];

export function allowedRoles(method: string, path: string): readonly Role[] | null {
  const rule = RULES.find((r) => (r.method === "*" || r.method === method) && path.startsWith(r.prefix));
  return rule ? rule.roles : null;
}

/**
 * The /v1 guard. Routes not listed in RULES (e.g. /v1/conversations, which has its own
 * checks) pass through to their own guards. Sets `principal` for handlers that narrow further.
 */
export function apiTokenGuard(spec: string | undefined): MiddlewareHandler<AppEnv & { Variables: { principal?: Principal } }> {
  const entries = parseApiTokens(spec);
  return async function apiGuard(c, next) {
    if (entries.length === 0) return next();
    const roles = allowedRoles(c.req.method, c.req.path);
    if (!roles) return next();
    // An address locked out for guessing tokens is refused before its token is even looked at.
    await assertTokenAddressOpen(c);
    const header = c.req.header("authorization") ?? "";
    const m = header.match(/^Bearer\s+(\S+)$/i);
    const principal = m?.[1] ? matchToken(entries, m[1]) : null;
    if (!principal) {
      if (m?.[1]) await tokenFailed(c);
      throw new AppError("UNAUTHORIZED", "a valid API token is required (Authorization: Bearer …)");
    }
    if (!roles.includes(principal.role))
      throw new AppError(
        "FORBIDDEN",
        `role ${principal.role} may not use ${c.req.method} ${c.req.path.split("/").slice(0, 3).join("/")}`,
      );
    c.set("principal", principal);
    await next();
  };
}
