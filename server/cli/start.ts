/**
 * `glycopilot start` (what `npm start` runs): the server, a pipeline worker and the embedded
 * services, listening on a printed URL, until SIGINT/SIGTERM. The first signal stops cleanly
 * within 10 s: no new connections, in-flight jobs finish or go back to the queue, then workers,
 * Redis, Chroma and SQL close. A second signal exits at once, saying so; either way what was
 * accepted is in SQL and the queue, and the next start picks it up.
 */
import { serve } from "@hono/node-server";
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
  process.stderr.write("GlycoPilot starting (embedded services where no URL is configured)…\n");
  let system: Awaited<ReturnType<typeof buildSystem>>;
  try {
    system = await buildSystem(config);
  } catch (e) {
    process.stderr.write(`GlycoPilot could not start: ${isAppError(e) ? e.message : String(e)}\n`);
    return 1;
  }
  const server = serve({ fetch: system.app.fetch, port: config.PORT, hostname: config.HOST });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  const mode =
    system.services.mode === "model"
      ? `model host ${config.OLLAMA_HOST ?? config.LLM_PROVIDER}`
      : "CASE-BASED MODE (no model host)";
  process.stdout.write(
    [
      `GlycoPilot listening on ${url}  [${mode}]`,
      `  API docs:   ${url}/openapi.json`,
      `  readiness:  ${url}/readyz`,
      "  try:",
      `  curl -s -X POST ${url}/v1/consultations -H 'content-type: application/json' \\`,
      `    -d '{"sex":"male","age":58,"diagnoses":["type 2 diabetes"],"chiefComplaint":"follow-up, HbA1c rising","labs":[{"name":"HbA1c","value":8.4,"unit":"%"}],"medications":[{"name":"metformin","dose":"500 mg","frequency":"twice daily"}]}'`,
      "",
    ].join("\n"),
  );
  const signal = await waitForStopSignal("GlycoPilot");
  return stopWithin("GlycoPilot", signal, async () => {
    // Stop accepting: no new connections; idle keep-alive sockets closed now, busy ones after a grace.
    const closed = new Promise<void>((r) => server.close(() => r()));
    if ("closeIdleConnections" in server) server.closeIdleConnections();
    await Promise.race([closed, new Promise((r) => setTimeout(r, HTTP_GRACE_MS))]);
    if ("closeAllConnections" in server) server.closeAllConnections();
    return system.stop({ deadlineMs: STOP_DEADLINE_MS });
  });
}

/** In-flight HTTP requests (all of them short: intake answers 202) get this long. */
const HTTP_GRACE_MS = 1_000;
/** Drain + close of the system, leaving room under HARD_EXIT_MS. */
const STOP_DEADLINE_MS = 8_000;
