/**
 * `glycopilot audit verify|export` through the CLI module's run function on a real PGlite
 * store: editing or deleting a row is detected and the first bad event named. One test opens
 * the store from configuration (DATA_DIR) exactly as the command does; the others hand the
 * CLI an open store, because opening a file-backed PGlite costs seconds here.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { run } from "../cli/audit.js";
import { createSqlAuditStore } from "../stores/audit-store.js";
import { openSql, type SqlClient } from "../stores/sql.js";

function capture() {
  const s = new PassThrough();
  let text = "";
  s.on("data", (b: Buffer) => (text += b.toString()));
  return { s, text: () => text };
}

let dataDir: string;
let mem: SqlClient;

async function seed(db: SqlClient) {
  await db.query("DELETE FROM audit_events");
  const audit = createSqlAuditStore(db, () => new Date("2026-11-20T10:00:00Z"));
  for (let i = 1; i <= 5; i++)
    await audit.append({ kind: "review-action", caseId: `case-${i}`, payload: { action: "approve", reviewer: "rev", n: i } });
}

const noCheckpointsDir = mkdtempSync(join(tmpdir(), "glyco-audit-nocp-"));
const withStore = <T>(fn: (db: SqlClient) => Promise<T>): Promise<T> => fn(mem);

async function cli(argv: string[], viaConfig = false) {
  const out = capture();
  const err = capture();
  // The in-memory store still reads checkpoints through configuration: give it an empty DATA_DIR of its
  // own, or a checkpoint file left in ./.glycopilot by an earlier `npm start` decides the result.
  const io = viaConfig ? { env: { DATA_DIR: dataDir } } : { db: mem, env: { DATA_DIR: noCheckpointsDir } };
  const code = await run(argv, { ...io, stdout: out.s, stderr: err.s });
  return { code, out: out.text(), err: err.text() };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "glyco-audit-cli-"));
  mem = await openSql({ dataDir: null });
});
afterAll(async () => {
  await mem?.close();
});
beforeEach(() => seed(mem));

describe("glycopilot audit", () => {
  it("opens the store from configuration like the command does, and finds an edited row", async () => {
    const db = await openSql({ dataDir: join(dataDir, "pglite") });
    await seed(db);
    await db.query(`UPDATE audit_events SET kind = 'review-score' WHERE seq = 4`);
    await db.close();
    const r = await cli(["verify"], true);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, checked: 3, firstBadSeq: 4 });
  });

  it("verify passes an untouched chain and prints its head", async () => {
    const r = await cli(["verify"]);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out) as { ok: boolean; checked: number; head: { seq: number; hash: string } };
    expect(body).toMatchObject({ ok: true, checked: 5, head: { seq: 5 } });
    expect(r.err).toMatch(/audit chain OK: 5 events/);
    expect((await cli(["verify", "--anchor", `5:${body.head.hash}`])).code).toBe(0);
  });

  it("an edited payload is detected at that row", async () => {
    await withStore((db) =>
      db.query(`UPDATE audit_events SET payload = '{"action":"reject","reviewer":"rev","n":3}' WHERE seq = 3`),
    );
    const r = await cli(["verify"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, firstBadSeq: 3, event: { seq: 3, caseId: "case-3" } });
    expect(r.err).toMatch(/BROKEN at event 3/);
  });

  it("a deleted row is detected where the gap is", async () => {
    await withStore((db) => db.query("DELETE FROM audit_events WHERE seq = 2"));
    const r = await cli(["verify"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, firstBadSeq: 2, reason: expect.stringMatching(/missing/) });
  });

  it("a re-hashed edit still breaks the link to the next event", async () => {
    // An attacker who recomputes row 4's hash cannot also fix row 5's prev_hash without rewriting everything after.
    await withStore(async (db) => {
      const { hashEvent } = await import("../stores/audit-store.js");
      const row = (await createSqlAuditStore(db, () => new Date()).list()).find((e) => e.seq === 4);
      if (!row) throw new Error("no row 4");
      const forged = { ...row, payload: { action: "reject", reviewer: "rev", n: 4 } };
      await db.query("UPDATE audit_events SET payload = $2, hash = $3 WHERE seq = $1", [
        4,
        JSON.stringify(forged.payload),
        hashEvent(forged),
      ]);
    });
    const r = await cli(["verify"]);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, firstBadSeq: 5, reason: expect.stringMatching(/link/) });
  });

  it("cutting off the newest events is caught by the anchor", async () => {
    const head = (JSON.parse((await cli(["verify"])).out) as { head: { hash: string } }).head.hash;
    await withStore((db) => db.query("DELETE FROM audit_events WHERE seq = 5"));
    expect((await cli(["verify"])).code).toBe(0);
    const r = await cli(["verify", "--anchor", `5:${head}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cut short/);
  });

  it("export writes JSON Lines to --out", async () => {
    const file = join(dataDir, "audit.jsonl");
    const r = await cli(["export", "--out", file]);
    expect(r.code).toBe(0);
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; hash: string; prevHash: string });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[1]?.prevHash).toBe(lines[0]?.hash);
    expect((await cli(["bogus"])).code).toBe(2);
  });
});
