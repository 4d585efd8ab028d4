import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PostgresCluster, startPostgres } from "../../test/helpers/postgres.js";
import { createSqlAuditStore, GENESIS_HASH, verifyChain } from "./audit-store.js";
import { migrate, openPglite, openPostgres, type SqlClient } from "./sql.js";

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
