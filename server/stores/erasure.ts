/**
 * Patient erasure and the retention purge: the two ways PHI leaves the SQL store. Both delete
 * rows (messages, results, deliveries, review cases with their pages and scores, conversation
 * links, WeChat bindings and codes, the patient record) in one transaction, then append one
 * audit event with counts only. The audit trail holds ids, codes and hashes, never text, so it
 * stays as it is and its chain stays valid; what it refers to is gone.
 */
import type { AuditStore } from "../../core/ports.js";
import type { SqlClient, SqlQueryable } from "./sql.js";

export interface ErasureCounts {
  messages: number;
  results: number;
  reviewCases: number;
  deliveries: number;
  conversations: number;
  wechatBindings: number;
  patientRecord: number;
}

const PATIENT_REF_RE = /^[A-Za-z0-9._:-]{1,120}$/;

async function count(tx: SqlQueryable, sql: string, params: unknown[]): Promise<number> {
  return (await tx.query(`${sql} RETURNING 1`, params)).rows.length;
}

/** Delete the given messages and everything hanging off them. */
async function deleteMessages(
  tx: SqlQueryable,
  ids: string[],
): Promise<Omit<ErasureCounts, "conversations" | "wechatBindings" | "patientRecord">> {
  if (ids.length === 0) return { messages: 0, results: 0, reviewCases: 0, deliveries: 0 };
  const cases = "SELECT id FROM review_cases WHERE message_id = ANY($1)";
  await tx.query(`DELETE FROM review_scores WHERE case_id IN (${cases})`, [ids]);
  await tx.query(`DELETE FROM review_pages WHERE case_id IN (${cases})`, [ids]);
  const reviewCases = await count(tx, "DELETE FROM review_cases WHERE message_id = ANY($1)", [ids]);
  const deliveries = await count(tx, "DELETE FROM deliveries WHERE message_id = ANY($1)", [ids]);
  const results = await count(tx, "DELETE FROM results WHERE id = ANY($1)", [ids]);
  await tx.query("DELETE FROM conversation_messages WHERE message_id = ANY($1)", [ids]);
  const messages = await count(tx, "DELETE FROM messages WHERE id = ANY($1)", [ids]);
  return { messages, results, reviewCases, deliveries };
}

export async function erasePatient(
  db: SqlClient,
  audit: AuditStore,
  ref: string,
  o: { by: string; traceId?: string },
): Promise<ErasureCounts> {
  if (!PATIENT_REF_RE.test(ref)) throw new Error("invalid patient ref");
  const counts = await db.transaction(async (tx) => {
    const msgs = await tx.query<{ id: string; conversation_id: string }>(
      "SELECT id, conversation_id FROM messages WHERE patient_ref = $1 OR (sender_role = 'patient' AND sender_ref = $1)",
      [ref],
    );
    const ids = msgs.rows.map((r) => r.id);
    const openids = (
      await tx.query<{ openid: string }>("SELECT openid FROM wechat_bindings WHERE patient_ref = $1", [ref])
    ).rows.map((r) => r.openid);
    const conversationIds = [...new Set([...msgs.rows.map((r) => r.conversation_id), ...openids.map((o) => `wechat:${o}`)])];
    const m = await deleteMessages(tx, ids);
    await tx.query("DELETE FROM conversation_messages WHERE conversation_id = ANY($1)", [conversationIds]);
    const conversations = await count(tx, "DELETE FROM conversations WHERE id = ANY($1) OR patient_address = ANY($2)", [
      conversationIds,
      openids,
    ]);
    const wechatBindings = await count(tx, "DELETE FROM wechat_bindings WHERE patient_ref = $1", [ref]);
    await tx.query("DELETE FROM enrollment_codes WHERE patient_ref = $1", [ref]);
    await tx.query("DELETE FROM wechat_inbound WHERE openid = ANY($1)", [openids]);
    await tx.query("DELETE FROM wechat_windows WHERE openid = ANY($1)", [openids]);
    await tx.query("DELETE FROM wechat_bind_failures WHERE openid = ANY($1)", [openids]);
    // The conversation bindings of issue 15 item 1 name the patient too.
    await tx.query("DELETE FROM conversation_owners WHERE patient_ref = $1 OR conversation_id = ANY($2)", [ref, conversationIds]);
    const patientRecord = await count(tx, "DELETE FROM patients WHERE ref = $1", [ref]);
    return { ...m, conversations, wechatBindings, patientRecord };
  });
  await audit.append({
    kind: "patient-erased",
    caseId: `patient:${ref}`,
    payload: { by: o.by, ...counts },
    ...(o.traceId ? { traceId: o.traceId } : {}),
  });
  return counts;
}

/**
 * Delete finished messages older than `days` (by when they were accepted): those with a result
 * and no review case still open. Unfinished or open-for-review messages are kept whatever their
 * age — a purge must never drop work a human still has to do. Patient records untouched for
 * that long with no message left are deleted too.
 */
export async function purgeExpired(
  db: SqlClient,
  audit: AuditStore,
  o: { days: number; now: Date; batch?: number },
): Promise<{ messages: number; patients: number }> {
  if (o.days <= 0) return { messages: 0, patients: 0 };
  const cutoff = new Date(o.now.getTime() - o.days * 86_400_000).toISOString();
  let messages = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const ids = (
        await tx.query<{ id: string }>(
          `SELECT m.id FROM messages m JOIN results r ON r.id = m.id
            WHERE m.created_at < $1
              AND NOT EXISTS (SELECT 1 FROM review_cases rc WHERE rc.message_id = m.id AND rc.status IN ('open','acknowledged'))
            LIMIT $2`,
          [cutoff, o.batch ?? 500],
        )
      ).rows.map((r) => r.id);
      return (await deleteMessages(tx, ids)).messages;
    });
    messages += n;
    if (n === 0) break;
  }
  const patients = await count(
    db,
    `DELETE FROM patients p WHERE p.updated_at < $1
       AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.patient_ref = p.ref)`,
    [cutoff],
  );
  if (messages || patients)
    await audit.append({
      kind: "retention-purge",
      caseId: "retention",
      payload: { days: o.days, before: cutoff, messages, patients },
    });
  return { messages, patients };
}

/** Run the purge now and then every `intervalMs`; stop() ends it. */
export function startRetentionPurge(o: {
  db: SqlClient;
  audit: AuditStore;
  days: number;
  clock: () => Date;
  /** @defaultValue 1 h */
  intervalMs?: number;
  onResult?: (r: { messages: number; patients: number }) => void;
  onError?: (e: Error) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = purgeExpired(o.db, o.audit, { days: o.days, now: o.clock() })
      .then((r) => o.onResult?.(r))
      .catch((e: Error) => o.onError?.(e));
  };
  if (o.days <= 0) return { stop: async () => {} };
  tick();
  const timer = setInterval(tick, o.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
