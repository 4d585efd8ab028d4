/**
 * /openapi.json is generated from the app's routes: on a full system (Slack and WeChat adapters,
 * the review console with users, the queue dashboard) every registered route — walked from
 * app.routes — is in the document with a summary, every guarded route carries the security its
 * guard enforces, and /docs serves the Scalar reference pointing at the document.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackPlugin } from "../../bot/slack/index.js";
import { wechatPlugin } from "../../bot/wechat/index.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { allowedRoles } from "../auth/api-guard.js";
import { sha256Hex } from "../auth/credentials.js";
import type { System } from "../main.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  "x-roles"?: string[];
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> };
}
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

let sys: System;
let doc: Doc;
beforeAll(async () => {
  sys = await buildTestSystem(
    {
      API_TOKENS: `ops:admin:${sha256Hex("openapi-admin-token-0123456789")}`,
      USERS_FILE: join(ROOT, "deploy/users.example.json"),
      SESSION_SECRET: "openapi-test-session-secret-0123456789abcdef",
      DOCS_SCRIPT_URL: "https://mirror.hospital.example/scalar/standalone.js",
    },
    {
      worker: false,
      plugins: [
        // Web API calls would go nowhere (discard port); none is made here.
        slackPlugin({
          signingSecret: "openapi-slack-secret",
          botToken: "xoxb-openapi",
          apiUrl: "http://127.0.0.1:9/api/",
          botUserId: "UBOT",
        }),
        wechatPlugin({
          token: "openapi-wx-token",
          appId: "wxopenapi",
          appSecret: "wxopenapisecret",
          apiUrl: "http://127.0.0.1:9",
        }),
      ],
    },
  );
  const res = await sys.app.request("/openapi.json");
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(async () => sys?.stop());

/** Hono's path → OpenAPI's: /v1/x/:id → /v1/x/{id}. */
const openApiPath = (p: string) => p.replace(/:([A-Za-z_]\w*)(\{[^}]*\})?\??/g, "{$1}");

/** Every route a request can reach (app.use middleware is registered as method ALL). */
function registeredRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of sys.app.routes) {
    if (r.method === "ALL") continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

describe("the OpenAPI document", () => {
  it("lists every registered route (walked from app.routes), each with a summary", () => {
    const routes = registeredRoutes();
    // The system really has the routes this test is about.
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    for (const k of ["POST /slack/events", "POST /wechat/callback", "GET /console/cases/:id", "GET /admin/queues", "GET /docs"])
      expect(keys).toContain(k);
    const missing: string[] = [];
    for (const r of routes) {
      // A wildcard (the dashboard's assets) is documented by the route it serves under.
      const path = openApiPath(r.path.endsWith("/*") ? r.path.slice(0, -2) : r.path);
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      if (!op?.summary) missing.push(`${r.method} ${r.path}`);
    }
    expect(missing).toEqual([]);
  });

  it("documents no route that does not exist", () => {
    const routes = new Set(registeredRoutes().map((r) => `${r.method} ${openApiPath(r.path)}`));
    const extra = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .map((m) => `${m.toUpperCase()} ${path}`)
        .filter((k) => !routes.has(k)),
    );
    expect(extra).toEqual([]);
  });

  it("declares the security schemes server/auth and the channels check", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      "bearerAuth",
      "consoleSession",
      "slackSignature",
      "wechatSignature",
    ]);
  });

  it("gives every /v1 route the token guard covers bearer security and the guard's roles", () => {
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const roles = allowedRoles(method.toUpperCase(), path.replace(/\{[^}]+\}/g, "x"));
        if (!roles) continue;
        checked++;
        expect(op.security, `${method} ${path}`).toContainEqual({ bearerAuth: [] });
        expect(op["x-roles"], `${method} ${path}`).toEqual([...roles]);
        expect(Object.keys(op.responses ?? {})).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it("gives console and review routes session-or-token security with their guard's roles", () => {
    const reviewCase = doc.paths["/v1/review/cases/{id}"]?.get;
    expect(reviewCase?.security).toEqual([{ consoleSession: [] }, { bearerAuth: [] }]);
    expect(reviewCase?.["x-roles"]).toEqual(["reviewer", "admin"]);
    expect(doc.paths["/admin/queues"]?.get?.["x-roles"]).toEqual(["admin"]);
    expect(doc.paths["/slack/events"]?.post?.security).toEqual([{ slackSignature: [] }]);
    expect(doc.paths["/wechat/callback"]?.post?.security).toEqual([{ wechatSignature: [] }]);
  });

  it("describes request bodies from the validating zod schemas, with examples", () => {
    const body = doc.paths["/v1/messages"]?.post?.requestBody?.content?.["application/json"];
    expect(body?.schema).toMatchObject({
      type: "object",
      properties: { text: { type: "string", maxLength: 4000 }, patientRef: { type: "string" } },
    });
    expect(body?.example).toMatchObject({ patientRef: expect.any(String), text: expect.any(String) });
    const consultation = doc.paths["/v1/consultations"]?.post?.requestBody?.content?.["application/json"];
    expect(consultation?.schema).toMatchObject({ properties: { labs: { type: "array" } } });
  });

  it("/docs serves the Scalar API reference for /openapi.json", async () => {
    const res = await sys.app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    // The viewer script comes from DOCS_SCRIPT_URL (a hospital mirror) when set.
    expect(html).toContain('<script src="https://mirror.hospital.example/scalar/standalone.js"');
    expect(html).toContain("Scalar.createApiReference('#app'");
  });

  it("/docs carries a plain index of every operation inside the viewer's mount point (readable offline)", async () => {
    const html = await (await sys.app.request("/docs")).text();
    const mount = html.slice(html.indexOf('<div id="app">'), html.indexOf("</main></div>"));
    expect(mount).toContain('<main id="route-index"');
    let ops = 0;
    for (const [path, methods] of Object.entries(doc.paths))
      for (const m of Object.keys(methods)) {
        ops++;
        expect(mount, `${m} ${path}`).toContain(`<td><code>${m.toUpperCase()}</code></td><td><code>${path}</code></td>`);
      }
    expect(ops).toBeGreaterThan(30);
    // Who may call a guarded route is shown (the roles its guard admits).
    expect(mount).toMatch(
      /<td><code>POST<\/code><\/td><td><code>\/v1\/admin\/erasures<\/code><\/td><td>[^<]*<\/td><td>admin<\/td>/,
    );
  });
});
