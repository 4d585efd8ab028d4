/**
 * SQL of patient-channel identities (migration 0002_channels; the tables are still named after
 * WeChat, the first channel to use them): enrollment codes (stored hashed, single use,
 * expiring), address → patient bindings, failed binding attempts, message-id dedupe, and the
 * service window's state (the patient's last message, messages sent since). Times come from the
 * caller's clock, not the database's; the window's size is the channel's policy (policy.ts).
 */
import { createHash, randomInt } from "node:crypto";
import type { SqlClient } from "../stores/sql.js";
import { type ServiceWindow, type WindowVerdict, windowVerdict } from "./policy.js";

const hash = (code: string) => createHash("sha256").update(`glyco-enroll:${code}`).digest("hex");

export interface BindingStore {
  issueCode(patientRef: string, now: Date, ttlMs: number): Promise<{ code: string; expiresAt: string }>;
  /** Redeem a code for `openid`: the bound patient ref, or null (unknown, used or expired). */
  redeem(code: string, openid: string, now: Date): Promise<string | null>;
  recordBindFailure(openid: string, now: Date): Promise<void>;
  bindFailuresSince(openid: string, since: Date): Promise<number>;
  binding(openid: string): Promise<string | null>;
  /** True the first time a (namespaced) message id is seen. */
  firstSeen(msgId: string, openid: string): Promise<boolean>;
  /** A patient message opens (or re-opens) the window and resets its message count. */
  touchWindow(openid: string, now: Date): Promise<void>;
  /** Atomically take one slot in the window. */
  claimWindowSlot(openid: string, now: Date, window: ServiceWindow): Promise<WindowVerdict>;
}

export function createBindingStore(db: SqlClient): BindingStore {
  return {
    async issueCode(patientRef, now, ttlMs) {
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      for (;;) {
        const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
        const r = await db.query(
          "INSERT INTO enrollment_codes (code_hash, patient_ref, expires_at) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING code_hash",
          [hash(code), patientRef, expiresAt],
        );
        if (r.rows.length === 1) return { code, expiresAt };
      }
    },
    async redeem(code, openid, now) {
      return db.transaction(async (tx) => {
        const r = await tx.query<{ patient_ref: string }>(
          `UPDATE enrollment_codes SET used_at = $2, used_by = $3
           WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING patient_ref`,
          [hash(code), now.toISOString(), openid],
        );
        const ref = r.rows[0]?.patient_ref;
        if (!ref) return null;
        await tx.query(
          `INSERT INTO wechat_bindings (openid, patient_ref, bound_at) VALUES ($1,$2,$3)
           ON CONFLICT (openid) DO UPDATE SET patient_ref = EXCLUDED.patient_ref, bound_at = EXCLUDED.bound_at`,
          [openid, ref, now.toISOString()],
        );
        return ref;
      });
    },
    async recordBindFailure(openid, now) {
      await db.query("INSERT INTO wechat_bind_failures (openid, at) VALUES ($1,$2)", [openid, now.toISOString()]);
    },
    async bindFailuresSince(openid, since) {
      const r = await db.query<{ n: string | number }>(
        "SELECT count(*) AS n FROM wechat_bind_failures WHERE openid = $1 AND at > $2",
        [openid, since.toISOString()],
      );
      return Number(r.rows[0]?.n ?? 0);
    },
    async binding(openid) {
      const r = await db.query<{ patient_ref: string }>("SELECT patient_ref FROM wechat_bindings WHERE openid = $1", [openid]);
      return r.rows[0]?.patient_ref ?? null;
    },
    async firstSeen(msgId, openid) {
      const r = await db.query(
        "INSERT INTO wechat_inbound (msg_id, openid) VALUES ($1,$2) ON CONFLICT DO NOTHING RETURNING msg_id",
        [msgId, openid],
      );
      return r.rows.length === 1;
    },
    async touchWindow(openid, now) {
      await db.query(
        `INSERT INTO wechat_windows (openid, last_inbound_at, sent_count) VALUES ($1,$2,0)
         ON CONFLICT (openid) DO UPDATE SET last_inbound_at = EXCLUDED.last_inbound_at, sent_count = 0`,
        [openid, now.toISOString()],
      );
    },
    async claimWindowSlot(openid, now, window) {
      return db.transaction(async (tx) => {
        const r = await tx.query<{ last_inbound_at: string | Date; sent_count: number }>(
          "SELECT last_inbound_at, sent_count FROM wechat_windows WHERE openid = $1 FOR UPDATE",
          [openid],
        );
        const row = r.rows[0];
        const v = windowVerdict(row ? new Date(row.last_inbound_at) : null, Number(row?.sent_count ?? 0), now, window);
        if (v.ok) await tx.query("UPDATE wechat_windows SET sent_count = sent_count + 1 WHERE openid = $1", [openid]);
        return v;
      });
    },
  };
}
