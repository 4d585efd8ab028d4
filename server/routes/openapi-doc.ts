/**
 * The OpenAPI document, generated from the app's routes (hono-openapi walks `app.routes` and
 * reads the `describeRoute(...)` middleware each route carries). This module holds what the
 * routes share: the security schemes that match server/auth (bearer API tokens with roles,
 * console sessions with CSRF, Slack and WeChat signatures), error bodies, examples, and the
 * descriptions of the channel adapters' routes (bot/**), which are attached where app.ts
 * mounts them. The /v1 bearer security of a route is read from the token guard's own table
 * (server/auth/api-guard.ts), so the document says what the guard does.
 *
 * server/routes/openapi.int.test.ts walks every registered route of a full system and fails
 * when one is missing from the document.
 */
import type { Hono } from "hono";
import { type DescribeRouteOptions, describeRoute, generateSpecs, resolver } from "hono-openapi";
import type { OpenAPIV3_1 } from "openapi-types";
import { z } from "zod";
import { allowedRoles } from "../auth/api-guard.js";
import type { Role } from "../auth/credentials.js";
import { SESSION_COOKIE } from "../auth/session.js";
import type { AppEnv } from "../services.js";
import { Accepted, ErrorBody } from "./schemas.js";

export type RouteDoc = DescribeRouteOptions;
type Responses = NonNullable<DescribeRouteOptions["responses"]>;
type Operation = OpenAPIV3_1.OperationObject & { "x-roles"?: readonly string[] };

/** A JSON request body from a zod schema (the one the route validates with), with an example. */
export function jsonBody(schema: z.ZodType, example?: unknown): NonNullable<DescribeRouteOptions["requestBody"]> {
  return {
    required: true,
    content: {
      "application/json": {
        schema: resolver(schema) as unknown as OpenAPIV3_1.SchemaObject,
        ...(example === undefined ? {} : { example }),
      },
    },
  };
}

/** A JSON response from a zod schema, with an example. */
export function jsonResponse(description: string, schema: z.ZodType, example?: unknown): Responses[string] {
  return {
    description,
    content: { "application/json": { schema: resolver(schema), ...(example === undefined ? {} : { example }) } },
  };
}

const errorExample = (code: string, message: string) => ({ error: { code, message } });

/** The error body every route answers (server/http.ts errorResponse). */
export const errorResponse = (description: string, code = "BAD_REQUEST", message = description): Responses[string] =>
  jsonResponse(description, ErrorBody, errorExample(code, message));

/** The same, as a plain schema (for what is added after generation, when resolvers no longer resolve). */
const plainError = (description: string, code: string, message: string) => ({
  description,
  content: {
    "application/json": {
      schema: z.toJSONSchema(ErrorBody, { unrepresentable: "any" }),
      example: errorExample(code, message),
    },
  },
});

/** 400/413/415 of a route that reads a JSON body through readJson. */
export const bodyErrors: Responses = {
  400: errorResponse("Malformed JSON or invalid fields", "BAD_REQUEST", "invalid request: text: Required"),
  413: errorResponse("Body larger than BODY_LIMIT_BYTES", "PAYLOAD_TOO_LARGE", "body exceeds 65536 bytes"),
  415: errorResponse("Not application/json", "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json"),
};

export const rateLimited: Responses = {
  429: errorResponse("Rate limited (per token or sender); Retry-After says when to retry", "RATE_LIMITED", "too many requests"),
};

export const idParam = (name: string, description: string) => ({
  name,
  in: "path" as const,
  required: true,
  description,
  schema: { type: "string" as const, pattern: "^[A-Za-z0-9._:-]{1,120}$" },
});

export const idempotencyHeader = {
  name: "Idempotency-Key",
  in: "header" as const,
  required: false,
  description: "Resubmitting with the same key returns the first submission's id; no second job. 1-200 visible ASCII characters.",
  schema: { type: "string" as const, maxLength: 200 },
  example: "his-order-8812-q1",
};

/** The security schemes of the API, as server/auth and the channel adapters check them. */
export const SECURITY_SCHEMES: Record<string, OpenAPIV3_1.SecuritySchemeObject> = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description:
      "An API token from API_TOKENS (`name:role:sha256hex,…`; the server keeps only the SHA-256 of each token). Roles: patient, clinician, reviewer, admin; each operation lists the roles it admits in `x-roles`. Without API_TOKENS (the embedded development default, loopback only) the /v1 API is open. Repeated bad tokens lock the client address out for a while (429).",
  },
  consoleSession: {
    type: "apiKey",
    in: "cookie",
    name: SESSION_COOKIE,
    description:
      "A reviewer console session (POST /console/login), stored server-side and revocable. Unsafe methods with a session also need its CSRF token (header X-CSRF-Token or form field _csrf). Bearer tokens of the same roles are accepted instead and need no CSRF token.",
  },
  slackSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Slack-Signature",
    description:
      "Slack's request signature: `v0=` + HMAC-SHA256(SLACK_SIGNING_SECRET, `v0:{X-Slack-Request-Timestamp}:{raw body}`). Requests older than 5 minutes, or a signature seen before, are refused.",
  },
  wechatSignature: {
    type: "apiKey",
    in: "query",
    name: "signature",
    description:
      "WeChat's callback signature: SHA-1 of the sorted WECHAT_TOKEN, `timestamp` and `nonce` query parameters. In safe mode (WECHAT_AES_KEY) `msg_signature` also covers the encrypted body; plaintext callbacks are refused. A (timestamp, nonce) pair is accepted once.",
  },
};

/** Security of a route guarded by the console auth (server/auth/guard.ts). */
export function protectedRouteDoc(
  method: string,
  path: string,
  spec: { roles: readonly Role[]; kind: "page" | "api"; doc?: RouteDoc | undefined },
): RouteDoc {
  const page = spec.kind === "page";
  const responses: Responses = page
    ? method === "GET"
      ? {
          200: { description: "The page", content: { "text/html": { schema: { type: "string" } } } },
          303: { description: "Not signed in: redirect to /console/login?next=…" },
        }
      : { 303: { description: "Done: redirect to the page that shows the result" } }
    : {};
  return {
    tags: [page ? "Console" : "Review"],
    ...(spec.doc ?? PROTECTED_ROUTE_DOCS[`${method} ${path}`]),
    security: [{ consoleSession: [] }, { bearerAuth: [] }],
    "x-roles": [...spec.roles],
    responses: {
      ...responses,
      ...(spec.doc ?? PROTECTED_ROUTE_DOCS[`${method} ${path}`])?.responses,
      401: errorResponse("No session and no valid API token", "UNAUTHORIZED", "sign in or send a valid API token"),
      403: errorResponse(
        `A role other than ${spec.roles.join(", ")}, or a missing CSRF token`,
        "FORBIDDEN",
        `role patient may not ${method} ${path}`,
      ),
    },
  } as RouteDoc;
}

/**
 * The channel adapters' routes (bot/slack, bot/wechat) and the enrollment-code route
 * (server/conversations), described here because their modules belong to the adapters; app.ts attaches each to the route it mounts. A route that an adapter
 * adds without an entry here is caught by the completeness test.
 */
const slackEvent = (summary: string, description: string, contentType: string): RouteDoc => ({
  tags: ["Channels"],
  summary,
  description,
  security: [{ slackSignature: [] }],
  parameters: [
    { name: "X-Slack-Request-Timestamp", in: "header", required: true, schema: { type: "string" }, example: "1764650000" },
  ],
  requestBody: { required: true, content: { [contentType]: { schema: { type: "object" } } } },
  responses: {
    200: { description: "Acknowledged (within Slack's 3 s); the answer follows in the thread" },
    401: { description: "Bad or stale signature" },
  },
});

export const CHANNEL_ROUTE_DOCS: Record<string, RouteDoc> = {
  "POST /slack/events": slackEvent(
    "Slack Events API (app_mention, message.im, url_verification)",
    "Slack's Events API request URL (deploy/slack/manifest.yaml). A mention or DM becomes a consultation; the draft is posted in the thread.",
    "application/json",
  ),
  "POST /slack/commands": slackEvent(
    "Slack slash command /glyco",
    "The /glyco slash command: ask about a patient from any channel.",
    "application/x-www-form-urlencoded",
  ),
  "POST /slack/interactions": slackEvent(
    "Slack interactivity (review buttons and modals)",
    "Block Kit actions: approve, edit or reject a held draft in Slack (the reviewer must be a console user with that Slack id).",
    "application/x-www-form-urlencoded",
  ),
  "GET /wechat/callback": {
    tags: ["Channels"],
    summary: "WeChat URL verification",
    description:
      "The Official Account / WeCom server-URL check: answers `echostr` (decrypted in WeCom safe mode) when the signature verifies.",
    security: [{ wechatSignature: [] }],
    parameters: [
      { name: "timestamp", in: "query", required: true, schema: { type: "string" } },
      { name: "nonce", in: "query", required: true, schema: { type: "string" } },
      { name: "echostr", in: "query", required: true, schema: { type: "string" } },
      { name: "msg_signature", in: "query", required: false, schema: { type: "string" }, description: "safe mode" },
    ],
    responses: {
      200: { description: "echostr", content: { "text/plain": { schema: { type: "string" } } } },
      401: { description: "Bad signature or a replayed timestamp/nonce" },
    },
  },
  "POST /wechat/callback": {
    tags: ["Channels"],
    summary: "WeChat message callback (patients)",
    description:
      "A patient's message pushed by WeChat (XML; AES-encrypted in safe mode). Answered `success` at once; the reply goes out through the customer-service API.",
    security: [{ wechatSignature: [] }],
    parameters: [
      { name: "timestamp", in: "query", required: true, schema: { type: "string" } },
      { name: "nonce", in: "query", required: true, schema: { type: "string" } },
      { name: "encrypt_type", in: "query", required: false, schema: { type: "string", enum: ["aes"] } },
      { name: "msg_signature", in: "query", required: false, schema: { type: "string" } },
    ],
    requestBody: {
      required: true,
      content: {
        "text/xml": {
          schema: { type: "string" },
          example:
            "<xml><ToUserName>gh_1</ToUserName><FromUserName>o_patient</FromUserName><CreateTime>1764650000</CreateTime><MsgType>text</MsgType><Content>空腹血糖7.2正常吗</Content><MsgId>1</MsgId></xml>",
        },
      },
    },
    responses: {
      200: { description: "`success`", content: { "text/plain": { schema: { type: "string" } } } },
      400: { description: "Malformed XML, or plaintext in safe mode" },
      401: { description: "Bad signature or a replayed timestamp/nonce" },
      413: { description: "XML body too large" },
    },
  },
  "POST /v1/enrollment-codes": {
    tags: ["Patients"],
    summary: "Issue a single-use WeChat enrollment code for a registered patient",
    description: "The patient sends the code to the Official Account to link their WeChat account to their patient ref.",
    requestBody: {
      required: true,
      content: {
        "application/json": { schema: { type: "object", required: ["patientRef"] }, example: { patientRef: "pat-001" } },
      },
    },
    responses: {
      201: {
        description: "The code and when it expires",
        content: { "application/json": { example: { code: "K7QF-2M9D", expiresAt: "2026-12-05T06:00:00.000Z" } } },
      },
      404: errorResponse("Unknown patient", "UNKNOWN_PATIENT", "register the patient first (PUT /v1/patients/:ref)"),
      ...bodyErrors,
    },
  },
};

/**
 * Attach the descriptions of routes mounted from modules outside server/routes (channel
 * adapters, the console's open routes) to the routes `app` has; never invents a route.
 */
export function describeMountedRoutes(app: Hono<AppEnv>, routes: { method: string; path: string }[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    const doc = CHANNEL_ROUTE_DOCS[key] ?? CONSOLE_OPEN_DOCS[key];
    if (!doc || seen.has(key)) continue;
    seen.add(key);
    // Registered after the route's own handler, so it never runs; generateSpecs reads it from app.routes.
    app.on(r.method, r.path, describeRoute(doc));
  }
}

/** FHIR R4 OperationOutcome, as POST /v1/fhir/Bundle answers errors. */
/** FHIR R4 OperationOutcome, as POST /v1/fhir/Bundle answers errors (server/routes/fhir.ts). */
export const OPERATION_OUTCOME_SCHEMA: OpenAPIV3_1.SchemaObject = {
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
const fhirError = (description: string): Responses[string] => ({
  description,
  content: { "application/fhir+json": { schema: OPERATION_OUTCOME_SCHEMA } },
});
const FHIR_BUNDLE_SCHEMA: OpenAPIV3_1.SchemaObject = {
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

/** POST /v1/fhir/Bundle (server/routes/fhir.ts): FHIR R4 types are described as JSON Schema here. */
export const FHIR_BUNDLE_DOC: RouteDoc = {
  tags: ["FHIR"],
  summary: "FHIR R4 intake: register a patient or start a consultation from a Bundle",
  description:
    "With a Communication carrying the clinician's question the Bundle becomes a consultation (202, as POST /v1/consultations); otherwise the patient is registered under Patient.id (201 new, 200 updated). `mode` forces one. Every error is an OperationOutcome. Accepted responses carry informational issues in `outcome`. Body limit 5 MiB.",
  security: [{ bearerAuth: [] }],
  parameters: [
    idempotencyHeader,
    { name: "mode", in: "query", required: false, schema: { type: "string", enum: ["consultation", "registration"] } },
  ],
  requestBody: {
    required: true,
    content: {
      "application/fhir+json": {
        schema: FHIR_BUNDLE_SCHEMA,
        example: {
          resourceType: "Bundle",
          type: "collection",
          entry: [
            { resource: { resourceType: "Patient", id: "pat-001", birthDate: "1964-03-02", gender: "female" } },
            {
              resource: {
                resourceType: "Observation",
                status: "final",
                code: { coding: [{ system: "http://loinc.org", code: "4548-4", display: "Hemoglobin A1c" }] },
                valueQuantity: { value: 8.6, unit: "%" },
              },
            },
            {
              resource: {
                resourceType: "Communication",
                status: "completed",
                payload: [{ contentString: "How should we intensify treatment?" }],
              },
            },
          ],
        },
      },
      "application/json": { schema: FHIR_BUNDLE_SCHEMA },
    },
  },
  responses: {
    202: {
      description: "Consultation accepted",
      content: {
        "application/json": {
          schema: {
            allOf: [
              z.toJSONSchema(Accepted, { unrepresentable: "any" }),
              { type: "object", properties: { outcome: OPERATION_OUTCOME_SCHEMA } },
            ],
          },
        },
      },
    },
    201: {
      description: "Patient registered",
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: { ref: { type: "string" }, location: { type: "string" }, outcome: OPERATION_OUTCOME_SCHEMA },
          },
          example: { ref: "pat-001", location: "/v1/patients/pat-001", outcome: { resourceType: "OperationOutcome", issue: [] } },
        },
      },
    },
    200: { description: "Patient's context updated (same body as 201)" },
    400: fhirError("Invalid Bundle, unknown resource type, more than one patient, or malformed JSON"),
    401: fhirError("No or unknown API token"),
    403: fhirError("A role other than clinician or admin"),
    413: fhirError("Bundle larger than 5 MiB"),
    415: fhirError("Not application/fhir+json or application/json"),
  },
} as RouteDoc;

/**
 * The review API's and the console's routes (server/review/api.ts, server/console/routes.tsx),
 * described here so those modules stay as they are; the console auth's routes get their security
 * and roles from their own guard (protectedRouteDoc), the open console routes are attached where
 * they are mounted (describeMountedRoutes).
 */
const page = (summary: string, description?: string): RouteDoc => ({
  tags: ["Console"],
  summary,
  ...(description ? { description } : {}),
});
const review = (summary: string, description?: string): RouteDoc => ({
  tags: ["Review"],
  summary,
  ...(description ? { description } : {}),
});

export const PROTECTED_ROUTE_DOCS: Record<string, RouteDoc> = {
  "GET /v1/review/cases": review("The review queue", "Filters: urgency, status (or active / all), channel, rule, minAgeMs."),
  "GET /v1/review/cases/:id": review("One review case: draft, findings, rules fired, SLA deadline"),
  "POST /v1/review/cases/:id/actions": review(
    "Approve, edit or reject a held draft",
    "Body {action: approve|edit|reject, text?, reason?}; the same operation as the console and Slack buttons.",
  ),
  "POST /v1/review/cases/:id/triage": review("Correct the triage urgency and responder of a case"),
  "POST /v1/review/cases/:id/scores": review("Score a draft on the six rubric axes (1-5)"),
  "GET /v1/review/rubric": review("Rubric means per model and inter-rater agreement"),
  "POST /v1/admin/sessions/revoke": review("End every console session of a user (admin)"),
  "GET /v1/review/audit/verify": review("Verify the audit hash chain (admin)"),
  "GET /v1/conversations/:id": {
    tags: ["Messages"],
    summary: "A conversation's messages and results",
    description: "A patient token sees only its own conversation; another patient's is a 404.",
  },
  "POST /console/logout": page("Sign out"),
  "GET /console": page("The review queue page"),
  "GET /console/cases/:id": page("A case page: decision, draft and findings, decision buttons"),
  "POST /console/cases/:id/action": page("Approve, edit or reject a held draft (form)"),
  "POST /console/cases/:id/triage": page("Correct the triage urgency of a case (form)"),
  "POST /console/cases/:id/score": page("Score the draft on the rubric (form)"),
  "GET /console/rubric": page("Rubric scores and inter-rater agreement page"),
};

/** The console's open routes: its static assets and the sign-in form (server/console/routes.tsx). */
const CONSOLE_OPEN_DOCS: Record<string, RouteDoc> = {
  "GET /console/static/console.css": {
    tags: ["Console"],
    summary: "Console stylesheet",
    responses: { 200: { description: "text/css" } },
  },
  "GET /console/static/console.js": {
    tags: ["Console"],
    summary: "Console script (keyboard shortcuts)",
    responses: { 200: { description: "text/javascript" } },
  },
  "GET /console/login": {
    tags: ["Console"],
    summary: "The sign-in form",
    responses: { 200: { description: "The page", content: { "text/html": { schema: { type: "string" } } } } },
  },
  "POST /console/login": {
    tags: ["Console"],
    summary: "Sign in (form fields username, password, _csrf, next)",
    description:
      "Starts a server-side session (cookie gp_session: HttpOnly, SameSite=Strict, Secure off loopback). Bad passwords are throttled per account and per client address.",
    requestBody: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema: {
            type: "object",
            required: ["username", "password", "_csrf"],
            properties: {
              username: { type: "string" },
              password: { type: "string" },
              _csrf: { type: "string" },
              next: { type: "string" },
            },
          },
        },
      },
    },
    responses: {
      303: { description: "Signed in: redirect to `next` or /console" },
      401: { description: "Wrong username or password (the form again)" },
      429: { description: "Too many failed attempts: locked out for a while" },
    },
  },
};

export const DOCUMENT_INFO = {
  openapi: "3.1.0",
  info: {
    title: "GlycoPilot API",
    version: "0.1.0",
    description:
      "Diabetes care assistant. Clinicians ask about a patient (consultations, or a FHIR R4 Bundle from the HIS); patients send follow-up messages; every answer passes guardrails and may be held for a human reviewer. Submissions answer 202 with a location to poll. Generated from the server's routes; browse it at /docs.",
  },
  tags: [
    { name: "Consultations", description: "Clinician questions about a patient" },
    { name: "Messages", description: "Patient follow-up messages" },
    { name: "Patients", description: "Patient context, registration and erasure" },
    { name: "FHIR", description: "FHIR R4 intake for hospital information systems" },
    { name: "Review", description: "Review cases (JSON API for reviewers and admins)" },
    { name: "Console", description: "The reviewer console (HTML pages)" },
    { name: "Channels", description: "Slack and WeChat callbacks" },
    { name: "Operations", description: "Health, readiness, metrics, queues, this document" },
  ],
  components: { securitySchemes: SECURITY_SCHEMES },
};

/**
 * The document for `app`: every described route, with the /v1 bearer security of the routes
 * the token guard covers (and the roles it admits) filled in from that guard's table.
 */
export async function buildOpenApi(app: Hono<AppEnv>): Promise<OpenAPIV3_1.Document> {
  const doc = (await generateSpecs(app, {
    documentation: DOCUMENT_INFO as unknown as Partial<OpenAPIV3_1.Document>,
    excludeStaticFile: false,
    defaultValidationErrorResponse: false,
  })) as OpenAPIV3_1.Document;
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item ?? {}) as [string, Operation][]) {
      if (!op || typeof op !== "object") continue;
      // The guard matches path prefixes: a concrete path stands in for the template ({id} → x).
      const roles = allowedRoles(method.toUpperCase(), path.replace(/\{[^}]+\}/g, "x"));
      if (!roles) continue;
      op.security ??= [{ bearerAuth: [] }];
      op["x-roles"] ??= [...roles];
      const responses = (op.responses ?? {}) as Record<string, unknown>;
      responses["401"] ??= plainError(
        "No or unknown API token (when API_TOKENS is set)",
        "UNAUTHORIZED",
        "a valid API token is required",
      );
      responses["403"] ??= plainError(
        `A role other than ${roles.join(", ")}`,
        "FORBIDDEN",
        `role patient may not use ${method.toUpperCase()} ${path}`,
      );
      op.responses = responses as OpenAPIV3_1.ResponsesObject;
    }
  }
  return doc;
}
