/** GET /v1/consultations/:id and /v1/messages/:id: status, and when done the full result. */
import { Hono } from "hono";
import type { MessageKind } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { Principal } from "../auth/credentials.js";
import { mayReadMessage } from "../auth/ownership.js";
import { ID_PARAM } from "../http.js";
import type { AppEnv } from "../services.js";

export function resultRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handler = (kind: MessageKind) =>
    app.get(`/v1/${kind === "consultation" ? "consultations" : "messages"}/:id`, async (c) => {
      const s = c.var.services;
      const id = c.req.param("id");
      if (!ID_PARAM.test(id)) throw new AppError("BAD_REQUEST", "id must be 1-120 characters of A-Z a-z 0-9 . _ : -");
      const message = await s.results.getMessage(id);
      // Another patient's message looks exactly like a missing one.
      const principal = (c.var as { principal?: Principal }).principal;
      const visible = message !== null && message.kind === kind && mayReadMessage(principal, message);
      if (message && !visible)
        s.log.debug({ event: "ownership.refused", route: `GET /v1/${kind}s/:id`, messageId: id }, "refused");
      if (!message || !visible) throw new AppError("NOT_FOUND", `no ${kind} with id ${id}`);
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
