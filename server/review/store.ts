/**
 * The review queue's SQL: listing with filters, one case with what a reviewer needs, and the
 * state transitions. Transitions are single conditional UPDATEs, so when the console and a
 * Slack button race on one case exactly one decision wins.
 */
import { InboundMessage, PipelineResult, type ReviewStatus, type Urgency } from "../../core/domain.js";
import { messageAad, openJson } from "../stores/phi-crypto.js";
import type { SqlClient } from "../stores/sql.js";

export interface CaseRow {
  id: string;
  messageId: string;
  status: ReviewStatus;
  priority: Urgency;
  action: string;
  reasons: string[];
  reviewer: string | null;
  edits: string | null;
  reasonCode: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  pageLevel: number;
  channel: string;
  kind: string;
  conversationId: string;
  result: PipelineResult | null;
}

export interface CaseFilter {
  urgency?: Urgency;
  /** "active" = open or acknowledged. */
  status?: ReviewStatus | "active" | "all";
  channel?: string;
  /** A triage flag, complexity or finding code. */
  rule?: string;
  /** Only cases older than this many ms. */
  minAgeMs?: number;
  limit?: number;
}

export interface PageRecord {
  level: number;
  target: string;
  at: Date;
  detail: string | null;
}

export interface ConversationTurn {
  id: string;
  kind: string;
  senderRole: string;
  senderRef: string;
  text: string;
  receivedAt: string;
  /** What reached the recipient (a confirmed delivery the channel accepted); null when nothing did. */
  reply: string | null;
  held: boolean | null;
  /** A draft reply that was never delivered (held, withheld, or refused by the channel), marked as such in the console. */
  undelivered: string | null;
}

interface Row {
  id: string;
  message_id: string;
  status: ReviewStatus;
  priority: Urgency;
  action: string;
  reasons: string[];
  reviewer: string | null;
  edits: string | null;
  reason_code: string | null;
  created_at: Date | string;
  decided_at: Date | string | null;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  page_level: number;
  channel: string;
  kind: string;
  conversation_id: string;
  result: unknown;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function toCase(r: Row): CaseRow {
  const parsed = r.result ? PipelineResult.safeParse(r.result) : null;
  return {
    id: r.id,
    messageId: r.message_id,
    status: r.status,
    priority: r.priority,
    action: r.action,
    reasons: r.reasons,
    reviewer: r.reviewer,
    edits: r.edits,
    reasonCode: r.reason_code,
    createdAt: new Date(r.created_at),
    decidedAt: date(r.decided_at),
    acknowledgedAt: date(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    pageLevel: Number(r.page_level),
    channel: r.channel,
    kind: r.kind,
    conversationId: r.conversation_id,
    result: parsed?.success ? parsed.data : null,
  };
}

/** The codes of every rule that fired on a case: triage flags, complexity reasons, findings, prompt injection. */
export function rulesOf(c: Pick<CaseRow, "result">): string[] {
  const r = c.result;
  if (!r) return [];
  return [
    ...new Set([
      ...(r.triage?.flags ?? []).map((f) => f.code),
      ...(r.triage?.complexity ?? []).map((x) => x.code),
      ...r.findings.map((f) => f.code),
      // The pre-check's injection flag is a rule fired too (console and queue filter show it).
      ...(r.triage?.injection ? ["prompt-injection"] : []),
    ]),
  ];
}

const SELECT = `SELECT rc.*, m.channel, m.kind, m.conversation_id, r.result
  FROM review_cases rc JOIN messages m ON m.id = rc.message_id LEFT JOIN results r ON r.id = rc.message_id`;

export interface ReviewSql {
  list(f: CaseFilter, now: Date): Promise<CaseRow[]>;
  get(id: string): Promise<CaseRow | null>;
  message(id: string): Promise<InboundMessage | null>;
  conversation(conversationId: string): Promise<ConversationTurn[]>;
  acknowledge(id: string, reviewer: string, at: Date): Promise<boolean>;
  decide(
    id: string,
    d: {
      status: "approved" | "edited" | "rejected";
      reviewer: string;
      edits: string | null;
      reasonCode: string | null;
      at: Date;
    },
  ): Promise<boolean>;
  /** After a held reply is approved or edited, the stored result shows what was delivered. */
  markDelivered(messageId: string, reply: string): Promise<void>;
  recordPage(id: string, level: number, target: string, detail: string | null): Promise<void>;
  pages(id: string): Promise<PageRecord[]>;
}

export function createReviewSql(db: SqlClient): ReviewSql {
  return {
    async list(f, now) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(sql.replace("?", `$${params.length}`));
      };
      const status = f.status ?? "active";
      if (status === "active") where.push("rc.status IN ('open','acknowledged')");
      else if (status !== "all") add("rc.status = ?", status);
      if (f.urgency) add("rc.priority = ?", f.urgency);
      if (f.channel) add("m.channel = ?", f.channel);
      if (f.minAgeMs) add("rc.created_at <= ?", new Date(now.getTime() - f.minAgeMs).toISOString());
      params.push(f.limit ?? 500);
      const r = await db.query<Row>(
        `${SELECT} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
         ORDER BY CASE rc.priority WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END, rc.created_at LIMIT $${params.length}`,
        params,
      );
      const rows = r.rows.map(toCase);
      return f.rule ? rows.filter((c) => rulesOf(c).includes(f.rule as string)) : rows;
    },
    async get(id) {
      const r = await db.query<Row>(`${SELECT} WHERE rc.id = $1`, [id]);
      return r.rows[0] ? toCase(r.rows[0]) : null;
    },
    async message(id) {
      const r = await db.query<{ body: unknown }>("SELECT body FROM messages WHERE id = $1", [id]);
      return r.rows[0] ? InboundMessage.parse(openJson(db.phi, messageAad(id), r.rows[0].body)) : null;
    },
    async conversation(conversationId) {
      const r = await db.query<{
        id: string;
        kind: string;
        sender_role: string;
        sender_ref: string;
        body: unknown;
        received_at: string;
        result: PipelineResult | null;
        sent: boolean;
      }>(
        `SELECT m.id, m.kind, m.sender_role, m.sender_ref, m.body, m.received_at, r.result,
           EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id IN (m.id, m.id || ':notice') AND d.confirmed_at IS NOT NULL) AS sent
         FROM messages m LEFT JOIN results r ON r.id = m.id
         WHERE m.conversation_id = $1 ORDER BY m.created_at, m.received_at LIMIT 200`,
        [conversationId],
      );
      return r.rows.map((x) => {
        const res = x.result;
        // Shown as a reply only if a send was confirmed and the channel did not refuse it.
        const delivered = Boolean(res?.reply) && x.sent && res?.delivered !== false;
        const draft = res?.held ? (res.draft?.reply ?? null) : null;
        return {
          id: x.id,
          kind: x.kind,
          senderRole: x.sender_role,
          senderRef: x.sender_ref,
          text: openJson<{ text: string }>(db.phi, messageAad(x.id), x.body).text,
          receivedAt: x.received_at,
          reply: delivered ? (res?.reply ?? null) : null,
          held: res ? res.held : null,
          undelivered: draft ?? (!delivered && res?.reply ? res.reply : null),
        };
      });
    },
    async acknowledge(id, reviewer, at) {
      const r = await db.query(
        "UPDATE review_cases SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 AND status = 'open' RETURNING id",
        [id, at.toISOString(), reviewer],
      );
      return r.rows.length === 1;
    },
    async decide(id, d) {
      const r = await db.query(
        `UPDATE review_cases SET status = $2, reviewer = $3, edits = $4, reason_code = $5, decided_at = $6,
           acknowledged_at = COALESCE(acknowledged_at, $6), acknowledged_by = COALESCE(acknowledged_by, $3)
         WHERE id = $1 AND status IN ('open','acknowledged') RETURNING id`,
        [id, d.status, d.reviewer, d.edits, d.reasonCode, d.at.toISOString()],
      );
      return r.rows.length === 1;
    },
    async markDelivered(messageId, reply) {
      await db.query(
        `UPDATE results SET held = false,
           result = jsonb_set(jsonb_set(jsonb_set(result, '{reply}', to_jsonb($2::text)), '{held}', 'false'::jsonb), '{delivered}', 'true'::jsonb)
         WHERE id = $1`,
        [messageId, reply],
      );
    },
    async recordPage(id, level, target, detail) {
      await db.query("INSERT INTO review_pages (case_id, level, target, detail) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING", [
        id,
        level,
        target,
        detail,
      ]);
      await db.query("UPDATE review_cases SET page_level = GREATEST(page_level, $2) WHERE id = $1", [id, level]);
    },
    async pages(id) {
      const r = await db.query<{ level: number; target: string; at: Date | string; detail: string | null }>(
        "SELECT level, target, at, detail FROM review_pages WHERE case_id = $1 ORDER BY level",
        [id],
      );
      return r.rows.map((x) => ({ level: Number(x.level), target: x.target, at: new Date(x.at), detail: x.detail }));
    },
  };
}
