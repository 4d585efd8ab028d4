/**
 * One small SQL client interface over the two stores GlycoPilot runs on: PostgreSQL (via `pg`,
 * DATABASE_URL) in production and embedded PGlite (PostgreSQL compiled to WASM) by default.
 * Same dialect, same migrations; everything above this file speaks `SqlClient`.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { AppError } from "../../core/errors.js";
import { MIGRATIONS } from "./migrations.js";
import { ephemeralPhiKeyring, type PhiKeyring, resolvePhiKeyring } from "./phi-crypto.js";

export interface SqlQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface SqlClient extends SqlQueryable {
  readonly dialect: "pglite" | "postgres";
  /** Keys that seal PHI columns (message bodies, patient contexts) before they reach SQL. */
  readonly phi: PhiKeyring;
  /** Run `fn` in one transaction; rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** `phi` defaults to a process-lifetime key (tests, in-memory stores); openSql passes the configured one. */
export async function openPglite(dir: string | null, o: { phi?: PhiKeyring } = {}): Promise<SqlClient> {
  const { PGlite } = await import("@electric-sql/pglite");
  if (dir) mkdirSync(dir, { recursive: true });
  const db = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    dialect: "pglite",
    phi: o.phi ?? ephemeralPhiKeyring(),
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await db.query<T>(sql, params);
      return { rows: r.rows };
    },
    transaction: (fn) =>
      db.transaction(async (tx) =>
        fn({
          async query<T>(sql: string, params: unknown[] = []) {
            const r = await tx.query<T>(sql, params);
            return { rows: r.rows };
          },
        }),
      ),
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}

export async function openPostgres(url: string, o: { phi?: PhiKeyring } = {}): Promise<SqlClient> {
  const pg = await import("pg");
  const pool = new pg.default.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});
  return {
    dialect: "postgres",
    phi: o.phi ?? ephemeralPhiKeyring(),
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await pool.query(sql, params);
      return { rows: r.rows as T[] };
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const out = await fn({
          async query<T>(sql: string, params: unknown[] = []) {
            const r = await client.query(sql, params);
            return { rows: r.rows as T[] };
          },
        });
        await client.query("COMMIT");
        return out;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

/** Apply pending migrations in order, each in its own transaction, recorded in schema_migrations. */
export async function migrate(db: SqlClient): Promise<string[]> {
  await db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const done = new Set((await db.query<{ id: string }>("SELECT id FROM schema_migrations")).rows.map((r) => r.id));
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) continue;
    await db.transaction(async (tx) => {
      // Serialize concurrent migrators (several workers starting at once on PostgreSQL).
      await tx.query("SELECT pg_advisory_xact_lock(7312001)");
      const again = await tx.query("SELECT 1 FROM schema_migrations WHERE id = $1", [m.id]);
      if (again.rows.length > 0) return;
      for (const stmt of m.sql) await tx.query(stmt);
      await tx.query("INSERT INTO schema_migrations (id) VALUES ($1)", [m.id]);
    });
    applied.push(m.id);
  }
  return applied;
}

export interface OpenSqlOptions {
  databaseUrl?: string;
  /** PGlite's directory; null: in memory. */
  dataDir: string | null;
  /** PHI_ENCRYPTION_KEYS / PHI_KEY_ID. */
  phiKeys?: string | undefined;
  phiKeyId?: string | undefined;
  /**
   * Where a PHI key is generated when none is configured (DATA_DIR). @defaultValue the parent of
   * dataDir (DATA_DIR/pglite → DATA_DIR). Without keys and without either, an in-memory store
   * gets a process-lifetime key, and PostgreSQL is refused.
   */
  keyDir?: string | undefined;
  warn?: (msg: string) => void;
}

export async function openSql(opts: OpenSqlOptions): Promise<SqlClient> {
  const keyDir = opts.keyDir ?? (opts.dataDir && !opts.databaseUrl ? dirname(opts.dataDir) : undefined);
  if (!opts.phiKeys && !keyDir && opts.databaseUrl)
    throw new AppError("CONFIG_INVALID", "PostgreSQL needs PHI_ENCRYPTION_KEYS (or a DATA_DIR holding the generated key)");
  const phi = resolvePhiKeyring({ keys: opts.phiKeys, keyId: opts.phiKeyId, keyDir }, opts.warn);
  let db: SqlClient;
  try {
    db = opts.databaseUrl ? await openPostgres(opts.databaseUrl, { phi }) : await openPglite(opts.dataDir, { phi });
    await migrate(db);
  } catch (e) {
    throw new AppError("DEPENDENCY_UNAVAILABLE", `SQL store unavailable: ${(e as Error).message}`, { cause: e });
  }
  return db;
}
