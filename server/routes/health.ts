/**
 * /healthz: the process is up. /readyz: every dependency answers (503 names the ones that do
 * not) — for dashboards and deploy checks. /readyz/intake: what a load balancer should route on:
 * intake only needs SQL (a message is stored before it is enqueued, and anything downstream that
 * is down makes the pipeline hold, not lose), so one shared outage never takes every server out.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../services.js";

export function healthRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ ok: true }));
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
  app.get("/readyz", (c) => run(c, null));
  app.get("/readyz/intake", (c) => run(c, ["sql"]));
  return app;
}
