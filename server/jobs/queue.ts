/**
 * The pipeline queue on BullMQ/Redis. Job id = message id, so enqueuing a message twice is a
 * no-op; priority follows the pre-check urgency so an emergency never waits behind routine work.
 */
import { Queue as BullQueue } from "bullmq";
import { Redis } from "ioredis";
import { AppError } from "../../core/errors.js";
import type { Health, Queue, QueueJob } from "../../core/ports.js";

export const PIPELINE_QUEUE = "pipeline";

const PRIORITY = { emergency: 1, urgent: 2, routine: 3 } as const;

export interface QueueOptions {
  redisUrl: string;
  prefix: string;
  /** @defaultValue 5 */
  attempts?: number;
}

/** A producer connection fails fast (no offline queue) so the HTTP layer can answer 503 at once. */
export function producerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, lazyConnect: false });
}

/** Workers block on Redis and must retry forever (BullMQ requires maxRetriesPerRequest: null). */
export function workerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2_000) });
}

export function createBullQueue(opts: QueueOptions): Queue & { bull: BullQueue } {
  const connection = producerConnection(opts.redisUrl);
  connection.on("error", () => {}); // reported through health(), not as an unhandled 'error' event
  const bull = new BullQueue(PIPELINE_QUEUE, { connection, prefix: opts.prefix });
  bull.on("error", () => {});
  return {
    bull,
    async enqueue(job: QueueJob) {
      try {
        await bull.add("message", job, {
          jobId: job.messageId,
          priority: PRIORITY[job.urgency ?? "routine"],
          attempts: opts.attempts ?? 5,
          backoff: { type: "exponential", delay: 500 },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
      } catch (e) {
        throw new AppError("DEPENDENCY_UNAVAILABLE", "queue unavailable", { cause: e });
      }
    },
    async depth() {
      const c = await bull.getJobCounts("waiting", "prioritized", "active", "delayed");
      return Object.values(c).reduce((a, b) => a + b, 0);
    },
    async health(): Promise<Health> {
      try {
        // A connection still (re)connecting gets a moment before it counts as down.
        if (connection.status !== "ready") {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 1_000);
            connection.once("ready", () => {
              clearTimeout(t);
              resolve();
            });
          });
        }
        const pong = await connection.ping();
        return pong === "PONG" ? { ok: true } : { ok: false, detail: `redis answered ${pong}` };
      } catch (e) {
        const status = connection.status;
        return { ok: false, detail: `redis: connection ${status === "ready" ? "error" : status} (${(e as Error).message})` };
      }
    },
    async close() {
      await bull.close().catch(() => {});
      connection.disconnect();
    },
  };
}
