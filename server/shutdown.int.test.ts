/**
 * Graceful shutdown, black-box: a real `glycopilot start` child process on a temp DATA_DIR and a
 * free port, every service embedded (Redis, Chroma, PGlite), the model host a local stand-in
 * that holds each answer for 30 s so jobs are in flight when SIGTERM arrives. Measured: seconds
 * from SIGTERM to exit (must be < 10), and after a second start on the same DATA_DIR, how many
 * of the accepted messages got their result (must be all). A second signal forces an exit with a
 * message.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelHostStandin, startModelHostStandin } from "../test/standins/model-host-standin.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const N = 6;
const DRAFT = {
  labTests: [{ name: "HbA1c", reason: "assess control", citations: [] }],
  examinations: [],
  medications: [],
  recommendations: [{ text: "Review in 3 months.", citations: [] }],
  confidence: 0.9,
};
const CONSULTATION = {
  sex: "female",
  age: 61,
  diagnoses: ["type 2 diabetes"],
  chiefComplaint: "follow-up, HbA1c rising",
  labs: [{ name: "HbA1c", value: 8.1, unit: "%" }],
  medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily" }],
};

interface Server {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: string | null; at: number }>;
}

async function start(dataDir: string, model: string): Promise<Server> {
  const child = spawn(process.execPath, ["bin/glycopilot.mjs", "start"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      OLLAMA_HOST: model,
      MODEL_TIMEOUT_MS: "60000",
      OLLAMA_NUM_PARALLEL: "8",
      AUTO_INGEST: "false",
      LOG_LEVEL: "warn",
      RATE_LIMIT_SENDER_PER_MIN: "0",
      RATE_LIMIT_TOKEN_PER_MIN: "0",
      REQUEUE_INTERVAL_MS: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal, at: Date.now() })),
  );
  const deadline = Date.now() + 90_000;
  while (!/listening on (http:\/\/\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`server exited: ${err}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: /listening on (http:\/\/\S+)/.exec(out)?.[1] as string, stderr: () => err, exited };
}

async function waitFor(pred: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let model: ModelHostStandin;
const servers: Server[] = [];
beforeAll(async () => {
  model = await startModelHostStandin();
});
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  await model?.close();
});

describe("glycopilot start: SIGTERM with jobs in flight", () => {
  it(`exits within 10 s and, after a restart, all ${N} accepted messages get their result`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "glyco-shutdown-"));
    // biome-ignore lint/suspicious/noThenProperty: the stand-in's scripted-reply shape names its continuation `then`
    model.reply({ kind: "delay", ms: 30_000, then: { kind: "json", value: DRAFT } });
    const a = await start(dataDir, model.url);
    servers.push(a);
    const locations: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${a.url}/v1/consultations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...CONSULTATION, age: 50 + i }),
      });
      expect(res.status).toBe(202);
      locations.push(((await res.json()) as { location: string }).location);
    }
    // Every job is inside the model call: in flight.
    await waitFor(() => model.chatRequests().length >= N, 30_000, "jobs in flight").catch((e: Error) => {
      throw new Error(`${e.message}: ${model.chatRequests().length} model calls; ${a.stderr().slice(-2000)}`);
    });

    const t0 = Date.now();
    a.child.kill("SIGTERM");
    const exit = await a.exited;
    const seconds = (exit.at - t0) / 1000;
    console.log(
      `shutdown: SIGTERM → exit in ${seconds.toFixed(2)} s with ${N} jobs in flight; stderr tail: ${a
        .stderr()
        .split("\n")
        .filter((l) => /stopp/.test(l))
        .join(" | ")}`,
    );
    expect(seconds).toBeLessThan(10);
    expect(exit.code).toBe(0);
    expect(a.stderr()).toMatch(new RegExp(`${N} in-flight job\\(s\\) returned to the queue`));

    // Next start, same DATA_DIR, the model now answers at once: the returned jobs are picked up.
    model.reply({ kind: "json", value: DRAFT });
    const b = await start(dataDir, model.url);
    servers.push(b);
    const done = async () => {
      let n = 0;
      for (const loc of locations) {
        const body = (await (await fetch(`${b.url}${loc}`)).json()) as { status?: string };
        if (body.status === "done") n++;
      }
      return n;
    };
    await waitFor(async () => (await done()) === N, 60_000, "results after restart").catch(() => {});
    const recovered = await done();
    console.log(`shutdown: messages recovered after restart: ${recovered}/${N}`);
    expect(recovered).toBe(N);

    // A second signal forces the exit, and says so.
    // biome-ignore lint/suspicious/noThenProperty: the stand-in's scripted-reply shape names its continuation `then`
    model.reply({ kind: "delay", ms: 30_000, then: { kind: "json", value: DRAFT } });
    await fetch(`${b.url}/v1/consultations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...CONSULTATION, age: 77 }),
    });
    const before = model.chatRequests().length;
    await waitFor(() => model.chatRequests().length > before, 30_000, "a job in flight");
    const t1 = Date.now();
    b.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    b.child.kill("SIGINT");
    const forced = await b.exited;
    expect(forced.code).toBe(130);
    expect((forced.at - t1) / 1000).toBeLessThan(3);
    expect(b.stderr()).toMatch(/second signal \(SIGINT\) — exiting now/);
  }, 240_000);
});
