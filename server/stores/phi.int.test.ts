/**
 * PHI at rest, against embedded PGlite and a real PostgreSQL server: message bodies and patient
 * contexts are sealed (no plaintext in SQL, nor in PGlite's files on disk), rows are bound to
 * their id, keys rotate, legacy plain rows are sealed, patient erasure removes one patient's data
 * and leaves the audit chain valid, and the retention purge keeps what a human still has to see.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InboundMessage, PatientContext } from "../../core/domain.js";
import { type PostgresCluster, startPostgres } from "../../test/helpers/postgres.js";
import { buildTestSystem, jsonPost } from "../../test/helpers/system.js";
import { run as eraseCli } from "../cli/erase.js";
import { createSqlAuditStore } from "./audit-store.js";
import { erasePatient, purgeExpired } from "./erasure.js";
import { parsePhiKeys, resealPhi } from "./phi-crypto.js";
import { createSqlResultStore } from "./result-store.js";
import { migrate, openPglite, openPostgres, openSql, type SqlClient } from "./sql.js";

const MARKER = "Zhang-Wei-13800138000";
const key = () => randomBytes(32).toString("base64");
const K1 = key();
const K2 = key();

const msg = (id: string, ref: string, text = `${MARKER} 我的血糖是 12.3 mmol/L`): InboundMessage => ({
  id,
  kind: "message",
  channel: "http",
  conversationId: `conv-${ref}`,
  sender: { role: "patient", ref },
  text,
  lang: "zh",
  receivedAt: "2026-12-01T08:00:00.000Z",
  idempotencyKey: `k-${id}`,
});
const consultation = (id: string, ref: string): InboundMessage => ({
  ...msg(id, "dr-li"),
  kind: "consultation",
  sender: { role: "clinician", ref: "dr-li" },
  patient: {
    ref,
    age: 61,
    sex: "female",
    diagnoses: ["type 2 diabetes"],
    chiefComplaint: MARKER,
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  },
});
const context = (ref: string): PatientContext => ({
  ref,
  age: 57,
  sex: "female",
  diagnoses: ["type 2 diabetes", MARKER],
  labs: [],
  medications: [],
  allergies: [],
  recentEvents: [],
});
const result = (id: string) => ({
  id,
  kind: "message" as const,
  status: "done" as const,
  triage: null,
  passages: [],
  draft: null,
  findings: [],
  decision: { action: "send" as const, reasons: [] },
  reply: "ok",
  held: false,
});

describe.each(["pglite", "postgres"] as const)("PHI at rest (%s)", (adapter) => {
  let db: SqlClient;
  let pg: PostgresCluster | undefined;
  let reopen: (keys: string, keyId?: string) => Promise<SqlClient>;
  beforeAll(async () => {
    if (adapter === "postgres") pg = await startPostgres();
    const phi = parsePhiKeys(`k1:${K1}`);
    db = pg ? await openPostgres(pg.url, { phi }) : await openPglite(null, { phi });
    await migrate(db);
    // Another client on the same data with other keys (rotation). PGlite in memory cannot be
    // shared, so there the same client is re-keyed by wrapping it.
    reopen = async (keys, keyId) =>
      pg
        ? openPostgres(pg.url, { phi: parsePhiKeys(keys, keyId) })
        : { ...db, phi: parsePhiKeys(keys, keyId), close: async () => {} };
  });
  beforeEach(async () => {
    await db.exec("TRUNCATE audit_events, deliveries, results, review_cases, messages, patients, wechat_bindings CASCADE");
  });
  afterAll(async () => {
    await db?.close();
    pg?.destroy();
  });

  it("bodies and contexts are sealed in SQL and read back intact", async () => {
    const store = createSqlResultStore(db);
    await store.accept(msg("m1", "p1"));
    await store.putPatient("p1", context("p1"));
    const raw = await db.query<{ b: string; c: string }>(
      "SELECT (SELECT body::text FROM messages WHERE id = 'm1') AS b, (SELECT context::text FROM patients WHERE ref = 'p1') AS c",
    );
    expect(raw.rows[0]?.b).not.toContain(MARKER);
    expect(raw.rows[0]?.b).not.toContain("血糖");
    expect(raw.rows[0]?.c).not.toContain(MARKER);
    expect(JSON.parse(raw.rows[0]?.b as string)).toMatchObject({ $phi: 1, kid: "k1" });
    expect((await store.getMessage("m1"))?.text).toContain(MARKER);
    expect((await store.getPatient("p1"))?.diagnoses).toContain(MARKER);
  });

  it("a sealed body moved onto another row does not open (bound to its id)", async () => {
    const store = createSqlResultStore(db);
    await store.accept(msg("m1", "p1"));
    await store.accept(msg("m2", "p1", "other"));
    await db.query("UPDATE messages SET body = (SELECT body FROM messages WHERE id = 'm1') WHERE id = 'm2'");
    await expect(store.getMessage("m2")).rejects.toThrow(/does not authenticate/);
  });

  it("rotation: a new current key seals new data, old rows still open, resealPhi moves them; the old key can then go", async () => {
    await createSqlResultStore(db).accept(msg("m1", "p1"));
    const both = await reopen(`k2:${K2},k1:${K1}`);
    const s2 = createSqlResultStore(both);
    await s2.accept(msg("m2", "p1"));
    expect((await s2.getMessage("m1"))?.text).toContain(MARKER);
    const kids = async () =>
      (await db.query<{ kid: string }>("SELECT body->>'kid' AS kid FROM messages ORDER BY id")).rows.map((r) => r.kid);
    expect(await kids()).toEqual(["k1", "k2"]);
    expect(await resealPhi(both, both.phi)).toMatchObject({ messages: 1 });
    expect(await kids()).toEqual(["k2", "k2"]);
    const onlyNew = createSqlResultStore(await reopen(`k2:${K2}`));
    expect((await onlyNew.getMessage("m1"))?.text).toContain(MARKER);
    // Without the key a row was sealed with, reads fail loudly, never silently.
    const wrong = createSqlResultStore(await reopen(`k9:${key()}`));
    await expect(wrong.getMessage("m1")).rejects.toThrow(/"k2", which is not configured/);
    await both.close();
  });

  it("rows written before encryption (plain jsonb) still read, and resealPhi seals them", async () => {
    const m = msg("legacy", "p1");
    await db.query(
      `INSERT INTO messages (id, idempotency_key, kind, channel, conversation_id, sender_role, sender_ref, received_at, body)
       VALUES ($1,$2,'message','http','c','patient','p1','2026-01-01',$3)`,
      [m.id, m.idempotencyKey, JSON.stringify(m)],
    );
    const store = createSqlResultStore(db);
    expect((await store.getMessage("legacy"))?.text).toContain(MARKER);
    expect(await resealPhi(db, db.phi)).toMatchObject({ messages: 1 });
    const raw = (await db.query<{ b: string }>("SELECT body::text AS b FROM messages WHERE id = 'legacy'")).rows[0]?.b;
    expect(raw).not.toContain(MARKER);
    expect((await store.getMessage("legacy"))?.text).toContain(MARKER);
  });

  it("erasing a patient removes their messages (sent and consulted about), results, record and bindings; others stay; the audit chain verifies", async () => {
    const store = createSqlResultStore(db);
    const audit = createSqlAuditStore(db, () => new Date());
    await store.putPatient("p1", context("p1"));
    await store.putPatient("p2", context("p2"));
    await store.accept(msg("a1", "p1"));
    await store.accept(consultation("a2", "p1"));
    await store.accept(msg("b1", "p2"));
    for (const id of ["a1", "a2", "b1"]) {
      await store.finish(result(id));
      await store.claimDelivery(id, "http");
      await audit.append({ kind: "decided", caseId: id, payload: { action: "send" } });
    }
    await store.openCase({ messageId: "a1", priority: "urgent", action: "hold-for-review", reasons: ["x"] });
    await db.query("INSERT INTO wechat_bindings (openid, patient_ref) VALUES ('o-p1', 'p1')");
    const counts = await erasePatient(db, audit, "p1", { by: "test" });
    expect(counts).toMatchObject({ messages: 2, results: 2, reviewCases: 1, deliveries: 2, wechatBindings: 1, patientRecord: 1 });
    expect(await store.getMessage("a1")).toBeNull();
    expect(await store.getMessage("a2")).toBeNull();
    expect(await store.getPatient("p1")).toBeNull();
    expect((await store.getMessage("b1"))?.sender.ref).toBe("p2");
    expect(await store.getPatient("p2")).not.toBeNull();
    expect(await audit.verify()).toMatchObject({ ok: true });
    const ev = (await audit.list("patient:p1")).at(-1);
    expect(ev?.kind).toBe("patient-erased");
    expect(JSON.stringify(await audit.list())).not.toContain(MARKER);
  });

  it("the retention purge deletes finished messages past the period, keeps open review cases and recent ones", async () => {
    const store = createSqlResultStore(db);
    const audit = createSqlAuditStore(db, () => new Date());
    for (const id of ["old-done", "old-open", "old-unfinished", "new-done"]) await store.accept(msg(id, "p1"));
    for (const id of ["old-done", "old-open", "new-done"]) await store.finish(result(id));
    await store.openCase({ messageId: "old-open", priority: "routine", action: "hold-for-review", reasons: [] });
    await db.query("UPDATE messages SET created_at = now() - interval '400 days' WHERE id LIKE 'old-%'");
    const r = await purgeExpired(db, audit, { days: 365, now: new Date() });
    expect(r.messages).toBe(1);
    const left = (await db.query<{ id: string }>("SELECT id FROM messages ORDER BY id")).rows.map((x) => x.id);
    expect(left).toEqual(["new-done", "old-open", "old-unfinished"]);
    expect((await audit.list("retention")).at(-1)).toMatchObject({ kind: "retention-purge", payload: { messages: 1 } });
    expect(await purgeExpired(db, audit, { days: 0, now: new Date() })).toEqual({ messages: 0, patients: 0 });
  });
});

describe("the embedded default without configured keys", () => {
  it("generates DATA_DIR/phi.key (0600) once, warns, and PGlite's files on disk hold no plaintext", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "glyco-phi-"));
    const warnings: string[] = [];
    const db = await openSql({ dataDir: join(dataDir, "pglite"), keyDir: dataDir, warn: (m) => warnings.push(m) });
    const store = createSqlResultStore(db);
    await store.accept(msg("disk-1", "p1"));
    await store.putPatient("p1", context("p1"));
    await db.close();
    expect(statSync(join(dataDir, "phi.key")).mode & 0o777).toBe(0o600);
    expect(warnings.join(" ")).toMatch(/PHI_ENCRYPTION_KEYS not set/);
    const files = (function walk(d: string): string[] {
      return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    })(join(dataDir, "pglite"));
    const needle = Buffer.from(MARKER);
    expect(files.filter((f) => readFileSync(f).includes(needle))).toEqual([]);
    // Reopened with the same generated key: readable.
    const again = await openSql({ dataDir: join(dataDir, "pglite"), keyDir: dataDir });
    expect((await createSqlResultStore(again).getMessage("disk-1"))?.text).toContain(MARKER);
    await again.close();
  });

  it("PostgreSQL with neither keys nor a key directory is refused", async () => {
    await expect(openSql({ databaseUrl: "postgres://127.0.0.1:1/x", dataDir: null })).rejects.toThrow(/PHI_ENCRYPTION_KEYS/);
  });
});

describe("erasure through the CLI and the admin route", () => {
  const sha = (t: string) => createHash("sha256").update(t).digest("hex");
  it("glycopilot erase --patient REF erases and prints counts; a bad ref is a usage error", async () => {
    const db = await openSql({ dataDir: null });
    const store = createSqlResultStore(db);
    await store.putPatient("cli-p", context("cli-p"));
    await store.accept(msg("cli-1", "cli-p"));
    const out = new PassThrough();
    let text = "";
    out.on("data", (b: Buffer) => (text += b.toString()));
    expect(await eraseCli(["--patient", "cli-p"], { db, stdout: out, stderr: new PassThrough() })).toBe(0);
    expect(JSON.parse(text)).toMatchObject({ patientRef: "cli-p", erased: { messages: 1, patientRecord: 1 } });
    expect(await store.getPatient("cli-p")).toBeNull();
    expect(await eraseCli(["--patient", "bad ref\u0000"], { db, stdout: new PassThrough(), stderr: new PassThrough() })).toBe(2);
    await db.close();
  });

  it("POST /v1/admin/erasures: admin token 200, clinician 403, none 401; refused when the API is open", async () => {
    const tokens = `ops:admin:${sha("admin-secret")},dr:clinician:${sha("clin-secret")}`;
    const sys = await buildTestSystem({ API_TOKENS: tokens, AUTO_INGEST: "false" }, { worker: false });
    try {
      await sys.services.results.putPatient("route-p", context("route-p"));
      const post = (h: Record<string, string>) => sys.app.request("/v1/admin/erasures", jsonPost({ patientRef: "route-p" }, h));
      expect((await post({})).status).toBe(401);
      expect((await post({ authorization: "Bearer clin-secret" })).status).toBe(403);
      const ok = await post({ authorization: "Bearer admin-secret" });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ erased: { patientRecord: 1 } });
      expect(await sys.services.results.getPatient("route-p")).toBeNull();
      expect((await sys.services.audit.list("patient:route-p")).at(-1)).toMatchObject({
        kind: "patient-erased",
        payload: { by: "token:ops" },
      });
      expect(await sys.services.audit.verify()).toMatchObject({ ok: true });
    } finally {
      await sys.stop();
    }
    const open = await buildTestSystem({ AUTO_INGEST: "false" }, { worker: false });
    try {
      expect((await open.app.request("/v1/admin/erasures", jsonPost({ patientRef: "x" }))).status).toBe(403);
    } finally {
      await open.stop();
    }
  });
});
