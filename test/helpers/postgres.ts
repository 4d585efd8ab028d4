/**
 * A private PostgreSQL cluster for multi-process and outage tests (PGlite lives inside one
 * process). Uses the Debian binaries, installing the `postgresql` package when missing and
 * running as root; the cluster runs as the `postgres` user in a temporary directory.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../server/infra/ports.js";

export interface PostgresCluster {
  url: string;
  port: number;
  stop(mode?: "fast" | "immediate"): void;
  start(): void;
  destroy(): void;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const pick = () =>
    existsSync(root)
      ? readdirSync(root)
          .sort()
          .reverse()
          .map((v) => join(root, v, "bin"))
          .find((d) => existsSync(join(d, "initdb")))
      : undefined;
  let dir = pick();
  if (!dir && process.getuid?.() === 0) {
    execFileSync("apt-get", ["install", "-y", "-qq", "postgresql"], {
      stdio: "ignore",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    dir = pick();
  }
  if (!dir) throw new Error("PostgreSQL server binaries not found: apt-get install -y postgresql");
  return dir;
}

function asPostgres(cmd: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const r = isRoot
    ? spawnSync("runuser", ["-u", "postgres", "--", cmd, ...args], { encoding: "utf8" })
    : spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "glyco-pg-"));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  asPostgres(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = await freePort();
  const start = () =>
    asPostgres(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "-w",
      "-l",
      join(dir, "log"),
      "start",
    ]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop(mode = "fast") {
      asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", mode, "-w", "stop"]);
    },
    destroy() {
      try {
        asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        /* already stopped */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
