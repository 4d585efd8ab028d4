/**
 * Signal handling shared by `glycopilot start` and `glycopilot worker`: the first SIGINT/SIGTERM
 * starts a clean stop bounded by a hard deadline; a second one exits at once and says so.
 * Either way what was accepted is in SQL and the queue, and the next start picks it up.
 */
import type { StopSummary } from "../shutdown.js";

/** Whole stop, signal to exit. */
export const HARD_EXIT_MS = 10_000;

/** Resolves with the first signal; a second signal exits the process with 130 and a message. */
export function waitForStopSignal(name: string): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: NodeJS.Signals | null = null;
    const onSignal = (sig: NodeJS.Signals) => {
      if (!first) {
        first = sig;
        resolve(sig);
        return;
      }
      process.stderr.write(
        `${name}: second signal (${sig}) — exiting now without a clean stop; accepted messages are kept in SQL and the queue and are picked up by the next start\n`,
      );
      process.exit(130);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/**
 * Run `stop` under the hard deadline (exit 1 with a message if it overruns), report, then make
 * sure the process exits even if a library left a handle open (a reconnecting socket).
 */
export async function stopWithin(name: string, signal: NodeJS.Signals, stop: () => Promise<StopSummary>): Promise<number> {
  const t0 = Date.now();
  process.stderr.write(`${name} stopping (${signal}; up to ${HARD_EXIT_MS / 1000} s, send again to force)…\n`);
  const hard = setTimeout(() => {
    process.stderr.write(
      `${name}: stop exceeded ${HARD_EXIT_MS / 1000} s — exiting; unfinished jobs are picked up by the next start\n`,
    );
    process.exit(1);
  }, HARD_EXIT_MS);
  hard.unref();
  const summary = await stop();
  const late = summary.timedOut.length ? `; did not finish in time: ${summary.timedOut.join(", ")}` : "";
  process.stderr.write(
    `${name} stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s (${summary.returned} in-flight job(s) returned to the queue${late})\n`,
  );
  setTimeout(() => process.exit(0), 100).unref();
  return 0;
}
