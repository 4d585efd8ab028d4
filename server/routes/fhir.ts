/**
 * POST /v1/fhir/Bundle — FHIR R4 intake over HTTP, for a hospital information system.
 *
 * A transaction or collection Bundle describing one patient is validated (rag/fhir-validate.ts),
 * mapped to a PatientContext (rag/fhir.ts: LOINC codes, unit normalization, active conditions
 * and medications), then either
 *   - a consultation, when the Bundle carries a Communication whose payload.contentString is the
 *     clinician's question → 202 {id, location: /v1/consultations/:id} (same pipeline as
 *     POST /v1/consultations), or
 *   - the patient's registration otherwise → 201 (new) / 200 (updated) {ref, location: /v1/patients/:ref},
 *     the ref being Patient.id.
 * `?mode=consultation|registration` forces one. Every error answers a FHIR OperationOutcome
 * (application/fhir+json) with the HTTP status of our error code; accepted Bundles carry the
 * informational issues (entries not used) in `outcome`.
 *
 * Access: /v1/fhir is not in the /v1 token guard's table, so this route guards itself with the
 * same API_TOKENS: clinicians and admins (like /v1/consultations and /v1/patients).
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describeRoute } from "hono-openapi";
import type { InboundMessage } from "../../core/domain.js";
import { AppError, toAppError } from "../../core/errors.js";
import { detectLang } from "../../guardrails/index.js";
import { patientFromFhirBundle } from "../../rag/fhir.js";
import { type OperationOutcome, type OutcomeIssue, operationOutcome, validateBundle } from "../../rag/fhir-validate.js";
import { matchToken, parseApiTokens, type Role, type TokenEntry } from "../auth/credentials.js";
import { findInvalidText, ID_PARAM } from "../http.js";
import { enforceRate } from "../observability/rate-limit.js";
import type { AppEnv, Services } from "../services.js";
import { submitMessage } from "../submit.js";
import { FHIR_BUNDLE_DOC } from "./openapi-doc.js";

export const FHIR_BUNDLE_PATH = "/v1/fhir/Bundle";
const ROLES: readonly Role[] = ["clinician", "admin"];
const KEY_RE = /^[\x21-\x7e]{1,200}$/;

export interface FhirRouteOptions {
  /**
   * Largest Bundle accepted. A year of one patient's record from an HIS is hundreds of KB, so
   * this route has its own limit instead of the API's BODY_LIMIT_BYTES. @defaultValue 5 MiB
   */
  maxBytes?: number;
}

const FHIR_JSON = "application/fhir+json; charset=utf-8";

const ISSUE_CODE: Partial<Record<AppError["code"], string>> = {
  BAD_REQUEST: "invalid",
  INVALID_JSON: "structure",
  PAYLOAD_TOO_LARGE: "too-costly",
  UNSUPPORTED_MEDIA_TYPE: "not-supported",
  UNAUTHORIZED: "login",
  FORBIDDEN: "forbidden",
  RATE_LIMITED: "throttled",
  DEPENDENCY_UNAVAILABLE: "transient",
};

function outcomeResponse(c: Context, status: number, outcome: OperationOutcome): Response {
  return c.body(JSON.stringify(outcome), status as ContentfulStatusCode, { "content-type": FHIR_JSON });
}

/** Our error codes → an OperationOutcome with the same HTTP status; internal errors say nothing more. */
export function errorOutcome(c: Context, e: unknown, issues?: OutcomeIssue[]): Response {
  const err = toAppError(e);
  const retry = (err.details as { retryAfterS?: number } | undefined)?.retryAfterS;
  if (err.code === "RATE_LIMITED" && retry) c.header("Retry-After", String(retry));
  const list = issues ?? [
    { severity: err.status >= 500 ? "fatal" : "error", code: ISSUE_CODE[err.code] ?? "exception", diagnostics: err.message },
  ];
  return outcomeResponse(c, err.status, operationOutcome(list));
}

const tokenCache = new WeakMap<Services, TokenEntry[]>();

function authorize(c: Context<AppEnv>): void {
  const s = c.var.services;
  let entries = tokenCache.get(s);
  if (!entries) {
    entries = parseApiTokens(s.config.API_TOKENS);
    tokenCache.set(s, entries);
  }
  if (entries.length === 0) return; // open API: the embedded development default (the server says so at start)
  const m = (c.req.header("authorization") ?? "").match(/^Bearer\s+(\S+)$/i);
  const principal = m?.[1] ? matchToken(entries, m[1]) : null;
  if (!principal) throw new AppError("UNAUTHORIZED", "a valid API token is required (Authorization: Bearer …)");
  if (!ROLES.includes(principal.role)) throw new AppError("FORBIDDEN", `role ${principal.role} may not post FHIR Bundles`);
  (c as Context<AppEnv & { Variables: { fhirCaller?: string } }>).set("fhirCaller", principal.name);
}

async function readBundle(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(fhir\+)?json\b/i.test(type))
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the Bundle as application/fhir+json (or application/json)");
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("INVALID_JSON", `the body is not valid JSON: ${(e as Error).message}`);
  }
  const bad = findInvalidText(raw);
  if (bad !== null)
    throw new AppError("BAD_REQUEST", `invalid text (NUL, an unpaired surrogate or too deep nesting) in ${bad || "(body)"}`);
  return raw;
}

export function fhirRoutes(opts: FhirRouteOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  app.post(
    FHIR_BUNDLE_PATH,
    describeRoute(FHIR_BUNDLE_DOC),
    bodyLimit({
      maxSize: maxBytes,
      onError: (c) => errorOutcome(c, new AppError("PAYLOAD_TOO_LARGE", `the Bundle exceeds ${maxBytes} bytes`)),
    }),
    async (c) => {
      try {
        return await handle(c);
      } catch (e) {
        const err = toAppError(e);
        if (err.code === "INTERNAL")
          c.var.services.log.error({ err: (e as Error)?.message, path: c.req.path }, "FHIR intake failed");
        return errorOutcome(c, err);
      }
    },
  );
  return app;
}

async function handle(c: Context<AppEnv>): Promise<Response> {
  const s = c.var.services;
  authorize(c);
  const mode = c.req.query("mode");
  if (mode !== undefined && mode !== "consultation" && mode !== "registration")
    throw new AppError("BAD_REQUEST", "mode must be consultation or registration");
  const raw = await readBundle(c);
  const check = validateBundle(raw);
  if (!check.ok) {
    const errors = check.issues.filter((i) => i.severity === "error" || i.severity === "fatal");
    return errorOutcome(c, new AppError("BAD_REQUEST", "invalid Bundle"), errors);
  }
  const notes = operationOutcome(check.issues);
  let context: ReturnType<typeof patientFromFhirBundle>;
  try {
    context = patientFromFhirBundle(raw, { now: s.clock() });
  } catch (e) {
    // The mapped context breaks one of PatientContext's limits (e.g. more than 60 active medications).
    if (e instanceof AppError) throw e;
    const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    throw new AppError(
      "BAD_REQUEST",
      issues
        ? `the Bundle maps to an invalid patient context: ${issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`
        : "the Bundle could not be mapped to a patient context",
    );
  }

  const asConsultation = mode === "consultation" || (mode === undefined && check.question !== undefined);
  if (asConsultation) {
    if (!check.question)
      throw new AppError(
        "BAD_REQUEST",
        "a consultation needs the clinician's question: add a Communication with payload.contentString",
      );
    const caller = (c.var as { fhirCaller?: string }).fhirCaller;
    if (caller) await enforceRate(s.rateLimiter, "sender", `clinician:${caller}`, s.config.RATE_LIMIT_SENDER_PER_MIN);
    const id = randomUUID();
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !KEY_RE.test(key))
      throw new AppError("BAD_REQUEST", "Idempotency-Key must be 1-200 visible ASCII characters");
    const { ref, ...patient } = context;
    const message: InboundMessage = {
      id,
      kind: "consultation",
      channel: "http",
      conversationId: id,
      sender: { role: "clinician", ref: caller ?? "api" },
      text: check.question,
      lang: detectLang(check.question),
      receivedAt: s.clock().toISOString(),
      idempotencyKey: key ?? id,
      patient: { ...patient, ...(ref && ID_PARAM.test(ref) ? { ref } : {}) },
      traceId: c.var.requestId,
    };
    const out = await submitMessage(s, message);
    const location = `/v1/consultations/${out.id}`;
    c.header("Location", location);
    return c.json({ ...out, location, outcome: notes }, 202);
  }

  const ref = check.patientId;
  if (!ref || !ID_PARAM.test(ref))
    throw new AppError("BAD_REQUEST", "registration needs Patient.id (it becomes the patient ref)");
  const existed = (await s.results.getPatient(ref)) !== null;
  await s.results.putPatient(ref, { ...context, ref });
  await s.audit.append({
    kind: "patient-registered",
    caseId: `patient:${ref}`,
    payload: {
      fields: Object.keys(context),
      source: "fhir-bundle",
      labs: context.labs.length,
      medications: context.medications.length,
    },
  });
  const location = `/v1/patients/${ref}`;
  c.header("Location", location);
  return c.json({ ref, location, outcome: notes }, existed ? 200 : 201);
}
