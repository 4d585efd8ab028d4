/**
 * The CLI as a person uses it: `glycopilot start` in a child process (real Redis and Chroma,
 * PGlite under its own DATA_DIR, PORT=0) records its URL in the state file and prints a banner
 * with the channels; `glycopilot ask` finds it through that file with no --url or PORT, prints a
 * readable result (or --json), and fails with an exit code and one clear line — no stack trace —
 * when there is no server, the request is refused, or the file is missing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EXIT } from "./ask.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/glycopilot.mjs");
const CONSULT = {
  sex: "male",
  age: 58,
  diagnoses: ["type 2 diabetes"],
  chiefComplaint: "follow-up, HbA1c rising",
  labs: [{ name: "HbA1c", value: 8.4, unit: "%" }],
  medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily" }],
};

/** Only the variables these tests mean: the parent's PORT or DATA_DIR must not leak in. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "NODE_OPTIONS"];
  const env: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, NO_COLOR: "1", ...extra };
}

function runCli(args: string[], env: Record<string, string>, timeoutMs = 90_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const t = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`glycopilot ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on: bind to 0, read the port, close. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

let dataDir: string;
let server: ChildProcess;
let serverOut = "";
let serverErr = "";
let file: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "glyco-cli-"));
  file = join(dataDir, "consultation.json");
  writeFileSync(file, JSON.stringify(CONSULT));
  server = spawn(process.execPath, [BIN, "start"], {
    cwd: ROOT,
    env: cleanEnv({
      DATA_DIR: dataDir,
      PORT: "0",
      REDIS_URL: inject("redisUrl"),
      CHROMA_URL: inject("chromaUrl"),
      CHROMA_PREFIX: "test",
      QUEUE_PREFIX: `cli${process.pid}`,
      LOG_LEVEL: "warn",
    }),
  });
  server.stdout?.on("data", (d) => {
    serverOut += d;
  });
  server.stderr?.on("data", (d) => {
    serverErr += d;
  });
  const deadline = Date.now() + 100_000;
  while (!existsSync(join(dataDir, "server.json"))) {
    if (server.exitCode !== null) throw new Error(`start exited ${server.exitCode}: ${serverErr}`);
    if (Date.now() > deadline) throw new Error(`start did not write its state file: ${serverErr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGINT");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
});

describe("glycopilot start", () => {
  it("records its URL in DATA_DIR/server.json and prints a banner with mode, channels, access and URLs", () => {
    const state = JSON.parse(readFileSync(join(dataDir, "server.json"), "utf8")) as {
      url: string;
      pid: number;
      channels: string[];
    };
    expect(state.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(state.url).not.toMatch(/:8787$/);
    expect(state.pid).toBe(server.pid);
    expect(state.channels).toContain("http");
    expect(serverOut).toContain(`GlycoPilot listening on ${state.url}`);
    expect(serverOut).toMatch(/mode: +CASE-BASED MODE/);
    expect(serverOut).toMatch(/channels: +HTTP API/);
    expect(serverOut).toMatch(/off: +Slack \(set SLACK_BOT_TOKEN/);
    expect(serverOut).toMatch(/access: +OPEN — no API_TOKENS/);
    expect(serverOut).toContain(`${state.url}/openapi.json`);
  });

  it("logs warnings as JSON when stderr is not a terminal (collectors parse them)", () => {
    const warn = serverErr.split("\n").find((l) => l.includes("NO MODEL HOST"));
    expect(warn).toBeDefined();
    expect(JSON.parse(warn as string)).toMatchObject({ level: 40 });
  });
});

describe("glycopilot ask", () => {
  it("finds the running server through the state file (no --url, no PORT) and prints a readable result", async () => {
    const r = await runCli(["ask", file], { DATA_DIR: dataDir });
    expect(r.code, r.stderr).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/^Consultation [0-9a-f-]{36} +done · (?:guideline-based|case-based mode)/);
    expect(r.stdout).toMatch(/\nDecision +(SEND|SEND WITH CAVEAT|HELD FOR REVIEW|ESCALATE)/);
    expect(r.stdout).toMatch(/\nTriage +routine/);
    expect(r.stdout).toMatch(/\nLab tests\n {2}1\. /);
    expect(r.stdout).toMatch(/\nSources\n {2}\[1\] /);
    expect(r.stdout).not.toMatch(/^\s*\{|"status":/m);
    expect(r.stderr).toMatch(/accepted .+ waiting for the result/);
  });

  it("--json prints the raw result for scripts", async () => {
    const state = JSON.parse(readFileSync(join(dataDir, "server.json"), "utf8")) as { url: string };
    const r = await runCli(["ask", "--json", file, "--url", state.url], {
      DATA_DIR: mkdtempSync(join(tmpdir(), "glyco-cli-empty-")),
    });
    expect(r.code, r.stderr).toBe(EXIT.ok);
    const out = JSON.parse(r.stdout) as { status: string; draft: { labTests: unknown[] }; decision: { action: string } };
    expect(out.status).toBe("done");
    expect(Array.isArray(out.draft.labTests)).toBe(true);
    expect(out.decision.action).toBeTruthy();
  });

  it("a refused consultation → exit 4 with the server's reason", async () => {
    const bad = join(dataDir, "bad.json");
    writeFileSync(bad, JSON.stringify({ sex: "male", age: "fifty" }));
    const r = await runCli(["ask", bad], { DATA_DIR: dataDir });
    expect(r.code).toBe(EXIT.rejected);
    expect(r.stderr).toMatch(/refused the consultation \(400 BAD_REQUEST\): invalid request: age/);
    noStack(r.stderr);
  });

  it("no server → exit 3 and a message that says how to start one; no stack trace", async () => {
    const port = await closedPort();
    const r = await runCli(["ask", file], { DATA_DIR: mkdtempSync(join(tmpdir(), "glyco-cli-none-")), PORT: String(port) });
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.stderr).toContain(`no GlycoPilot server answering at http://127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/npm start/);
    expect(r.stderr).toMatch(/--url/);
    expect(r.stdout).toBe("");
    noStack(r.stderr);
  });

  it("a state file left by a server that died is ignored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glyco-cli-stale-"));
    const port = await closedPort();
    writeFileSync(
      join(dir, "server.json"),
      JSON.stringify({ url: "http://127.0.0.1:1", pid: 2 ** 22 + 12345, startedAt: "x", mode: "case-based", channels: [] }),
    );
    const r = await runCli(["ask", file], { DATA_DIR: dir, PORT: String(port) });
    expect(r.code).toBe(EXIT.unreachable);
    expect(r.stderr).toContain(`127.0.0.1:${port}`);
  });

  it("--url to nowhere, a missing file, and no file at all are clear errors", async () => {
    const port = await closedPort();
    const nowhere = await runCli(["ask", file, "--url", `http://127.0.0.1:${port}`], {});
    expect(nowhere.code).toBe(EXIT.unreachable);
    expect(nowhere.stderr).toMatch(/found via --url/);
    const missing = await runCli(["ask", join(dataDir, "nope.json")], {});
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/cannot use .*nope\.json: no such file/);
    noStack(missing.stderr);
    const none = await runCli(["ask"], {});
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toMatch(/--url URL/);
  });

  it("--help documents --url, --json and the exit codes", async () => {
    const r = await runCli(["ask", "--help"], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--url URL/);
    expect(r.stdout).toMatch(/server\.json/);
    expect(r.stdout).toMatch(/--json/);
    expect(r.stdout).toMatch(/3 no server at the URL/);
  });
});

describe("stopping", () => {
  it("SIGINT removes the state file", async () => {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGINT");
    await exited;
    expect(existsSync(join(dataDir, "server.json"))).toBe(false);
  }, 30_000);
});
