/**
 * createApp(services): the Hono app. Request ids, body limits on every route, one error
 * mapping, and the route groups. The same app object serves Node and the edge entry.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { describeRoute } from "hono-openapi";
import { AppError } from "../core/errors.js";
import { apiTokenGuard } from "./auth/api-guard.js";
import { clientAddress, trustedProxiesFor } from "./auth/client-address.js";
import { errorResponse } from "./http.js";
import { enforceRate } from "./observability/rate-limit.js";
import { activeTraceId } from "./observability/tracing.js";
import { adminEraseRoutes } from "./routes/admin-erase.js";
import { errorOutcome, FHIR_BUNDLE_PATH, fhirRoutes } from "./routes/fhir.js";
import { healthRoutes } from "./routes/health.js";
import { intakeRoutes } from "./routes/intake.js";
import { openApiRoutes } from "./routes/openapi.js";
import { describeMountedRoutes } from "./routes/openapi-doc.js";
import { pathGuard } from "./routes/path-guard.js";
import { patientRoutes } from "./routes/patients.js";
import { resultRoutes } from "./routes/results.js";
import type { AppEnv, Services } from "./services.js";

export interface AppExtensions {
  /** Route groups mounted at "/" after the core API (channel adapters' endpoints — plain Hono, they read no services — and the review console). */
  routes?: Array<Hono<AppEnv> | Hono>;
}

/** Paths served without an HTTP server span. */
const UNTRACED: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/readyz/intake", "/metrics"]);

export function createApp(services: Services, ext: AppExtensions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Per-request middleware, kept to what every request needs (evals/bench/http-mw.ts measures it
  // against a bare Hono app). First the HTTP server span (@hono/otel, continuing the caller's W3C
  // trace); its trace id is the request id, carried into the audit trail and, through the queue,
  // into the worker's spans.
  // Probes (liveness, readiness, the metrics scrape) are not traced: a load balancer's checks
  // every few seconds would fill the traces, and the span (@hono/otel) costs more CPU than the
  // answer itself (evals/bench/http-mw.ts). They still get a request id. Every other route is traced.
  const traced = services.tracing.httpMiddleware();
  app.use("*", function traceRequest(c, next) {
    return UNTRACED.has(c.req.path) ? next() : traced(c, next);
  });
  const debug = services.log.isLevelEnabled("debug");
  app.use("*", async function requestContext(c, next) {
    c.set("services", services);
    c.set("requestId", activeTraceId() ?? randomUUID().replaceAll("-", ""));
    const t0 = debug ? performance.now() : 0;
    // Set before the handler, so c.json/c.body write it into the response they build. Setting a
    // header after the response exists makes Hono rebuild it from its body stream, which
    // @hono/node-server then has to pipe instead of writing its cached string: that alone made
    // /healthz 0.3× a bare Hono app. A handler returning its own `new Response` gets it after.
    c.header("X-Request-Id", c.var.requestId);
    await next();
    if (!c.res.headers.has("x-request-id")) c.header("X-Request-Id", c.var.requestId);
    const route = c.req.routePath;
    // Debug: the request's route and outcome, keyed by the request id (= the trace id in the audit trail).
    if (debug)
      services.log.debug(
        {
          event: "http.request",
          requestId: c.var.requestId,
          method: c.req.method,
          route,
          status: c.res.status,
          ms: Math.round(performance.now() - t0),
        },
        "http request",
      );
    services.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
  });
  app.use("*", pathGuard());
  // Body limit on every request that can carry a body. FHIR Bundles are larger than API bodies:
  // that route has its own limit (server/routes/fhir.ts).
  const limit = bodyLimit({
    maxSize: services.config.BODY_LIMIT_BYTES,
    onError: (c) => errorResponse(c, new AppError("PAYLOAD_TOO_LARGE", `body exceeds ${services.config.BODY_LIMIT_BYTES} bytes`)),
  });
  app.use("*", function limitBody(c, next) {
    const m = c.req.method;
    if (m === "GET" || m === "HEAD" || m === "OPTIONS" || c.req.path === FHIR_BUNDLE_PATH) return next();
    return limit(c, next);
  });
  app.use("/v1/*", apiTokenGuard(services.config.API_TOKENS));
  // Per-token limit on the API (the bearer token's hash, else the client address — taken from
  // X-Forwarded-For only behind a trusted proxy).
  const trusted = trustedProxiesFor(services.config.TRUSTED_PROXIES);
  app.use("/v1/*", async (c, next) => {
    const auth = c.req.header("authorization");
    const who = auth ?? `addr:${clientAddress(c, trusted) ?? "unknown"}`;
    await enforceRate(services.rateLimiter, "token", who, services.config.RATE_LIMIT_TOKEN_PER_MIN);
    await next();
  });
  app.get(
    "/metrics",
    describeRoute({
      tags: ["Operations"],
      summary: "Prometheus metrics",
      description:
        "Pipeline step times, decisions, escalations, model latency and errors, HTTP requests, rate limiting, queue depth.",
      responses: { 200: { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } } },
    }),
    async (c) => {
      c.header("content-type", services.metrics.registry.contentType);
      return c.body(await services.metrics.registry.metrics());
    },
  );
  app.onError((err, c) => {
    const e = err instanceof AppError ? err : null;
    if (e?.code === "RATE_LIMITED") {
      services.metrics.rateLimited.inc({ scope: String((e.details as { scope?: string } | undefined)?.scope ?? "unknown") });
    }
    if (!e) services.log.error({ err: err.message, path: c.req.path }, "unhandled error");
    // FHIR clients read errors as OperationOutcome, also when the shared /v1 guard refused them.
    if (c.req.path.startsWith(FHIR_BUNDLE_PATH)) return errorOutcome(c, err);
    return errorResponse(c, err);
  });
  app.notFound((c) => errorResponse(c, new AppError("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`)));
  app.route("/", healthRoutes());
  app.route(
    "/",
    openApiRoutes(() => app),
  );
  app.route("/", intakeRoutes());
  app.route("/", resultRoutes());
  app.route("/", patientRoutes());
  app.route("/", adminEraseRoutes());
  app.route("/", fhirRoutes());
  for (const r of ext.routes ?? []) {
    // A channel adapter's routes are plain Hono (they read no services): mounted the same way.
    app.route("/", r as Hono<AppEnv>);
    // Channel adapters' and the console's open routes are described in openapi-doc.ts: attach it.
    describeMountedRoutes(app, r.routes);
  }
  return app;
}
