/**
 * The requeue sweep: a message is stored before it is enqueued, so a Redis outage at that
 * moment cannot lose it. On start and then periodically, messages with no result that are
 * older than a grace period are enqueued again (job id = message id: already-queued ones are
 * left alone).
 */
import type { Queue } from "../../core/ports.js";
import type { Logger } from "../log.js";
import type { SqlClient } from "../stores/sql.js";

export interface RequeueOptions {
  db: SqlClient;
  queue: Queue;
  log: Logger;
  /** @defaultValue 15000 */
  intervalMs?: number;
  /** Only messages older than this are swept. @defaultValue 10000 */
  graceMs?: number;
}

export async function requeuePending(opts: RequeueOptions): Promise<number> {
  const grace = `${(opts.graceMs ?? 10_000) / 1000} seconds`;
  const rows = await opts.db.query<{ id: string }>(
    `SELECT m.id FROM messages m LEFT JOIN results r ON r.id = m.id
     WHERE r.id IS NULL AND m.created_at < now() - $1::interval ORDER BY m.created_at LIMIT 500`,
    [grace],
  );
  let n = 0;
  for (const { id } of rows.rows) {
    await opts.queue.enqueue({ messageId: id });
    n++;
  }
  return n;
}

export function startRequeueSweep(opts: RequeueOptions): { stop(): void } {
  const tick = () =>
    requeuePending(opts)
      .then((n) => n > 0 && opts.log.info({ requeued: n }, "requeued pending messages"))
      .catch((e: Error) => opts.log.warn({ err: e.message }, "requeue sweep failed"));
  void tick();
  const timer = setInterval(tick, opts.intervalMs ?? 15_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
