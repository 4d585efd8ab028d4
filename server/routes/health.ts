/** /healthz (the process is up) and /readyz (every dependency answers; 503 says which does not). */
import { Hono } from "hono";
import type { AppEnv } from "../services.js";

export function healthRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    const s = c.var.services;
    const entries = await Promise.all(
      Object.entries(s.readiness).map(async ([name, check]) => {
        const timeout = new Promise<{ ok: false; detail: string }>((r) => setTimeout(() => r({ ok: false, detail: "check timed out" }), 3_000).unref());
        const h = await Promise.race([check().catch((e: Error) => ({ ok: false, detail: e.message })), timeout]);
        return [name, h] as const;
      }),
    );
    const checks = Object.fromEntries(entries);
    const ok = entries.every(([, h]) => h.ok);
    return c.json({ ok, mode: s.mode, checks }, ok ? 200 : 503);
  });
  return app;
}
