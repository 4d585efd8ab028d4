/**
 * Shared pieces of the chaos tests (`npm run chaos`): message mixes, the stand-in model's
 * answer, worker child processes, bounded polling and the SQL counts every test asserts on.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PatientContext } from "../../core/domain.js";
import type { SqlClient } from "../../server/stores/sql.js";
import type { RecordedRequest, StandinReply } from "../standins/model-host-standin.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export const PATIENT: PatientContext = {
  ref: "chaos-p1",
  age: 58,
  sex: "female",
  diagnoses: ["type 2 diabetes"],
  labs: [],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
  allergies: [],
  recentEvents: [],
};

/** Patient texts by the urgency the pre-check is expected to give them (the 202 reports the real one). */
export const PATIENT_TEXTS = {
  routine: [
    "My fasting sugar was 7.2 this morning, is that okay?",
    "Can I eat rice for dinner if I take my metformin?",
    "What should my HbA1c target be?",
    "我今天早上空腹血糖是7.5，正常吗？",
  ],
  urgent: [
    "Glucose 53 mg/dL this morning, treated with juice and now it's 112",
    "I've had lows around 60 almost every night this week, I'm on Lantus",
  ],
  emergency: ["I have crushing chest pain and my sugar is 250", "My husband passed out, his sugar was 2.5 on the meter"],
} as const;

/** Routine-heavy, like real traffic: 70 % routine, 20 % urgent, 10 % emergency. */
export function patientText(i: number): string {
  const r = i % 10;
  const pool = r < 7 ? PATIENT_TEXTS.routine : r < 9 ? PATIENT_TEXTS.urgent : PATIENT_TEXTS.emergency;
  return `${pool[i % pool.length] as string} (#${i})`;
}

export const CONSULTATION = {
  sex: "female",
  age: 62,
  diagnoses: ["type 2 diabetes mellitus"],
  chiefComplaint: "Follow-up; HbA1c has risen over six months",
  labs: [
    { name: "HbA1c", value: 8.6, unit: "%" },
    { name: "eGFR", value: 72, unit: "mL/min/1.73m2" },
  ],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
};

const promptOf = (body: unknown) =>
  ((body as { messages?: { role: string; content: string }[] })?.messages ?? []).find((m) => m.role === "user")?.content ?? "";

/** A well-formed model answer (draft + patient reply) citing the first passage it was shown. */
export function modelAnswer(req: RecordedRequest) {
  const cite = [...promptOf(req.body).matchAll(/^\[([^\]\n]+)\]/gm)].map((m) => m[1] as string).slice(0, 1);
  return {
    labTests: [{ name: "HbA1c", reason: "assess glycemic control", citations: cite }],
    examinations: [],
    medications: [
      { name: "metformin", dose: "1000 mg", frequency: "twice daily", route: "oral", action: "continue", citations: cite },
    ],
    recommendations: [{ text: "Reinforce diet and physical activity; review in 3 months.", citations: cite }],
    reply: "Thank you. Keep checking your sugar each morning and bring the log to your next visit.",
    confidence: 0.85,
  };
}

/** A stand-in reply after a delay. */
export function delayed(ms: number, then: StandinReply): StandinReply {
  return { kind: "delay", ms, then };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `done` holds or the deadline passes; returns whether it held. */
export async function waitUntil(done: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  startedAt: number;
  stderr(): string;
}

/** `node bin/glycopilot.mjs worker` with the given environment (over a clean copy of ours). */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["bin/glycopilot.mjs", "worker"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  return { child, startedAt: Date.now(), stderr: () => err };
}

export function killHard(w: WorkerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
    w.child.once("exit", () => resolve());
    w.child.kill("SIGKILL");
  });
}

export async function countRows(db: SqlClient, sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query<{ n: string | number }>(sql, params);
  return Number(r.rows[0]?.n ?? 0);
}

/** The SQL facts every chaos test asserts on, for a set of message ids. */
export async function deliveryFacts(db: SqlClient, ids: readonly string[]) {
  const results = await countRows(db, "SELECT count(*) AS n FROM results WHERE id = ANY($1)", [ids]);
  const missing = await countRows(
    db,
    "SELECT count(*) AS n FROM messages m LEFT JOIN results r ON r.id = m.id WHERE m.id = ANY($1) AND r.id IS NULL",
    [ids],
  );
  // (message_id, channel) is the deliveries primary key, so > 1 here would mean the schema changed.
  const dupDeliveryRows = await countRows(
    db,
    "SELECT count(*) AS n FROM (SELECT message_id, channel FROM deliveries WHERE split_part(message_id, ':', 1) = ANY($1) GROUP BY 1, 2 HAVING count(*) > 1) d",
    [ids],
  );
  // The independent check: every send the deliver step made, from the audit trail.
  const sends = await db.query<{ case_id: string; n: string | number }>(
    `SELECT case_id, count(*) AS n FROM audit_events
     WHERE kind = 'deliver' AND (payload->>'delivered')::boolean AND case_id = ANY($1) GROUP BY case_id`,
    [ids],
  );
  const deliverEvents = await countRows(
    db,
    "SELECT count(*) AS n FROM audit_events WHERE kind = 'deliver' AND case_id = ANY($1)",
    [ids],
  );
  const multiSend = sends.rows.filter((r) => Number(r.n) > 1).map((r) => r.case_id);
  return { results, missing, dupDeliveryRows, sentMessages: sends.rows.length, multiSend, deliverEvents };
}

export function log(line: string): void {
  process.stdout.write(`[chaos] ${line}\n`);
}

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the URL from the banner once the server listens (rejects if it exits first). */
  listening: Promise<string>;
  /** Milliseconds from spawn to listening, once listening. */
  readyMs(): number | null;
  stderr(): string;
}

/** `node bin/glycopilot.mjs start` (the real server process) with the given environment. */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const t0 = Date.now();
  let ready: number | null = null;
  const child = spawn(process.execPath, ["bin/glycopilot.mjs", "start"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err = (err + d.toString()).slice(-8000);
  });
  const listening = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /GlycoPilot listening on (\S+)/.exec(out);
      if (m && ready === null) {
        ready = Date.now() - t0;
        resolve(m[1] as string);
      }
    });
    child.once("exit", (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening: ${err}`)));
  });
  listening.catch(() => {});
  return { child, listening, readyMs: () => ready, stderr: () => err };
}

export function killServerHard(s: ServerProcess): Promise<void> {
  return killHard({ child: s.child, startedAt: 0, stderr: s.stderr });
}

/** The q-th quantile (0–1) of `xs` (nearest rank). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}
