/**
 * Audit benchmark: the hash-chained append against a raw single-row INSERT on the same store
 * (the floor), on embedded PGlite and on a private PostgreSQL cluster; one message's 8 events as
 * one batch; 4 concurrent writers (4 connection pools) on PostgreSQL, with the previous design
 * (advisory lock taken in a client-side transaction, then SELECT head, then INSERT: three round
 * trips holding the lock) measured in the same run; the chain is verified after each run.
 */
import { createHash } from "node:crypto";
import { createSqlAuditStore, GENESIS_HASH, hashEvent } from "../../server/stores/audit-store.js";
import { migrate, openPglite, openPostgres, type SqlClient } from "../../server/stores/sql.js";
import { startPostgres } from "../../test/helpers/postgres.js";
import { rawInsertBaseline } from "./baselines.js";
import { summarize } from "./stats.js";

export interface AuditStoreFigures {
  store: "pglite" | "postgres";
  rawInsertP50Ms: number;
  rawInsertPerSec: number;
  appendP50Ms: number;
  appendPerSec: number;
  /** One message's 8 events in one appendMany, per event. */
  batchPerEventMs: number;
}

export interface AuditBenchResult {
  stores: AuditStoreFigures[];
  /** PostgreSQL, 4 writers each appending batches of 8 concurrently. */
  concurrent: {
    writers: number;
    events: number;
    perSecond: number;
    legacyPerSecond: number;
    rawInsertPerSecond: number;
    verified: boolean;
  } | null;
}

/** The design replaced in issue 18: lock, read head, insert — three round trips in one transaction. */
async function legacyAppend(db: SqlClient, kind: string, caseId: string, payload: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(7312002)");
    const last = await tx.query<{ seq: string; hash: string }>("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
    const prev = last.rows[0];
    const base = {
      seq: prev ? Number(prev.seq) + 1 : 1,
      at: new Date().toISOString(),
      kind,
      caseId,
      payload,
      traceId: null,
      prevHash: prev ? prev.hash : GENESIS_HASH,
    };
    await tx.query(
      "INSERT INTO audit_events (seq, at, kind, case_id, payload, trace_id, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
      [base.seq, base.at, kind, caseId, JSON.stringify(payload), null, base.prevHash, hashEvent(base)],
    );
  });
}

async function storeFigures(db: SqlClient, store: "pglite" | "postgres", n: number): Promise<AuditStoreFigures> {
  await db.exec("TRUNCATE audit_events");
  const raw = await rawInsertBaseline(db, n);
  const audit = createSqlAuditStore(db, () => new Date());
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await audit.append({ kind: "bench", caseId: `c${i}`, payload: { i } });
    lat.push(performance.now() - t);
  }
  const appendPerSec = n / ((performance.now() - t0) / 1000);
  const batches = Math.max(1, Math.floor(n / 8));
  const tb = performance.now();
  for (let b = 0; b < batches; b++)
    await audit.appendMany(Array.from({ length: 8 }, (_, i) => ({ kind: `step-${i}`, caseId: `b${b}`, payload: { b, i } })));
  const batchPerEventMs = (performance.now() - tb) / (batches * 8);
  if (!(await audit.verify()).ok) throw new Error(`${store}: the audit chain does not verify after the bench`);
  return {
    store,
    rawInsertP50Ms: raw.p50Ms,
    rawInsertPerSec: raw.perSecond,
    appendP50Ms: summarize(lat).p50,
    appendPerSec,
    batchPerEventMs,
  };
}

export async function benchAudit(
  opts: { n?: number; writers?: number; postgres?: boolean; log?: (s: string) => void } = {},
): Promise<AuditBenchResult> {
  const n = opts.n ?? 400;
  const writers = opts.writers ?? 4;
  const log = opts.log ?? (() => {});
  const stores: AuditStoreFigures[] = [];
  const lite = await openPglite(null);
  try {
    await migrate(lite);
    stores.push(await storeFigures(lite, "pglite", n));
  } finally {
    await lite.close();
  }
  if (opts.postgres === false) return { stores, concurrent: null };
  log("starting a private PostgreSQL cluster …");
  const pg = await startPostgres();
  const pools: SqlClient[] = [];
  try {
    for (let w = 0; w < writers; w++) pools.push(await openPostgres(pg.url));
    const main = pools[0] as SqlClient;
    await migrate(main);
    stores.push(await storeFigures(main, "postgres", n));

    const perWriter = Math.max(8, Math.floor(n / writers / 8) * 8);
    const events = perWriter * writers;
    const timed = async (fn: (db: SqlClient, w: number) => Promise<void>): Promise<number> => {
      await main.exec("TRUNCATE audit_events");
      const t = performance.now();
      await Promise.all(pools.map((db, w) => fn(db, w)));
      return events / ((performance.now() - t) / 1000);
    };
    // Each writer runs 2 messages at a time, like a worker with concurrency > 1.
    const perSecond = await timed(async (db, w) => {
      const audit = createSqlAuditStore(db, () => new Date());
      const lane = async (l: number) => {
        for (let m = l; m < perWriter / 8; m += 2)
          await audit.appendMany(
            Array.from({ length: 8 }, (_, i) => ({ kind: `step-${i}`, caseId: `w${w}m${m}`, payload: { w, m, i } })),
          );
      };
      await Promise.all([lane(0), lane(1)]);
    });
    const verified = (await createSqlAuditStore(main, () => new Date()).verify()).ok;
    const legacyPerSecond = await timed(async (db, w) => {
      const lane = async (l: number) => {
        for (let m = l; m < perWriter / 8; m += 2)
          for (let i = 0; i < 8; i++) await legacyAppend(db, `step-${i}`, `w${w}m${m}`, { w, m, i });
      };
      await Promise.all([lane(0), lane(1)]);
    });
    await main.exec("CREATE TABLE bench_raw_concurrent (id text PRIMARY KEY, payload jsonb)");
    const rawInsertPerSecond = await timed(async (db, w) => {
      const lane = async (l: number) => {
        for (let m = l; m < perWriter; m += 2)
          await db.query("INSERT INTO bench_raw_concurrent (id, payload) VALUES ($1, $2)", [
            createHash("sha256").update(`${w}:${m}`).digest("hex"),
            JSON.stringify({ w, m }),
          ]);
      };
      await Promise.all([lane(0), lane(1)]);
    });
    return { stores, concurrent: { writers, events, perSecond, legacyPerSecond, rawInsertPerSecond, verified } };
  } finally {
    await Promise.all(pools.map((p) => p.close().catch(() => {})));
    pg.destroy();
  }
}
