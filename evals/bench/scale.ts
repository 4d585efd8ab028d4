/**
 * Scale-out benchmark: pipeline throughput with 1, 2 and 4 `glycopilot worker` processes on one
 * Redis, one Chroma and one private PostgreSQL cluster, the stand-in model answering instantly;
 * the ratio against one worker is the figure. Then end-to-end latency (accept → result stored)
 * with 50 concurrent conversations, each client sending its next message once the last is
 * answered. Jobs are queued while the queue is paused and released at once, so intake is not
 * part of the throughput figure.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../core/config.js";
import { startEmbeddedChroma } from "../../rag/chroma-server.js";
import { openKnowledge } from "../../server/clients.js";
import { startRedisServer } from "../../server/infra/redis-server.js";
import { createLogger } from "../../server/log.js";
import { buildSystem, type System } from "../../server/main.js";
import { startPostgres } from "../../test/helpers/postgres.js";
import { startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { fmt, summarize } from "./stats.js";

const HERE = fileURLToPath(new URL("../../", import.meta.url));
/** The project root, also when this file runs from the prebuilt dist/. */
const ROOT = existsSync(join(HERE, "bin/glycopilot.mjs")) ? HERE : join(HERE, "..");

const ANSWER = {
  labTests: [{ name: "HbA1c", citations: [] }],
  examinations: [],
  medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily", action: "continue", citations: [] }],
  recommendations: [{ text: "Review in 3 months.", citations: [] }],
  reply: "Thank you. Keep checking your sugar each morning and bring the log to your next visit.",
  confidence: 0.8,
};
const TEXTS = [
  "My fasting sugar was 7.2 this morning, is that okay?",
  "Can I eat rice for dinner if I take my metformin?",
  "What should my HbA1c target be?",
  "我今天早上空腹血糖是7.5，正常吗？",
];
const PATIENT = {
  ref: "scale-p1",
  age: 60,
  sex: "female" as const,
  diagnoses: ["type 2 diabetes"],
  labs: [],
  medications: [],
  allergies: [],
  recentEvents: [],
};

export interface ScalePoint {
  workers: number;
  messages: number;
  seconds: number;
  perSecond: number;
  /** perSecond ÷ perSecond with one worker. */
  ratio: number;
  /** Worker process start (spawn → ready), mean. */
  startMs: number;
  /**
   * CPU used during the run, in CPU-seconds per wall second (1.0 = one core busy), by process
   * group; `machine` is every process on the machine (other sessions included) from /proc/stat.
   * Null where /proc is not readable.
   */
  cpu: CpuShares | null;
}

export interface CpuShares {
  workers: number;
  postgres: number;
  chroma: number;
  redis: number;
  /** This process: the intake system polling for results. */
  bench: number;
  machine: number;
  cores: number;
}

export interface ScaleBenchResult {
  concurrencyPerWorker: number;
  /** CPUs this process may use (os.availableParallelism). */
  cpus: number;
  /** One worker process, spawn → running: TypeScript through tsx vs the prebuilt dist/ (null: not built). */
  workerStartMs: { tsx: number; dist: number | null };
  points: ScalePoint[];
  conversations: { clients: number; messagesEach: number; workers: number; p50Ms: number; p95Ms: number; maxMs: number };
}

export interface ScaleBenchOptions {
  /** Messages per worker count. @defaultValue 400 */
  n?: number;
  /** @defaultValue [1, 2, 4] */
  workerCounts?: number[];
  /** WORKER_CONCURRENCY of each process. @defaultValue 4 */
  concurrency?: number;
  /** Concurrent conversations. @defaultValue 50 */
  clients?: number;
  /** Messages each conversation sends in turn. @defaultValue 4 */
  messagesEach?: number;
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spawn a worker process; resolves once it reports it is running. */
function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["bin/glycopilot.mjs", "worker"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`worker did not start within 180 s: ${err}`)), 180_000);
    child.stderr?.on("data", (d: Buffer) => {
      err = (err + d.toString()).slice(-2000);
      if (/worker \d+ running/.test(err)) {
        clearTimeout(timer);
        resolve({ child, ms: performance.now() - t0 });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}): ${err}`));
    });
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

async function submitMessage(sys: System, conversationId: string, text: string): Promise<string> {
  const res = await sys.app.request("/v1/messages", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ conversationId, patientRef: PATIENT.ref, text }),
  });
  if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function doneCount(sys: System, ids: string[]): Promise<number> {
  const r = await sys.services.db.query<{ n: string }>("SELECT count(*) AS n FROM results WHERE id = ANY($1)", [ids]);
  return Number(r.rows[0]?.n ?? 0);
}

/** Clock ticks per second of /proc (USER_HZ: 100 on Linux). */
const HZ = 100;

/** utime + stime of a process in seconds, or 0 when it is gone. */
function procCpuS(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / HZ;
  } catch {
    return 0;
  }
}

/** Every process: pid → [parent pid, command line]. */
function processTable(): Map<number, [number, string]> {
  const t = new Map<number, [number, string]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      t.set(Number(d), [ppid, readFileSync(`/proc/${d}/cmdline`, "utf8").replaceAll("\0", " ")]);
    } catch {
      // exited meanwhile
    }
  }
  return t;
}

function descendants(t: Map<number, [number, string]>, root: number): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop() as number;
    for (const [pid, [ppid]] of t) {
      if (ppid !== p) continue;
      out.push(pid);
      stack.push(pid);
    }
  }
  return out;
}

/** Busy and total jiffies of the whole machine (/proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const f = (readFileSync("/proc/stat", "utf8").split("\n")[0] as string).trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

/**
 * A CPU snapshot of the processes in the run: the worker processes and their children, this
 * process's other children (Chroma, Redis), and the PostgreSQL cluster on `pgPort`.
 */
function cpuSnapshot(workerPids: number[], pgPort: number) {
  const t = processTable();
  const groups = { workers: 0, postgres: 0, chroma: 0, redis: 0 };
  const workerSet = new Set(workerPids.flatMap((p) => [p, ...descendants(t, p)]));
  for (const p of workerSet) groups.workers += procCpuS(p);
  for (const p of descendants(t, process.pid)) {
    if (workerSet.has(p)) continue;
    const cmd = t.get(p)?.[1] ?? "";
    if (cmd.includes("redis-server")) groups.redis += procCpuS(p);
    else if (/chroma/i.test(cmd)) groups.chroma += procCpuS(p);
  }
  const postmaster = [...t].find(([, [, cmd]]) => /postgres/.test(cmd) && cmd.includes(`-p ${pgPort}`))?.[0];
  if (postmaster) for (const p of [postmaster, ...descendants(t, postmaster)]) groups.postgres += procCpuS(p);
  const self = process.cpuUsage();
  return { ...groups, bench: (self.user + self.system) / 1e6, jiffies: machineJiffies(), at: performance.now() };
}

function cpuShares(a: ReturnType<typeof cpuSnapshot>, b: ReturnType<typeof cpuSnapshot>): CpuShares {
  const wall = (b.at - a.at) / 1000;
  const per = (x: number, y: number) => (y - x) / wall;
  const cores = availableParallelism();
  const dj = b.jiffies.total - a.jiffies.total;
  return {
    workers: per(a.workers, b.workers),
    postgres: per(a.postgres, b.postgres),
    chroma: per(a.chroma, b.chroma),
    redis: per(a.redis, b.redis),
    bench: per(a.bench, b.bench),
    machine: dj > 0 ? ((b.jiffies.busy - a.jiffies.busy) / dj) * cores : Number.NaN,
    cores,
  };
}

const cpuLine = (c: CpuShares | null) =>
  c
    ? `CPU (cores busy): workers ${fmt(c.workers, 2)}, PostgreSQL ${fmt(c.postgres, 2)}, Chroma ${fmt(c.chroma, 2)}, Redis ${fmt(c.redis, 2)}, intake/bench ${fmt(c.bench, 2)}; whole machine ${fmt(c.machine, 2)} of ${c.cores}`
    : "CPU: /proc not readable";

export async function benchScale(opts: ScaleBenchOptions = {}): Promise<ScaleBenchResult> {
  const n = opts.n ?? 400;
  const counts = opts.workerCounts ?? [1, 2, 4];
  const concurrency = opts.concurrency ?? 4;
  const clients = opts.clients ?? 50;
  const messagesEach = opts.messagesEach ?? 4;
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "glyco-bench-scale-"));
  const cleanups: Array<() => Promise<void> | void> = [];
  const children: ChildProcess[] = [];
  try {
    const redis = await startRedisServer({ dir: null });
    cleanups.push(() => redis.stop());
    const chroma = await startEmbeddedChroma({ path: join(dir, "chroma") });
    cleanups.push(() => chroma.stop());
    const pg = await startPostgres();
    cleanups.push(() => pg.destroy());
    const model = await startModelHostStandin();
    model.reply({ kind: "json", value: ANSWER });
    cleanups.push(() => model.close());
    const base = {
      REDIS_URL: redis.url,
      CHROMA_URL: chroma.url,
      CHROMA_PREFIX: "scale",
      DATABASE_URL: pg.url,
      OLLAMA_HOST: model.url,
      OLLAMA_NUM_PARALLEL: String(concurrency),
      AUTO_INGEST: "false",
      LOG_LEVEL: "silent",
      WORKER_CONCURRENCY: String(concurrency),
      RATE_LIMIT_SENDER_PER_MIN: "0",
      RATE_LIMIT_TOKEN_PER_MIN: "0",
      DATA_DIR: dir,
    };
    log("ingesting the shipped corpus into a private Chroma …");
    const kb = await openKnowledge(loadConfig({ ...base, AUTO_INGEST: "true" }));
    await kb.stop();

    // Worker start, sources through tsx vs prebuilt JavaScript (npm run build), one process each.
    const startIn = async (mode: "tsx" | "dist") => {
      const w = await startWorker({ ...base, QUEUE_PREFIX: `scalestart${mode}`, GLYCOPILOT_RUN: mode });
      await stopWorker(w.child);
      return w.ms;
    };
    const hasDist = existsSync(join(ROOT, "dist/server/cli/index.js"));
    const workerStartMs = { tsx: await startIn("tsx"), dist: hasDist ? await startIn("dist") : null };
    log(
      `worker start: ${fmt(workerStartMs.tsx, 0)} ms under tsx, ${workerStartMs.dist === null ? "no dist/ (npm run build)" : `${fmt(workerStartMs.dist, 0)} ms prebuilt`}`,
    );

    const points: ScalePoint[] = [];
    let conversations: ScaleBenchResult["conversations"] | null = null;
    for (const k of counts) {
      const env = {
        ...base,
        QUEUE_PREFIX: `scale${k}w${Date.now().toString(36)}`,
        GLYCOPILOT_RUN: hasDist ? "dist" : "tsx",
      };
      // The intake server (worker off) applies the migrations before any worker connects.
      const sys = await buildSystem(loadConfig(env), { worker: false, log: createLogger("silent") });
      try {
        await sys.services.results.putPatient(PATIENT.ref, PATIENT);
        const bull = (sys.services.queue as { bull?: { pause(): Promise<void>; resume(): Promise<void> } }).bull;
        if (!bull) throw new Error("bench needs the BullMQ queue");
        await bull.pause();
        const started = await Promise.all(Array.from({ length: k }, () => startWorker(env)));
        children.push(...started.map((s) => s.child));
        const ids: string[] = [];
        for (let i = 0; i < n; i++)
          ids.push(await submitMessage(sys, `scale-c${i % 50}`, `${TEXTS[i % TEXTS.length] as string} (${i})`));
        log(
          `${k} worker(s) ready (mean start ${fmt(started.reduce((a, s) => a + s.ms, 0) / k, 0)} ms); ${n} messages queued; releasing`,
        );
        const canProc = existsSync("/proc/stat");
        const pids = started.map((w) => w.child.pid as number);
        const cpu0 = canProc ? cpuSnapshot(pids, pg.port) : null;
        const t0 = performance.now();
        await bull.resume();
        const deadline = Date.now() + 10 * 60_000;
        while ((await doneCount(sys, ids)) < n) {
          if (Date.now() > deadline) throw new Error(`${k} workers: not all ${n} results within 10 min`);
          await sleep(100);
        }
        const seconds = (performance.now() - t0) / 1000;
        const cpu = cpu0 ? cpuShares(cpu0, cpuSnapshot(pids, pg.port)) : null;
        const perSecond = n / seconds;
        const point = {
          workers: k,
          messages: n,
          seconds,
          perSecond,
          ratio: perSecond / (points[0]?.perSecond ?? perSecond),
          startMs: started.reduce((a, s) => a + s.ms, 0) / k,
          cpu,
        };
        points.push(point);
        log(
          `${k} worker(s): ${n} messages in ${fmt(seconds, 1)} s = ${fmt(perSecond, 1)} /s (× ${fmt(point.ratio, 2)} vs 1 worker); ${cpuLine(cpu)}`,
        );

        if (k === counts[counts.length - 1]) {
          // Conversations: each client waits for its answer before sending the next message.
          const convIds: string[] = [];
          await Promise.all(
            Array.from({ length: clients }, async (_, c) => {
              for (let m = 0; m < messagesEach; m++) {
                const id = await submitMessage(sys, `conv-${c}`, `${TEXTS[(c + m) % TEXTS.length] as string} [${c}.${m}]`);
                convIds.push(id);
                const until = Date.now() + 120_000;
                while (!(await sys.services.results.getResult(id))) {
                  if (Date.now() > until) throw new Error(`no result for ${id} within 120 s`);
                  await sleep(25);
                }
              }
            }),
          );
          // Both timestamps come from PostgreSQL's clock: stored (accepted) → result stored.
          const lat = await sys.services.db.query<{ ms: string }>(
            "SELECT extract(epoch FROM (r.finished_at - m.created_at)) * 1000 AS ms FROM results r JOIN messages m ON m.id = r.id WHERE r.id = ANY($1)",
            [convIds],
          );
          const s = summarize(lat.rows.map((r) => Number(r.ms)));
          conversations = {
            clients,
            messagesEach,
            workers: k,
            p50Ms: s.p50,
            p95Ms: s.p95,
            maxMs: Math.max(...lat.rows.map((r) => Number(r.ms))),
          };
          log(
            `${clients} concurrent conversations × ${messagesEach} messages on ${k} worker(s): accept → result p50 ${fmt(s.p50, 0)} ms, p95 ${fmt(s.p95, 0)} ms`,
          );
        }
      } finally {
        await Promise.all(children.splice(0).map((c) => stopWorker(c)));
        await sys.stop();
      }
    }
    if (!conversations) throw new Error("no worker counts given");
    return { concurrencyPerWorker: concurrency, cpus: availableParallelism(), workerStartMs, points, conversations };
  } finally {
    await Promise.all(children.map((c) => stopWorker(c)));
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
