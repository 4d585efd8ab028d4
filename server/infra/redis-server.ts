/**
 * Starts a private redis-server on a free loopback port when REDIS_URL is not set.
 * A missing binary is installed from Debian when running as root (the product's embedded
 * default must work on a fresh machine); otherwise the error says how to install it.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { AppError } from "../../core/errors.js";
import { freePort } from "./ports.js";

export interface RedisServerOptions {
  /** Directory for the append-only file; null runs without persistence (tests). */
  dir: string | null;
  port?: number;
  /** @defaultValue 10000 */
  startTimeoutMs?: number;
}

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

const CANDIDATES = ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"];

export function findRedisServer(): string | null {
  for (const p of CANDIDATES) if (existsSync(p)) return p;
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const p = `${dir}/redis-server`;
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Install redis-server with apt-get when we are root; otherwise explain. */
export function ensureRedisServerBinary(log: (msg: string) => void = () => {}): string {
  const found = findRedisServer();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    throw new AppError(
      "DEPENDENCY_UNAVAILABLE",
      "redis-server is not installed. Install it with `sudo apt-get install -y redis-server` (Debian/Ubuntu), or set REDIS_URL to an existing Redis.",
    );
  }
  log("redis-server not found: installing the Debian package redis-server (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  try {
    execFileSync("apt-get", ["install", "-y", "-qq", "redis-server"], { stdio: "ignore", env });
  } catch {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "redis-server"], { stdio: "ignore", env });
  }
  const after = findRedisServer();
  if (!after) throw new AppError("DEPENDENCY_UNAVAILABLE", "apt-get installed redis-server but the binary was not found");
  return after;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: "127.0.0.1", port }, () => sock.write("PING\r\n"));
    sock.setTimeout(500);
    sock.on("data", (d) => {
      sock.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
    sock.on("error", () => resolve(false));
    sock.on("timeout", () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export async function startRedisServer(opts: RedisServerOptions, log: (msg: string) => void = () => {}): Promise<RunningService> {
  const bin = ensureRedisServerBinary(log);
  const port = opts.port ?? (await freePort());
  const args = [
    "--bind",
    "127.0.0.1",
    "--port",
    String(port),
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
    "--loglevel",
    "warning",
  ];
  if (opts.dir) {
    mkdirSync(opts.dir, { recursive: true });
    // Accepted messages survive a restart: AOF fsync'd every second, as documented for production.
    args.push("--dir", opts.dir, "--appendonly", "yes", "--appendfsync", "everysec", "--save", "");
  } else {
    args.push("--save", "", "--appendonly", "no");
  }
  const child: ChildProcess = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new AppError("DEPENDENCY_UNAVAILABLE", `redis-server did not start on port ${port}: ${stderr.trim() || "timeout"}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  let stopped: Promise<void> | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        process.removeListener("exit", killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
      return stopped;
    },
  };
}
