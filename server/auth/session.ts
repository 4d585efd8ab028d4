/**
 * Server-side sessions for people, in SQL (table auth_sessions). The cookie carries a random
 * session id with an HMAC-SHA256 tag (so a forged id is refused without a query, and rotating
 * SESSION_SECRET ends every session); SQL keeps only the id's SHA-256, the user, role, CSRF
 * token and expiry. Logout and an admin's revocation mark the row revoked, so an old cookie
 * stops working at once, on every replica. The CSRF token is a random synchronizer token that
 * forms echo in a hidden field (or scripts in X-CSRF-Token).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { SqlQueryable } from "../stores/sql.js";
import type { Role } from "./credentials.js";

export const SESSION_COOKIE = "gp_session";

const mac = (body: string, secret: string) => createHmac("sha256", secret).update(body).digest("base64url");
const idHash = (id: string) => createHash("sha256").update(id).digest("hex");

export function newCsrfToken(): string {
  return randomBytes(24).toString("base64url");
}

export interface SessionRow {
  username: string;
  role: Role;
  csrf: string;
  expiresAt: Date;
}

/** A cookie value → the session id inside it, or null when unsigned, tampered or malformed. */
export function sessionIdOf(value: string | undefined, secret: string): string | null {
  if (!value || value.length > 200) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const id = value.slice(0, dot);
  const sig = Buffer.from(value.slice(dot + 1));
  const want = Buffer.from(mac(id, secret));
  if (sig.length !== want.length || !timingSafeEqual(sig, want)) return null;
  return /^[A-Za-z0-9_-]{43}$/.test(id) ? id : null;
}

export interface SessionStore {
  /** A new session; returns the cookie value and its CSRF token. */
  create(
    db: SqlQueryable,
    s: { username: string; role: Role; ttlMs: number; now: Date },
  ): Promise<{ cookie: string; csrf: string; expiresAt: Date }>;
  /** The live session behind a cookie value, or null (unsigned, unknown, expired or revoked). */
  read(db: SqlQueryable, cookie: string | undefined, now: Date): Promise<SessionRow | null>;
  /** Revoke the session behind a cookie value (logout). */
  revoke(db: SqlQueryable, cookie: string | undefined, by: string, now: Date): Promise<boolean>;
  /** Revoke every live session of a user (admin). Returns how many were live. */
  revokeUser(db: SqlQueryable, username: string, by: string, now: Date): Promise<number>;
}

export function createSessionStore(secret: string): SessionStore {
  return {
    async create(db, s) {
      const id = randomBytes(32).toString("base64url");
      const csrf = newCsrfToken();
      const expiresAt = new Date(s.now.getTime() + s.ttlMs);
      await db.query("INSERT INTO auth_sessions (id_hash, username, role, csrf, expires_at) VALUES ($1, $2, $3, $4, $5)", [
        idHash(id),
        s.username,
        s.role,
        csrf,
        expiresAt.toISOString(),
      ]);
      return { cookie: `${id}.${mac(id, secret)}`, csrf, expiresAt };
    },
    async read(db, cookie, now) {
      const id = sessionIdOf(cookie, secret);
      if (!id) return null;
      const r = await db.query<{ username: string; role: Role; csrf: string; expires_at: Date | string }>(
        "SELECT username, role, csrf, expires_at FROM auth_sessions WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
        [idHash(id), now.toISOString()],
      );
      const row = r.rows[0];
      return row ? { username: row.username, role: row.role, csrf: row.csrf, expiresAt: new Date(row.expires_at) } : null;
    },
    async revoke(db, cookie, by, now) {
      const id = sessionIdOf(cookie, secret);
      if (!id) return false;
      const r = await db.query(
        "UPDATE auth_sessions SET revoked_at = $2, revoked_by = $3 WHERE id_hash = $1 AND revoked_at IS NULL RETURNING 1",
        [idHash(id), now.toISOString(), by],
      );
      return r.rows.length > 0;
    },
    async revokeUser(db, username, by, now) {
      const r = await db.query(
        `UPDATE auth_sessions SET revoked_at = $2, revoked_by = $3
          WHERE username = $1 AND revoked_at IS NULL AND expires_at > $2 RETURNING 1`,
        [username, now.toISOString(), by],
      );
      return r.rows.length;
    },
  };
}

export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
