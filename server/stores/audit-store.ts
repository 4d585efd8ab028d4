/**
 * The append-only, hash-chained audit trail on SQL. Each event's hash covers the previous
 * event's hash and the event's canonical JSON, so editing, deleting or reordering a row breaks
 * the chain at that row. Appends take a transaction-scoped advisory lock so the chain never forks.
 */
import { createHash } from "node:crypto";
import type { AuditEvent } from "../../core/domain.js";
import type { AuditAppend, AuditStore, AuditVerification, Clock } from "../../core/ports.js";
import type { SqlClient } from "./sql.js";

export const GENESIS_HASH = "0".repeat(64);
const AUDIT_LOCK = 7312002;

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

export function createSqlAuditStore(db: SqlClient, clock: Clock): AuditStore {
  return {
    async append(ev: AuditAppend) {
      // Round-trip through JSON so the hashed payload is exactly what jsonb will give back.
      const payload = JSON.parse(JSON.stringify(ev.payload ?? null)) as unknown;
      return db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK]);
        const last = await tx.query<{ seq: string | number; hash: string }>(
          "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
        );
        const prev = last.rows[0];
        const base = {
          seq: prev ? Number(prev.seq) + 1 : 1,
          at: clock().toISOString(),
          kind: ev.kind,
          caseId: ev.caseId,
          payload,
          traceId: ev.traceId ?? null,
          prevHash: prev ? prev.hash : GENESIS_HASH,
        };
        const event: AuditEvent = { ...base, hash: hashEvent(base) };
        await tx.query(
          "INSERT INTO audit_events (seq, at, kind, case_id, payload, trace_id, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
          [event.seq, event.at, event.kind, event.caseId, JSON.stringify(payload), event.traceId, event.prevHash, event.hash],
        );
        return event;
      });
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
