/**
 * Ordered shutdown under a deadline. The composition root registers one named step per thing it
 * started; `run` stops them in reverse order, each bounded by what is left of the deadline, so
 * one stuck dependency (a hung connection, a slow job) cannot keep the process alive: the step
 * is reported and the next one runs. Steps that finish late keep running in the background
 * until the process exits; nothing they hold is lost (the queue and SQL are the record).
 */
import type { Job, Worker } from "bullmq";
import type { QueueJob } from "../core/ports.js";
import type { Logger } from "./log.js";

export interface StopStep {
  name: string;
  /** Gets the time it may take; should finish by then. */
  fn: (budgetMs: number) => Promise<void | number>;
}

export interface StopSummary {
  timedOut: string[];
  failed: string[];
  ms: number;
  /** Jobs still running at the drain deadline, handed back to the queue for the next worker. */
  returned: number;
}

export interface Stopper {
  add(name: string, fn: (budgetMs: number) => Promise<void | number>): void;
  /** Stop everything in reverse order of registration. Resolves within about `deadlineMs`. */
  run(o?: { deadlineMs?: number }): Promise<StopSummary>;
}

/** The whole stop (drain + close) must finish within this by default; start.ts exits at 10 s regardless. */
export const DEFAULT_STOP_DEADLINE_MS = 8_000;
/** Every step after an overrun still gets this long. */
const MIN_STEP_MS = 300;

export function createStopper(log: Logger): Stopper {
  const steps: StopStep[] = [];
  let running: ReturnType<Stopper["run"]> | null = null;
  return {
    add(name, fn) {
      steps.push({ name, fn });
    },
    run(o = {}) {
      // Stopping twice (a test's afterAll after a signal) waits for the first stop.
      running ??= (async () => {
        const t0 = Date.now();
        const deadline = t0 + (o.deadlineMs ?? DEFAULT_STOP_DEADLINE_MS);
        const timedOut: string[] = [];
        const failed: string[] = [];
        let returned = 0;
        for (const step of [...steps].reverse()) {
          const budget = Math.max(MIN_STEP_MS, deadline - Date.now());
          const s0 = Date.now();
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([
            step.fn(budget).then(
              (n) => {
                if (typeof n === "number") returned += n;
                return "ok" as const;
              },
              (e: Error) => {
                log.warn({ step: step.name, err: e.message }, "stop step failed");
                return "failed" as const;
              },
            ),
            new Promise<"timeout">((r) => {
              timer = setTimeout(() => r("timeout"), budget);
            }),
          ]);
          clearTimeout(timer);
          if (outcome === "timeout") {
            timedOut.push(step.name);
            log.warn({ step: step.name, budgetMs: budget }, "stop step did not finish in time; continuing");
          } else if (outcome === "failed") failed.push(step.name);
          log.debug({ step: step.name, ms: Date.now() - s0, outcome }, "stopped");
        }
        return { timedOut, failed, ms: Date.now() - t0, returned };
      })();
      return running;
    },
  };
}

/** The jobs this worker is running right now (BullMQ keeps no public list). */
export function trackInFlight(worker: Worker<QueueJob>): Set<Job<QueueJob>> {
  const jobs = new Set<Job<QueueJob>>();
  worker.on("active", (job) => jobs.add(job));
  const done = (job: Job<QueueJob> | undefined) => {
    if (job) for (const j of jobs) if (j.id === job.id) jobs.delete(j);
  };
  worker.on("completed", done);
  worker.on("failed", done);
  return jobs;
}

/** Reserved at the end of the worker's budget for handing jobs back and closing connections. */
const RETURN_RESERVE_MS = 1_500;

/**
 * Stop fetching, let running jobs finish until the budget's drain part is spent, then move the
 * ones still running back to the wait list (their lock token is ours) and force-close. A job
 * moved back may still finish here before the process exits; results are first-write-wins and
 * deliveries are claimed once, so the re-run on the next start cannot send twice.
 * Returns how many jobs went back to the queue.
 */
export async function drainWorker(
  worker: Worker<QueueJob>,
  inFlight: Set<Job<QueueJob>>,
  budgetMs: number,
  log: Logger,
): Promise<number> {
  const closing = worker.close(); // stops fetching at once; resolves when running jobs end
  closing.catch(() => {});
  const drainMs = Math.max(0, budgetMs - RETURN_RESERVE_MS);
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    closing.then(() => true),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), drainMs);
    }),
  ]);
  clearTimeout(timer);
  if (drained) return 0;
  const left = [...inFlight];
  let returned = 0;
  await Promise.all(
    left.map(async (job) => {
      try {
        await job.moveToWait(job.token);
        returned++;
      } catch (e) {
        // Not ours any more (finished or stalled meanwhile): the stalled check or the requeue sweep covers it.
        log.warn({ jobId: job.id, err: (e as Error).message }, "could not return job to the queue");
      }
    }),
  );
  log.warn({ returned, running: left.length }, "shutdown deadline: in-flight jobs returned to the queue");
  return returned;
}
