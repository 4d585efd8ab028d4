/**
 * `glycopilot ask FILE.json`: post a consultation to a running server, wait for the result and
 * print it — readable by default, `--json` for machines. The server is found through the state
 * file `glycopilot start` writes under DATA_DIR (so its port need not be repeated), else
 * `--url`, else HOST:PORT from the environment. Exit codes are part of the interface (USAGE).
 */
import { readFile } from "node:fs/promises";
import { loadConfig } from "../../core/config.js";
import { parseArgs } from "./jsonl.js";
import { type ResultView, renderResult, styleFor } from "./render.js";
import { readServerState, stateFile } from "./state.js";

export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3, rejected: 4, timeout: 5 } as const;

export const USAGE = `usage: glycopilot ask FILE.json [options]

Posts the consultation in FILE.json (the body of POST /v1/consultations; "-" reads stdin) to a
running GlycoPilot server, waits for the result and prints it: the decision and its reasons,
triage, lab tests, examinations, medications and recommendations with numbered citations,
findings and sources.

options:
  --url URL          the server (default: the one \`glycopilot start\` recorded in
                     $DATA_DIR/server.json, else http://$HOST:$PORT, i.e. http://127.0.0.1:8787)
  --token TOKEN      API token (Authorization: Bearer), when the server has API_TOKENS
  --timeout-ms N     how long to wait for the result (default 60000)
  --json             print the result as JSON (for scripts)
  --no-color         no colours (also when NO_COLOR is set or stdout is not a terminal)

exit codes: 0 answered · 1 processing failed (held for review) · 2 usage or unreadable file ·
            3 no server at the URL · 4 request rejected (the message says why) · 5 no result in time
`;

const BOOLEAN_FLAGS = ["json", "help", "no-color"];

interface Target {
  url: string;
  how: string;
}

function findServer(flagUrl: string | undefined): Target {
  if (flagUrl) return { url: flagUrl.replace(/\/+$/, ""), how: "--url" };
  let config: ReturnType<typeof loadConfig> | null = null;
  try {
    config = loadConfig();
  } catch {
    // A broken server environment must not stop a client that can still try the default.
  }
  const dataDir = config?.DATA_DIR ?? ".glycopilot";
  const state = readServerState(dataDir);
  if (state) return { url: state.url, how: stateFile(dataDir) };
  const host = config?.HOST && config.HOST !== "0.0.0.0" ? config.HOST : "127.0.0.1";
  return { url: `http://${host}:${config?.PORT ?? 8787}`, how: "HOST/PORT (no running server recorded)" };
}

class Unreachable extends Error {}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new Unreachable(cause);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: { error: { code: "NOT_JSON", message: text.slice(0, 200) } } };
  }
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  for (const f of BOOLEAN_FLAGS) {
    const v = flags[f];
    if (typeof v === "string") {
      positionals.unshift(v);
      flags[f] = true;
    }
  }
  if (flags.help) {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (!file) {
    process.stderr.write(USAGE);
    return EXIT.usage;
  }
  const timeoutMs = Number(typeof flags["timeout-ms"] === "string" ? flags["timeout-ms"] : 60_000);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    process.stderr.write("glycopilot ask: --timeout-ms must be a positive number\n");
    return EXIT.usage;
  }
  let body: string;
  try {
    body = file === "-" ? await new Response(process.stdin as unknown as ReadableStream).text() : await readFile(file, "utf8");
    JSON.parse(body);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    process.stderr.write(`glycopilot ask: cannot use ${file}: ${why}\n`);
    return EXIT.usage;
  }
  const target = findServer(typeof flags.url === "string" ? flags.url : undefined);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (typeof flags.token === "string") headers.authorization = `Bearer ${flags.token}`;
  const json = flags.json === true;
  const color = !json && flags["no-color"] !== true && !process.env.NO_COLOR && process.stdout.isTTY === true;

  try {
    const accepted = await call(`${target.url}/v1/consultations`, { method: "POST", headers, body });
    const location = accepted.body.location;
    if (accepted.status !== 202 || typeof location !== "string") {
      const err = accepted.body.error as { code?: string; message?: string } | undefined;
      process.stderr.write(
        `glycopilot ask: the server refused the consultation (${accepted.status}${err?.code ? ` ${err.code}` : ""}): ${err?.message ?? JSON.stringify(accepted.body)}\n`,
      );
      return EXIT.rejected;
    }
    if (!json)
      process.stderr.write(
        `accepted ${String(accepted.body.id)} (urgency ${String(accepted.body.urgency)}); waiting for the result…\n`,
      );
    const deadline = Date.now() + timeoutMs;
    const auth = headers.authorization ? { authorization: headers.authorization } : undefined;
    while (Date.now() < deadline) {
      const r = await call(`${target.url}${location}`, auth ? { headers: auth } : {});
      const status = r.body.status;
      if (status === "done" || status === "failed") {
        process.stdout.write(
          json ? `${JSON.stringify(r.body, null, 2)}\n` : renderResult(r.body as unknown as ResultView, styleFor(color)),
        );
        return status === "done" ? EXIT.ok : EXIT.failed;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    process.stderr.write(
      `glycopilot ask: no result for ${String(accepted.body.id)} within ${timeoutMs} ms; it is still queued — fetch it later with: curl ${target.url}${location}\n`,
    );
    return EXIT.timeout;
  } catch (e) {
    if (!(e instanceof Unreachable)) throw e;
    process.stderr.write(
      `glycopilot ask: no GlycoPilot server answering at ${target.url} (${e.message}; found via ${target.how}).\n` +
        "  Start one with `npm start` (or `glycopilot start`), or point at another with --url http://HOST:PORT.\n",
    );
    return EXIT.unreachable;
  }
}
