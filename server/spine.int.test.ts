/**
 * The spine, end to end over real Redis, real Chroma and PGlite, with the model host played by
 * the test stand-in: HTTP → queue → worker → seven steps → stored, audited result.
 */

import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage, PatientContext } from "../core/domain.js";
import { buildTestSystem, jsonPost, waitForResult } from "../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../test/standins/model-host-standin.js";
import type { System } from "./main.js";
import { createTracing } from "./observability/tracing.js";
import { DRAFT_JSON_SCHEMA } from "./pipeline/generate.js";
import { runPipeline } from "./pipeline/run.js";

const consultation = {
  department: "endocrinology",
  sex: "female",
  age: 62,
  diagnoses: ["type 2 diabetes mellitus", "hypertension"],
  chiefComplaint: "Follow-up visit; HbA1c has risen over six months",
  presentIllness: "Type 2 diabetes for 8 years on metformin. Reports more thirst. No hypoglycemia.",
  labs: [
    { name: "HbA1c", value: 8.6, unit: "%" },
    { name: "fasting glucose", value: 9.1, unit: "mmol/L" },
    { name: "eGFR", value: 72, unit: "mL/min/1.73m2" },
  ],
  medications: [{ name: "metformin", dose: "1000 mg", frequency: "twice daily" }],
};

/** A clinician consultation handed to runPipeline directly (not through HTTP). */
function directConsultation(id: string, patient: PatientContext): InboundMessage {
  return {
    id,
    kind: "consultation",
    channel: "http",
    conversationId: id,
    sender: { role: "clinician", ref: "dr-test" },
    text: "follow-up",
    lang: "en",
    receivedAt: new Date().toISOString(),
    idempotencyKey: id,
    patient,
  };
}

/** The stand-in plays a model that cites the first reference passage it was shown. */
function citingDraft(prompt: string) {
  const ids = [...prompt.matchAll(/^\[([^\]\n]+)\]/gm)].map((m) => m[1] as string);
  const cite = ids.slice(0, 1);
  return {
    labTests: [{ name: "HbA1c", reason: "assess glycemic control", citations: cite }],
    examinations: [{ name: "dilated eye examination", citations: cite }],
    medications: [
      { name: "metformin", dose: "1000 mg", frequency: "twice daily", route: "oral", action: "continue", citations: cite },
    ],
    recommendations: [{ text: "Reinforce diet and physical activity; review in 3 months.", citations: cite }],
    confidence: 0.8,
  };
}

const promptOf = (body: unknown) =>
  ((body as { messages?: { role: string; content: string }[] }).messages ?? []).find((m) => m.role === "user")?.content ?? "";

describe("spine with a model host (stand-in)", () => {
  let standin: ModelHostStandin;
  let sys: System;
  const spans = new InMemorySpanExporter();

  beforeAll(async () => {
    standin = await startModelHostStandin();
    sys = await buildTestSystem(
      { OLLAMA_HOST: standin.url, MODEL_TIMEOUT_MS: "2000" },
      { tracing: createTracing({ exporter: spans }) },
    );
    await sys.services.results.putPatient("pat-001", {
      ref: "pat-001",
      age: 54,
      sex: "male",
      diagnoses: ["type 2 diabetes"],
      labs: [],
      medications: [{ name: "insulin glargine", dose: "20 units", frequency: "nightly" }],
      allergies: [],
      recentEvents: [],
    });
  });
  afterAll(async () => {
    await sys?.stop();
    await standin?.close();
  });

  it("1. a consultation comes back as a structured draft citing passages that exist in Chroma, and its audit chain verifies", async () => {
    standin.reply((req) => ({ kind: "json", value: citingDraft(promptOf(req.body)) }));
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { id: string; location: string };
    const result = await waitForResult(sys.app, accepted.location);

    expect(result.status).toBe("done");
    const draft = result.draft as {
      mode: string;
      provider: string;
      promptVersion: string;
      labTests: { citations: string[] }[];
      medications: { name: string; citations: string[] }[];
    };
    expect(draft.mode).toBe("model");
    expect(draft.provider).toBe("ollama");
    expect(draft.promptVersion).toMatch(/^consult-v\d+/);
    const cited = [...new Set([...draft.labTests, ...draft.medications].flatMap((i) => i.citations))];
    expect(cited.length).toBeGreaterThan(0);
    const found = await sys.knowledge.store.get("knowledge", { ids: cited });
    expect(found.map((f) => f.id).sort()).toEqual(cited.sort());

    // The Ollama request carried the draft's JSON schema as `format`, and no raw identifiers.
    const chat = standin.chatRequests().at(-1)?.body as { format?: unknown; model?: string };
    expect(chat.format).toEqual(DRAFT_JSON_SCHEMA);
    expect(chat.model).toBe("glycopilot-glm4-9b");

    const events = await sys.services.audit.list(accepted.id);
    expect(events.map((e) => e.kind)).toEqual([
      "accepted",
      "intake",
      "pre-check",
      "retrieve",
      "generate",
      "post-check",
      "decide",
      "deliver",
    ]);
    expect(await sys.services.audit.verify()).toMatchObject({ ok: true });
  });

  it("2. an emergency patient message gets the safety-net reply and an escalation without any model request", async () => {
    const before = standin.chatRequests().length;
    const res = await sys.app.request(
      "/v1/messages",
      jsonPost({
        conversationId: "conv-emerg",
        patientRef: "pat-001",
        text: "My husband passed out, his sugar was 2.5 on the meter",
      }),
    );
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { location: string; urgency: string; safetyNet?: string };
    expect(accepted.urgency).toBe("emergency");
    expect(accepted.safetyNet).toMatch(/911|emergency/i);
    const result = await waitForResult(sys.app, accepted.location);
    expect(result.decision).toMatchObject({ action: "escalate", priority: "emergency" });
    expect(result.reply).toBe(accepted.safetyNet);
    expect((result.triage as { urgency: string }).urgency).toBe("emergency");
    expect(standin.chatRequests().length - before).toBe(0);
    const cases = await sys.services.results.listReviewCases("open");
    expect(cases.find((c) => c.messageId === (result.id as string))).toMatchObject({ priority: "emergency", action: "escalate" });
  });

  it("2b. a stroke gets stroke first aid (nothing by mouth) in the 202 and in the result, not the sugar advice", async () => {
    const res = await sys.app.request(
      "/v1/messages",
      jsonPost({
        conversationId: "conv-stroke",
        patientRef: "pat-001",
        text: "facial droop and left sided weakness since an hour ago",
      }),
    );
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { location: string; urgency: string; safetyNet?: string };
    expect(accepted.urgency).toBe("emergency");
    expect(accepted.safetyNet).toMatch(/Do not give food, drink or tablets/);
    expect(accepted.safetyNet).not.toMatch(/15 g of fast sugar/);
    const result = await waitForResult(sys.app, accepted.location);
    expect(result.reply).toBe(accepted.safetyNet);
  });

  it("3a. a model host that times out → held for review, nothing sent", async () => {
    standin.reply({ kind: "hang" });
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    const { location, id } = (await res.json()) as { location: string; id: string };
    const result = await waitForResult(sys.app, location);
    expect(result.held).toBe(true);
    expect(result.reply).toBeNull();
    expect(result.decision).toMatchObject({ action: "hold-for-review" });
    expect(result.error).toBe("MODEL_TIMEOUT");
    expect(await sys.services.results.countDeliveries(id)).toBe(0);
  });

  it("3b. a model host returning invalid JSON twice → retried once, then held", async () => {
    const before = standin.chatRequests().length;
    standin.reply({ kind: "text", text: "Sure! Here are my recommendations: metformin." });
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    const { location, id } = (await res.json()) as { location: string; id: string };
    const result = await waitForResult(sys.app, location);
    expect(result.held).toBe(true);
    expect(result.error).toBe("MODEL_INVALID_OUTPUT");
    expect(standin.chatRequests().length - before).toBe(2);
    expect(await sys.services.results.countDeliveries(id)).toBe(0);
  });

  it("one trace runs from the HTTP request through the queue and worker to the model, and the audit trail carries its id", async () => {
    standin.reply((req) => ({ kind: "json", value: citingDraft(promptOf(req.body)) }));
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await sys.app.request(
      "/v1/consultations",
      jsonPost(consultation, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` }),
    );
    expect(res.headers.get("x-request-id")).toBe(traceId);
    const { id, location } = (await res.json()) as { id: string; location: string };
    await waitForResult(sys.app, location);
    const mine = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const names = mine.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "POST /v1/consultations",
        "pipeline",
        "pipeline.intake",
        "pipeline.pre-check",
        "pipeline.retrieve",
        "pipeline.generate",
        "model.complete",
        "pipeline.deliver",
      ]),
    );
    // The HTTP server span is @hono/otel's: kind SERVER, the route and status, child of the caller's span.
    const http = mine.find((s) => s.name === "POST /v1/consultations");
    expect(http?.kind).toBe(SpanKind.SERVER);
    expect(http?.instrumentationScope.name).toBe("@hono/otel");
    expect(http?.attributes).toMatchObject({ "http.route": "/v1/consultations", "http.response.status_code": 202 });
    expect(http?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    const pipeline = mine.find((s) => s.name === "pipeline");
    const model = mine.find((s) => s.name === "model.complete");
    const generate = mine.find((s) => s.name === "pipeline.generate");
    expect(model?.parentSpanContext?.spanId).toBe(generate?.spanContext().spanId);
    expect(generate?.parentSpanContext?.spanId).toBe(pipeline?.spanContext().spanId);
    // Redis calls (BullMQ's enqueue from the request) are the ioredis instrumentation's spans in the same trace.
    const redis = mine.filter((s) => s.instrumentationScope.name === "@opentelemetry/instrumentation-ioredis");
    expect(redis.length).toBeGreaterThan(0);
    expect(redis.some((s) => s.parentSpanContext?.spanId === http?.spanContext().spanId)).toBe(true);
    const audit = await sys.services.audit.list(id);
    expect(new Set(audit.map((e) => e.traceId))).toEqual(new Set([traceId]));
  });

  it("a delivery claimed before a crash but never confirmed is neither re-sent nor dropped: a human gets the case", async () => {
    standin.reply((req) => ({ kind: "json", value: citingDraft(promptOf(req.body)) }));
    const id = `crash-${Date.now()}`;
    const message = directConsultation(id, {
      age: 62,
      sex: "female",
      diagnoses: ["type 2 diabetes"],
      chiefComplaint: "follow-up",
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
    await sys.services.results.accept(message);
    // The previous attempt claimed the delivery and died before sending/confirming.
    await sys.services.results.claimDelivery(id, "http");
    const result = await runPipeline(message, sys.deps);
    expect(result.status).toBe("done");
    const deliver = (await sys.services.audit.list(id)).find((e) => e.kind === "deliver")?.payload as {
      delivered: boolean;
      detail: string;
      reviewCase: boolean;
    };
    expect(deliver).toMatchObject({ delivered: false, reviewCase: true });
    expect(deliver.detail).toMatch(/never confirmed/);
    const cases = await sys.services.results.listReviewCases("open");
    expect(cases.find((c) => c.messageId === id)).toMatchObject({ action: "delivery-unconfirmed" });
  });

  it("3e. one message's audit trail is written in two statements (before delivery, then the deliver event), in step order, and verifies", async () => {
    standin.reply((req) => ({ kind: "json", value: citingDraft(promptOf(req.body)) }));
    const id = `audit-batch-${Date.now()}`;
    const message = directConsultation(id, { ...consultation, sex: "female", allergies: [], recentEvents: [] });
    await sys.services.results.accept(message);
    const store = sys.services.audit as unknown as import("./stores/audit-store.js").SqlAuditStore;
    const calls: string[][] = [];
    const audit = {
      append: (e: import("../core/ports.js").AuditAppend) => store.append(e),
      appendMany: (evs: readonly import("../core/ports.js").AuditAppend[]) => {
        calls.push(evs.map((e) => e.kind));
        return store.appendMany(evs);
      },
    };
    const result = await runPipeline(message, { ...sys.deps, audit });
    expect(result.status).toBe("done");
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(["deliver"]);
    const events = await sys.services.audit.list(id);
    expect(events.map((e) => e.kind)).toEqual(calls.flat());
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["intake", "pre-check", "retrieve", "generate", "post-check", "decide"]),
    );
    const times = events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(await sys.services.audit.verify()).toMatchObject({ ok: true });
  });

  it("4. the same Idempotency-Key twice yields one job and one result", async () => {
    standin.reply((req) => ({ kind: "json", value: citingDraft(promptOf(req.body)) }));
    const key = `idem-${Date.now()}`;
    const r1 = await sys.app.request("/v1/consultations", jsonPost(consultation, { "Idempotency-Key": key }));
    const r2 = await sys.app.request("/v1/consultations", jsonPost(consultation, { "Idempotency-Key": key }));
    const a1 = (await r1.json()) as { id: string; replayed: boolean; location: string };
    const a2 = (await r2.json()) as { id: string; replayed: boolean };
    expect(a2.id).toBe(a1.id);
    expect([a1.replayed, a2.replayed]).toEqual([false, true]);
    await waitForResult(sys.app, a1.location);
    const bull = (sys.services.queue as unknown as { bull: import("bullmq").Queue }).bull;
    const jobs = await bull.getJobs(["completed", "waiting", "active", "prioritized", "failed"]);
    expect(jobs.filter((j) => j.data.messageId === a1.id)).toHaveLength(1);
    const audit = await sys.services.audit.list(a1.id);
    expect(audit.filter((e) => e.kind === "accepted")).toHaveLength(1);
    expect(audit.filter((e) => e.kind === "deliver")).toHaveLength(1);
  });
});

describe("spine with the model host down", () => {
  let sys: System;
  beforeAll(async () => {
    // Nothing listens on port 9 (discard) on loopback: connection refused.
    sys = await buildTestSystem({ OLLAMA_HOST: "http://127.0.0.1:9", MODEL_TIMEOUT_MS: "1500" });
  });
  afterAll(async () => sys?.stop());

  it("3c. unreachable model host → held for review, and readiness says why", async () => {
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    const { location, id } = (await res.json()) as { location: string; id: string };
    const result = await waitForResult(sys.app, location);
    expect(result).toMatchObject({ held: true, reply: null, error: "DEPENDENCY_UNAVAILABLE" });
    expect(await sys.services.results.countDeliveries(id)).toBe(0);
    const ready = await sys.app.request("/readyz");
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks.model?.ok).toBe(false);
    expect(body.checks.redis?.ok).toBe(true);
    expect(body.checks.sql?.ok).toBe(true);
    expect(body.checks.chroma?.ok).toBe(true);
  });
});
