/**
 * `glycopilot worker`: a pipeline worker process without the HTTP server, for scaling out.
 * Several processes share one Redis, one Chroma and one PostgreSQL, so all three must be
 * configured by URL: the embedded stores belong to the single `glycopilot start` process.
 */
import { loadConfig } from "../../core/config.js";
import { isAppError } from "../../core/errors.js";
import { buildSystem } from "../main.js";
import { stopWithin, waitForStopSignal } from "./signals.js";

export async function run(_argv: string[]): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const missing = (["REDIS_URL", "CHROMA_URL", "DATABASE_URL"] as const).filter((k) => !config[k]);
  if (missing.length > 0) {
    process.stderr.write(
      `glycopilot worker needs ${missing.join(", ")}: worker processes share Redis, Chroma and PostgreSQL (the embedded services run inside \`glycopilot start\` only)\n`,
    );
    return 2;
  }
  let system: Awaited<ReturnType<typeof buildSystem>>;
  try {
    system = await buildSystem(config, { worker: true });
  } catch (e) {
    process.stderr.write(`worker could not start: ${isAppError(e) ? e.message : String(e)}\n`);
    return 1;
  }
  process.stderr.write(`GlycoPilot worker ${process.pid} running (concurrency ${config.WORKER_CONCURRENCY})\n`);
  // Graceful within 10 s: active jobs finish or go back to the queue; a second signal exits at once.
  const signal = await waitForStopSignal(`GlycoPilot worker ${process.pid}`);
  return stopWithin(`GlycoPilot worker ${process.pid}`, signal, () => system.stop({ deadlineMs: 9_000 }));
}
