/**
 * /admin/queues — the BullMQ dashboard (bull-board) for operators: waiting, prioritized,
 * active, delayed, failed and completed jobs of the pipeline and the review-SLA queues, with
 * their attempts and errors. Admins only: every request passes the console's auth guard
 * (session cookie or bearer token of role admin; anyone else gets the login page, 401 or 403).
 *
 * Read-only on purpose: retrying, promoting or removing a job from the UI would change what
 * happens to a patient's message without an audit event, so the board only shows; requeueing
 * is the requeue sweep's job and review decisions go through the review console. Only GET is
 * routed, so bull-board's mutating API (PUT/POST/DELETE) does not exist here (404).
 *
 * Job payloads are ids, urgency and trace context (QueueJob, the SLA page jobs) — no message
 * text or patient fields — so the board shows no PHI.
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { HonoAdapter } from "@bull-board/hono";
import { serveStatic } from "@hono/node-server/serve-static";
import { Queue as BullQueue } from "bullmq";
import { Hono } from "hono";
import type { Auth, AuthEnv } from "../auth/guard.js";
import { producerConnection } from "../jobs/queue.js";
import type { AppEnv } from "../services.js";

export const QUEUES_BASE_PATH = "/admin/queues";

export interface QueuesAdminOptions {
  /** The console's auth (review.auth): the same users, sessions and API tokens. */
  auth: Auth;
  /** The BullMQ queues to show. */
  queues: readonly BullQueue[];
  /** @defaultValue "/admin/queues" */
  basePath?: string;
}

export function queuesAdminRoutes(opts: QueuesAdminOptions): Hono<AppEnv> {
  const base = opts.basePath ?? QUEUES_BASE_PATH;
  const adapter = new HonoAdapter(serveStatic).setBasePath(base);
  createBullBoard({
    queues: opts.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, description: describe(q.name) })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: "GlycoPilot queues" } },
  });
  const board = new Hono();
  board.route(base, adapter.registerPlugin());

  const app = new Hono<AuthEnv>();
  const serveBoard = async (c: { req: { raw: Request } }) => board.fetch(c.req.raw);
  for (const path of [base, `${base}/*`]) {
    const doc = {
      tags: ["Operations"],
      summary:
        path === base
          ? "Queue dashboard (bull-board, read-only): pipeline and review-SLA jobs"
          : "The dashboard's assets and read-only JSON API",
      description:
        "An HTML page for operators showing waiting, prioritized, active, delayed, failed and completed jobs. Admin role only. Read-only: only GET is routed.",
    };
    opts.auth.route(app, "GET", path, { roles: ["admin"], kind: "page", doc }, async (c) => {
      const res = await serveBoard(c);
      // bull-board's page links Google Fonts; an operator's browser on a hospital network should
      // not call a third party (and often cannot): drop external stylesheet links, keep the rest.
      const html = res.headers.get("content-type")?.startsWith("text/html");
      const body = html ? (await res.text()).replace(/<link\b[^>]*href="https?:\/\/[^"]*"[^>]*>\s*/g, "") : res.body;
      // The board is an operator tool: never cached by a shared proxy, never framed elsewhere.
      const out = new Response(body, res);
      if (html) out.headers.delete("content-length");
      out.headers.set("cache-control", "no-store");
      out.headers.set("x-frame-options", "DENY");
      return out;
    });
  }
  return app as unknown as Hono<AppEnv>;
}

function describe(name: string): string {
  if (name === "pipeline") return "Every inbound message: guardrails → retrieval → generation → decision (priority = urgency)";
  if (name === "review-sla") return "Review service levels: delayed page jobs that re-page the on-call roster";
  return name;
}

export interface QueuesDashboardOptions {
  auth: Auth;
  redisUrl: string;
  /** QUEUE_PREFIX */
  prefix: string;
  /** Queue names, e.g. PIPELINE_QUEUE and SLA_QUEUE. */
  names: readonly string[];
}

/** The dashboard on queues of its own (one fail-fast connection), for the composition root. */
export function queuesDashboard(o: QueuesDashboardOptions): { routes: Hono<AppEnv>; close(): Promise<void> } {
  const connection = producerConnection(o.redisUrl);
  connection.on("error", () => {}); // Redis being down shows on the board and in /readyz, not as a crash
  const queues = o.names.map((name) => {
    const q = new BullQueue(name, { connection, prefix: o.prefix });
    q.on("error", () => {});
    return q;
  });
  return {
    routes: queuesAdminRoutes({ auth: o.auth, queues }),
    async close() {
      await Promise.all(queues.map((q) => q.close().catch(() => {})));
      connection.disconnect();
    },
  };
}
