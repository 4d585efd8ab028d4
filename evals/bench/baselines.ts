/**
 * Baselines measured in the same run as the figures they sit beside, and CPU accounting by
 * process: a bare Hono app on @hono/node-server (the HTTP floor), a raw single-row SQL insert
 * (the audit floor), and CPU time of this process (process.cpuUsage) and of its child
 * processes (embedded Chroma, redis-server) from /proc/<pid>/stat.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { SqlClient } from "../../server/stores/sql.js";
import { summarize } from "./stats.js";

/** A bare Hono app: GET /healthz and a JSON POST that parses the body and answers 202 with an id. */
export async function startBareHono(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  let n = 0;
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.post("/v1/messages", async (c) => {
    const body = (await c.req.json()) as Record<string, unknown>;
    return c.json({ id: `m${++n}`, conversationId: body.conversationId ?? null }, 202);
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let ticks: number | null = null;
function clockTicks(): number {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** User + system CPU of a process in ms (Linux /proc); NaN when it cannot be read. */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at state (field 3).
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return ((utime + stime) * 1000) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

export interface ChildProc {
  pid: number;
  name: string;
}

/** This process's direct children, named by what they run (chroma, redis-server, node …). */
export function childProcesses(parent = process.pid): ChildProc[] {
  const out: ChildProc[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(rest[1]) !== parent) continue;
      const cmd = readFileSync(`/proc/${e}/cmdline`, "utf8").split("\0").filter(Boolean);
      const joined = cmd.join(" ");
      const name = /chromadb|chroma/.test(joined)
        ? "chroma"
        : /redis-server/.test(joined)
          ? "redis-server"
          : /postgres/.test(joined)
            ? "postgres"
            : (cmd[0]?.split("/").pop() ?? "child");
      out.push({ pid: Number(e), name });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export interface CpuSnapshot {
  self: NodeJS.CpuUsage;
  children: Map<number, { name: string; ms: number }>;
}

export function cpuSnapshot(): CpuSnapshot {
  const children = new Map<number, { name: string; ms: number }>();
  for (const c of childProcesses()) children.set(c.pid, { name: c.name, ms: procCpuMs(c.pid) });
  return { self: process.cpuUsage(), children };
}

/** CPU ms per unit of work between two snapshots, by process (this process = "server"). */
export function cpuPer(before: CpuSnapshot, units: number, selfName = "server"): Array<{ process: string; msPer: number }> {
  const d = process.cpuUsage(before.self);
  const rows = [{ process: selfName, msPer: (d.user + d.system) / 1000 / units }];
  for (const [pid, c] of before.children) {
    const now = procCpuMs(pid);
    if (Number.isFinite(now)) rows.push({ process: `${c.name} (${pid})`, msPer: (now - c.ms) / units });
  }
  return rows;
}

export const formatCpu = (rows: Array<{ process: string; msPer: number }>): string => {
  const total = rows.reduce((a, r) => a + (Number.isFinite(r.msPer) ? r.msPer : 0), 0);
  return `${rows.map((r) => `${r.process} ${r.msPer.toFixed(1)}`).join(", ")}; total ${total.toFixed(1)} ms`;
};

/** Serial single-row INSERTs (autocommit) into a scratch table shaped like audit_events. */
export async function rawInsertBaseline(db: SqlClient, n: number): Promise<{ p50Ms: number; perSecond: number }> {
  await db.exec(
    "CREATE TABLE IF NOT EXISTS bench_raw_insert (seq bigint PRIMARY KEY, at text, kind text, case_id text, payload jsonb, trace_id text, prev_hash text, hash text)",
  );
  await db.exec("TRUNCATE bench_raw_insert");
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) {
    const t = performance.now();
    await db.query(
      "INSERT INTO bench_raw_insert (seq, at, kind, case_id, payload, trace_id, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
      [i, new Date().toISOString(), "k", `c${i}`, JSON.stringify({ i }), null, "0".repeat(64), "f".repeat(64)],
    );
    lat.push(performance.now() - t);
  }
  const perSecond = n / ((performance.now() - t0) / 1000);
  await db.exec("DROP TABLE bench_raw_insert");
  return { p50Ms: summarize(lat).p50, perSecond };
}
