/**
 * Accepting an inbound message, shared by the HTTP API and the channel adapters (Slack,
 * WeChat): store durably (idempotent on the message's idempotencyKey), pre-check once — read
 * with the conversation's earlier turns — and store that with the message, audit, enqueue at
 * the pre-check's urgency. Storing before enqueuing means a Redis outage cannot lose an
 * accepted message: the requeue sweep picks it up; the pipeline reads the stored pre-check, so
 * queue priority and pipeline urgency never disagree.
 */
import type { InboundMessage, IntakePrecheck, Urgency } from "../core/domain.js";
import { precheck, safetyNetReply } from "../guardrails/index.js";
import { scrubText } from "./http.js";
import { computePrecheck, NO_HISTORY, precheckAtIntake } from "./pipeline/precheck.js";
import type { Services } from "./services.js";

export interface Submitted {
  id: string;
  status: "queued" | "processing" | "done" | "failed";
  /** True when the idempotency key was seen before: `id` is the first submission's. */
  replayed: boolean;
  urgency: Urgency;
  /** For an emergency patient message: the fixed safety-net text, to send at once. */
  safetyNet?: string;
}

export async function submitMessage(s: Services, raw: InboundMessage): Promise<Submitted> {
  const message = scrubText(raw);
  // Pre-checked before the insert, so the message and its pre-check are one statement. A
  // pre-check that fails leaves the message stored without one: the pipeline pre-checks it
  // itself; the queue priority meanwhile comes from its own text (fail-safe).
  let fresh: IntakePrecheck | null = null;
  try {
    fresh = await precheckAtIntake(s.results, message, s.clock());
  } catch (e) {
    s.log.warn({ messageId: message.id, err: (e as Error).message }, "intake pre-check failed; the pipeline will pre-check");
  }
  const accepted = await s.results.accept(message, fresh ?? undefined);
  // A replayed key keeps the first submission's pre-check.
  const stored = accepted.created ? null : await s.results.getPrecheck(accepted.id).catch(() => null);
  const pre = stored ?? fresh ?? computePrecheck(message, message.patient, NO_HISTORY, s.clock());
  const urgency = pre.triage.urgency;
  if (accepted.created) {
    if (pre.memory.turns.length || pre.memory.patientFrom) {
      await s.audit.append({
        kind: "conversation-memory",
        caseId: message.id,
        traceId: message.traceId,
        // How much history was read, and what it changed — counts and codes, never text.
        payload: {
          turns: pre.memory.turns.length,
          chars: pre.memory.chars,
          patientFromThread: Boolean(pre.memory.patientFrom),
          fromHistory: pre.memory.fromHistory,
        },
      });
    }
    await s.audit.append({
      kind: "accepted",
      caseId: message.id,
      traceId: message.traceId,
      payload: { kind: message.kind, channel: message.channel, urgency },
    });
    try {
      const traceparent = s.tracing.traceparent();
      await s.queue.enqueue({ messageId: message.id, urgency, ...(traceparent ? { traceparent } : {}) });
    } catch (e) {
      s.log.error({ messageId: message.id, err: (e as Error).message }, "enqueue failed; message kept for requeue");
    }
  }
  // A new message has no result yet; a replayed one reports where its first submission is.
  const result = accepted.created ? null : await s.results.getResult(accepted.id);
  return {
    id: accepted.id,
    status: result ? result.status : "queued",
    replayed: !accepted.created,
    urgency,
    ...(urgency === "emergency" && message.sender.role === "patient"
      ? {
          safetyNet: safetyNetReply(
            pre.lang,
            "emergency",
            s.pipeline.options.emergencyNumber,
            pre.triage.flags.map((f) => f.code),
          ),
        }
      : {}),
  };
}

/**
 * The safety net for an emergency from a sender with no patient record (an unregistered
 * patientRef, an unbound WeChat user): nothing is stored for them, but an emergency is never
 * met with a binding instruction or an error alone. Pure rules, no I/O. Null when not an emergency.
 */
export function safetyNetForUnlinked(s: Services, text: string): { text: string; flags: string[] } | null {
  try {
    const pre = precheck({ text, now: s.clock() });
    if (pre.triage.urgency !== "emergency") return null;
    const flags = pre.triage.flags.map((f) => f.code);
    return { text: safetyNetReply(pre.lang, "emergency", s.pipeline.options.emergencyNumber, flags), flags };
  } catch {
    // The rules failing must not hide an emergency: the fixed text, in both languages.
    return { text: safetyNetReply("mixed", "emergency", s.pipeline.options.emergencyNumber), flags: [] };
  }
}
