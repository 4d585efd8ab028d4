/**
 * The pipeline worker: takes message ids off the BullMQ queue and runs the seven steps.
 * The pipeline itself fails closed; what reaches here as an error is a store outage, which
 * BullMQ retries. When retries run out the message is held for review if the store is back.
 */
import { UnrecoverableError, Worker } from "bullmq";
import { isAppError } from "../../core/errors.js";
import type { QueueJob } from "../../core/ports.js";
import { holdMessage, runPipeline } from "../pipeline/run.js";
import type { PipelineDeps } from "../pipeline/types.js";
import { PIPELINE_QUEUE, workerConnection } from "./queue.js";

export interface WorkerOptions {
  redisUrl: string;
  prefix: string;
  /** @defaultValue 8 */
  concurrency?: number;
}

export function startPipelineWorker(opts: WorkerOptions, deps: PipelineDeps): Worker<QueueJob> {
  const connection = workerConnection(opts.redisUrl);
  connection.on("error", () => {});
  const worker = new Worker<QueueJob>(
    PIPELINE_QUEUE,
    async (job) => {
      const message = await deps.results.getMessage(job.data.messageId);
      if (!message) throw new UnrecoverableError(`message ${job.data.messageId} not found`);
      try {
        const run = () => runPipeline(message, deps);
        const result = deps.tracing
          ? await deps.tracing.withSpan("pipeline", run, {
              parent: deps.tracing.extract(job.data.traceparent),
              attributes: { "glyco.message_id": message.id, "glyco.kind": message.kind, "glyco.attempt": job.attemptsMade + 1 },
            })
          : await run();
        return { action: result.decision?.action ?? null, held: result.held };
      } catch (e) {
        if (isAppError(e) && !e.retryable) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    { connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 8, stalledInterval: 5_000, maxStalledCount: 3 },
  );
  // BullMQ never closes a connection it was handed: end it once the worker has closed, or its
  // retry timer reconnects forever after Redis stops and the process cannot exit.
  worker.once("closed", () => connection.disconnect());
  worker.on("error", (err) => deps.log.warn({ err: err.message }, "worker error"));
  worker.on("failed", (job, err) => {
    deps.log.error({ messageId: job?.data.messageId, attempts: job?.attemptsMade, err: err.message }, "pipeline job failed");
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    // Out of retries: fail closed — hold for a human, never drop the message.
    void deps.results
      .getMessage(job.data.messageId)
      .then((m) => (m ? holdMessage(m, deps, "JOB_FAILED") : undefined))
      .catch((e: Error) => deps.log.error({ messageId: job.data.messageId, err: e.message }, "could not hold failed message"));
  });
  return worker;
}
