/**
 * TEST STAND-IN — not production code. A local HTTP server that speaks the wire protocols of
 * Ollama (/api/chat, /api/tags, /api/embed, /api/version) and Anthropic (/v1/messages, JSON
 * and SSE), so the real `ollama` and `@anthropic-ai/sdk` clients can be exercised offline.
 * It records every request it receives and answers with what the test scripts.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  raw: string;
}

/** What the stand-in answers to a chat request: text content, or a behaviour. */
export type StandinReply =
  | { kind: "text"; text: string }
  | { kind: "json"; value: unknown }
  | { kind: "delay"; ms: number; then: StandinReply }
  | { kind: "http-error"; status: number }
  | { kind: "hang" };

export interface ModelHostStandin {
  url: string;
  requests: RecordedRequest[];
  /** Requests to chat endpoints only (Ollama /api/chat, Anthropic /v1/messages). */
  chatRequests(): RecordedRequest[];
  /** Set the answer for subsequent chat requests (a function gets the request). */
  reply(r: StandinReply | ((req: RecordedRequest, n: number) => StandinReply)): void;
  models: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startModelHostStandin(opts: { models?: string[] } = {}): Promise<ModelHostStandin> {
  const requests: RecordedRequest[] = [];
  let script: (req: RecordedRequest, n: number) => StandinReply = () => ({ kind: "json", value: {} });
  let chatCount = 0;
  const models = opts.models ?? ["glycopilot-glm4-9b:latest"];
  const hanging = new Set<() => void>();

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const rec: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, raw };
    requests.push(rec);
    const path = (req.url ?? "").split("?")[0];
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };

    if (path === "/api/version") return send(200, { version: "0.12.0-standin" });
    if (path === "/api/tags")
      return send(200, {
        models: models.map((m) => ({
          name: m,
          model: m,
          modified_at: new Date(0).toISOString(),
          size: 1,
          digest: "standin",
          details: {},
        })),
      });
    if (path === "/api/embed") {
      const input = (body as { input?: string | string[] })?.input ?? [];
      const list = Array.isArray(input) ? input : [input];
      return send(200, { model: (body as { model?: string })?.model, embeddings: list.map((t) => fakeVector(t)) });
    }
    if (path !== "/api/chat" && path !== "/v1/messages") return send(404, { error: `stand-in: no route ${path}` });

    const n = chatCount++;
    let step = script(rec, n);
    while (step.kind === "delay") {
      const { ms, then } = step;
      await new Promise((r) => setTimeout(r, ms));
      step = then;
    }
    if (step.kind === "hang") {
      await new Promise<void>((resolve) => {
        hanging.add(resolve);
        req.on("close", resolve);
      });
      return;
    }
    if (step.kind === "http-error") return send(step.status, { error: "stand-in scripted error" });
    const text = step.kind === "text" ? step.text : JSON.stringify(step.value);
    if (path === "/api/chat") {
      const model = (body as { model?: string })?.model ?? "unknown";
      return send(200, {
        model,
        created_at: new Date().toISOString(),
        message: { role: "assistant", content: text },
        done: true,
        done_reason: "stop",
        total_duration: 1,
        eval_count: 1,
      });
    }
    // Anthropic Messages API: a forced tool call returns tool_use input; otherwise text.
    const b = body as { model?: string; tools?: { name: string }[]; stream?: boolean };
    const toolName = b.tools?.[0]?.name;
    let content: unknown[];
    if (toolName) {
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        input = { invalid: text };
      }
      content = [{ type: "tool_use", id: "toolu_standin", name: toolName, input }];
    } else content = [{ type: "text", text }];
    const message = {
      id: "msg_standin",
      type: "message",
      role: "assistant",
      model: b.model ?? "unknown",
      content,
      stop_reason: toolName ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    if (!b.stream) return send(200, message);
    res.writeHead(200, { "content-type": "text/event-stream" });
    const ev = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    ev("message_start", { type: "message_start", message: { ...message, content: [] } });
    content.forEach((block, index) => {
      const blk = block as { type: string; text?: string; input?: unknown };
      if (blk.type === "text") {
        ev("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
        ev("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: blk.text } });
      } else {
        ev("content_block_start", { type: "content_block_start", index, content_block: { ...blk, input: {} } });
        ev("content_block_delta", {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: JSON.stringify(blk.input) },
        });
      }
      ev("content_block_stop", { type: "content_block_stop", index });
    });
    ev("message_delta", {
      type: "message_delta",
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: 1 },
    });
    ev("message_stop", { type: "message_stop" });
    res.end();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    models,
    chatRequests: () => requests.filter((r) => r.path.startsWith("/api/chat") || r.path.startsWith("/v1/messages")),
    reply(r) {
      script = typeof r === "function" ? r : () => r;
    },
    async close() {
      for (const h of hanging) h();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Deterministic pseudo-embedding for the /api/embed route (tests of the Ollama embedder path). */
function fakeVector(text: string, dim = 64): number[] {
  const v = new Array<number>(dim).fill(0);
  for (let i = 0; i < text.length; i++) v[(text.charCodeAt(i) * 31 + i) % dim]! += 1;
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
