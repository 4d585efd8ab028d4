/**
 * Human review and escalation: the review queue with service levels and paging, the reviewer
 * console (/console), the review API, access control, and the single review operation that
 * the console and Slack both call. Built once by the composition root:
 *
 *   const review = reviewModule({ sessionSecret, usersFile, oncallFile, apiTokens, pager, … });
 *   createApp(services, { routes: [review.routes] });
 *   await review.start(services, { scheduler });         // SLA paging on the Scheduler port
 *   deps.reviews = review.wrapReviewStore(deps.reviews);  // page when the pipeline opens a case
 *   await review.stop();
 */
import { Hono } from "hono";
import { AppError } from "../../core/errors.js";
import type { Pager, ReviewStore, Scheduler } from "../../core/ports.js";
import { loadUsersFile, type User } from "../auth/credentials.js";
import { type Auth, createAuth, type ProtectedRoute } from "../auth/guard.js";
import { consoleRoutes } from "../console/routes.js";
import type { AppEnv, Services } from "../services.js";
import type { ReviewActionInput, ReviewActionResult } from "./actions.js";
import { reviewApiRoutes } from "./api.js";
import { createReviewCore } from "./core.js";
import { caseDetail } from "./detail.js";
import { loadOnCall, type OnCall } from "./oncall.js";
import { DEFAULT_SLA, type SlaOptions, slaDeadline } from "./sla.js";
import { type SlaWorker, startSlaWorker } from "./sla-worker.js";
import { editModalView, rejectModalView, type SlackReviewStep } from "./slack.js";
import { caseSummary } from "./view.js";

export interface ReviewModuleOptions {
  /** SESSION_SECRET: HMAC key for console sessions, ≥ 32 characters. */
  sessionSecret: string;
  /** Console users, or USERS_FILE to read them from. */
  users?: readonly User[];
  usersFile?: string;
  /** API_TOKENS ("name:role:sha256hex,…"). */
  apiTokens?: string;
  /** The on-call roster, or ONCALL_FILE. Without one, cases are queued and shown with their SLA but nobody is paged. */
  oncall?: OnCall;
  oncallFile?: string;
  /** How pages are sent (the composition root passes the Slack pager when SLACK_BOT_TOKEN is set). Without one nobody is paged. */
  pager?: Pager;
  /** SLACK_REVIEW_CHANNEL / SLACK_FALLBACK_CHANNEL (override the roster file's). */
  reviewChannel?: string;
  fallbackChannel?: string;
  /** SLA_EMERGENCY_MS, SLA_URGENT_MS, SLA_ROUTINE_MS. @defaultValue 5 min, 1 h, 1 working day */
  sla?: Partial<SlaOptions>;
  /** Public base URL of the console, for links in pages. */
  publicUrl?: string;
  /** Secure cookies; "auto" = Secure unless the request is addressed to loopback. @defaultValue "auto" */
  secureCookies?: boolean | "auto";
}

export interface ReviewModule {
  routes: Hono<AppEnv>;
  auth: Auth;
  /** Every protected route (the security suite's table). */
  protectedRoutes(): readonly ProtectedRoute[];
  /**
   * Start paging on `scheduler` (from the composition root); without one, or without a roster or
   * pager, cases queue with their SLA and nobody is paged. `redisUrl` is ignored (bot/ tests
   * still pass it; the Scheduler is built by the composition root).
   */
  start(services: Services, o?: { scheduler?: Scheduler; redisUrl?: string }): Promise<void>;
  stop(): Promise<void>;
  /** Start paging for a case the pipeline opened. Safe to call twice. */
  onCaseOpened(caseId: string): Promise<void>;
  /** A ReviewStore that opens the case, then pages: use as PipelineDeps.reviews. */
  wrapReviewStore(inner: ReviewStore): ReviewStore;
  /** The one review operation (console, API and Slack). */
  handleReviewAction(input: ReviewActionInput): Promise<ReviewActionResult>;
  /** Console username of a Slack user (users file `slackUserId`), or null: unknown users may not act. */
  reviewerForSlackUser(slackUserId: string): string | null;
  /** The Slack modal for an Edit or Reject button press. */
  modalView(step: Extract<SlackReviewStep, { kind: "modal" }>): Promise<Record<string, unknown>>;
}

export function reviewModule(opts: ReviewModuleOptions): ReviewModule {
  const users = opts.users ?? (opts.usersFile ? loadUsersFile(opts.usersFile) : []);
  const auth = createAuth({
    users,
    sessionSecret: opts.sessionSecret,
    apiTokens: opts.apiTokens,
    ...(opts.secureCookies === undefined ? {} : { secureCookies: opts.secureCookies }),
  });
  const sla: SlaOptions = { ...DEFAULT_SLA, ...opts.sla };
  const oncall = opts.oncall ?? (opts.oncallFile ? loadOnCall(opts.oncallFile) : null);
  const pager = opts.pager ?? null;
  let services: Services | null = null;
  let worker: SlaWorker | null = null;

  const core = createReviewCore(auth, sla, async (caseId) => {
    await worker?.cancel(caseId);
  });
  const routes = new Hono<AppEnv>();
  routes.route("/", reviewApiRoutes(core));
  routes.route("/", consoleRoutes(core));

  const running = (): Services => {
    if (!services) throw new AppError("DEPENDENCY_UNAVAILABLE", "review module not started");
    return services;
  };

  const onCaseOpened = async (caseId: string) => {
    const s = running();
    const c = await core.sql(s).get(caseId);
    if (c?.status !== "open") return;
    if (!worker) {
      s.log.warn({ caseId }, "review case opened but paging is off (no on-call roster or pager)");
      return;
    }
    await worker.opened(caseId, c.priority);
  };

  return {
    routes,
    auth,
    protectedRoutes: () => auth.routes(),
    async start(s, o = {}) {
      services = s;
      if (!oncall || !pager || !o.scheduler) {
        s.log.warn("review paging is off: set ONCALL_FILE and SLACK_BOT_TOKEN (cases still queue with their SLA)");
        return;
      }
      worker = startSlaWorker(s, core.sql(s), {
        scheduler: o.scheduler,
        sla,
        oncall,
        pager,
        ...((opts.reviewChannel ?? oncall.reviewChannel)
          ? { reviewChannel: (opts.reviewChannel ?? oncall.reviewChannel) as string }
          : {}),
        ...((opts.fallbackChannel ?? oncall.fallbackChannel)
          ? { fallbackChannel: (opts.fallbackChannel ?? oncall.fallbackChannel) as string }
          : {}),
        summarize: async (caseId) => {
          const c = await core.sql(s).get(caseId);
          const m = c ? await core.sql(s).message(c.messageId) : null;
          return c && m ? caseSummary(c, m, slaDeadline(c.priority, c.createdAt, sla), opts.publicUrl) : null;
        },
      });
    },
    async stop() {
      // The Scheduler is the composition root's: it closes it (its jobs stay in Redis).
      worker = null;
      services = null;
    },
    onCaseOpened,
    wrapReviewStore: (inner) => ({
      async openCase(entry) {
        await inner.openCase(entry);
        // Paging must never fail the pipeline: the case is stored and shows in the console anyway.
        await onCaseOpened(entry.messageId).catch((e: Error) =>
          services?.log.error({ caseId: entry.messageId, err: e.message }, "paging failed"),
        );
      },
    }),
    handleReviewAction: (input) => core.act(running(), input),
    reviewerForSlackUser: (id) => auth.userBySlackId(id)?.username ?? null,
    async modalView(step) {
      if (step.modal === "reject") return rejectModalView(step.caseId);
      const detail = await caseDetail(core, running(), step.caseId);
      return editModalView(step.caseId, detail?.proposedReply ?? "");
    },
  };
}
