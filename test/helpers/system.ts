/**
 * Builds a whole GlycoPilot system for a test on the run's real Redis and Chroma, with an
 * in-memory PGlite and a queue prefix of its own.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { loadConfig } from "../../core/config.js";
import { createLogger } from "../../server/log.js";
import { type BuildOptions, buildSystem, type System } from "../../server/main.js";

export async function buildTestSystem(env: Record<string, string> = {}, opts: BuildOptions = {}): Promise<System> {
  const config = loadConfig({
    REDIS_URL: inject("redisUrl"),
    CHROMA_URL: inject("chromaUrl"),
    CHROMA_PREFIX: "test",
    DATA_DIR: mkdtempSync(join(tmpdir(), "glyco-sys-")),
    QUEUE_PREFIX: `t${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: "silent",
    // Generation tests script one reply for every chat request; the model's triage second
    // opinion has its own suite (server/pipeline/model-triage.int.test.ts), which turns it on.
    MODEL_TRIAGE: "false",
    ...env,
  });
  return buildSystem(config, { sqlDir: null, log: createLogger("silent"), ...opts });
}

/** Poll GET location until the result is done. */
export async function waitForResult(app: System["app"], location: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.request(location);
    const body = (await res.json()) as Record<string, unknown>;
    if (body.status === "done" || body.status === "failed") return body;
    if (Date.now() > deadline) throw new Error(`no result at ${location} within ${timeoutMs} ms (last: ${JSON.stringify(body)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function jsonPost(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
