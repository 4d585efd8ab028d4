/**
 * One case as a reviewer sees it, PHI removed: the message, patient context, triage flags
 * with their evidence, retrieved passages, the draft item by item with citations, findings,
 * the decision, the conversation so far, pages sent, audit trail and rubric scores.
 */
import type { Draft, Finding, Passage, Redacted, ReviewStatus, Urgency } from "../../core/domain.js";
import type { Services } from "../services.js";
import { draftReplyText } from "./actions.js";
import type { Score } from "./agreement.js";
import type { ReviewCore } from "./core.js";
import { slaDeadline } from "./sla.js";
import { type PageRecord, rulesOf } from "./store.js";
import { caseRedactor, redactedPatient } from "./view.js";

export interface DraftItem {
  section: "Lab test" | "Examination" | "Medication" | "Recommendation";
  text: Redacted;
  citations: string[];
}

export interface CaseDetail {
  id: string;
  messageId: string;
  status: ReviewStatus;
  urgency: Urgency;
  channel: string;
  kind: string;
  senderRole: string;
  createdAt: string;
  dueAt: string;
  acknowledgedBy: string | null;
  reviewer: string | null;
  reasonCode: string | null;
  held: boolean;
  message: Redacted;
  patient: Array<[string, Redacted]>;
  flags: Array<{ code: string; evidence: Redacted; source: string }>;
  complexity: Array<{ code: string; reason: Redacted }>;
  rules: string[];
  passages: Array<Pick<Passage, "score" | "citation">>;
  draft: {
    mode: Draft["mode"];
    model: string;
    provider: string;
    confidence: number;
    items: DraftItem[];
    reply: Redacted | null;
  } | null;
  /**
   * What approving would send, verbatim: the edit box starts from it, and redacting it would
   * deliver placeholders. It is model output from a redacted prompt, so it holds no patient PHI.
   */
  proposedReply: string | null;
  findings: Finding[];
  decision: { action: string; priority: string | null; reasons: string[] };
  /** `reply` is only what reached the recipient; `undelivered` a draft that never did. */
  conversation: Array<{
    id: string;
    from: string;
    at: string;
    text: Redacted;
    reply: Redacted | null;
    undelivered: Redacted | null;
    current: boolean;
  }>;
  pages: PageRecord[];
  audit: Array<{ seq: number; at: string; kind: string }>;
  scores: Score[];
}

function draftItems(d: Draft, red: (s: string) => Redacted): DraftItem[] {
  return [
    ...d.labTests.map((x) => ({
      section: "Lab test" as const,
      text: red([x.name, x.reason].filter(Boolean).join(" — ")),
      citations: x.citations,
    })),
    ...d.examinations.map((x) => ({
      section: "Examination" as const,
      text: red([x.name, x.reason].filter(Boolean).join(" — ")),
      citations: x.citations,
    })),
    ...d.medications.map((m) => ({
      section: "Medication" as const,
      text: red(`${m.action} ${[m.name, m.dose, m.frequency, m.route].filter(Boolean).join(" ")}`),
      citations: m.citations,
    })),
    ...d.recommendations.map((r) => ({ section: "Recommendation" as const, text: red(r.text), citations: r.citations })),
  ];
}

export async function caseDetail(core: ReviewCore, s: Services, id: string): Promise<CaseDetail | null> {
  if (id.length > 200) return null;
  const sql = core.sql(s);
  const c = await sql.get(id);
  if (!c) return null;
  const message = await sql.message(c.messageId);
  if (!message) return null;
  const r = c.result;
  const [turns, pages, audit, scores] = await Promise.all([
    sql.conversation(c.conversationId),
    sql.pages(c.id),
    s.audit.list(c.messageId),
    core.rubric(s).forCase(c.id),
  ]);
  const patient = message.patient ?? (message.sender.role === "patient" ? await s.results.getPatient(message.sender.ref) : null);
  const proposed = r ? draftReplyText(message, r) : null;
  const red = caseRedactor(
    [message.text, patient?.chiefComplaint, patient?.presentIllness],
    [patient?.ref, message.sender.role === "patient" ? message.sender.ref : undefined],
  );
  return {
    id: c.id,
    messageId: c.messageId,
    status: c.status,
    urgency: c.priority,
    channel: c.channel,
    kind: c.kind,
    senderRole: message.sender.role,
    createdAt: c.createdAt.toISOString(),
    dueAt: slaDeadline(c.priority, c.createdAt, core.sla).toISOString(),
    acknowledgedBy: c.acknowledgedBy,
    reviewer: c.reviewer,
    reasonCode: c.reasonCode,
    held: r?.held ?? true,
    message: red(message.text),
    patient: redactedPatient(patient, red),
    flags: (r?.triage?.flags ?? []).map((f) => ({ code: f.code, evidence: red(f.evidence), source: f.source })),
    complexity: (r?.triage?.complexity ?? []).map((x) => ({ code: x.code, reason: red(x.reason) })),
    rules: rulesOf(c),
    passages: r?.passages ?? [],
    draft: r?.draft
      ? {
          mode: r.draft.mode,
          model: r.draft.model,
          provider: r.draft.provider,
          confidence: r.draft.confidence,
          items: draftItems(r.draft, red),
          reply: r.draft.reply ? red(r.draft.reply) : null,
        }
      : null,
    proposedReply: proposed,
    findings: (r?.findings ?? []).map((f) => ({ ...f, message: red(f.message) })),
    decision: {
      action: r?.decision?.action ?? c.action,
      priority: r?.decision?.priority ?? c.priority,
      reasons: r?.decision?.reasons ?? c.reasons,
    },
    conversation: turns.map((t) => ({
      id: t.id,
      from: t.senderRole,
      at: t.receivedAt,
      text: red(t.text),
      reply: t.reply === null ? null : red(t.reply),
      undelivered: t.undelivered === null ? null : red(t.undelivered),
      current: t.id === c.messageId,
    })),
    pages,
    audit: audit.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind })),
    scores,
  };
}
