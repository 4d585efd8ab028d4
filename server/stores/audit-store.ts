/**
 * The append-only, hash-chained audit trail on SQL. Each event's hash covers the previous
 * event's hash and the event's canonical JSON, so editing, deleting or reordering a row breaks
 * the chain at that row.
 *
 * Appends are one SQL statement per batch (the `audit_append` function, migration 0008): it takes
 * the chain's transaction-scoped advisory lock, reads the head, and assigns seq, prev_hash and hash
 * to each event in the batch, all inside that one statement, so the lock is held for a few index
 * reads and inserts and never while a client is idle in a transaction. The chain never forks
 * however many processes append; the JavaScript `hashEvent` and `verifyChain` check it.
 */
import { createHash } from "node:crypto";
import type { AuditEvent } from "../../core/domain.js";
import type { AuditAppend, AuditStore, AuditVerification, Clock } from "../../core/ports.js";
import type { SqlClient } from "./sql.js";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted, so jsonb's key reordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function hashEvent(e: Omit<AuditEvent, "hash">): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    caseId: e.caseId,
    payload: e.payload,
    traceId: e.traceId ?? null,
  });
  return createHash("sha256").update(e.prevHash).update("\n").update(body).digest("hex");
}

interface Row {
  seq: string | number;
  at: string;
  kind: string;
  case_id: string;
  payload: unknown;
  trace_id: string | null;
  prev_hash: string;
  hash: string;
}

const toEvent = (r: Row): AuditEvent => ({
  seq: Number(r.seq),
  at: r.at,
  kind: r.kind,
  caseId: r.case_id,
  payload: r.payload,
  traceId: r.trace_id,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The canonical body of an event, split around its seq (assigned in SQL); see hashEvent. */
export function bodyAroundSeq(e: Omit<AuditEvent, "hash" | "seq" | "prevHash">): { head: string; tail: string } {
  // canonicalJson sorts keys: at, caseId, kind, payload, seq, traceId.
  const head = `{"at":${JSON.stringify(e.at)},"caseId":${JSON.stringify(e.caseId)},"kind":${JSON.stringify(e.kind)},"payload":${canonicalJson(e.payload)},"seq":`;
  const tail = `,"traceId":${canonicalJson(e.traceId ?? null)}}`;
  return { head, tail };
}

/** The SQL audit store; `appendMany` writes a batch (e.g. one message's events) in one statement. */
export interface SqlAuditStore extends AuditStore {
  appendMany(events: readonly TimedAuditAppend[]): Promise<AuditEvent[]>;
}

/** An event with the time it happened, when it is written later in a batch (default: now). */
export type TimedAuditAppend = AuditAppend & { at?: string };

export function createSqlAuditStore(db: SqlClient, clock: Clock): SqlAuditStore {
  const appendMany = async (evs: readonly TimedAuditAppend[]): Promise<AuditEvent[]> => {
    if (evs.length === 0) return [];
    const drafts = evs.map((ev) => ({
      at: ev.at ?? clock().toISOString(),
      kind: ev.kind,
      caseId: ev.caseId,
      // Round-trip through JSON so the hashed payload is exactly what jsonb will give back.
      payload: JSON.parse(JSON.stringify(ev.payload ?? null)) as unknown,
      traceId: ev.traceId ?? null,
    }));
    const parts = drafts.map(bodyAroundSeq);
    const r = await db.query<{ out_seq: string | number; out_prev: string; out_hash: string }>(
      "SELECT out_seq, out_prev, out_hash FROM audit_append($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])",
      [
        drafts.map((d) => d.at),
        drafts.map((d) => d.kind),
        drafts.map((d) => d.caseId),
        drafts.map((d) => JSON.stringify(d.payload)),
        drafts.map((d) => d.traceId),
        parts.map((p) => p.head),
        parts.map((p) => p.tail),
      ],
    );
    if (r.rows.length !== drafts.length) throw new Error(`audit_append wrote ${r.rows.length} of ${drafts.length} events`);
    return drafts.map((d, i) => {
      const row = r.rows[i] as { out_seq: string | number; out_prev: string; out_hash: string };
      return { ...d, seq: Number(row.out_seq), prevHash: row.out_prev, hash: row.out_hash };
    });
  };
  return {
    appendMany,
    async append(ev: AuditAppend) {
      const [event] = await appendMany([ev]);
      return event as AuditEvent;
    },

    async list(caseId?: string) {
      const r = caseId
        ? await db.query<Row>("SELECT * FROM audit_events WHERE case_id = $1 ORDER BY seq", [caseId])
        : await db.query<Row>("SELECT * FROM audit_events ORDER BY seq");
      return r.rows.map(toEvent);
    },

    async verify(): Promise<AuditVerification> {
      const rows = (await db.query<Row>("SELECT * FROM audit_events ORDER BY seq")).rows.map(toEvent);
      return verifyChain(rows);
    },
  };
}

/** Check links and hashes in order; report the first event that does not verify. */
export function verifyChain(events: readonly AuditEvent[]): AuditVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of events) {
    if (e.seq !== expectedSeq) {
      return {
        ok: false,
        checked: expectedSeq - 1,
        firstBadSeq: expectedSeq,
        reason: `event ${expectedSeq} is missing (found ${e.seq})`,
      };
    }
    if (e.prevHash !== prevHash) {
      return { ok: false, checked: expectedSeq - 1, firstBadSeq: e.seq, reason: "link to the previous event is broken" };
    }
    if (hashEvent(e) !== e.hash) {
      return { ok: false, checked: expectedSeq - 1, firstBadSeq: e.seq, reason: "event content does not match its hash" };
    }
    prevHash = e.hash;
    expectedSeq++;
  }
  return { ok: true, checked: events.length };
}
