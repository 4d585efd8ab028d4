/**
 * The core's side of the edge ingress: when EDGE_SECRET is configured, channel endpoints accept
 * only requests forwarded by the edge Worker (header X-Glyco-Edge-Secret). The channel's own
 * signature check still runs after this — the edge forwards the original headers and body.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

export const EDGE_SECRET_HEADER = "x-glyco-edge-secret";

export function edgeGuard(secret: string | undefined): MiddlewareHandler {
  return async function edgeSecretCheck(c, next) {
    if (!secret) return next();
    const got = Buffer.from(c.req.header(EDGE_SECRET_HEADER) ?? "");
    const want = Buffer.from(secret);
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      return c.json({ error: { code: "FORBIDDEN", message: "requests must come through the edge ingress" } }, 403);
    }
    return next();
  };
}
