/**
 * The Intake port (core/ports.ts) as this server implements it: what the channel adapters call
 * with an inbound message. Clinician messages become consultations directly; patient messages
 * go through the conversation module (server/conversations/), which resolves the sender's
 * binding and decides unknown senders, binding commands and the service window. Either way the
 * message is accepted by `submitMessage` (stored, pre-checked once, queued) and the language is
 * detected here, so adapters never call guardrails.
 */
import { randomUUID } from "node:crypto";
import type { InboundMessage } from "../core/domain.js";
import type { Intake, IntakeOutcome, IntakeSubmission } from "../core/ports.js";
import { detectLang } from "../guardrails/index.js";
import type { Services } from "./services.js";
import { submitMessage } from "./submit.js";

/** Messages longer than this are cut (the HTTP API refuses them; a chat channel cannot). */
const MAX_TEXT = 20_000;

/** The patient side of intake (server/conversations/patient-intake.ts). */
export type PatientIntake = (m: IntakeSubmission & { sender: { role: "patient" } }) => Promise<IntakeOutcome>;

export function createIntake(s: Services, patients?: PatientIntake): Intake {
  return {
    async submit(m) {
      if (m.sender.role === "patient") {
        if (!patients) throw new Error(`intake: no patient conversations configured for ${m.channel}`);
        return patients(m as IntakeSubmission & { sender: { role: "patient" } });
      }
      const text = m.text.slice(0, MAX_TEXT);
      const lang = m.lang ?? detectLang(m.langContext ? `${text}\n${m.langContext}` : text);
      const message: InboundMessage = {
        id: randomUUID(),
        kind: m.kind ?? "consultation",
        channel: m.channel,
        conversationId: m.conversationId ?? `${m.channel}:${m.sender.ref}`,
        sender: { role: "clinician", ref: m.sender.ref },
        text,
        lang,
        receivedAt: s.clock().toISOString(),
        idempotencyKey: m.key,
        ...(m.replyTo ? { replyTo: m.replyTo } : {}),
        ...(m.patient ? { patient: m.patient } : {}),
      };
      const out = await submitMessage(s, message);
      return { status: "accepted", id: out.id, replayed: out.replayed, urgency: out.urgency, lang, replies: [] };
    },
  };
}
