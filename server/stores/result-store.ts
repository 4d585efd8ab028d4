/**
 * Messages, results, idempotent deliveries and the review queue's SQL state.
 * `accept` is atomic on the idempotency key: concurrent resubmissions all get the first id.
 * Message bodies and patient contexts are sealed (AES-256-GCM, phi-crypto.ts) before SQL sees them;
 * the patient a message is about is kept in clear (patient_ref) for erasure and retention.
 */
import { InboundMessage, IntakePrecheck, type PatientContext, PipelineResult } from "../../core/domain.js";
import type { AcceptResult, Health, ResultStore, ReviewCaseOpen, ReviewStore } from "../../core/ports.js";
import { messageAad, openJson, patientAad, sealJson } from "./phi-crypto.js";
import type { SqlClient } from "./sql.js";

const precheckAad = (id: string) => `messages.precheck:${id}`;

export interface ReviewQueueEntry {
  id: string;
  messageId: string;
  status: string;
  priority: string;
  action: string;
  reasons: string[];
  createdAt: string;
}

export interface SqlResultStore extends ResultStore, ReviewStore {
  listReviewCases(status?: string): Promise<ReviewQueueEntry[]>;
  putPatient(ref: string, context: PatientContext): Promise<void>;
  countDeliveries(messageId?: string): Promise<number>;
}

/** The patient a message is about: its sender, or the patient of a consultation. */
export function patientRefOf(m: InboundMessage): string | null {
  if (m.sender.role === "patient") return m.sender.ref;
  return m.patient?.ref ?? null;
}

export function createSqlResultStore(db: SqlClient): SqlResultStore {
  return {
    async accept(m, precheck): Promise<AcceptResult> {
      const ins = await db.query<{ id: string }>(
        `INSERT INTO messages (id, idempotency_key, kind, channel, conversation_id, sender_role, sender_ref, received_at, body, patient_ref, precheck)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT DO NOTHING RETURNING id`,
        [
          m.id,
          m.idempotencyKey,
          m.kind,
          m.channel,
          m.conversationId,
          m.sender.role,
          m.sender.ref,
          m.receivedAt,
          JSON.stringify(sealJson(db.phi, messageAad(m.id), m)),
          patientRefOf(m),
          precheck ? JSON.stringify(sealJson(db.phi, precheckAad(m.id), precheck)) : null,
        ],
      );
      if (ins.rows[0]) return { id: ins.rows[0].id, created: true };
      const first = await db.query<{ id: string }>("SELECT id FROM messages WHERE idempotency_key = $1 OR id = $2 LIMIT 1", [
        m.idempotencyKey,
        m.id,
      ]);
      const id = first.rows[0]?.id;
      if (!id) throw new Error("accept: conflicting row vanished");
      return { id, created: false };
    },

    async getMessage(id) {
      const r = await db.query<{ body: unknown }>("SELECT body FROM messages WHERE id = $1", [id]);
      return r.rows[0] ? InboundMessage.parse(openJson(db.phi, messageAad(id), r.rows[0].body)) : null;
    },

    async markProcessing(id) {
      await db.query("UPDATE messages SET status = 'processing' WHERE id = $1 AND status = 'queued'", [id]);
    },

    async finish(result) {
      // First result wins: a job re-run after a crash cannot overwrite what was delivered.
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO results (id, result, action, held) VALUES ($1,$2,$3,$4) ON CONFLICT (id) DO NOTHING", [
          result.id,
          JSON.stringify(result),
          result.decision?.action ?? null,
          result.held,
        ]);
        await tx.query("UPDATE messages SET status = $2 WHERE id = $1", [result.id, result.status]);
      });
    },

    async getResult(id) {
      const r = await db.query<{ result: unknown }>("SELECT result FROM results WHERE id = $1", [id]);
      return r.rows[0] ? PipelineResult.parse(r.rows[0].result) : null;
    },

    async claimDelivery(messageId, channel, detail) {
      const r = await db.query<{ message_id: string }>(
        "INSERT INTO deliveries (message_id, channel, detail) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING message_id",
        [messageId, channel, detail ?? null],
      );
      return r.rows.length === 1;
    },

    async confirmDelivery(messageId, channel) {
      await db.query(
        "UPDATE deliveries SET confirmed_at = now() WHERE message_id = $1 AND channel = $2 AND confirmed_at IS NULL",
        [messageId, channel],
      );
    },

    async deliveryConfirmed(messageId, channel) {
      const r = await db.query<{ confirmed_at: unknown }>(
        "SELECT confirmed_at FROM deliveries WHERE message_id = $1 AND channel = $2",
        [messageId, channel],
      );
      const row = r.rows[0];
      return row ? row.confirmed_at !== null : null;
    },

    async countDeliveries(messageId) {
      const r = messageId
        ? await db.query<{ n: string | number }>("SELECT count(*) AS n FROM deliveries WHERE message_id = $1", [messageId])
        : await db.query<{ n: string | number }>("SELECT count(*) AS n FROM deliveries");
      return Number(r.rows[0]?.n ?? 0);
    },

    async openCase(e: ReviewCaseOpen) {
      await db.query(
        `INSERT INTO review_cases (id, message_id, status, priority, action, reasons)
         VALUES ($1,$1,'open',$2,$3,$4) ON CONFLICT (message_id) DO NOTHING`,
        [e.messageId, e.priority, e.action, JSON.stringify(e.reasons)],
      );
    },

    async listReviewCases(status) {
      const r = await db.query<{
        id: string;
        message_id: string;
        status: string;
        priority: string;
        action: string;
        reasons: string[];
        created_at: Date | string;
      }>(
        `SELECT * FROM review_cases ${status ? "WHERE status = $1" : ""}
         ORDER BY CASE priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, created_at`,
        status ? [status] : [],
      );
      return r.rows.map((x) => ({
        id: x.id,
        messageId: x.message_id,
        status: x.status,
        priority: x.priority,
        action: x.action,
        reasons: x.reasons,
        createdAt: new Date(x.created_at).toISOString(),
      }));
    },

    async putPatient(ref, context) {
      await db.query(
        `INSERT INTO patients (ref, context) VALUES ($1,$2)
         ON CONFLICT (ref) DO UPDATE SET context = EXCLUDED.context, updated_at = now()`,
        [ref, JSON.stringify(sealJson(db.phi, patientAad(ref), context))],
      );
    },

    async getPatient(ref) {
      const r = await db.query<{ context: unknown }>("SELECT context FROM patients WHERE ref = $1", [ref]);
      return r.rows[0] ? openJson<PatientContext>(db.phi, patientAad(ref), r.rows[0].context) : null;
    },

    async conversationTurns(conversationId, opts) {
      const r = await db.query<{ id: string; body: unknown; result: { reply?: string | null } | null }>(
        `SELECT m.id, m.body, r.result FROM messages m LEFT JOIN results r ON r.id = m.id
          WHERE m.conversation_id = $1 AND m.id <> $2 AND m.received_at <= $3
          ORDER BY m.received_at DESC, m.created_at DESC LIMIT $4`,
        [conversationId, opts.excludeId, opts.before, opts.limit],
      );
      return r.rows.map((x) => ({
        message: InboundMessage.parse(openJson(db.phi, messageAad(x.id), x.body)),
        reply: x.result?.reply ?? null,
      }));
    },

    async savePrecheck(id, precheck) {
      await db.query("UPDATE messages SET precheck = $2 WHERE id = $1 AND precheck IS NULL", [
        id,
        JSON.stringify(sealJson(db.phi, precheckAad(id), precheck)),
      ]);
    },

    async getPrecheck(id) {
      const r = await db.query<{ precheck: unknown }>("SELECT precheck FROM messages WHERE id = $1", [id]);
      const stored = r.rows[0]?.precheck;
      return stored ? IntakePrecheck.parse(openJson(db.phi, precheckAad(id), stored)) : null;
    },

    async health(): Promise<Health> {
      try {
        await db.query("SELECT 1");
        return { ok: true };
      } catch (e) {
        return { ok: false, detail: `sql: ${(e as Error).message}` };
      }
    },
  };
}
