/**
 * GET /v1/consultations/:id and /v1/messages/:id: status, and when done the full result — with
 * the reviewer's outcome once a held or escalated message has been reviewed (the approved or
 * edited text that was delivered, or the rejection with its reason and corrective text).
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import type { MessageKind } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { Principal } from "../auth/credentials.js";
import { mayReadMessage } from "../auth/ownership.js";
import { ID_PARAM } from "../http.js";
import { type CaseRow, createReviewSql } from "../review/store.js";
import type { AppEnv } from "../services.js";
import { RESULT_EXAMPLE } from "./examples.js";
import { errorResponse, idParam, jsonResponse } from "./openapi-doc.js";
import { ResultResponse } from "./schemas.js";

export interface ReviewOutcome {
  status: CaseRow["status"];
  decidedAt: string | null;
  /** Approved or edited: the text that went to the recipient. Rejected: the reviewer's corrective text, if given. */
  text: string | null;
  /** Rejected: the reason code (unsafe-medication, wrong-dose, …). */
  reason: string | null;
  delivered: boolean;
}

export function reviewOutcome(c: CaseRow): ReviewOutcome {
  const decided = c.status === "approved" || c.status === "edited" || c.status === "rejected";
  const r = c.result;
  // After approval or edit of a held reply the stored result shows what was delivered.
  const sent = decided && c.status !== "rejected" && r && !r.held ? r.reply : null;
  return {
    status: c.status,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    text: c.status === "edited" ? (c.edits ?? sent) : c.status === "approved" ? sent : c.status === "rejected" ? c.edits : null,
    reason: c.status === "rejected" ? c.reasonCode : null,
    delivered: c.status !== "rejected" && decided && Boolean(sent),
  };
}

export function resultRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handler = (kind: MessageKind) =>
    app.get(
      `/v1/${kind === "consultation" ? "consultations" : "messages"}/:id`,
      describeRoute({
        tags: [kind === "consultation" ? "Consultations" : "Messages"],
        summary: `Status and result of a ${kind}`,
        description:
          "`queued` until the pipeline has run; then the draft or reply, findings and decision, and — for a held or escalated message — the reviewer's outcome (`review`). Another patient's message is a 404.",
        parameters: [idParam("id", `The ${kind} id from the 202`)],
        responses: {
          200: jsonResponse("Status / result", ResultResponse, { ...RESULT_EXAMPLE, kind }),
          400: errorResponse("Malformed id"),
          404: errorResponse("Unknown id", "NOT_FOUND", `no ${kind} with id …`),
        },
      }),
      async (c) => {
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
        // A review case exists for held and escalated messages (its id is the message id), and stays after the decision.
        const rc = await createReviewSql(s.db).get(id);
        let review = rc ? reviewOutcome(rc) : null;
        // A patient sees what reached them, never a reviewer's undelivered corrective text.
        const role = (c.var as { principal?: { role: string } }).principal?.role;
        if (review && role === "patient") review = { ...review, text: review.delivered ? review.text : null, reason: null };
        return c.json({ ...result, mode: s.mode, ...(review ? { review } : {}) });
      },
    );
  handler("consultation");
  handler("message");
  return app;
}
