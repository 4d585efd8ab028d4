import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InboundMessage } from "../../core/domain.js";
import { type PostgresCluster, startPostgres } from "../../test/helpers/postgres.js";
import { createSqlResultStore } from "./result-store.js";
import { migrate, openPglite, openPostgres, type SqlClient } from "./sql.js";

const msg = (id: string, key: string): InboundMessage => ({
  id,
  kind: "message",
  channel: "http",
  conversationId: "conv",
  sender: { role: "patient", ref: "p1" },
  text: "hello",
  lang: "en",
  receivedAt: "2026-11-22T08:00:00.000Z",
  idempotencyKey: key,
});

// One contract suite, run against both adapters: embedded PGlite and a real PostgreSQL server.
describe.each(["pglite", "postgres"] as const)("SQL result store (%s)", (adapter) => {
  let db: SqlClient;
  let pg: PostgresCluster | undefined;
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

  it("accepts one message per idempotency key, even concurrently", async () => {
    const store = createSqlResultStore(db);
    const outs = await Promise.all(["a", "b", "c", "d"].map((id) => store.accept(msg(id, "same-key"))));
    const created = outs.filter((o) => o.created);
    expect(created).toHaveLength(1);
    expect(new Set(outs.map((o) => o.id)).size).toBe(1);
    expect(await store.getMessage(outs[0]!.id)).toMatchObject({ idempotencyKey: "same-key" });
  });

  it("claims a delivery once per message and channel", async () => {
    const store = createSqlResultStore(db);
    await store.accept(msg("m1", "k1"));
    expect(await store.claimDelivery("m1", "http")).toBe(true);
    expect(await store.claimDelivery("m1", "http")).toBe(false);
    expect(await store.claimDelivery("m1", "slack")).toBe(true);
    expect(await store.countDeliveries("m1")).toBe(2);
  });

  it("tracks whether a claimed delivery was confirmed", async () => {
    const store = createSqlResultStore(db);
    await store.accept(msg("m3", "k3"));
    expect(await store.deliveryConfirmed("m3", "wechat")).toBeNull();
    expect(await store.claimDelivery("m3", "wechat")).toBe(true);
    expect(await store.deliveryConfirmed("m3", "wechat")).toBe(false);
    await store.confirmDelivery("m3", "wechat");
    expect(await store.deliveryConfirmed("m3", "wechat")).toBe(true);
  });

  it("keeps the first result when a job is re-run", async () => {
    const store = createSqlResultStore(db);
    await store.accept(msg("m2", "k2"));
    const base = {
      id: "m2",
      kind: "message" as const,
      status: "done" as const,
      triage: null,
      passages: [],
      draft: null,
      findings: [],
    };
    await store.finish({ ...base, decision: { action: "send", reasons: [] }, reply: "first", held: false });
    await store.finish({ ...base, decision: { action: "hold-for-review", reasons: [] }, reply: null, held: true });
    expect(await store.getResult("m2")).toMatchObject({ reply: "first", held: false });
  });

  it("migrations are idempotent", async () => {
    expect(await migrate(db)).toEqual([]);
  });
});
