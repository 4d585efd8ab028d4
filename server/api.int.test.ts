/**
 * The HTTP API's contract on bad input, the OpenAPI document, and case-based mode (no model
 * host configured) — on real Redis, Chroma and PGlite.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, jsonPost, waitForResult } from "../test/helpers/system.js";
import type { System } from "./main.js";

let sys: System;
beforeAll(async () => {
  sys = await buildTestSystem({ BODY_LIMIT_BYTES: "4096", RATE_LIMIT_SENDER_PER_MIN: "3" });
});
afterAll(async () => sys?.stop());

const valid = {
  sex: "male",
  age: 58,
  diagnoses: ["type 2 diabetes"],
  chiefComplaint: "routine follow-up",
  labs: [{ name: "HbA1c", value: 7.9, unit: "%" }],
};

describe("5. bad input gets a clear error and creates nothing", () => {
  it.each([
    [
      "malformed JSON",
      { method: "POST", headers: { "content-type": "application/json" }, body: '{"sex": "male", "age": ' },
      400,
      "INVALID_JSON",
    ],
    ["missing fields", jsonPost({ chiefComplaint: "hello" }), 400, "BAD_REQUEST"],
    ["wrong types", jsonPost({ ...valid, age: "fifty" }), 400, "BAD_REQUEST"],
    ["no question at all", jsonPost({ sex: "male", age: 50 }), 400, "BAD_REQUEST"],
    [
      "not JSON content type",
      { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(valid) },
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ],
    ["oversized body", jsonPost({ ...valid, presentIllness: "x".repeat(5000) }), 413, "PAYLOAD_TOO_LARGE"],
  ])("%s → %i %s", async (_name, init, status, code) => {
    const res = await sys.app.request("/v1/consultations", init as RequestInit);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it("names the offending field", async () => {
    const res = await sys.app.request("/v1/consultations", jsonPost({ ...valid, age: -3 }));
    const body = (await res.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path)).toContain("age");
  });

  it("an unknown patient is a 404 UNKNOWN_PATIENT, not a queued job", async () => {
    const res = await sys.app.request("/v1/messages", jsonPost({ conversationId: "c1", patientRef: "nobody", text: "hello" }));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNKNOWN_PATIENT");
  });

  it("an unknown patient describing an emergency still gets the safety net (with its first aid) in the 404, in their language; a routine one does not", async () => {
    type Err = { error: { code: string; details?: { safetyNet?: string } } };
    const zh = await sys.app.request(
      "/v1/messages",
      jsonPost({ conversationId: "c-unk-1", patientRef: "nobody", text: "我妈妈突然嘴歪了，左边手脚没力气，说话不清楚" }),
    );
    expect(zh.status).toBe(404);
    const body = (await zh.json()) as Err;
    expect(body.error.code).toBe("UNKNOWN_PATIENT");
    expect(body.error.details?.safetyNet).toMatch(/120/);
    expect(body.error.details?.safetyNet).toMatch(/不要给吃喝/);
    const routine = (await (
      await sys.app.request("/v1/messages", jsonPost({ conversationId: "c-unk-2", patientRef: "nobody", text: "what is HbA1c?" }))
    ).json()) as Err;
    expect(routine.error.details?.safetyNet).toBeUndefined();
    const audit = await sys.services.audit.list("patient:nobody");
    expect(audit.map((e) => e.kind)).toEqual(["unknown-patient-emergency"]);
    expect(JSON.stringify(audit)).not.toContain("嘴歪");
  });

  it("unknown ids and routes are 404 with an error body", async () => {
    expect((await sys.app.request("/v1/consultations/does-not-exist")).status).toBe(404);
    const r = await sys.app.request("/v1/nothing");
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("a bad Idempotency-Key is rejected", async () => {
    const res = await sys.app.request("/v1/consultations", jsonPost(valid, { "Idempotency-Key": "has spaces in it" }));
    expect(res.status).toBe(400);
  });
});

describe("case-based mode (no model host configured)", () => {
  it("drafts from similar past cases, labelled as case-based", async () => {
    expect(sys.services.mode).toBe("case-based");
    const res = await sys.app.request(
      "/v1/consultations",
      jsonPost({ ...valid, age: 61, diagnoses: ["type 2 diabetes", "hypertension"] }),
    );
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    const result = await waitForResult(sys.app, location);
    expect(result.mode).toBe("case-based");
    const draft = result.draft as { mode: string; provider: string; labTests: unknown[] };
    // With a patient context the no-model draft comes from the guideline engine (services.mode still reads "case-based").
    expect(draft.mode).toBe("guideline-based");
    expect(draft.provider).toBe("guideline-engine");
    expect(draft.labTests.length).toBeGreaterThan(0);
  });
});

describe("service endpoints", () => {
  it("/healthz and /readyz report the dependencies", async () => {
    expect((await sys.app.request("/healthz")).status).toBe(200);
    const ready = await sys.app.request("/readyz");
    const body = (await ready.json()) as { ok: boolean; mode: string; checks: Record<string, { ok: boolean }> };
    expect(ready.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(["chroma", "model", "redis", "sql"]);
    expect(body.mode).toBe("case-based");
  });

  it("/openapi.json documents every public route with the request schemas", async () => {
    const doc = (await (await sys.app.request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/consultations",
        "/v1/consultations/{id}",
        "/v1/messages",
        "/v1/messages/{id}",
        "/healthz",
        "/readyz",
      ]),
    );
    const consult = doc.paths["/v1/consultations"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(consult?.required).toEqual(expect.arrayContaining(["sex", "age"]));
    const msg = doc.paths["/v1/messages"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(msg?.required).toEqual(expect.arrayContaining(["conversationId", "patientRef", "text"]));
  });
});

describe("rate limiting and metrics", () => {
  it("a sender over the per-minute limit gets 429 with Retry-After, and nothing is queued for it", async () => {
    await sys.services.results.putPatient("rl-patient", {
      ref: "rl-patient",
      age: 50,
      sex: "female",
      diagnoses: [],
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
    const send = () =>
      sys.app.request(
        "/v1/messages",
        jsonPost({ conversationId: "rl", patientRef: "rl-patient", text: "What foods are good for breakfast?" }),
      );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send()).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const res = await send();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    // Another sender is not affected.
    await sys.services.results.putPatient("rl-other", {
      ref: "rl-other",
      age: 50,
      sex: "male",
      diagnoses: [],
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
    expect(
      (await sys.app.request("/v1/messages", jsonPost({ conversationId: "rl2", patientRef: "rl-other", text: "hello" }))).status,
    ).toBe(202);
  });

  it("/metrics exposes queue depth, step latency, decisions and rate limiting in Prometheus format", async () => {
    const res = await sys.app.request("/metrics");
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      "glyco_queue_depth",
      "glyco_pipeline_step_seconds_bucket",
      "glyco_decisions_total",
      "glyco_http_requests_total",
      "glyco_rate_limited_total",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/glyco_pipeline_step_seconds_count\{[^}]*step="pre-check"[^}]*\} [1-9]/);
  });
});

describe("routing readiness", () => {
  it("/readyz/intake checks only the SQL store", async () => {
    const res = await sys.app.request("/readyz/intake");
    expect(res.status).toBe(200);
    expect(Object.keys(((await res.json()) as { checks: object }).checks)).toEqual(["sql"]);
  });
});

describe("API tokens", () => {
  let secured: System;
  const token = (name: string, role: string, secret: string) =>
    `${name}:${role}:${createHash("sha256").update(secret).digest("hex")}`;
  beforeAll(async () => {
    secured = await buildTestSystem({
      API_TOKENS: [
        token("dr-li", "clinician", "clin-secret"),
        token("pat-9", "patient", "pat-secret"),
        token("rev", "reviewer", "rev-secret"),
      ].join(","),
    });
    await secured.services.results.putPatient("pat-9", {
      ref: "pat-9",
      age: 40,
      sex: "female",
      diagnoses: [],
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
    await secured.services.results.putPatient("pat-10", {
      ref: "pat-10",
      age: 41,
      sex: "male",
      diagnoses: [],
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
  });
  afterAll(async () => secured?.stop());
  const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it.each([
    ["no token", "/v1/consultations", valid, {}, 401],
    ["unknown token", "/v1/consultations", valid, auth("nope"), 401],
    ["patient token on consultations", "/v1/consultations", valid, auth("pat-secret"), 403],
    ["reviewer token on patient records", "/v1/patients/pat-9", null, auth("rev-secret"), 403],
    ["clinician token", "/v1/consultations", valid, auth("clin-secret"), 202],
    [
      "patient token for itself",
      "/v1/messages",
      { conversationId: "c", patientRef: "pat-9", text: "hello" },
      auth("pat-secret"),
      202,
    ],
    [
      "patient token for another patient",
      "/v1/messages",
      { conversationId: "c", patientRef: "pat-10", text: "hello" },
      auth("pat-secret"),
      403,
    ],
  ])("%s → %i", async (_name, path, body, headers, status) => {
    const init = body === null ? { headers } : jsonPost(body, headers as Record<string, string>);
    const res = await secured.app.request(path, init as RequestInit);
    expect(res.status).toBe(status);
  });
});

describe("text that cannot be stored", () => {
  it.each([
    ["NUL in a field", { ...valid, chiefComplaint: "follow\u0000up" }, "chiefComplaint"],
    ["unpaired surrogate", { ...valid, chiefComplaint: "x\ud800y" }, "chiefComplaint"],
    ["unpaired low surrogate in an array", { ...valid, diagnoses: ["ok", "\udc00"] }, "diagnoses.1"],
  ])("%s → 400 naming the field", async (_n, body, path) => {
    const res = await sys.app.request("/v1/consultations", jsonPost(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(path);
  });

  it("a valid surrogate pair (emoji) and Chinese text are accepted", async () => {
    const res = await sys.app.request("/v1/consultations", jsonPost({ ...valid, chiefComplaint: "复诊 🙂 血糖偏高" }));
    expect(res.status).toBe(202);
  });
});
