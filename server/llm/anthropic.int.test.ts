/**
 * The optional Anthropic provider end to end against the model-host stand-in: the draft schema
 * goes out as a forced tool whose input_schema is the zod schema, and no PHI from the
 * consultation's free text reaches the third party — checked on the raw request bodies the
 * stand-in recorded, while the clinical numbers do arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, jsonPost, waitForResult } from "../../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import type { System } from "../main.js";
import { DRAFT_JSON_SCHEMA } from "../pipeline/generate.js";
import { buildConsultPrompt } from "../pipeline/prompt.js";

const PHI = {
  name: "Zhang Wei",
  phone: "13812345678",
  prcId: "110101199003074514",
  email: "zhang.wei@example.com",
  address: "88 Jianguo Road",
  ref: "pat-zhangwei-0042",
};

const consultation = {
  patientRef: PHI.ref,
  department: "endocrinology",
  sex: "male",
  age: 58,
  diagnoses: ["type 2 diabetes mellitus"],
  chiefComplaint: `Name: ${PHI.name}. Phone ${PHI.phone}, ID ${PHI.prcId}, email ${PHI.email}, lives at ${PHI.address}. HbA1c up to 8.6% despite metformin.`,
  presentIllness: `Mr. ${PHI.name} reports thirst; fasting glucose 9.4 mmol/L at home. Call ${PHI.phone} to book.`,
  labs: [
    { name: "HbA1c", value: 8.6, unit: "%", at: "2025-09-01" },
    { name: "eGFR", value: 67, unit: "mL/min/1.73m2", at: "2025-09-01" },
  ],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
  question: `What should we change for ${PHI.name} (${PHI.email})? His HbA1c is 8.6% on metformin 1000 mg twice daily.`,
};

const draft = {
  labTests: [{ name: "HbA1c", citations: [] }],
  examinations: [],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily", action: "continue", citations: [] }],
  recommendations: [{ text: "Consider adding a second agent.", citations: [] }],
  confidence: 0.7,
};

let standin: ModelHostStandin;
let sys: System;

beforeAll(async () => {
  standin = await startModelHostStandin();
  sys = await buildTestSystem({
    LLM_PROVIDER: "anthropic",
    ANTHROPIC_API_KEY: "sk-ant-standin",
    ANTHROPIC_BASE_URL: standin.url,
    ANTHROPIC_MODEL: "claude-standin",
    MODEL_TIMEOUT_MS: "3000",
  });
});
afterAll(async () => {
  await sys?.stop();
  await standin?.close();
});

describe("Anthropic provider (stand-in)", () => {
  it("gets the draft schema as a forced tool, only redacted text, and the answer is recorded with provider and model", async () => {
    standin.reply({ kind: "json", value: draft });
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    const result = await waitForResult(sys.app, location);
    expect(result.draft).toMatchObject({ mode: "model", provider: "anthropic", model: "claude-standin" });

    const chats = standin.chatRequests();
    expect(chats.length).toBeGreaterThan(0);
    const sent = chats[0]?.body as { tools: { name: string; input_schema: unknown }[]; tool_choice: unknown; system: string };
    expect(sent.tools[0]?.input_schema).toEqual(DRAFT_JSON_SCHEMA);
    expect(sent.tool_choice).toEqual({ type: "tool", name: sent.tools[0]?.name });

    const raw = standin.requests.map((r) => r.raw).join("\n");
    const at = (v: string) => raw.slice(Math.max(0, raw.indexOf(v) - 80), raw.indexOf(v) + 40);
    for (const [kind, value] of Object.entries(PHI)) expect(raw.includes(value), `${kind} leaked: …${at(value)}…`).toBe(false);
    expect(raw).not.toMatch(/Zhang|zhang/);
    // The clinical content does arrive: numbers, drugs, trend.
    for (const clinical of ["8.6", "1000 mg", "9.4 mmol/L", "eGFR", "metformin", "type 2 diabetes mellitus"])
      expect(raw).toContain(clinical);
  });

  // Known redactor gaps (guardrails/phi.ts, not this module): a name after "patient" without a
  // colon, a bare Chinese name after 患者, and the city/district after a street address. This
  // flips to passing once the redactor catches them — then make it a plain `it`.
  it("names and localities in free-text forms do not reach a prompt", () => {
    const b = buildConsultPrompt({
      lang: "en",
      patient: {
        age: 58,
        sex: "male",
        diagnoses: [],
        labs: [],
        medications: [],
        allergies: [],
        recentEvents: [],
        chiefComplaint: "patient Zhang Wei, 患者张伟, lives at 88 Jianguo Road, Chaoyang District, Beijing",
      },
      passages: [],
      similar: [],
    });
    for (const leak of ["Zhang Wei", "张伟", "Chaoyang"]) expect(b.prompt).not.toContain(leak);
  });
});
