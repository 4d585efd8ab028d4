/**
 * GET /openapi.json — the OpenAPI 3.1 document generated from the app's own routes
 * (server/routes/openapi-doc.ts) — and GET /docs, the Scalar API reference that renders it.
 * The document is built once, on first request, from the app these routes are mounted on.
 */
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../services.js";
import { buildOpenApi } from "./openapi-doc.js";

export function openApiRoutes(root: () => Hono<AppEnv>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let doc: Promise<unknown> | null = null;
  app.get(
    "/openapi.json",
    describeRoute({
      tags: ["Operations"],
      summary: "This API's OpenAPI 3.1 document",
      description: "Generated from the server's routes at first request.",
      responses: { 200: { description: "The document", content: { "application/json": { schema: { type: "object" } } } } },
    }),
    async (c) => {
      doc ??= buildOpenApi(root()).catch((e) => {
        doc = null;
        throw e;
      });
      return c.json(await doc);
    },
  );
  app.get(
    "/docs",
    describeRoute({
      tags: ["Operations"],
      summary: "API reference (Scalar) for /openapi.json",
      description: "An HTML page; the browser loads the Scalar viewer script from its CDN.",
      responses: { 200: { description: "The reference page", content: { "text/html": { schema: { type: "string" } } } } },
    }),
    Scalar({ url: "/openapi.json", pageTitle: "GlycoPilot API reference" }),
  );
  return app;
}
