/**
 * The log scan: every PHI example of the dev set goes through the whole pipeline — as a patient
 * message and inside a consultation — with the third-party model provider (Anthropic, played by
 * the stand-in) and trace-level logging. No raw identifier may appear in the logs, in any audit
 * payload, or in any request the model provider received.
 */
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../server/log.js";
import type { System } from "../../server/main.js";
import { buildTestSystem, jsonPost, waitForResult } from "../helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../standins/model-host-standin.js";

interface PhiCase {
  id: string;
  text: string;
  phi: { text: string; type: string }[];
}

const cases = readFileSync(new URL("../../evals/datasets/phi-dev.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as PhiCase);

/** Identifiers long enough that finding them elsewhere is not a coincidence. */
const identifiers = [...new Set(cases.flatMap((c) => c.phi.map((p) => p.text.trim())))].filter((t) =>
  /[\u4e00-\u9fff]/.test(t) ? t.length >= 2 : t.replace(/\W/g, "").length >= 4,
);

let sys: System;
let standin: ModelHostStandin;
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, cb) {
    logLines.push(String(chunk));
    cb();
  },
});

beforeAll(async () => {
  standin = await startModelHostStandin();
  standin.reply({
    kind: "json",
    value: {
      labTests: [],
      examinations: [],
      medications: [],
      recommendations: [{ text: "Keep a glucose diary.", citations: [] }],
      reply: "Thank you, please keep a glucose diary.",
      confidence: 0.9,
    },
  });
  sys = await buildTestSystem(
    {
      LLM_PROVIDER: "anthropic",
      ANTHROPIC_API_KEY: "sk-standin",
      ANTHROPIC_BASE_URL: standin.url,
      LOG_LEVEL: "trace",
      RATE_LIMIT_SENDER_PER_MIN: "0",
    },
    { log: createLogger("trace", sink) },
  );
  await sys.services.results.putPatient("phi-p", {
    ref: "phi-p",
    age: 66,
    sex: "female",
    diagnoses: ["type 2 diabetes"],
    labs: [],
    medications: [],
    allergies: [],
    recentEvents: [],
  });
});
afterAll(async () => {
  await sys?.stop();
  await standin?.close();
});

describe("no raw identifier leaves through logs, audit or the third-party model", () => {
  it(`${cases.length} PHI examples × (patient message + consultation)`, { timeout: 600_000 }, async () => {
    const locations: string[] = [];
    for (const c of cases) {
      const m = await sys.app.request(
        "/v1/messages",
        jsonPost({ conversationId: `phi-${c.id}`, patientRef: "phi-p", text: c.text }),
      );
      expect(m.status).toBe(202);
      locations.push(((await m.json()) as { location: string }).location);
      const k = await sys.app.request(
        "/v1/consultations",
        jsonPost({
          sex: "female",
          age: 66,
          diagnoses: ["type 2 diabetes"],
          chiefComplaint: "follow-up",
          presentIllness: c.text,
          question: c.text,
        }),
      );
      expect(k.status).toBe(202);
      locations.push(((await k.json()) as { location: string }).location);
    }
    for (const loc of locations) await waitForResult(sys.app, loc, 300_000);

    const logs = logLines.join("");
    const audit = JSON.stringify((await sys.services.audit.list()).map((e) => e.payload));
    const modelRequests = standin.requests.map((r) => r.raw).join("\n");
    expect(standin.chatRequests().length).toBeGreaterThan(0);
    expect(logs.length).toBeGreaterThan(0);

    const leaks: string[] = [];
    for (const id of identifiers) {
      if (logs.includes(id)) leaks.push(`log: ${id}`);
      if (audit.includes(id)) leaks.push(`audit: ${id}`);
      if (modelRequests.includes(id)) leaks.push(`model request: ${id}`);
    }
    console.log(
      `phi scan: ${identifiers.length} identifiers, ${logLines.length} log lines, ${audit.length} audit chars, ${standin.chatRequests().length} model requests → ${leaks.length} leaks`,
    );
    expect(leaks).toEqual([]);
  });
});
