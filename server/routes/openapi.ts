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
