/**
 * /healthz: the process is up. /readyz: every dependency answers (503 names the ones that do
 * not) — for dashboards and deploy checks. /readyz/intake: what a load balancer should route on:
 * intake only needs SQL (a message is stored before it is enqueued, and anything downstream that
 * is down makes the pipeline hold, not lose), so one shared outage never takes every server out.
 */
import { type Context, Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { AppEnv } from "../services.js";

export function healthRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const ready = (summary: string, description: string) =>
    describeRoute({
      tags: ["Operations"],
      summary,
      description,
      responses: {
        200: {
          description: "Ready",
          content: {
            "application/json": {
              example: { ok: true, mode: "case-based", checks: { sql: { ok: true, detail: "pglite" } } },
            },
          },
        },
        503: { description: "A dependency is down (each check says which)" },
      },
    });
  app.get(
    "/healthz",
    describeRoute({
      tags: ["Operations"],
      summary: "Liveness",
      responses: { 200: { description: "Up", content: { "application/json": { example: { ok: true } } } } },
    }),
    (c) => c.json({ ok: true }),
  );
  const run = async (c: Context<AppEnv>, names: string[] | null) => {
    const s = c.var.services;
    const entries = await Promise.all(
      Object.entries(s.readiness)
        .filter(([name]) => names === null || names.includes(name))
        .map(async ([name, check]) => {
          const timeout = new Promise<{ ok: false; detail: string }>((r) =>
            setTimeout(() => r({ ok: false, detail: "check timed out" }), 3_000).unref(),
          );
          const h = await Promise.race([check().catch((e: Error) => ({ ok: false, detail: e.message })), timeout]);
          return [name, h] as const;
        }),
    );
    const checks = Object.fromEntries(entries);
    const ok = entries.every(([, h]) => h.ok);
    return c.json({ ok, mode: s.mode, checks }, ok ? 200 : 503);
  };
  app.get("/readyz", ready("Readiness of Redis, SQL, Chroma and the model host", "For dashboards and deploy checks."), (c) =>
    run(c, null),
  );
  app.get(
    "/readyz/intake",
    ready("Readiness for intake (SQL only)", "What a load balancer should route on: intake needs only SQL."),
    (c) => run(c, ["sql"]),
  );
  return app;
}
