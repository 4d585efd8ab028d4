/**
 * Test-wide services: one real redis-server and one real embedded Chroma for the whole run
 * (each test isolates itself with its own queue prefix / collection prefix). The shipped
 * corpus is ingested once here under the shared "test" prefix so test files start fast.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { loadConfig } from "../core/config.js";
import { startEmbeddedChroma } from "../rag/chroma-server.js";
import { openKnowledge } from "../server/clients.js";
import { startRedisServer } from "../server/infra/redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    chromaUrl: string;
  }
}

/** The reviewer console's browser tests drive Debian's Chromium; install it when we can. */
function ensureChromium(): void {
  if (existsSync("/usr/bin/chromium") || process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", env });
  } catch {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", env });
  }
}

export default async function setup(project: TestProject) {
  ensureChromium();
  const dir = mkdtempSync(join(tmpdir(), "glyco-test-"));
  const redis = await startRedisServer({ dir: null });
  const chroma = await startEmbeddedChroma({ path: join(dir, "chroma") });
  const config = loadConfig({ CHROMA_URL: chroma.url, DATA_DIR: dir, CHROMA_PREFIX: "test" });
  const kb = await openKnowledge(config);
  await kb.stop();
  project.provide("redisUrl", redis.url);
  project.provide("chromaUrl", chroma.url);
  return async () => {
    await chroma.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
