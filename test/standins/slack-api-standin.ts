/**
 * TEST STAND-IN — not production code. A local HTTP server speaking the Slack Web API wire
 * protocol (POST /api/{method}, form-urlencoded or JSON, Bearer token) so the real Bolt /
 * @slack/web-api client runs offline. It records every call and can answer 429 with
 * Retry-After for a scripted number of calls.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackCall {
  method: string;
  token: string | null;
  args: Record<string, unknown>;
  at: number;
  /** The HTTP status the stand-in answered, and its JSON body. */
  status: number;
  response: Record<string, unknown>;
}

export interface SlackApiStandin {
  /** Base URL for `slackApiUrl` (ends with /api/). */
  url: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** The next `times` calls to `method` get 429 with Retry-After: `retryAfterS`. */
  rateLimit(method: string, times: number, retryAfterS: number): void;
  waitFor(pred: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const JSON_FIELDS = ["blocks", "attachments", "view", "metadata"];

function parseArgs(raw: string, type: string): Record<string, unknown> {
  if (type.includes("application/json")) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.includes(k) ? JSON.parse(v) : v;
  }
  return out;
}

export async function startSlackApiStandin(opts: { botUserId?: string } = {}): Promise<SlackApiStandin> {
  const calls: SlackCall[] = [];
  const limits = new Map<string, { times: number; retryAfterS: number }>();
  let seq = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
      const auth = req.headers.authorization;
      let args: Record<string, unknown> = {};
      try {
        args = parseArgs(Buffer.concat(chunks).toString("utf8"), req.headers["content-type"] ?? "");
      } catch {
        args = { unparseable: true };
      }
      const token = auth?.startsWith("Bearer ") ? auth.slice(7) : typeof args.token === "string" ? args.token : null;
      const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
        calls.push({ method, token, args, at: Date.now(), status, response: body });
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(body));
      };
      const limit = limits.get(method);
      if (limit && limit.times > 0) {
        limit.times--;
        return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(limit.retryAfterS) });
      }
      if (!token) return send(200, { ok: false, error: "not_authed" });
      switch (method) {
        case "chat.postMessage": {
          const ts = `1700000000.${String(++seq).padStart(6, "0")}`;
          return send(200, { ok: true, channel: args.channel, ts, message: { ts, text: args.text, thread_ts: args.thread_ts } });
        }
        case "views.open":
          return send(200, { ok: true, view: { id: `V${++seq}`, ...(args.view as object) } });
        case "auth.test":
          return send(200, { ok: true, user_id: opts.botUserId ?? "UBOT", bot_id: "BBOT", team_id: "T1" });
        default:
          return send(200, { ok: true });
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    callsTo: (m) => calls.filter((c) => c.method === m && c.status === 200),
    rateLimit(method, times, retryAfterS) {
      limits.set(method, { times, retryAfterS });
    },
    async waitFor(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(calls)) {
        if (Date.now() > deadline)
          throw new Error(
            `slack stand-in: condition not met within ${timeoutMs} ms (${calls.length} calls: ${calls.map((c) => c.method).join(", ")})`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
