/**
 * What the review CLIs (`glycopilot audit`, `glycopilot export`) run on: the SQL store from
 * configuration (DATABASE_URL, or the embedded PGlite under DATA_DIR — which only one process
 * may open at a time, so stop the server first or point at PostgreSQL), or one handed in by a test.
 */
import { createWriteStream } from "node:fs";
import { loadConfig } from "../../core/config.js";
import { openSqlStore } from "../clients.js";
import type { SqlClient } from "../stores/sql.js";

export interface CliIo {
  db?: SqlClient;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: Record<string, string | undefined>;
}

export async function withDb<T>(io: CliIo, fn: (db: SqlClient) => Promise<T>): Promise<T> {
  if (io.db) return fn(io.db);
  const config = loadConfig(io.env ?? process.env);
  const db = await openSqlStore(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Write `text` to FILE (when given) or stdout, resolving once it is flushed. */
export async function writeOut(io: CliIo, file: string | undefined, text: string): Promise<void> {
  if (!file) {
    (io.stdout ?? process.stdout).write(text);
    return;
  }
  const ws = createWriteStream(file);
  await new Promise<void>((resolve, reject) => {
    ws.on("error", reject);
    ws.end(text, () => resolve());
  });
}
