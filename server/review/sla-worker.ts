/**
 * SLA paging on the Scheduler port, driven by scheduled jobs rather than polling. Opening a
 * case schedules page level 0 (now, prioritized by urgency). Each page job, if the case is still
 * unacknowledged, pages level N's target and schedules level N+1 at the service-level deadline.
 * Acknowledging or deciding cancels the pending job; a job that fires anyway sees the case is no
 * longer open and does nothing. The Scheduler (BullMQ in production) and the Pager (Slack) come
 * from the composition root.
 */
import type { Urgency } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { CaseSummary, Pager, Scheduler } from "../../core/ports.js";
import type { Services } from "../services.js";
import type { OnCall } from "./oncall.js";
import { targetForLevel } from "./oncall.js";
import { PAGE_PRIORITY, type SlaOptions, slaDeadline } from "./sla.js";
import type { ReviewSql } from "./store.js";

/** The queue the production Scheduler keeps review pages on (named in the queue dashboard). */
export const SLA_QUEUE = "review-sla";
const PAGE = "page";

interface PageJob {
  caseId: string;
  level: number;
}

export interface SlaWorkerOptions {
  scheduler: Scheduler;
  sla: SlaOptions;
  oncall: OnCall;
  pager: Pager;
  reviewChannel?: string;
  fallbackChannel?: string;
  summarize(caseId: string): Promise<CaseSummary | null>;
}

export interface SlaWorker {
  /** Start paging for a newly opened case (idempotent per case). */
  opened(caseId: string, urgency: Urgency): Promise<void>;
  /** Remove the pending page of a case (acknowledged or decided). */
  cancel(caseId: string): Promise<void>;
}

const pageId = (caseId: string, level: number) => `${caseId}.${level}`;

export function startSlaWorker(services: Services, sql: ReviewSql, o: SlaWorkerOptions): SlaWorker {
  const maxLevel = o.oncall.roster.length + 1;
  const schedule = (caseId: string, level: number, urgency: Urgency, at: Date) =>
    o.scheduler.schedule<PageJob>({
      kind: PAGE,
      id: pageId(caseId, level),
      data: { caseId, level },
      at,
      priority: PAGE_PRIORITY[urgency],
    });

  o.scheduler.handle<PageJob>(PAGE, async ({ caseId, level }) => {
    const c = await sql.get(caseId);
    if (!c) throw new AppError("NOT_FOUND", `no review case ${caseId}`);
    if (c.status !== "open") return { skipped: c.status };
    const target = targetForLevel(o.oncall, level, o.fallbackChannel);
    if (!target) {
      await services.audit.append({ kind: "review-page-exhausted", caseId: c.messageId, payload: { caseId, level } });
      return { skipped: "roster exhausted" };
    }
    const summary = await o.summarize(caseId);
    if (!summary) throw new AppError("NOT_FOUND", `case ${caseId} vanished`);
    const now = services.clock();
    const due = slaDeadline(c.priority, now, o.sla);
    const out = await o.pager.page({
      target,
      level,
      summary: { ...summary, dueAt: due },
      ...(o.reviewChannel ? { reviewChannel: o.reviewChannel } : {}),
    });
    const who = target.kind === "person" ? target.person.name : `channel ${target.channel}`;
    await sql.recordPage(caseId, level, who, out.detail);
    await services.audit.append({
      kind: "review-page",
      caseId: c.messageId,
      payload: {
        caseId,
        level,
        target: target.kind === "person" ? target.person.slackUserId : target.channel,
        urgency: c.priority,
        dueAt: due.toISOString(),
      },
    });
    if (level + 1 <= maxLevel) await schedule(caseId, level + 1, c.priority, due);
    return { paged: who };
  });

  return {
    async opened(caseId, urgency) {
      await schedule(caseId, 0, urgency, services.clock());
    },
    async cancel(caseId) {
      for (let level = 0; level <= maxLevel; level++) await o.scheduler.cancel(PAGE, pageId(caseId, level));
    },
  };
}
