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

  it("conversation turns: newest first, before the given time, without the excluded id, with their replies", async () => {
    const store = createSqlResultStore(db);
    const at = (m: number) => `2026-11-22T08:0${m}:00.000Z`;
    for (const [i, id] of ["t1", "t2", "t3", "t4"].entries()) await store.accept({ ...msg(id, `k-${id}`), receivedAt: at(i) });
    await store.accept({ ...msg("other", "k-other"), conversationId: "conv-2", receivedAt: at(1) });
    await store.finish({
      id: "t1",
      kind: "message",
      status: "done",
      triage: null,
      passages: [],
      draft: null,
      findings: [],
      decision: null,
      reply: "eat a snack",
      held: false,
    });
    const turns = await store.conversationTurns("conv", { before: at(2), excludeId: "t3", limit: 5 });
    expect(turns.map((t) => t.message.id)).toEqual(["t2", "t1"]);
    expect(turns.map((t) => t.reply)).toEqual([null, "eat a snack"]);
    expect(await store.conversationTurns("conv", { before: at(9), excludeId: "x", limit: 2 })).toHaveLength(2);
  });

  it("an intake pre-check is stored once, sealed, and read back", async () => {
    const store = createSqlResultStore(db);
    await store.accept(msg("pc1", "k-pc1"));
    expect(await store.getPrecheck("pc1")).toBeNull();
    const pre = {
      lang: "en" as const,
      triage: {
        urgency: "urgent" as const,
        responder: "nurse" as const,
        flags: [],
        complexity: [],
        escalate: false,
        injection: false,
      },
      redacted: "still shaking",
      injection: { flagged: false, evidence: [] },
      phi: [],
      memory: { turns: [], chars: 0, fromHistory: ["hypo-level1"] },
    };
    await store.savePrecheck("pc1", pre);
    await store.savePrecheck("pc1", { ...pre, redacted: "second" });
    expect(await store.getPrecheck("pc1")).toEqual(pre);
    const raw = await db.query<{ precheck: unknown }>("SELECT precheck FROM messages WHERE id = 'pc1'");
    expect(JSON.stringify(raw.rows[0]?.precheck)).not.toContain("still shaking");
  });

  it("accept stores a pre-check given with the message in the same insert; a replay keeps the first", async () => {
    const store = createSqlResultStore(db);
    const pre = {
      lang: "zh" as const,
      triage: {
        urgency: "emergency" as const,
        responder: "physician" as const,
        flags: [],
        complexity: [],
        escalate: true,
        injection: false,
      },
      redacted: "胸口压着疼",
      injection: { flagged: false, evidence: [] },
      phi: [],
      memory: { turns: [], chars: 0, fromHistory: [] },
    };
    expect(await store.accept(msg("pc2", "k-pc2"), pre)).toEqual({ id: "pc2", created: true });
    expect(await store.getPrecheck("pc2")).toEqual(pre);
    expect(await store.accept(msg("pc2b", "k-pc2"), { ...pre, redacted: "second" })).toEqual({ id: "pc2", created: false });
    expect(await store.getPrecheck("pc2")).toEqual(pre);
    expect(await store.getPrecheck("pc2b")).toBeNull();
    const raw = await db.query<{ precheck: unknown }>("SELECT precheck FROM messages WHERE id = 'pc2'");
    expect(JSON.stringify(raw.rows[0]?.precheck)).not.toContain("胸口");
  });

  it("migrations are idempotent", async () => {
    expect(await migrate(db)).toEqual([]);
  });
});
