/**
 * Starts the embedded Chroma server that ships inside the `chromadb` npm package (a Rust
 * server run through its native bindings), so laptops and CI need no Docker or Python.
 * Production points CHROMA_URL at a real Chroma server instead and never calls this.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { AppError } from "../core/errors.js";

export interface EmbeddedChromaOptions {
  /** Directory where Chroma persists its data (created if missing). */
  path: string;
  /** @defaultValue "127.0.0.1" */
  host?: string;
  /** 0 or undefined picks a free port. */
  port?: number;
  /** How long to wait for the heartbeat. @defaultValue 20000 */
  readyTimeoutMs?: number;
}

export interface EmbeddedChroma {
  url: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Resolved through the package, not the cwd, so the CLI works from any directory. */
function chromaCliPath(): string {
  const require = createRequire(import.meta.url);
  // The package's "exports" hides package.json, so resolve the CJS entry and walk up to dist/.
  const cjsEntry = require.resolve("chromadb");
  return join(dirname(dirname(cjsEntry)), "cli.mjs");
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startEmbeddedChroma(opts: EmbeddedChromaOptions): Promise<EmbeddedChroma> {
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port && opts.port > 0 ? opts.port : await freePort(host);
  const timeoutMs = opts.readyTimeoutMs ?? 20_000;
  mkdirSync(opts.path, { recursive: true });

  const child: ChildProcess = spawn(
    process.execPath,
    [chromaCliPath(), "run", "--path", opts.path, "--host", host, "--port", String(port)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  // Keep only a tail of the child's output: it is for the error message when start-up fails.
  let tail = "";
  const keep = (b: Buffer) => {
    tail = (tail + b.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  // A parent that exits without calling stop() must not leave an orphan holding the data dir.
  const onParentExit = () => {
    if (!exited) child.kill("SIGKILL");
  };
  process.once("exit", onParentExit);

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", onParentExit);
      if (!exited) {
        child.kill("SIGINT");
        const timer = setTimeout(() => {
          if (!exited) child.kill("SIGKILL");
        }, 5_000);
        await exit;
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (exited) {
      const e = exited as { code: number | null; signal: NodeJS.Signals | null };
      await stop();
      throw new AppError(
        "DEPENDENCY_UNAVAILABLE",
        `embedded Chroma exited during start-up (code ${e.code}, signal ${e.signal}):\n${tail.trim()}`,
      );
    }
    try {
      const res = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new AppError(
        "DEPENDENCY_UNAVAILABLE",
        `embedded Chroma did not answer ${url}/api/v2/heartbeat within ${timeoutMs} ms; output tail:\n${tail.trim()}`,
      );
    }
    await sleep(50);
  }
  return { url, host, port, stop };
}
