/**
 * The Scheduler port on BullMQ: one queue of delayed jobs, the job name is the kind, the job id
 * `<kind>.<id>` (so scheduling twice is a no-op and cancel can find it). Redis connections open
 * on first use: a process that never schedules nor handles (paging off) holds none. Built by the
 * composition root only.
 */
import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";
import type { Clock, Log, ScheduledJob, Scheduler } from "../../core/ports.js";
import { producerConnection, workerConnection } from "./queue.js";

export interface BullSchedulerOptions {
  redisUrl: string;
  prefix: string;
  /** The BullMQ queue name (shown in the queue dashboard). */
  queue: string;
  /** The clock `at` is read on (the system's clock, so tests with a fixed clock keep their delays). */
  clock: Clock;
  log: Log;
  /** Jobs run at once in this process. @defaultValue 4 */
  concurrency?: number;
  /** Attempts per job (exponential backoff from 1 s). @defaultValue 5 */
  attempts?: number;
}

// BullMQ custom job ids may not contain ":".
const jobId = (kind: string, id: string) => `${kind}.${id.replaceAll(":", "%3A")}`;

export function createBullScheduler(o: BullSchedulerOptions): Scheduler {
  const handlers = new Map<string, (data: unknown) => Promise<unknown>>();
  const connections: Redis[] = [];
  let queue: Queue | null = null;
  let worker: Worker | null = null;

  const bull = (): Queue => {
    if (!queue) {
      const conn = producerConnection(o.redisUrl);
      conn.on("error", () => {}); // a failed add rejects; the connection's own errors are noise
      connections.push(conn);
      queue = new Queue(o.queue, { connection: conn, prefix: o.prefix });
      queue.on("error", () => {});
    }
    return queue;
  };

  const startWorker = () => {
    if (worker) return;
    const conn = workerConnection(o.redisUrl);
    conn.on("error", () => {});
    connections.push(conn);
    worker = new Worker(
      o.queue,
      async (job) => {
        const run = handlers.get(job.name);
        if (!run) throw new UnrecoverableError(`no handler for scheduled job kind ${job.name}`);
        try {
          return await run(job.data);
        } catch (e) {
          // An expected, final failure (the case vanished): do not retry it.
          if (e instanceof AppError && !e.retryable) throw new UnrecoverableError(e.message);
          throw e;
        }
      },
      { connection: conn, prefix: o.prefix, concurrency: o.concurrency ?? 4 },
    );
    worker.on("error", (e) => o.log.warn({ queue: o.queue, err: e.message }, "scheduler worker error"));
    worker.on("failed", (job, e) =>
      o.log.warn({ queue: o.queue, kind: job?.name, jobId: job?.id, err: e.message }, "scheduled job failed"),
    );
  };

  return {
    async schedule<T>(job: ScheduledJob<T>) {
      await bull().add(job.kind, job.data, {
        jobId: jobId(job.kind, job.id),
        delay: Math.max(0, job.at.getTime() - o.clock().getTime()),
        ...(job.priority ? { priority: job.priority } : {}),
        attempts: o.attempts ?? 5,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      });
    },
    async cancel(kind, id) {
      // An active job cannot be removed; its handler re-checks its state and stops by itself.
      await bull()
        .remove(jobId(kind, id))
        .catch(() => 0);
    },
    handle<T>(kind: string, run: (data: T) => Promise<unknown>) {
      handlers.set(kind, run as (data: unknown) => Promise<unknown>);
      startWorker();
    },
    async close() {
      await (worker as Worker | null)?.close();
      await (queue as Queue | null)?.close();
      for (const c of connections) c.disconnect();
    },
  };
}
