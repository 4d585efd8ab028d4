/**
 * Anchored audit: signed checkpoints of the chain head, outside the audit table, make
 * `glycopilot audit verify` fail on the two attacks the chain alone cannot see — deleting the
 * newest event, and rewriting a suffix with recomputed hashes — and on a forged checkpoint.
 * On a real PGlite store; the last test starts a whole system and checks the checkpoint written
 * on shutdown.
 */
import { generateKeyPairSync } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildTestSystem } from "../../test/helpers/system.js";
import { run } from "../cli/audit.js";
import { type Checkpoint, fileCheckpointSink, signCheckpoint, signerFrom, startAuditCheckpoints } from "./audit-checkpoint.js";
import { createSqlAuditStore, hashEvent } from "./audit-store.js";
import { openSql, type SqlClient } from "./sql.js";

const KEY = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
let db: SqlClient;
let dir: string;
let file: string;

function capture() {
  const s = new PassThrough();
  let text = "";
  s.on("data", (b: Buffer) => (text += b.toString()));
  return { s, text: () => text };
}
async function verify(extra: string[] = []) {
  const out = capture();
  const err = capture();
  const code = await run(["verify", ...extra], {
    db,
    env: { DATA_DIR: dir, AUDIT_SIGNING_KEY: KEY, AUDIT_CHECKPOINT_FILE: file },
    stdout: out.s,
    stderr: err.s,
  });
  return { code, out: JSON.parse(out.text()) as Record<string, unknown>, err: err.text() };
}

beforeAll(async () => {
  db = await openSql({ dataDir: null });
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "glyco-cp-"));
  file = join(dir, "checkpoints.jsonl");
  await db.query("DELETE FROM audit_events");
  const audit = createSqlAuditStore(db, () => new Date("2026-12-01T10:00:00Z"));
  const cp = startAuditCheckpoints({
    db,
    signer: signerFrom({ signingKey: KEY }),
    sink: fileCheckpointSink(file),
    intervalMs: 3_600_000,
  });
  for (let i = 1; i <= 3; i++) await audit.append({ kind: "review-action", caseId: `case-${i}`, payload: { n: i } });
  await cp.checkpoint();
  expect(await cp.checkpoint()).toBeNull(); // the head did not move: nothing new written
  for (let i = 4; i <= 5; i++) await audit.append({ kind: "review-action", caseId: `case-${i}`, payload: { n: i } });
  await cp.stop(); // the final checkpoint, as on shutdown
});

describe("audit verify against signed checkpoints", () => {
  it("an untouched trail passes and reports the latest checkpoint", async () => {
    const r = await verify();
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ ok: true, checked: 5, checkpoint: { ok: true, checked: 2, latest: { seq: 5 } } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("deleting the last event fails (exit 1), though the chain itself still verifies", async () => {
    await db.query("DELETE FROM audit_events WHERE seq = 5");
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({ ok: false, checked: 4, checkpoint: { ok: false } });
    expect(r.err).toMatch(/event 5 .* is gone/);
  });

  it("rewriting a suffix with recomputed hashes fails (exit 1), though every link verifies", async () => {
    const events = await createSqlAuditStore(db, () => new Date()).list();
    let prev = events[1]?.hash as string;
    for (const e of events.slice(2)) {
      const forged = { ...e, payload: { n: e.caseId === "case-3" ? 999 : (e.payload as { n: number }).n }, prevHash: prev };
      const hash = hashEvent(forged);
      await db.query("UPDATE audit_events SET payload = $2, prev_hash = $3, hash = $4 WHERE seq = $1", [
        e.seq,
        JSON.stringify(forged.payload),
        prev,
        hash,
      ]);
      prev = hash;
    }
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).toMatchObject({ ok: false, checked: 5 }); // the chain is self-consistent…
    expect(r.err).toMatch(/no longer has the hash signed/); // …but not the signed heads
  });

  it("deleting the tail and appending a checkpoint signed with another key fails", async () => {
    await db.query("DELETE FROM audit_events WHERE seq >= 4");
    const row = (await db.query<{ hash: string }>("SELECT hash FROM audit_events WHERE seq = 3")).rows[0];
    const other = signerFrom({
      signingKey: generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    });
    const forged: Checkpoint = signCheckpoint(other, { seq: 3, hash: row?.hash as string }, new Date());
    appendFileSync(file, `${JSON.stringify(forged)}\n`);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/invalid signature/);
  });

  it("no checkpoint at all: a warning, and exit 1 with --require-checkpoint", async () => {
    file = join(dir, "none.jsonl");
    const r = await verify();
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/no signed checkpoint/);
    expect((await verify(["--require-checkpoint"])).code).toBe(1);
  });
});

describe("the server writes a checkpoint on shutdown", () => {
  it("the file under DATA_DIR names the head at stop, signed by the generated key (0600)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "glyco-cp-sys-"));
    const sys = await buildTestSystem({ DATA_DIR: dataDir, AUTO_INGEST: "false" });
    for (let i = 0; i < 3; i++) await sys.services.audit.append({ kind: "test-event", caseId: `c${i}`, payload: { i } });
    const head = (await sys.services.audit.list()).at(-1);
    await sys.stop();
    const lines = readFileSync(join(dataDir, "audit-checkpoints.jsonl"), "utf8").trim().split("\n");
    const last = JSON.parse(lines.at(-1) as string) as Checkpoint;
    expect({ seq: last.seq, hash: last.hash }).toEqual({ seq: head?.seq, hash: head?.hash });
    expect(statSync(join(dataDir, "audit-signing.key")).mode & 0o777).toBe(0o600);
    const signer = signerFrom({ signingKey: readFileSync(join(dataDir, "audit-signing.key"), "utf8") });
    expect(last.keyId).toBe(signer.keyId);
  });
});
