/**
 * SQL for conversation ownership (migration 0002_channels): who owns a patient conversation
 * (the bot, a human, or nobody — closed), where the patient is reached, and which Slack thread
 * holds the case. Stores ids only, never message text.
 */
import { ChannelName } from "../../core/domain.js";
import type { PatientAddress } from "../../core/ports.js";
import type { SqlClient } from "../stores/sql.js";

export type Owner = "bot" | "human" | "closed";

export interface ConversationRow extends PatientAddress {
  id: string;
  owner: Owner;
  clinicianRef: string | null;
  caseChannel: string | null;
  caseTs: string | null;
}

interface Row {
  id: string;
  owner: Owner;
  patient_channel: string;
  patient_address: string;
  transport: string;
  lang: string;
  clinician_ref: string | null;
  case_channel: string | null;
  case_ts: string | null;
}

const toRow = (r: Row): ConversationRow => ({
  id: r.id,
  owner: r.owner,
  channel: ChannelName.safeParse(r.patient_channel).data ?? "wechat",
  address: r.patient_address,
  transport: r.transport,
  lang: r.lang === "zh" || r.lang === "mixed" ? r.lang : "en",
  clinicianRef: r.clinician_ref,
  caseChannel: r.case_channel,
  caseTs: r.case_ts,
});

export interface ConversationStore {
  /** Create the conversation (owned by the bot) if new, refresh the address, record the message id; returns the row. */
  track(id: string, addr: PatientAddress, messageId?: string): Promise<ConversationRow>;
  get(id: string): Promise<ConversationRow | null>;
  byCase(channel: string, ts: string): Promise<ConversationRow | null>;
  /** Compare-and-set the owner; returns the row when it changed, null when it already was `to` or is unknown. */
  setOwner(id: string, to: Owner, clinicianRef?: string | null): Promise<ConversationRow | null>;
  setCase(id: string, channel: string, ts: string): Promise<void>;
  messageIds(id: string, limit?: number): Promise<string[]>;
}

export function createConversationStore(db: SqlClient): ConversationStore {
  return {
    async track(id, addr, messageId) {
      const r = await db.query<Row>(
        `INSERT INTO conversations (id, owner, patient_channel, patient_address, transport, lang)
         VALUES ($1, 'bot', $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET patient_address = EXCLUDED.patient_address, transport = EXCLUDED.transport,
           lang = EXCLUDED.lang, updated_at = now()
         RETURNING *`,
        [id, addr.channel, addr.address, addr.transport, addr.lang],
      );
      if (messageId) {
        await db.query("INSERT INTO conversation_messages (conversation_id, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
          id,
          messageId,
        ]);
      }
      return toRow(r.rows[0] as Row);
    },
    async get(id) {
      const r = await db.query<Row>("SELECT * FROM conversations WHERE id = $1", [id]);
      return r.rows[0] ? toRow(r.rows[0]) : null;
    },
    async byCase(channel, ts) {
      const r = await db.query<Row>("SELECT * FROM conversations WHERE case_channel = $1 AND case_ts = $2", [channel, ts]);
      return r.rows[0] ? toRow(r.rows[0]) : null;
    },
    async setOwner(id, to, clinicianRef) {
      const r = await db.query<Row>(
        `UPDATE conversations SET owner = $2, clinician_ref = COALESCE($3, clinician_ref), updated_at = now()
         WHERE id = $1 AND owner <> $2 RETURNING *`,
        [id, to, clinicianRef ?? null],
      );
      return r.rows[0] ? toRow(r.rows[0]) : null;
    },
    async setCase(id, channel, ts) {
      await db.query("UPDATE conversations SET case_channel = $2, case_ts = $3, updated_at = now() WHERE id = $1", [
        id,
        channel,
        ts,
      ]);
    },
    async messageIds(id, limit = 20) {
      const r = await db.query<{ message_id: string }>(
        "SELECT message_id FROM (SELECT message_id, at FROM conversation_messages WHERE conversation_id = $1 ORDER BY at DESC LIMIT $2) t ORDER BY at",
        [id, limit],
      );
      return r.rows.map((x) => x.message_id);
    },
  };
}
