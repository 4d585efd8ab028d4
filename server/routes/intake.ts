/**
 * POST /v1/consultations and POST /v1/messages: validate, store durably (idempotent on the
 * Idempotency-Key header), enqueue with the pre-check's urgency as priority, answer 202.
 * An emergency patient message also gets the fixed safety-net text in the 202 itself.
 * The shared accept logic is server/submit.ts.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { InboundMessage } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { detectLang } from "../../guardrails/index.js";
import type { Principal } from "../auth/credentials.js";
import { claimConversation } from "../auth/ownership.js";
import { readJson } from "../http.js";
import { enforceRate } from "../observability/rate-limit.js";
import type { AppEnv, Services } from "../services.js";
import { safetyNetForUnlinked, submitMessage } from "../submit.js";
import { ACCEPTED_EXAMPLE, CONSULTATION_EXAMPLE, MESSAGE_EXAMPLE } from "./examples.js";
import { bodyErrors, errorResponse, idempotencyHeader, jsonBody, jsonResponse, rateLimited } from "./openapi-doc.js";
import { Accepted, ConsultationRequest, MessageRequest } from "./schemas.js";

const KEY_RE = /^[\x21-\x7e]{1,200}$/;

function idempotencyKey(header: string | undefined, fallback: string): string {
  if (header === undefined) return fallback;
  if (!KEY_RE.test(header)) throw new AppError("BAD_REQUEST", "Idempotency-Key must be 1-200 visible ASCII characters");
  return header;
}

async function submit(s: Services, message: InboundMessage, location: string) {
  const out = await submitMessage(s, message);
  return { ...out, location: `${location}/${out.id}` };
}

export function intakeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post(
    "/v1/consultations",
    describeRoute({
      tags: ["Consultations"],
      summary: "Ask about a patient (clinician)",
      description:
        "The patient's context and the clinician's question. Stored, triaged and queued; poll the `location` for the draft.",
      parameters: [idempotencyHeader],
      requestBody: jsonBody(ConsultationRequest, CONSULTATION_EXAMPLE),
      responses: {
        202: jsonResponse("Accepted", Accepted, { ...ACCEPTED_EXAMPLE, location: `/v1/consultations/${ACCEPTED_EXAMPLE.id}` }),
        ...bodyErrors,
        ...rateLimited,
      },
    }),
    async (c) => {
      const s = c.var.services;
      const body = await readJson(c, ConsultationRequest);
      if (body.clinicianRef)
        await enforceRate(s.rateLimiter, "sender", `clinician:${body.clinicianRef}`, s.config.RATE_LIMIT_SENDER_PER_MIN);
      const id = randomUUID();
      const { question, patientRef, clinicianRef, conversationId, lang, ...patient } = body;
      const text = question ?? [body.chiefComplaint, body.presentIllness].filter(Boolean).join("\n");
      const message: InboundMessage = {
        id,
        kind: "consultation",
        channel: "http",
        conversationId: conversationId ?? id,
        sender: { role: "clinician", ref: clinicianRef ?? "api" },
        text,
        lang: lang ?? detectLang(`${text}\n${body.chiefComplaint ?? ""}`),
        receivedAt: s.clock().toISOString(),
        idempotencyKey: idempotencyKey(c.req.header("idempotency-key"), id),
        patient: { ...patient, ...(patientRef ? { ref: patientRef } : {}) },
        traceId: c.var.requestId,
      };
      const out = await submit(s, message, "/v1/consultations");
      c.header("Location", out.location);
      return c.json(out, 202);
    },
  );

  app.post(
    "/v1/messages",
    describeRoute({
      tags: ["Messages"],
      summary: "A patient's follow-up message",
      description:
        "For a registered patient (PUT /v1/patients/{ref}). An emergency gets the fixed safety-net text in the 202 itself (`safetyNet`) — and, from a patientRef with no record, in the 404 (`error.details.safetyNet`). A patient token may only send as its own patient; a conversation id belongs to the patient who used it first.",
      parameters: [idempotencyHeader],
      requestBody: jsonBody(MessageRequest, MESSAGE_EXAMPLE),
      responses: {
        202: jsonResponse("Accepted", Accepted, ACCEPTED_EXAMPLE),
        404: errorResponse("Unknown patient", "UNKNOWN_PATIENT", "no patient is registered under this patientRef"),
        ...bodyErrors,
        ...rateLimited,
      },
    }),
    async (c) => {
      const s = c.var.services;
      const body = await readJson(c, MessageRequest);
      // A patient token speaks only for its own patient ref.
      const principal = (c.var as { principal?: Principal }).principal;
      if (principal?.role === "patient" && principal.name !== body.patientRef) {
        s.log.debug({ event: "ownership.refused", route: "POST /v1/messages", reason: "patient-ref" }, "refused");
        throw new AppError("FORBIDDEN", "a patient token may only send messages as its own patient");
      }
      await enforceRate(s.rateLimiter, "sender", `patient:${body.patientRef}`, s.config.RATE_LIMIT_SENDER_PER_MIN);
      if (!(await s.results.getPatient(body.patientRef))) {
        // Nothing is stored for an unknown patient, but an emergency is never met with an
        // error alone: the refusal carries the same safety net a registered patient would get.
        const safetyNet = safetyNetForUnlinked(s, body.text);
        if (safetyNet) {
          await s.audit.append({
            kind: "unknown-patient-emergency",
            caseId: `patient:${body.patientRef.slice(0, 200)}`,
            traceId: c.var.requestId,
            payload: { route: "POST /v1/messages", flags: safetyNet.flags },
          });
        }
        throw new AppError(
          "UNKNOWN_PATIENT",
          "no patient is registered under this patientRef; link the patient first (PUT /v1/patients/:ref)",
          safetyNet ? { details: { safetyNet: safetyNet.text } } : {},
        );
      }
      // The conversation id is bound to its patient at first use; nobody else may write into it.
      const claim = await claimConversation(s.db, body.conversationId, body.patientRef);
      if (claim === "taken") {
        s.log.debug({ event: "ownership.refused", route: "POST /v1/messages", reason: "conversation-taken" }, "refused");
        await s.audit.append({
          kind: "access-refused",
          caseId: `conversation:${body.conversationId.slice(0, 200)}`,
          traceId: c.var.requestId,
          payload: { route: "POST /v1/messages", reason: "conversation-bound-to-another-patient", via: principal?.via ?? "open" },
        });
        throw new AppError("FORBIDDEN", "this conversation id belongs to another patient; start a new conversation id");
      }
      const id = randomUUID();
      const message: InboundMessage = {
        id,
        kind: "message",
        channel: "http",
        conversationId: body.conversationId,
        sender: { role: "patient", ref: body.patientRef },
        text: body.text,
        lang: body.lang ?? detectLang(body.text),
        receivedAt: s.clock().toISOString(),
        idempotencyKey: idempotencyKey(c.req.header("idempotency-key"), id),
        traceId: c.var.requestId,
      };
      const out = await submit(s, message, "/v1/messages");
      c.header("Location", out.location);
      return c.json(out, 202);
    },
  );

  return app;
}
