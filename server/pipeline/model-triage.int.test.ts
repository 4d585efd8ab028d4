/**
 * The model's triage second opinion (issue 12) end to end: HTTP → queue → pipeline → stored
 * result and review case, against the model-host stand-in speaking Ollama's protocol. The
 * stand-in answers the triage prompt (recognised by its JSON schema) with a scripted urgency.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, jsonPost, waitForResult } from "../../test/helpers/system.js";
import { type ModelHostStandin, type RecordedRequest, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import type { System } from "../main.js";
import { combineTriage, MODEL_TRIAGE_SCHEMA } from "./model-triage.js";

const isTriage = (r: RecordedRequest) =>
  JSON.stringify((r.body as { format?: unknown }).format) === JSON.stringify(MODEL_TRIAGE_SCHEMA);

describe("model triage beside the rules (stand-in model host)", () => {
  let standin: ModelHostStandin;
  let sys: System;
  let triageAnswer: unknown = { urgency: "routine", responder: "bot", reasons: [] };

  beforeAll(async () => {
    standin = await startModelHostStandin();
    standin.reply((req) =>
      isTriage(req)
        ? { kind: "json", value: triageAnswer }
        : { kind: "json", value: { labTests: [], examinations: [], medications: [], recommendations: [], confidence: 0.2 } },
    );
    sys = await buildTestSystem({ OLLAMA_HOST: standin.url, MODEL_TIMEOUT_MS: "1500", MODEL_TRIAGE: "true" });
    await sys.services.results.putPatient("pat-mt", {
      ref: "pat-mt",
      age: 61,
      sex: "female",
      diagnoses: ["type 2 diabetes"],
      labs: [],
      medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily" }],
      allergies: [],
      recentEvents: [],
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await standin?.close();
  });

  async function send(text: string, conv: string) {
    const res = await sys.app.request("/v1/messages", jsonPost({ conversationId: conv, patientRef: "pat-mt", text }));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { id: string; location: string };
    return { id: accepted.id, result: await waitForResult(sys.app, accepted.location) };
  }

  it("the model raises a message the rules call routine to an emergency: safety net, escalation, disagreement audited", async () => {
    triageAnswer = { urgency: "emergency", responder: "physician", reasons: ["possible sepsis"] };
    const before = standin.chatRequests().length;
    const { id, result } = await send("i feel a bit off today and my wee smells odd", "conv-mt-1");
    const triage = result.triage as { urgency: string; flags: Array<{ code: string; source: string }> };
    expect(triage.urgency).toBe("emergency");
    expect(triage.flags.map((f) => f.code)).toContain("model-second-opinion");
    expect(result.decision).toMatchObject({ action: "escalate", priority: "emergency" });
    // One triage call; the emergency path then makes no generation call.
    const calls = standin.chatRequests().slice(before);
    expect(calls).toHaveLength(1);
    expect(isTriage(calls[0] as RecordedRequest)).toBe(true);
    const ev = (await sys.services.audit.list(id)).find((e) => e.kind === "model-triage")?.payload as Record<string, unknown>;
    expect(ev).toMatchObject({ rules: "routine", modelUrgency: "emergency", final: "emergency", agree: false });
    const cases = await sys.services.results.listReviewCases("open");
    expect(cases.find((c) => c.messageId === id)).toMatchObject({ priority: "emergency" });
  });

  it("a lower model opinion never lowers the rules' urgency; it is recorded for the reviewer", async () => {
    triageAnswer = { urgency: "routine", responder: "bot", reasons: ["sounds minor"] };
    const { id, result } = await send("I ran out of my insulin and the pharmacy is closed until Monday", "conv-mt-2");
    const triage = result.triage as { urgency: string; flags: Array<{ code: string }> };
    expect(triage.urgency).toBe("urgent");
    expect(triage.flags.map((f) => f.code)).toContain("model-second-opinion-lower");
    const ev = (await sys.services.audit.list(id)).find((e) => e.kind === "model-triage")?.payload as Record<string, unknown>;
    expect(ev).toMatchObject({ rules: "urgent", modelUrgency: "routine", final: "urgent", agree: false });
  });

  it("a rules emergency never waits on the model: no triage request is made", async () => {
    const before = standin.chatRequests().length;
    const { result } = await send("my face is drooping and I can't lift my left arm", "conv-mt-3");
    expect((result.triage as { urgency: string }).urgency).toBe("emergency");
    expect(standin.chatRequests().length - before).toBe(0);
  });

  it("a model answer out of schema fails closed: held for a human at the rules' urgency", async () => {
    triageAnswer = { urgency: "very bad", reasons: "?" };
    const { id, result } = await send("burning when I pee since yesterday", "conv-mt-4");
    expect(result.held).toBe(true);
    expect(result.error).toBe("MODEL_INVALID_OUTPUT");
    const cases = await sys.services.results.listReviewCases("open");
    expect(cases.find((c) => c.messageId === id)).toMatchObject({ priority: "urgent" });
    expect(await sys.services.results.countDeliveries(id)).toBe(0);
  });
});

describe("combineTriage", () => {
  const rules = {
    urgency: "urgent" as const,
    responder: "nurse" as const,
    flags: [],
    complexity: [],
    escalate: false,
    injection: false,
  };
  it("takes the higher urgency and a clinician responder", () => {
    const t = combineTriage(rules, { urgency: "emergency", responder: "bot", reasons: ["x"] }, "m");
    expect(t).toMatchObject({ urgency: "emergency", responder: "physician", escalate: true });
  });
  it("keeps the rules when they agree", () => {
    expect(combineTriage(rules, { urgency: "urgent", responder: "nurse", reasons: [] }, "m")).toBe(rules);
  });
});
