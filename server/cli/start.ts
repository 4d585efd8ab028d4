/**
 * `glycopilot start` (what `npm start` runs): the server, a pipeline worker and the embedded
 * services, listening on a printed URL, until SIGINT/SIGTERM.
 */
import { serve } from "@hono/node-server";
import { loadConfig } from "../../core/config.js";
import { isAppError } from "../../core/errors.js";
import { parseApiTokens } from "../auth/credentials.js";
import { loud, openApiVerdict } from "../auth/open-api.js";
import { buildSystem } from "../main.js";

export async function run(_argv: string[]): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  // Closed by default: checked before any service starts, so a refusal costs nothing.
  try {
    parseApiTokens(config.API_TOKENS);
  } catch (e) {
    process.stderr.write(loud(`refusing to start: ${(e as Error).message}`));
    return 2;
  }
  const verdict = openApiVerdict(config);
  if (!verdict.start) {
    process.stderr.write(loud(verdict.error));
    return 2;
  }
  if (verdict.warning) process.stderr.write(loud(`WARNING: ${verdict.warning}`));
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
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stderr.write("GlycoPilot stopping…\n");
  server.close();
  await system.stop();
  return 0;
}
