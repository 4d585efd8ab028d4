import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PostgresCluster, startPostgres } from "../../test/helpers/postgres.js";
import { createSqlAuditStore, GENESIS_HASH, hashEvent, verifyChain } from "./audit-store.js";
import { migrate, openPglite, openPostgres, type SqlClient, type SqlQueryable } from "./sql.js";

// One contract suite, run against both adapters: embedded PGlite and a real PostgreSQL server.
describe.each(["pglite", "postgres"] as const)("SQL audit trail (%s)", (adapter) => {
  let db: SqlClient;
  let pg: PostgresCluster | undefined;
  let t = Date.parse("2026-11-22T08:00:00Z");
  const clock = () => {
    t += 1000;
    return new Date(t);
  };

  // One PGlite per file (start-up costs seconds); tables emptied before each test.
  beforeAll(async () => {
    if (adapter === "postgres") pg = await startPostgres();
    db = pg ? await openPostgres(pg.url) : await openPglite(null);
    await migrate(db);
  });
  beforeEach(async () => {
    await db.exec("TRUNCATE audit_events, deliveries, results, review_cases, messages CASCADE");
  });
  afterAll(async () => {
    await db.close();
    pg?.destroy();
  });

  it("chains events: seq increases, each links the previous hash, and the chain verifies", async () => {
    const audit = createSqlAuditStore(db, clock);
    const a = await audit.append({ kind: "intake", caseId: "c1", payload: { b: 2, a: 1 } });
    const b = await audit.append({ kind: "decide", caseId: "c1", payload: { action: "send" } });
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(await audit.verify()).toEqual({ ok: true, checked: 2 });
  });

  it("serializes concurrent appends into one unforked chain", async () => {
    const audit = createSqlAuditStore(db, clock);
    await Promise.all(Array.from({ length: 25 }, (_, i) => audit.append({ kind: "k", caseId: `c${i}`, payload: { i } })));
    const events = await audit.list();
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect((await audit.verify()).ok).toBe(true);
  });

  it("hashes in SQL exactly as the JavaScript verifier does (non-ASCII, nested, a 'seq' key in the payload)", async () => {
    const audit = createSqlAuditStore(db, clock);
    const payload = { z: [1, { y: "血糖 12.5 mmol/L", seq: 7 }], a: null, "\u2028k": 'tab\tquote"', n: -0.5 };
    const [a] = await audit.appendMany([{ kind: "intake", caseId: "病例-1", traceId: "t-1", payload }]);
    const b = await audit.append({ kind: "décide", caseId: "c1", payload: "plain" });
    expect(a && hashEvent(a)).toBe(a?.hash);
    expect(hashEvent(b)).toBe(b.hash);
    expect(await audit.list()).toEqual([a, b]);
    expect(await audit.verify()).toEqual({ ok: true, checked: 2 });
  });

  it("writes a batch in one statement, outside any client-side transaction", async () => {
    const calls: string[] = [];
    const counting: SqlClient = {
      ...db,
      query: (sql: string, params?: unknown[]) => {
        calls.push("query");
        return db.query(sql, params);
      },
      transaction: <T>(fn: (tx: SqlQueryable) => Promise<T>) => {
        calls.push("transaction");
        return db.transaction(fn);
      },
    } as SqlClient;
    const audit = createSqlAuditStore(counting, clock);
    const out = await audit.appendMany(
      Array.from({ length: 8 }, (_, i) => ({ kind: `step-${i}`, caseId: "m1", payload: { i } })),
    );
    expect(calls).toEqual(["query"]);
    expect(out.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out.slice(1).map((e) => e.prevHash)).toEqual(out.slice(0, -1).map((e) => e.hash));
    expect(await audit.appendMany([])).toEqual([]);
    expect(calls).toEqual(["query"]);
  });

  it("keeps one verifiable chain under 4 concurrent writers mixing batches and single appends", async () => {
    // PostgreSQL: four writers on four separate connection pools; PGlite: four stores on the one handle.
    const handles = pg ? await Promise.all(Array.from({ length: 4 }, () => openPostgres(pg?.url as string))) : [db, db, db, db];
    try {
      const writers = handles.map((h, w) => {
        const audit = createSqlAuditStore(h, clock);
        return (async () => {
          for (let m = 0; m < 10; m++) {
            const caseId = `w${w}-m${m}`;
            if (m % 2 === 0) {
              await audit.appendMany(Array.from({ length: 6 }, (_, i) => ({ kind: `step-${i}`, caseId, payload: { w, m, i } })));
            } else {
              await Promise.all([0, 1].map((i) => audit.append({ kind: "single", caseId, payload: { w, m, i } })));
            }
          }
        })();
      });
      await Promise.all(writers);
    } finally {
      if (pg) await Promise.all(handles.map((h) => h.close()));
    }
    const audit = createSqlAuditStore(db, clock);
    const events = await audit.list();
    const total = 4 * (5 * 6 + 5 * 2);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // A batch stays contiguous: one message's events are never interleaved with another writer's.
    const batch = events.filter((e) => e.caseId === "w3-m4").map((e) => e.seq);
    expect(batch).toEqual(Array.from({ length: 6 }, (_, i) => (batch[0] as number) + i));
    expect(await audit.verify()).toEqual({ ok: true, checked: total });
  });

  it("detects an edited payload and names the first tampered event", async () => {
    const audit = createSqlAuditStore(db, clock);
    for (let i = 0; i < 4; i++) await audit.append({ kind: "k", caseId: "c", payload: { i } });
    await db.query(`UPDATE audit_events SET payload = '{"i": 99}' WHERE seq = 3`);
    const v = await audit.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBadSeq).toBe(3);
  });

  it("detects a deleted event", async () => {
    const audit = createSqlAuditStore(db, clock);
    for (let i = 0; i < 4; i++) await audit.append({ kind: "k", caseId: "c", payload: { i } });
    await db.query("DELETE FROM audit_events WHERE seq = 2");
    const v = await audit.verify();
    expect(v).toMatchObject({ ok: false, firstBadSeq: 2 });
  });

  it("detects a recomputed hash whose successor no longer links", async () => {
    const audit = createSqlAuditStore(db, clock);
    for (let i = 0; i < 3; i++) await audit.append({ kind: "k", caseId: "c", payload: { i } });
    const events = await audit.list();
    const forged = events.map((e) => (e.seq === 2 ? { ...e, kind: "forged", hash: "f".repeat(64) } : e));
    expect(verifyChain(forged)).toMatchObject({ ok: false, firstBadSeq: 2 });
  });
});
