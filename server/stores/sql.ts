/**
 * One small SQL client interface over the two stores GlycoPilot runs on: PostgreSQL (via `pg`,
 * DATABASE_URL) in production and embedded PGlite (PostgreSQL compiled to WASM) by default.
 * Same dialect, same migrations; everything above this file speaks `SqlClient`.
 */
import { mkdirSync } from "node:fs";
import { AppError } from "../../core/errors.js";
import { MIGRATIONS } from "./migrations.js";

export interface SqlQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface SqlClient extends SqlQueryable {
  readonly dialect: "pglite" | "postgres";
  /** Run `fn` in one transaction; rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPglite(dir: string | null): Promise<SqlClient> {
  const { PGlite } = await import("@electric-sql/pglite");
  if (dir) mkdirSync(dir, { recursive: true });
  const db = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    dialect: "pglite",
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

export async function openPostgres(url: string): Promise<SqlClient> {
  const pg = await import("pg");
  const pool = new pg.default.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});
  return {
    dialect: "postgres",
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

export async function openSql(opts: { databaseUrl?: string; dataDir: string | null }): Promise<SqlClient> {
  let db: SqlClient;
  try {
    db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
    await migrate(db);
  } catch (e) {
    throw new AppError("DEPENDENCY_UNAVAILABLE", `SQL store unavailable: ${(e as Error).message}`, { cause: e });
  }
  return db;
}
