/**
 * Accepting an inbound message, shared by the HTTP API and the channel adapters (Slack,
 * WeChat): store durably (idempotent on the message's idempotencyKey), triage for queue
 * priority, audit, enqueue. Storing before enqueuing means a Redis outage cannot lose an
 * accepted message: the requeue sweep picks it up.
 */
import type { InboundMessage, Urgency } from "../core/domain.js";
import { safetyNetReply, triage } from "../guardrails/index.js";
import { scrubText } from "./http.js";
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
  const accepted = await s.results.accept(message);
  const t = triage({
    text: message.text,
    lang: message.lang,
    ...(message.patient ? { patient: message.patient } : {}),
    now: s.clock(),
  });
  if (accepted.created) {
    await s.audit.append({
      kind: "accepted",
      caseId: message.id,
      traceId: message.traceId,
      payload: { kind: message.kind, channel: message.channel, urgency: t.urgency },
    });
    try {
      const traceparent = s.tracing.traceparent();
      await s.queue.enqueue({ messageId: message.id, urgency: t.urgency, ...(traceparent ? { traceparent } : {}) });
    } catch (e) {
      s.log.error({ messageId: message.id, err: (e as Error).message }, "enqueue failed; message kept for requeue");
    }
  }
  const result = await s.results.getResult(accepted.id);
  return {
    id: accepted.id,
    status: result ? result.status : "queued",
    replayed: !accepted.created,
    urgency: t.urgency,
    ...(t.urgency === "emergency" && message.sender.role === "patient"
      ? { safetyNet: safetyNetReply(message.lang, "emergency", s.pipeline.options.emergencyNumber) }
      : {}),
  };
}
