/**
 * A counting semaphore with a bounded wait line: at most `limit` calls run at once (matching the
 * model host's OLLAMA_NUM_PARALLEL) and at most `maxWaiting` wait; beyond that callers get
 * back-pressure (DEPENDENCY_UNAVAILABLE) instead of piling requests onto the GPU host.
 */
import { AppError } from "../../core/errors.js";

export interface Limiter {
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(limit: number, maxWaiting = limit * 16): Limiter {
  let active = 0;
  const queue: Array<{ go: () => void; fail: (e: unknown) => void }> = [];
  const release = () => {
    active--;
    const next = queue.shift();
    if (next) {
      active++;
      next.go();
    }
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run(fn, signal) {
      if (active >= limit) {
        if (queue.length >= maxWaiting)
          throw new AppError("DEPENDENCY_UNAVAILABLE", "model host saturated: too many waiting requests");
        await new Promise<void>((go, fail) => {
          const entry = { go, fail };
          queue.push(entry);
          signal?.addEventListener(
            "abort",
            () => {
              const i = queue.indexOf(entry);
              if (i >= 0) {
                queue.splice(i, 1);
                fail(new AppError("MODEL_TIMEOUT", "timed out waiting for a model slot"));
              }
            },
            { once: true },
          );
        });
      } else active++;
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
