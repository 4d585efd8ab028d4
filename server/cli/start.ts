/**
 * `glycopilot start` (what `npm start` runs): the server, a pipeline worker and the embedded
 * services, listening on a printed URL, until SIGINT/SIGTERM. The first signal stops cleanly
 * within 10 s: no new connections, in-flight jobs finish or go back to the queue, then workers,
 * Redis, Chroma and SQL close. A second signal exits at once, saying so; either way what was
 * accepted is in SQL and the queue, and the next start picks it up.
 * On a terminal, logs are readable
 * lines and the first start's corpus ingest draws a progress bar; elsewhere logs stay JSON. The
 * banner says the mode, the enabled channels, how the API is protected and where everything is.
 * While running, `${DATA_DIR}/server.json` tells client commands (`glycopilot ask`) the URL.
 */
import { serve } from "@hono/node-server";
import cliProgress from "cli-progress";
import { type Config, loadConfig } from "../../core/config.js";
import { isAppError } from "../../core/errors.js";
import type { IngestProgress } from "../../rag/ingest.js";
import { parseApiTokens } from "../auth/credentials.js";
import { loud, openApiVerdict } from "../auth/open-api.js";
import { createLogger } from "../log.js";
import { buildSystem } from "../main.js";
import { prettyLogStream } from "./pretty-log.js";
import { stopWithin, waitForStopSignal } from "./signals.js";
import { removeServerState, writeServerState } from "./state.js";

/** Progress of the first ingest: a bar on a terminal, a few plain lines otherwise. */
function ingestReporter(tty: boolean): { onProgress: (p: IngestProgress) => void; stop: () => void } {
  let announced = false;
  let bar: cliProgress.SingleBar | null = null;
  let lastQuarter = -1;
  const announce = () => {
    if (announced) return;
    announced = true;
    process.stderr.write("First start (or the corpus changed): ingesting the shipped knowledge corpus, about half a minute…\n");
  };
  return {
    onProgress(p) {
      announce();
      if (p.phase !== "embed" || p.total === 0) return;
      if (tty) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream: process.stderr,
              format: "  ingest [{bar}] {percentage}% | {value}/{total} chunks | ETA {eta}s",
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, 0);
        }
        bar.update(p.done);
      } else {
        const q = Math.floor((4 * p.done) / p.total);
        if (q > lastQuarter) {
          lastQuarter = q;
          process.stderr.write(`  ingest: ${p.done}/${p.total} chunks\n`);
        }
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

function authLine(config: Config): string {
  const tokens = (config.API_TOKENS ?? "").split(",").filter((t) => t.trim()).length;
  const api = tokens
    ? `API tokens required (${tokens} configured)`
    : "OPEN — no API_TOKENS, anyone who can reach this port may call /v1";
  const consoleUsers = config.USERS_FILE ? `console users from ${config.USERS_FILE}` : "no console users (set USERS_FILE)";
  return `${api}; ${consoleUsers}`;
}

export function banner(o: {
  url: string;
  config: Config;
  mode: "model" | "case-based";
  channels: readonly string[];
  stateFile: string;
}): string {
  const { url, config } = o;
  const mode =
    o.mode === "model"
      ? `model host ${config.LLM_PROVIDER === "anthropic" ? "anthropic" : (config.OLLAMA_HOST ?? config.LLM_PROVIDER)}`
      : "CASE-BASED MODE (no model host: guideline-based drafts for consultations, patient answers from targets and education passages, similar-case drafts otherwise — all labelled)";
  const channel = (name: string) => {
    if (name === "http") return "HTTP API";
    if (name === "slack")
      return config.SLACK_SOCKET_MODE ? "Slack (Socket Mode)" : `Slack (events at ${config.PUBLIC_URL ?? url}/slack/events)`;
    if (name === "wechat")
      return config.WECHAT_PUPPET
        ? `WeChat (wechaty, ${config.WECHAT_PUPPET})`
        : `WeChat (callback at ${config.PUBLIC_URL ?? url}/wechat/callback)`;
    return name;
  };
  const off = [
    o.channels.includes("slack") ? null : "Slack (set SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET)",
    o.channels.includes("wechat") ? null : "WeChat (set WECHAT_TOKEN, WECHAT_APP_ID, WECHAT_APP_SECRET)",
  ].filter(Boolean);
  return [
    "",
    `GlycoPilot listening on ${url}`,
    `  mode:       ${mode}`,
    `  channels:   ${o.channels.map(channel).join(", ")}`,
    ...(off.length ? [`  off:        ${off.join("; ")}`] : []),
    `  access:     ${authLine(config)}`,
    `  API docs:   ${url}/docs (reference; a plain route index offline)   ${url}/openapi.json`,
    `  FHIR:       POST ${url}/v1/fhir/Bundle`,
    `  console:    ${url}/console      queues: ${url}/admin/queues (admin)`,
    `  readiness:  ${url}/readyz       metrics: ${url}/metrics`,
    `  state file: ${o.stateFile} (lets \`glycopilot ask\` find this server)`,
    "  try:",
    "    npx glycopilot ask consultation.json      # or:",
    `    curl -s -X POST ${url}/v1/consultations -H 'content-type: application/json' \\`,
    `      -d '{"sex":"male","age":58,"diagnoses":["type 2 diabetes"],"chiefComplaint":"follow-up, HbA1c rising","labs":[{"name":"HbA1c","value":8.4,"unit":"%"}],"medications":[{"name":"metformin","dose":"500 mg","frequency":"twice daily"}]}'`,
    "",
  ].join("\n");
}

export async function run(_argv: string[]): Promise<number> {
  let config: Config;
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
  const tty = process.stderr.isTTY === true;
  const log = createLogger(config.LOG_LEVEL, tty ? prettyLogStream(process.stderr, true) : undefined);
  process.stderr.write("GlycoPilot starting (embedded services where no URL is configured)…\n");
  const ingest = ingestReporter(tty);
  let system: Awaited<ReturnType<typeof buildSystem>>;
  try {
    system = await buildSystem(config, { log, onIngestProgress: ingest.onProgress });
  } catch (e) {
    ingest.stop();
    process.stderr.write(`GlycoPilot could not start: ${isAppError(e) ? e.message : String(e)}\n`);
    return 1;
  }
  ingest.stop();
  if (system.knowledge.ingested) {
    const s = system.knowledge.ingested;
    process.stderr.write(`  ingested ${s.documents} documents, ${s.chunks} chunks in ${(s.ms / 1000).toFixed(1)} s\n`);
  }
  const server = serve({ fetch: system.app.fetch, port: config.PORT, hostname: config.HOST });
  const listening = await new Promise<Error | null>((resolve) => {
    server.once("listening", () => resolve(null));
    server.once("error", (e: Error) => resolve(e));
  });
  if (listening) {
    const busy = (listening as NodeJS.ErrnoException).code === "EADDRINUSE";
    process.stderr.write(
      `GlycoPilot could not listen on ${config.HOST}:${config.PORT}: ${busy ? "the port is in use (set PORT, or PORT=0 for any free port)" : listening.message}\n`,
    );
    await system.stop();
    return 1;
  }
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.PORT;
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "127.0.0.1" : config.HOST;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const channels = Object.keys(system.deps.channels);
  const file = writeServerState(config.DATA_DIR, {
    url,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    mode: system.services.mode,
    channels,
  });
  process.stdout.write(banner({ url, config, mode: system.services.mode, channels, stateFile: file }));
  const signal = await waitForStopSignal("GlycoPilot");
  removeServerState(config.DATA_DIR);
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
