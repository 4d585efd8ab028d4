/**
 * The generate step end to end (HTTP → queue → pipeline → stored result) against the model-host
 * stand-in speaking Ollama's protocol, and in guideline-based mode with no model host. Two systems
 * are built once for the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, jsonPost, waitForResult } from "../../test/helpers/system.js";
import { type ModelHostStandin, type RecordedRequest, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import type { System } from "../main.js";
import { DRAFT_JSON_SCHEMA, SAMPLE_TEMPERATURE } from "./generate.js";
import { CONSULT_PROMPT_VERSION } from "./prompt.js";

const consultation = {
  department: "endocrinology",
  sex: "female",
  age: 62,
  diagnoses: ["type 2 diabetes mellitus", "hypertension"],
  chiefComplaint: "Follow-up visit; HbA1c has risen over six months",
  presentIllness: "Type 2 diabetes for 8 years on metformin. Reports more thirst. No hypoglycemia.",
  labs: [
    { name: "HbA1c", value: 7.9, unit: "%", at: "2025-03-01" },
    { name: "HbA1c", value: 8.6, unit: "%", at: "2025-09-01" },
    { name: "eGFR", value: 72, unit: "mL/min/1.73m2", at: "2025-09-01" },
  ],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
};

type Body = {
  messages?: { role: string; content: string }[];
  options?: { seed?: number; temperature?: number };
  format?: unknown;
  keep_alive?: string;
};
const body = (r: RecordedRequest) => r.body as Body;
const promptOf = (r: RecordedRequest) => body(r).messages?.find((m) => m.role === "user")?.content ?? "";
/** The chunk ids the prompt offered as citable. */
const citable = (r: RecordedRequest) =>
  (promptOf(r).match(/^allowed citation ids: (.*)$/m)?.[1] ?? "").split(", ").filter(Boolean);

function draft(cite: string[], extraMed?: string) {
  return {
    labTests: [{ name: "HbA1c", reason: "glycemic control", citations: cite }],
    examinations: [{ name: "dilated eye examination", citations: cite }],
    medications: [
      { name: "metformin", dose: "1000 mg", frequency: "twice daily", route: "oral", action: "continue", citations: cite },
      ...(extraMed ? [{ name: extraMed, action: "start", citations: cite }] : []),
    ],
    recommendations: [{ text: "Reinforce diet and physical activity; review in 3 months.", citations: cite }],
    confidence: 0.9,
  };
}

async function submit(sys: System) {
  const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
  expect(res.status).toBe(202);
  const accepted = (await res.json()) as { id: string; location: string };
  return { id: accepted.id, result: await waitForResult(sys.app, accepted.location) };
}

let standin: ModelHostStandin;
let sys: System;
let caseSys: System;

beforeAll(async () => {
  standin = await startModelHostStandin();
  [sys, caseSys] = await Promise.all([
    buildTestSystem({ OLLAMA_HOST: standin.url, MODEL_TIMEOUT_MS: "3000", SELF_CONSISTENCY_SAMPLES: "3" }),
    buildTestSystem({}),
  ]);
});
afterAll(async () => {
  await Promise.all([sys?.stop(), caseSys?.stop()]);
  await standin?.close();
});

describe("generate with a model host (Ollama stand-in, 3 self-consistency samples)", () => {
  it("sends the zod schema as `format`, samples greedy-then-diverse, and records provider, model, prompt version and agreement", async () => {
    standin.reply((req) => ({ kind: "json", value: draft(citable(req).slice(0, 1)) }));
    const before = standin.chatRequests().length;
    const { result } = await submit(sys);
    const reqs = standin.chatRequests().slice(before);
    expect(reqs).toHaveLength(3);
    for (const r of reqs) {
      expect(body(r).format).toEqual(DRAFT_JSON_SCHEMA);
      expect(body(r).keep_alive).toBe("30m");
    }
    expect(reqs.map((r) => body(r).options)).toEqual([
      { temperature: 0, seed: 0 },
      { temperature: SAMPLE_TEMPERATURE, seed: 1 },
      { temperature: SAMPLE_TEMPERATURE, seed: 2 },
    ]);
    expect(promptOf(reqs[0] as RecordedRequest)).toContain("HbA1c: 7.9 % (2025-03-01) → 8.6 % (2025-09-01); rising +0.7");
    expect(result.draft).toMatchObject({
      mode: "model",
      provider: "ollama",
      model: "glycopilot-glm4-9b",
      promptVersion: `${CONSULT_PROMPT_VERSION}+self+peer`,
      agreement: 1,
    });
    expect(result.findings).not.toContainEqual(expect.objectContaining({ code: "ungrounded-citation" }));
    // The guideline engine checks the model's draft too: HbA1c 8.6% (≥ 1.5% above the 7.0% goal)
    // with only "continue metformin" is an omission, so the draft goes out with that caveat.
    expect(result.findings).toContainEqual(
      expect.objectContaining({ code: "omission-no-intensification", severity: "warn", source: expect.stringContaining("§9") }),
    );
    expect(result.decision).toMatchObject({ action: "send-with-caveat" });
    expect((result.decision as { reasons: string[] }).reasons).toContain("warn: omission-no-intensification (treatment change)");
  });

  it("samples that disagree item by item → low agreement on the draft → escalated to a human, nothing sent", async () => {
    const extra = ["glipizide", "sitagliptin", "pioglitazone"];
    standin.reply((req) => ({ kind: "json", value: draft(citable(req).slice(0, 1), extra[body(req).options?.seed ?? 0]) }));
    const { id, result } = await submit(sys);
    const d = result.draft as { agreement: number; confidence: number };
    expect(d.agreement).toBeCloseTo(0.5, 6); // {HbA1c, metformin, X} vs {HbA1c, metformin, Y}: 2/4 in every pair
    expect(d.confidence).toBeLessThanOrEqual(d.agreement);
    expect(result.decision).toMatchObject({ action: "escalate" });
    expect((result.decision as { reasons: string[] }).reasons.join(" ")).toMatch(/low agreement/);
    expect(result.reply).toBeNull();
    expect(await sys.services.results.countDeliveries(id)).toBe(0);
    const open = await sys.services.results.listReviewCases("open");
    expect(open.find((c) => c.messageId === id)).toMatchObject({ action: "escalate" });
    const gen = (await sys.services.audit.list(id)).find((e) => e.kind === "generate")?.payload as {
      unstableItems: { item: string }[];
    };
    expect(gen.unstableItems.map((u) => u.item)).toEqual(expect.arrayContaining(["med:glipizide:start"]));
  });

  it("a fabricated citation becomes an ungrounded-citation finding in the stored result", async () => {
    standin.reply((req) => ({ kind: "json", value: draft([...citable(req).slice(0, 1), "guideline-made-up#42"]) }));
    const { id, result } = await submit(sys);
    const findings = result.findings as { code: string; severity: string; message: string }[];
    const ungrounded = findings.filter((f) => f.code === "ungrounded-citation");
    expect(ungrounded.length).toBeGreaterThanOrEqual(4);
    expect(ungrounded.every((f) => f.message.includes("guideline-made-up#42") && f.severity === "warn")).toBe(true);
    expect(result.decision).toMatchObject({ action: "send-with-caveat" });
    const stored = await sys.services.results.getResult(id);
    expect(stored?.findings.filter((f) => f.code === "ungrounded-citation")).toHaveLength(ungrounded.length);
  });

  it("invalid JSON once → retried and used; invalid twice → held, nothing sent", async () => {
    let calls = 0;
    standin.reply((req) =>
      calls++ === 0 ? { kind: "text", text: "Sure! metformin." } : { kind: "json", value: draft(citable(req).slice(0, 1)) },
    );
    const before = standin.chatRequests().length;
    const ok = await submit(sys);
    expect(standin.chatRequests().length - before).toBe(4); // sample 0 twice, then samples 1 and 2
    expect(ok.result).toMatchObject({ held: false, draft: { mode: "model" } });

    standin.reply({ kind: "text", text: '{"labTests": "HbA1c"}' });
    const mid = standin.chatRequests().length;
    const bad = await submit(sys);
    expect(standin.chatRequests().length - mid).toBe(2);
    expect(bad.result).toMatchObject({
      held: true,
      reply: null,
      error: "MODEL_INVALID_OUTPUT",
      decision: { action: "hold-for-review" },
    });
    expect(await sys.services.results.countDeliveries(bad.id)).toBe(0);
  });
});

describe("guideline-based mode (no model host configured)", () => {
  it("drafts from the guideline engine with dose and frequency on every drug, cites shipped guideline passages, and is labelled guideline-based", async () => {
    const { result } = await submit(caseSys);
    const d = result.draft as {
      mode: string;
      provider: string;
      promptVersion: string;
      medications: { name: string; action: string; dose?: string; frequency?: string; citations: string[] }[];
      recommendations: { text: string; citations: string[] }[];
    };
    expect(d).toMatchObject({ mode: "guideline-based", provider: "guideline-engine", promptVersion: "guideline-engine-v1" });
    expect(d.medications).toContainEqual(expect.objectContaining({ name: "metformin", action: "continue", dose: "1000 mg" }));
    // HbA1c 8.6% on metformin alone: the engine intensifies rather than repeating the regimen.
    expect(d.medications.some((m) => m.action === "start")).toBe(true);
    for (const m of d.medications) {
      expect(m.dose).toBeTruthy();
      expect(m.frequency).toBeTruthy();
      expect(m.citations[0]).toMatch(/^guideline:/);
    }
    // Every cited guideline passage is in the stored result's passages, so citations resolve.
    const ids = new Set((result.passages as { citation: { chunkId: string } }[]).map((p) => p.citation.chunkId));
    for (const m of d.medications) expect(ids.has(m.citations[0] as string)).toBe(true);
    expect(result.findings).not.toContainEqual(expect.objectContaining({ code: "ungrounded-citation" }));
    expect((result.findings as { severity: string }[]).filter((f) => f.severity === "block")).toEqual([]);
    expect(result.reply).toMatch(/^\[guideline-based: derived from the ADA Standards of Care and KDIGO/);
  });
});
