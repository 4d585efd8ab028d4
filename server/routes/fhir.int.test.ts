/**
 * POST /v1/fhir/Bundle on a real system (Redis, Chroma, PGlite): Synthea R4 transaction Bundles
 * register a patient or start a consultation; invalid Bundles, unknown resource types, mixed
 * patients and wrong media types answer an OperationOutcome; tokens are enforced when configured.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, waitForResult } from "../../test/helpers/system.js";
import { sha256Hex } from "../auth/credentials.js";
import type { System } from "../main.js";

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../rag/fixtures/${name}`, import.meta.url), "utf8")) as {
    type: string;
    entry: { fullUrl?: string; resource: Record<string, unknown>; request?: unknown }[];
  };
const LOUIS = "Louis_Maggio_2e275d4b-855a-4eb2-9021-5410aa8acd4f.json";
const LOUIS_ID = "bae2bf00-eca1-47fb-bb43-272f8de1449c";

let sys: System;
beforeAll(async () => {
  sys = await buildTestSystem();
});
afterAll(async () => sys?.stop());

const post = (body: unknown, query = "", headers: Record<string, string> = {}) =>
  sys.app.request(`/v1/fhir/Bundle${query}`, {
    method: "POST",
    headers: { "content-type": "application/fhir+json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

type Outcome = { resourceType: string; issue: { severity: string; code: string; diagnostics: string; expression?: string[] }[] };

/** A small valid transaction Bundle for one patient. */
function small(extra: Record<string, unknown>[] = []) {
  const patientUrl = "urn:uuid:7d0a1c52-0000-4000-8000-000000000001";
  const req = (type: string) => ({ method: "POST", url: type });
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: [
      {
        fullUrl: patientUrl,
        resource: { resourceType: "Patient", id: "fhir-test-1", gender: "female", birthDate: "1960-03-02" },
        request: req("Patient"),
      },
      {
        resource: {
          resourceType: "Observation",
          status: "final",
          code: { coding: [{ system: "http://loinc.org", code: "4548-4" }] },
          subject: { reference: patientUrl },
          effectiveDateTime: "2026-10-01T08:00:00Z",
          valueQuantity: { value: 64, unit: "mmol/mol" },
        },
        request: req("Observation"),
      },
      {
        resource: {
          resourceType: "MedicationRequest",
          status: "active",
          intent: "order",
          subject: { reference: patientUrl },
          medicationCodeableConcept: { text: "metformin 500 mg" },
        },
        request: req("MedicationRequest"),
      },
      ...extra.map((resource) => ({ resource: { subject: { reference: patientUrl }, ...resource }, request: req("X") })),
    ],
  };
}

const question = {
  resourceType: "Communication",
  status: "completed",
  payload: [{ contentString: "HbA1c is rising on metformin alone; what should we add?" }],
};

describe("FHIR Bundle → patient registration", () => {
  it("registers the patient of a 390 KB Synthea transaction Bundle (201, then 200), with mapped labs and medications", async () => {
    const bundle = fixture(LOUIS);
    const res = await post(bundle);
    const body = (await res.json()) as { ref: string; location: string; outcome: Outcome };
    expect(res.status, JSON.stringify(body).slice(0, 400)).toBe(201);
    expect(body.ref).toBe(LOUIS_ID);
    expect(res.headers.get("location")).toBe(`/v1/patients/${LOUIS_ID}`);
    // Claims, EOBs, immunizations… are valid FHIR the intake does not read: reported, not refused.
    expect(body.outcome.issue.map((i) => i.diagnostics).join("\n")).toMatch(
      /ExplanationOfBenefit entries are valid FHIR but not used/,
    );
    expect(body.outcome.issue.every((i) => i.severity === "information" || i.severity === "warning")).toBe(true);

    const stored = (await (await sys.app.request(body.location)).json()) as {
      sex: string;
      labs: { name: string; unit: string }[];
      allergies: string[];
    };
    expect(stored.sex).toBe("male");
    expect(stored.labs.some((l) => l.name === "Glucose" && l.unit === "mg/dL")).toBe(true);
    expect(stored.allergies.length).toBeGreaterThan(0);
    const events = await sys.services.audit.list(`patient:${LOUIS_ID}`);
    expect(events.map((e) => e.kind)).toContain("patient-registered");
    expect(JSON.stringify(events)).not.toMatch(/Maggio/);

    const again = await post(bundle);
    expect(again.status).toBe(200);
  });

  it("normalizes units on the way in (HbA1c 64 mmol/mol → 8.0 %)", async () => {
    const res = await post(small());
    expect(res.status).toBe(201);
    const p = (await (await sys.app.request("/v1/patients/fhir-test-1")).json()) as {
      labs: { name: string; value: number; unit: string }[];
    };
    expect(p.labs).toContainEqual(expect.objectContaining({ name: "HbA1c", value: 8, unit: "%" }));
  });
});

describe("FHIR Bundle → consultation", () => {
  it("a Bundle carrying the clinician's question (Communication) becomes a consultation: 202, id, result", async () => {
    const res = await post(small([question]));
    const body = (await res.json()) as { id: string; location: string; urgency: string };
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.location).toBe(`/v1/consultations/${body.id}`);
    const result = await waitForResult(sys.app, body.location, 45_000);
    expect(result.status).toBe("done");
    expect(result).toHaveProperty("decision");
  });

  it("Idempotency-Key makes a resubmitted Bundle return the first id", async () => {
    const a = (await (await post(small([question]), "", { "idempotency-key": "fhir-idem-1" })).json()) as { id: string };
    const b = (await (await post(small([question]), "", { "idempotency-key": "fhir-idem-1" })).json()) as {
      id: string;
      replayed: boolean;
    };
    expect(b.id).toBe(a.id);
    expect(b.replayed).toBe(true);
  });

  it("?mode=consultation without a question is a 400 OperationOutcome", async () => {
    const res = await post(small(), "?mode=consultation");
    expect(res.status).toBe(400);
    const o = (await res.json()) as Outcome;
    expect(o.resourceType).toBe("OperationOutcome");
    expect(o.issue[0]?.diagnostics).toMatch(/Communication/);
  });
});

describe("bad Bundles → 400 OperationOutcome naming the element", () => {
  const base = small();
  const withEntry = (i: number, resource: Record<string, unknown>) => ({
    ...base,
    entry: base.entry.map((e, j) => (j === i ? { ...e, resource } : e)),
  });
  it.each<[string, unknown, string, RegExp]>([
    ["not a Bundle", { resourceType: "Patient", id: "x" }, "structure", /resourceType "Bundle"/],
    ["a JSON array", [1, 2], "structure", /Bundle/],
    ["Bundle without type", { resourceType: "Bundle", entry: base.entry }, "required", /Bundle\.type/],
    ["a searchset Bundle", { ...base, type: "searchset" }, "not-supported", /transaction or collection/],
    ["no entries", { resourceType: "Bundle", type: "collection", entry: [] }, "invalid", /at least one entry/],
    [
      "transaction entry without request (bdl-3)",
      { ...base, entry: base.entry.map((e, j) => (j === 1 ? { resource: e.resource } : e)) },
      "required",
      /entry\[1\]\.request/,
    ],
    [
      "Observation without status",
      withEntry(1, { ...(base.entry[1]?.resource as object), status: undefined }),
      "required",
      /entry\[1\]\.resource\.status/,
    ],
    [
      "Observation with a status outside the R4 value set",
      withEntry(1, { ...(base.entry[1]?.resource as object), status: "done" }),
      "value",
      /entry\[1\]\.resource\.status/,
    ],
    [
      "MedicationRequest without medication[x]",
      withEntry(2, { ...(base.entry[2]?.resource as object), medicationCodeableConcept: undefined }),
      "invalid",
      /medication\[x\]/,
    ],
    [
      "an unknown resource type",
      small([{ resourceType: "Foo", status: "final" }]),
      "not-supported",
      /"Foo" is not a FHIR R4 resource type/,
    ],
    ["no Patient", { ...base, entry: base.entry.slice(1) }, "required", /no \(valid\) Patient/],
    [
      "two Patients",
      {
        ...base,
        entry: [
          ...base.entry,
          { resource: { resourceType: "Patient", id: "other", birthDate: "1970" }, request: { method: "POST", url: "Patient" } },
        ],
      },
      "business-rule",
      /2 Patient resources/,
    ],
    [
      "an Observation of another patient",
      withEntry(1, { ...(base.entry[1]?.resource as object), subject: { reference: "Patient/someone-else" } }),
      "business-rule",
      /other than the Bundle's Patient/,
    ],
    [
      "Patient without birthDate",
      withEntry(0, { resourceType: "Patient", id: "fhir-test-1", gender: "female" }),
      "required",
      /birthDate is required/,
    ],
    [
      "Patient with a malformed birthDate",
      withEntry(0, { resourceType: "Patient", id: "p", birthDate: "02/03/1960" }),
      "value",
      /birthDate/,
    ],
  ])("%s", async (_name, bundle, code, diagnostics) => {
    const res = await post(bundle);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/fhir\+json/);
    const o = (await res.json()) as Outcome;
    expect(o.resourceType).toBe("OperationOutcome");
    const hit = o.issue.find((i) => i.code === code && diagnostics.test(i.diagnostics));
    expect(hit, JSON.stringify(o.issue)).toBeDefined();
    expect(hit?.severity).toBe("error");
  });

  it("malformed JSON → 400 structure; text/plain → 415; nothing is registered", async () => {
    const bad = await post('{"resourceType": "Bundle", ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Outcome).issue[0]?.code).toBe("structure");
    const plain = await sys.app.request("/v1/fhir/Bundle", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(small()),
    });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as Outcome).resourceType).toBe("OperationOutcome");
    const none = await sys.app.request("/v1/patients/p");
    expect(none.status).toBe(404);
  });
});

describe("FHIR route access with API_TOKENS", () => {
  let secured: System;
  const tokens = { clinician: "fhir-clin-token-0123456789", patient: "fhir-patient-token-0123456789" };
  beforeAll(async () => {
    secured = await buildTestSystem({
      API_TOKENS: `his:clinician:${sha256Hex(tokens.clinician)},pat:patient:${sha256Hex(tokens.patient)}`,
    });
  });
  afterAll(async () => secured?.stop());
  const send = (headers: Record<string, string>) =>
    secured.app.request("/v1/fhir/Bundle", {
      method: "POST",
      headers: { "content-type": "application/fhir+json", ...headers },
      body: JSON.stringify(small()),
    });

  it.each([
    ["no token", {}, 401, "login"],
    ["an unknown token", { authorization: "Bearer nope" }, 401, "login"],
    ["a patient token", { authorization: `Bearer ${tokens.patient}` }, 403, "forbidden"],
  ])("%s → %i OperationOutcome", async (_n, headers, status, code) => {
    const res = await send(headers);
    expect(res.status).toBe(status);
    expect(((await res.json()) as Outcome).issue[0]?.code).toBe(code);
  });

  it("a clinician token → 201", async () => {
    expect((await send({ authorization: `Bearer ${tokens.clinician}` })).status).toBe(201);
  });
});

describe("documented", () => {
  it("/openapi.json lists POST /v1/fhir/Bundle with its Bundle body and OperationOutcome errors, and /admin/queues", async () => {
    const doc = (await (await sys.app.request("/openapi.json")).json()) as {
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> }
        >
      >;
    };
    const op = doc.paths["/v1/fhir/Bundle"]?.post;
    expect(Object.keys(op?.requestBody?.content ?? {})).toContain("application/fhir+json");
    for (const status of ["400", "401", "403", "413", "415"])
      expect(op?.responses[status]?.content).toHaveProperty(["application/fhir+json"]);
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(["200", "201", "202"]));
    expect(doc.paths["/admin/queues"]?.get?.responses).toHaveProperty("403");
  });
});
