/** GET /v1/consultations/:id and /v1/messages/:id: status, and when done the full result. */
import { Hono } from "hono";
import type { MessageKind } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { ID_PARAM } from "../http.js";
import type { AppEnv } from "../services.js";

export function resultRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handler = (kind: MessageKind) =>
    app.get(`/v1/${kind === "consultation" ? "consultations" : "messages"}/:id`, async (c) => {
      const s = c.var.services;
      const id = c.req.param("id");
      const message = ID_PARAM.test(id) ? await s.results.getMessage(id) : null;
      if (!message || message.kind !== kind) throw new AppError("NOT_FOUND", `no ${kind} with id ${id.slice(0, 120)}`);
      const result = await s.results.getResult(id);
      if (!result) {
        return c.json({ id, status: "queued" as const, mode: s.mode });
      }
      return c.json({ ...result, mode: s.mode });
    });
  handler("consultation");
  handler("message");
  return app;
}
