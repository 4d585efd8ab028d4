/**
 * The review JSON API (machines and scripts; people use the console) and the conversation
 * read route. Every route is declared through the auth guard, so the shared security suite
 * covers it.
 *   GET  /v1/review/cases                ?urgency&status&channel&rule&minAgeMs
 *   GET  /v1/review/cases/:id
 *   POST /v1/review/cases/:id/actions    {action, text?, reason?} → handleReviewAction
 *   POST /v1/review/cases/:id/scores     the six rubric axes, 1–5
 *   GET  /v1/review/rubric               per-model means and inter-rater agreement
 *   GET  /v1/review/audit/verify         (admin) the audit chain check
 *   GET  /v1/conversations/:id           a patient token sees only its own conversation
 */
import { Hono } from "hono";
import { z } from "zod";
import { ReviewStatus, Urgency } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { AuthEnv } from "../auth/guard.js";
import { patientMayReadConversation } from "../auth/ownership.js";
import { ID_PARAM, readJson } from "../http.js";
import { hasBadText } from "../routes/path-guard.js";
import type { AppEnv } from "../services.js";
import { RejectReason, ReviewActionKind } from "./actions.js";
import { agreement, perModelAverages } from "./agreement.js";
import type { ReviewCore } from "./core.js";
import { caseDetail } from "./detail.js";
import { RubricInput } from "./rubric.js";
import { slaDeadline } from "./sla.js";
import { rulesOf } from "./store.js";
import { correctTriage, TriageCorrectionInput } from "./triage-correction.js";
import { red } from "./view.js";

export const STAFF = ["reviewer", "admin"] as const;

/** A case id from the path, or 400: case ids are ours (UUIDs), so anything else cannot exist. */
export function pathId(raw: string | undefined): string {
  const id = raw ?? "";
  if (!ID_PARAM.test(id)) throw new AppError("BAD_REQUEST", "the id in the path must be 1-120 characters of A-Z a-z 0-9 . _ : -");
  return id;
}

// Conversation ids are chosen by API clients (any text up to 200 characters), so only what can
// never be stored is refused: control characters (NUL among them) and unpaired surrogates.
/** A conversation id from the path, or 400. */
export function conversationPathId(raw: string | undefined): string {
  const id = raw ?? "";
  if (id.length < 1 || id.length > 200 || hasBadText(id))
    throw new AppError("BAD_REQUEST", "the conversation id must be 1-200 characters with no control characters");
  return id;
}

export const QueueQuery = z.object({
  urgency: Urgency.optional().catch(undefined),
  status: z
    .union([ReviewStatus, z.enum(["active", "all"])])
    .optional()
    .catch(undefined),
  channel: z.string().max(40).optional(),
  rule: z.string().max(80).optional(),
  minAgeMs: z.coerce.number().int().min(0).optional().catch(undefined),
});

const ActionBody = z.object({ action: ReviewActionKind, text: z.string().max(8000).optional(), reason: RejectReason.optional() });

export function reviewApiRoutes(core: ReviewCore): Hono<AppEnv> {
  const app = new Hono<AuthEnv>();
  const { auth } = core;

  auth.route(app, "GET", "/v1/review/cases", { roles: STAFF, kind: "api" }, async (c) => {
    const s = c.var.services;
    const q = QueueQuery.parse(c.req.query());
    const rows = await core.sql(s).list(q, s.clock());
    return c.json(
      rows.map((r) => ({
        id: r.id,
        messageId: r.messageId,
        urgency: r.priority,
        status: r.status,
        channel: r.channel,
        kind: r.kind,
        rules: rulesOf(r),
        reasons: r.reasons,
        createdAt: r.createdAt.toISOString(),
        dueAt: slaDeadline(r.priority, r.createdAt, core.sla).toISOString(),
        acknowledgedBy: r.acknowledgedBy,
      })),
    );
  });

  auth.route(app, "GET", "/v1/review/cases/:id", { roles: STAFF, kind: "api" }, async (c) => {
    const d = await caseDetail(core, c.var.services, pathId(c.req.param("id")));
    if (!d) throw new AppError("NOT_FOUND", "no such review case");
    return c.json(d);
  });

  auth.route(app, "POST", "/v1/review/cases/:id/actions", { roles: STAFF, kind: "api" }, async (c) => {
    const body = await readJson(c, ActionBody);
    const out = await core.act(c.var.services, { caseId: pathId(c.req.param("id")), reviewer: c.var.principal.name, ...body });
    return c.json(out);
  });

  // A reviewer corrects urgency and responder (issue 12): stored, queue priority follows, audited.
  auth.route(app, "POST", "/v1/review/cases/:id/triage", { roles: STAFF, kind: "api" }, async (c) => {
    const body = await readJson(c, TriageCorrectionInput);
    const out = await correctTriage(c.var.services, core.sql(c.var.services), {
      caseId: pathId(c.req.param("id")),
      reviewer: c.var.principal.name,
      ...body,
    });
    return c.json(out);
  });

  auth.route(app, "POST", "/v1/review/cases/:id/scores", { roles: STAFF, kind: "api" }, async (c) => {
    const s = c.var.services;
    const body = await readJson(c, RubricInput);
    const rc = await core.sql(s).get(pathId(c.req.param("id")));
    if (!rc) throw new AppError("NOT_FOUND", "no such review case");
    await core.rubric(s).put(rc.id, c.var.principal.name, rc.result?.draft?.model ?? "none", body);
    await s.audit.append({
      kind: "review-score",
      caseId: rc.messageId,
      payload: { caseId: rc.id, reviewer: c.var.principal.name, ...body },
    });
    return c.json({ ok: true });
  });

  auth.route(app, "GET", "/v1/review/rubric", { roles: STAFF, kind: "api" }, async (c) => {
    const scores = await core.rubric(c.var.services).all();
    return c.json({
      method: "quadratic-weighted Cohen's kappa, mean over reviewer pairs",
      models: perModelAverages(scores),
      agreement: agreement(scores),
    });
  });

  // End every console session of a user at once (a lost laptop, a departure). Audited.
  auth.route(app, "POST", "/v1/admin/sessions/revoke", { roles: ["admin"], kind: "api" }, async (c) => {
    const s = c.var.services;
    const { username } = await readJson(c, z.object({ username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/) }));
    const revoked = await auth.revokeSessions(c, username, c.var.principal.name);
    await s.audit.append({
      kind: "sessions-revoked",
      caseId: `user:${username}`,
      traceId: c.var.requestId,
      payload: { user: username, by: c.var.principal.name, revoked },
    });
    return c.json({ username, revoked });
  });

  auth.route(app, "GET", "/v1/review/audit/verify", { roles: ["admin"], kind: "api" }, async (c) =>
    c.json(await c.var.services.audit.verify()),
  );

  auth.route(app, "GET", "/v1/conversations/:id", { roles: ["patient", "clinician", ...STAFF], kind: "api" }, async (c) => {
    const s = c.var.services;
    const id = conversationPathId(c.req.param("id"));
    const turns = await core.sql(s).conversation(id);
    const p = c.var.principal;
    if (p.role === "patient") {
      // Theirs only: bound to this patient, and every patient message in it from them. Anything else looks absent.
      if (!(await patientMayReadConversation(s.db, p, id, turns))) {
        s.log.debug({ event: "ownership.refused", route: "GET /v1/conversations/:id" }, "refused");
        throw new AppError("NOT_FOUND", "no such conversation");
      }
      return c.json({
        id,
        turns: turns.map((t) => ({ id: t.id, at: t.receivedAt, from: t.senderRole, text: t.text, reply: t.reply })),
      });
    }
    if (!turns.length) throw new AppError("NOT_FOUND", "no such conversation");
    return c.json({
      id,
      turns: turns.map((t) => ({
        id: t.id,
        at: t.receivedAt,
        from: t.senderRole,
        text: red(t.text),
        reply: t.reply === null ? null : red(t.reply),
        held: t.held,
        undelivered: t.undelivered === null ? null : red(t.undelivered),
      })),
    });
  });

  return app as unknown as Hono<AppEnv>;
}
