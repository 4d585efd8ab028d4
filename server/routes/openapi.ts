/**
 * GET /openapi.json — the OpenAPI 3.1 document generated from the app's own routes
 * (server/routes/openapi-doc.ts) — and GET /docs, the Scalar API reference that renders it.
 * The document is built once, on first request, from the app these routes are mounted on.
 *
 * The Scalar viewer is a script the browser loads from a CDN (DOCS_SCRIPT_URL points it at a
 * hospital's own mirror). On a network that cannot reach it the page would be blank, so /docs also
 * carries a plain route index rendered on the server inside the viewer's mount point: the viewer
 * replaces it when it loads; without the script it is what the integrator reads.
 */
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../services.js";
import { buildOpenApi } from "./openapi-doc.js";

export function openApiRoutes(root: () => Hono<AppEnv>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let doc: Promise<unknown> | null = null;
  const document = () =>
    (doc ??= buildOpenApi(root()).catch((e) => {
      doc = null;
      throw e;
    }));
  app.get(
    "/openapi.json",
    describeRoute({
      tags: ["Operations"],
      summary: "This API's OpenAPI 3.1 document",
      description: "Generated from the server's routes at first request.",
      responses: { 200: { description: "The document", content: { "application/json": { schema: { type: "object" } } } } },
    }),
    async (c) => c.json(await document()),
  );
  app.get(
    "/docs",
    describeRoute({
      tags: ["Operations"],
      summary: "API reference (Scalar) for /openapi.json",
      description:
        "An HTML page; the browser loads the Scalar viewer script from its CDN (or DOCS_SCRIPT_URL). The page also holds a plain index of every route, shown when the script cannot be loaded.",
      responses: { 200: { description: "The reference page", content: { "text/html": { schema: { type: "string" } } } } },
    }),
    async (c, next) => {
      await next();
      if (c.res.status !== 200) return;
      const html = await c.res.text();
      const index = routeIndex((await document()) as OpenApiDoc, c.var.services.config.DOCS_SCRIPT_URL);
      c.res = c.html(html.replace('<div id="app"></div>', `<div id="app">${index}</div>`));
    },
    Scalar<AppEnv>((c) => {
      const cdn = c.var.services.config.DOCS_SCRIPT_URL;
      return { url: "/openapi.json", pageTitle: "GlycoPilot API reference", ...(cdn ? { cdn } : {}) };
    }),
  );
  return app;
}

interface OpenApiDoc {
  info?: { title?: string; version?: string };
  tags?: { name: string }[];
  paths?: Record<string, Record<string, { summary?: string; tags?: string[]; "x-roles"?: string[]; security?: unknown[] }>>;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const METHODS = ["get", "post", "put", "patch", "delete"];

/** Every operation of the document as a plain HTML table grouped by tag: method, path, summary, who may call it. */
function routeIndex(d: OpenApiDoc, cdn: string | undefined): string {
  const rows: { tag: string; method: string; path: string; summary: string; who: string }[] = [];
  for (const [path, ops] of Object.entries(d.paths ?? {}))
    for (const m of METHODS) {
      const op = ops[m];
      if (!op) continue;
      const who = op["x-roles"]?.join(", ") ?? (op.security?.length ? "authenticated" : "open");
      rows.push({ tag: op.tags?.[0] ?? "Other", method: m.toUpperCase(), path, summary: op.summary ?? "", who });
    }
  const declared = (d.tags ?? []).map((t) => t.name);
  const tags = [...new Set([...declared, ...rows.map((r) => r.tag)])].filter((t) => rows.some((r) => r.tag === t));
  const table = tags
    .map(
      (t) =>
        `<h2>${esc(t)}</h2><table><thead><tr><th>method</th><th>path</th><th>what</th><th>who</th></tr></thead><tbody>${rows
          .filter((r) => r.tag === t)
          .map(
            (r) =>
              `<tr><td><code>${r.method}</code></td><td><code>${esc(r.path)}</code></td><td>${esc(r.summary)}</td><td>${esc(r.who)}</td></tr>`,
          )
          .join("")}</tbody></table>`,
    )
    .join("");
  return `<main id="route-index" style="font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px">
<h1>${esc(d.info?.title ?? "API")} ${esc(d.info?.version ?? "")} — routes</h1>
<p>The interactive reference needs its viewer script from <code>${esc(cdn ?? "cdn.jsdelivr.net")}</code>; this plain index shows while it loads, or instead of it when this network cannot reach that address (set <code>DOCS_SCRIPT_URL</code> to a mirror). The machine-readable document: <a href="/openapi.json">/openapi.json</a>.</p>
<style>#route-index table{border-collapse:collapse;width:100%;margin-bottom:18px;table-layout:fixed}#route-index th:nth-child(1){width:5em}#route-index th:nth-child(2){width:30%}#route-index th:nth-child(4){width:22%}#route-index td,#route-index th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}</style>
${table}</main>`;
}
