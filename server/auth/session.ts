/**
 * Signed session cookies for people: base64url(JSON) + "." + HMAC-SHA256, HttpOnly,
 * SameSite=Strict, Secure. The session carries a random synchronizer CSRF token that forms
 * echo in a hidden field (or scripts in X-CSRF-Token). Stateless: logout clears the cookie,
 * and rotating SESSION_SECRET ends every session.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { Role } from "./credentials.js";

export const SESSION_COOKIE = "gp_session";

const SessionData = z.object({ u: z.string(), r: Role, exp: z.number(), csrf: z.string().min(16) });
export type SessionData = z.infer<typeof SessionData>;

const mac = (body: string, secret: string) => createHmac("sha256", secret).update(body).digest("base64url");

export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

export function signSession(data: SessionData, secret: string): string {
  const body = Buffer.from(JSON.stringify(data)).toString("base64url");
  return `${body}.${mac(body, secret)}`;
}

/** The session in a cookie value, or null when unsigned, tampered, malformed or expired. */
export function readSession(value: string | undefined, secret: string, nowMs: number): SessionData | null {
  if (!value) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const body = value.slice(0, dot);
  const sig = Buffer.from(value.slice(dot + 1));
  const want = Buffer.from(mac(body, secret));
  if (sig.length !== want.length || !timingSafeEqual(sig, want)) return null;
  try {
    const parsed = SessionData.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.exp <= nowMs) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
