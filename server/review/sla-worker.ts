/**
 * Paging on BullMQ, driven by delayed jobs rather than polling. Opening a case adds page job
 * level 0 (now, prioritized by urgency). Each page job, if the case is still unacknowledged,
 * pages level N's target and adds a delayed job for level N+1 due at the service-level
 * deadline. Acknowledging or deciding removes the pending job; a job that fires anyway sees
 * the case is no longer open and does nothing.
 */
import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Urgency } from "../../core/domain.js";
import { producerConnection, workerConnection } from "../jobs/queue.js";
import type { Services } from "../services.js";
import type { OnCall } from "./oncall.js";
import { targetForLevel } from "./oncall.js";
import type { CaseSummary, Pager } from "./pager.js";
import { PAGE_PRIORITY, type SlaOptions, slaDeadline } from "./sla.js";
import type { ReviewSql } from "./store.js";

export const SLA_QUEUE = "review-sla";

export interface PageJob {
  caseId: string;
  level: number;
}

export interface SlaWorkerOptions {
  redisUrl: string;
  prefix: string;
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
  close(): Promise<void>;
}

// BullMQ custom job ids may not contain ":".
const jobId = (caseId: string, level: number) => `page.${caseId}.${level}`;

export function startSlaWorker(services: Services, sql: ReviewSql, o: SlaWorkerOptions): SlaWorker {
  const conn = producerConnection(o.redisUrl);
  conn.on("error", () => {});
  const queue = new Queue<PageJob>(SLA_QUEUE, { connection: conn, prefix: o.prefix });
  queue.on("error", () => {});
  const wconn = workerConnection(o.redisUrl);
  wconn.on("error", () => {});
  const maxLevel = o.oncall.roster.length + 1;

  const schedule = (caseId: string, level: number, urgency: Urgency, delay: number) =>
    queue.add(
      "page",
      { caseId, level },
      {
        jobId: jobId(caseId, level),
        delay: Math.max(0, delay),
        priority: PAGE_PRIORITY[urgency],
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: 1000,
        removeOnFail: 1000,
      },
    );

  const worker = new Worker<PageJob>(
    SLA_QUEUE,
    async (job) => {
      const { caseId, level } = job.data;
      const c = await sql.get(caseId);
      if (!c) throw new UnrecoverableError(`no review case ${caseId}`);
      if (c.status !== "open") return { skipped: c.status };
      const target = targetForLevel(o.oncall, level, o.fallbackChannel);
      if (!target) {
        await services.audit.append({ kind: "review-page-exhausted", caseId: c.messageId, payload: { caseId, level } });
        return { skipped: "roster exhausted" };
      }
      const summary = await o.summarize(caseId);
      if (!summary) throw new UnrecoverableError(`case ${caseId} vanished`);
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
      if (level + 1 <= maxLevel) await schedule(caseId, level + 1, c.priority, due.getTime() - now.getTime());
      return { paged: who };
    },
    { connection: wconn, prefix: o.prefix, concurrency: 4 },
  );
  worker.on("error", (e) => services.log.warn({ err: e.message }, "review SLA worker error"));
  worker.on("failed", (job, e) => services.log.warn({ caseId: job?.data.caseId, err: e.message }, "page failed"));

  return {
    async opened(caseId, urgency) {
      await schedule(caseId, 0, urgency, 0);
    },
    async cancel(caseId) {
      for (let level = 0; level <= maxLevel; level++) {
        // An active job cannot be removed; it re-reads the case and stops by itself.
        await queue.remove(jobId(caseId, level)).catch(() => 0);
      }
    },
    async close() {
      await worker.close();
      await queue.close();
      conn.disconnect();
      wconn.disconnect();
    },
  };
}
