/**
 * Start-up benchmark: `glycopilot start` (embedded Redis, Chroma and PGlite) spawned as a real
 * process, timed from spawn to "listening" and to GET /readyz answering 200. First on an empty
 * DATA_DIR (the corpus is ingested), then restarts on that populated DATA_DIR — no re-ingest
 * when the corpus is unchanged — running the TypeScript sources (tsx) and the prebuilt dist/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startModelHostStandin } from "../../test/standins/model-host-standin.js";

const HERE = fileURLToPath(new URL("../../", import.meta.url));
/** The project root, also when this file runs from the prebuilt dist/. */
const ROOT = existsSync(join(HERE, "bin/glycopilot.mjs")) ? HERE : join(HERE, "..");

export interface StartFigure {
  label: string;
  mode: "tsx" | "dist";
  listeningMs: number;
  readyMs: number;
  ingested: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startOnce(
  label: string,
  mode: "tsx" | "dist",
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<StartFigure> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, ["bin/glycopilot.mjs", "start"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env, GLYCOPILOT_RUN: mode },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    let url: string | null = null;
    let listeningMs = Number.NaN;
    const deadline = Date.now() + timeoutMs;
    while (!url) {
      if (child.exitCode !== null) throw new Error(`start exited (${child.exitCode}): ${out.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`start not listening within ${timeoutMs / 1000} s: ${out.slice(-2000)}`);
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        url = m[1] as string;
        listeningMs = performance.now() - t0;
      } else await sleep(50);
    }
    while (true) {
      if (Date.now() > deadline) throw new Error(`/readyz not 200 within ${timeoutMs / 1000} s`);
      const ok = await fetch(`${url}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) break;
      await sleep(50);
    }
    return { label, mode, listeningMs, readyMs: performance.now() - t0, ingested: /ingesting the shipped/.test(out) };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    }
  }
}

export async function benchRestart(o: { log?: (s: string) => void } = {}): Promise<StartFigure[]> {
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "glyco-bench-restart-"));
  const model = await startModelHostStandin();
  const env = { DATA_DIR: dir, PORT: "0", OLLAMA_HOST: model.url, LOG_LEVEL: "warn" };
  const hasDist = existsSync(join(ROOT, "dist/server/cli/index.js"));
  const first: "tsx" | "dist" = hasDist ? "dist" : "tsx";
  const out: StartFigure[] = [];
  try {
    log(`first start on an empty DATA_DIR (${first}) …`);
    // A first start opens a new PGlite and ingests the corpus: minutes on a loaded 2-core machine.
    out.push(await startOnce("first start, empty DATA_DIR", first, env, 900_000));
    for (const mode of hasDist ? (["tsx", "dist"] as const) : (["tsx"] as const)) {
      log(`restart on the populated DATA_DIR (${mode}) …`);
      out.push(await startOnce("restart, populated DATA_DIR", mode, env));
    }
    if (!hasDist) log("no dist/: run `npm run build` to measure the prebuilt start");
    return out;
  } finally {
    await model.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
