/** /openapi.json: the API described from the same zod schemas that validate requests. */
import { Hono } from "hono";
import { z } from "zod";
import { PatientContext } from "../../core/domain.js";
import type { AppEnv } from "../services.js";
import { Accepted, ConsultationRequest, ErrorBody, MessageRequest, ResultResponse } from "./schemas.js";

const js = (s: z.ZodType, io: "input" | "output" = "output") =>
  z.toJSONSchema(s, { target: "openapi-3.0", io, unrepresentable: "any" });
const json = (s: z.ZodType, io: "input" | "output" = "output") => ({ content: { "application/json": { schema: js(s, io) } } });
const errors = {
  "400": { description: "Malformed JSON or invalid fields", ...json(ErrorBody) },
  "413": { description: "Body too large", ...json(ErrorBody) },
  "415": { description: "Not application/json", ...json(ErrorBody) },
};
const idemHeader = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", maxLength: 200 },
  description: "Resubmitting with the same key returns the first submission's id; no second job.",
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

/** FHIR R4 OperationOutcome, as POST /v1/fhir/Bundle answers errors (server/routes/fhir.ts). */
const operationOutcome = {
  type: "object",
  required: ["resourceType", "issue"],
  properties: {
    resourceType: { type: "string", enum: ["OperationOutcome"] },
    issue: {
      type: "array",
      items: {
        type: "object",
        required: ["severity", "code", "diagnostics"],
        properties: {
          severity: { type: "string", enum: ["fatal", "error", "warning", "information"] },
          code: {
            type: "string",
            description: "FHIR IssueType: invalid, structure, required, value, not-supported, business-rule, login, forbidden, …",
          },
          diagnostics: { type: "string" },
          expression: { type: "array", items: { type: "string" }, description: "FHIRPath, e.g. Bundle.entry[3].resource.status" },
        },
      },
    },
  },
  example: {
    resourceType: "OperationOutcome",
    issue: [
      {
        severity: "error",
        code: "required",
        diagnostics: "Bundle.entry[1].resource.status: is required",
        expression: ["Bundle.entry[1].resource.status"],
      },
    ],
  },
};
const fhirError = (description: string) => ({
  description,
  content: { "application/fhir+json": { schema: operationOutcome } },
});
const fhirBundle = {
  type: "object",
  required: ["resourceType", "type", "entry"],
  description:
    "A FHIR R4 transaction or collection Bundle describing one patient. Read: Patient (birthDate required), Observation (LOINC-coded labs, units normalized), Condition, MedicationRequest, AllergyIntolerance, Encounter, Procedure, and Communication (payload.contentString = the clinician's question). Other valid R4 resources are accepted and reported as not used; unknown resource types are refused.",
  properties: {
    resourceType: { type: "string", enum: ["Bundle"] },
    type: { type: "string", enum: ["transaction", "collection"] },
    entry: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          fullUrl: { type: "string" },
          resource: { type: "object", required: ["resourceType"], properties: { resourceType: { type: "string" } } },
          request: {
            type: "object",
            description: "required in a transaction Bundle (bdl-3)",
            properties: { method: { type: "string" }, url: { type: "string" } },
          },
        },
      },
    },
  },
};

export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: "3.0.3",
    info: {
      title: "GlycoPilot API",
      version: "0.1.0",
      description: "Diabetes care assistant: consultations (clinicians) and follow-up messages (patients).",
    },
    paths: {
      "/v1/consultations": {
        post: {
          summary: "Ask about a patient (clinician)",
          parameters: [idemHeader],
          requestBody: { required: true, ...json(ConsultationRequest, "input") },
          responses: { "202": { description: "Accepted", ...json(Accepted) }, ...errors },
        },
      },
      "/v1/consultations/{id}": {
        get: {
          summary: "Status and result of a consultation",
          parameters: [idParam],
          responses: {
            "200": { description: "Status / result", ...json(ResultResponse) },
            "404": { description: "Unknown id", ...json(ErrorBody) },
          },
        },
      },
      "/v1/messages": {
        post: {
          summary: "A patient's follow-up message",
          parameters: [idemHeader],
          requestBody: { required: true, ...json(MessageRequest, "input") },
          responses: {
            "202": { description: "Accepted", ...json(Accepted) },
            "404": { description: "Unknown patient", ...json(ErrorBody) },
            ...errors,
          },
        },
      },
      "/v1/messages/{id}": {
        get: {
          summary: "Status and result (reply or held for review) of a message",
          parameters: [idParam],
          responses: {
            "200": { description: "Status / result", ...json(ResultResponse) },
            "404": { description: "Unknown id", ...json(ErrorBody) },
          },
        },
      },
      "/v1/patients/{ref}": {
        put: {
          summary: "Register or update a patient's context",
          parameters: [{ name: "ref", in: "path", required: true, schema: { type: "string" } }],
          requestBody: { required: true, ...json(PatientContext, "input") },
          responses: { "200": { description: "Stored" }, ...errors },
        },
      },
      "/v1/fhir/Bundle": {
        post: {
          summary: "FHIR R4 intake: register a patient or start a consultation from a Bundle",
          description:
            "With a Communication carrying the clinician's question the Bundle becomes a consultation (202, as POST /v1/consultations); otherwise the patient is registered under Patient.id (201 new, 200 updated). `mode` forces one. Every error is an OperationOutcome. Accepted responses carry informational issues in `outcome`. Roles: clinician, admin (when API_TOKENS is set). Body limit 5 MiB.",
          parameters: [
            idemHeader,
            { name: "mode", in: "query", required: false, schema: { type: "string", enum: ["consultation", "registration"] } },
          ],
          requestBody: {
            required: true,
            content: { "application/fhir+json": { schema: fhirBundle }, "application/json": { schema: fhirBundle } },
          },
          responses: {
            "202": {
              description: "Consultation accepted",
              content: {
                "application/json": {
                  schema: { allOf: [js(Accepted), { type: "object", properties: { outcome: operationOutcome } }] },
                },
              },
            },
            "201": {
              description: "Patient registered",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: { ref: { type: "string" }, location: { type: "string" }, outcome: operationOutcome },
                  },
                },
              },
            },
            "200": { description: "Patient's context updated (same body as 201)" },
            "400": fhirError("Invalid Bundle, unknown resource type, more than one patient, or malformed JSON"),
            "401": fhirError("No or unknown API token"),
            "403": fhirError("A role other than clinician or admin"),
            "413": fhirError("Bundle larger than 5 MiB"),
            "415": fhirError("Not application/fhir+json or application/json"),
          },
        },
      },
      "/admin/queues": {
        get: {
          summary: "Queue dashboard (bull-board, read-only): pipeline and review-SLA jobs",
          description:
            "An HTML page for operators; its assets and JSON API live under /admin/queues/*. Admin role only (console session or bearer token); no session → redirect to /console/login.",
          responses: {
            "200": { description: "The dashboard", content: { "text/html": { schema: { type: "string" } } } },
            "303": { description: "Not signed in: redirect to the console login" },
            "401": { description: "Unknown API token", ...json(ErrorBody) },
            "403": { description: "Signed in, but not an admin", ...json(ErrorBody) },
          },
        },
      },
      "/healthz": { get: { summary: "Liveness", responses: { "200": { description: "Up" } } } },
      "/readyz": {
        get: {
          summary: "Readiness of Redis, SQL, Chroma and the model host",
          responses: { "200": { description: "Ready" }, "503": { description: "A dependency is down" } },
        },
      },
    },
  };
}

export function openApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Built once per app, on first request.
  let doc: Record<string, unknown> | null = null;
  app.get("/openapi.json", (c) => {
    doc ??= buildOpenApi();
    return c.json(doc);
  });
  return app;
}
