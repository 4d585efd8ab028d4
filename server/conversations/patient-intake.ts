/**
 * One inbound patient text from a patient channel (WeChat Official Account or wechaty…),
 * channel-agnostic, behind the Intake port: dedupe by the channel's message id, open the
 * service window (where the channel's policy has one), binding commands, unknown senders (the
 * safety net first when they describe an emergency, then how to link; nothing enters the
 * pipeline), then submitMessage. An emergency's safety-net text is claimed once and returned
 * for the adapter to send at once; when a human owns the conversation the message is shown in
 * the case thread. The adapter sends `replies` in order and nothing else.
 */
import { randomUUID } from "node:crypto";
import type { InboundMessage } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { IntakeOutcome, IntakeReply, IntakeSubmission } from "../../core/ports.js";
import { detectLang } from "../../guardrails/index.js";
import type { Services } from "../services.js";
import { safetyNetForUnlinked, submitMessage } from "../submit.js";
import { addressAuditRef } from "./audit-ref.js";
import type { BindingStore } from "./binding-store.js";
import type { Handoff } from "./handoff.js";
import { CHANNEL_POLICIES, type ChannelPolicy } from "./policy.js";
import { BIND_RE, patientText } from "./texts.js";

/** The delivery claim of an intake safety net: the pipeline's emergency delivery sees it and does not repeat it. */
export const safetyNetClaim = (channel: string): string => `${channel}:safety-net`;

const MAX_TEXT = 20_000;

export interface PatientIntakeDeps {
  services: Services;
  bindings: BindingStore;
  handoff: Handoff;
  /** How patients reach the clinic (told to unknown senders, after failed binding, in the window's last message). */
  clinicContact: string;
  policies?: Partial<Record<string, ChannelPolicy>>;
}

type PatientSubmission = IntakeSubmission & { sender: { role: "patient"; address: string; transport?: string } };

export function createPatientIntake(d: PatientIntakeDeps): (m: PatientSubmission) => Promise<IntakeOutcome> {
  const policies = d.policies ?? CHANNEL_POLICIES;
  return async function patientIntake(m) {
    const s = d.services;
    const policy = policies[m.channel];
    if (!policy) throw new AppError("CONFIG_INVALID", `no patient-channel policy for ${m.channel}`);
    const now = s.clock();
    const { address } = m.sender;
    const transport = m.sender.transport ?? "default";
    const lang = m.lang ?? detectLang(m.text);
    const caseId = addressAuditRef(m.channel, address);
    const refused = (refusal: "unbound-sender" | "bind-failed" | "duplicate" | "ignored", replies: IntakeReply[] = []) =>
      ({ status: "refused", refusal, lang, replies }) as const;
    const notice = (text: string): IntakeReply => ({ text, kind: "notice" });

    // A new follower who is already linked needs nothing.
    if (m.event === "subscribe" && (await d.bindings.binding(address))) return refused("ignored");
    // Dedupe on the channel's message id; stored without the channel prefix ("oa:123"), as before.
    const dedupeKey = m.key.startsWith(`${m.channel}:`) ? m.key.slice(m.channel.length + 1) : m.key;
    if (!(await d.bindings.firstSeen(dedupeKey, address))) return refused("duplicate");
    if (policy.windows[transport]) await d.bindings.touchWindow(address, now);

    const bind = m.event ? null : BIND_RE.exec(m.text);
    if (bind) {
      const failures = await d.bindings.bindFailuresSince(address, new Date(now.getTime() - policy.bindFailureWindowMs));
      if (failures >= policy.maxBindFailures)
        return refused("bind-failed", [notice(patientText(lang, "tooManyAttempts", d.clinicContact))]);
      const ref = await d.bindings.redeem(bind[1] as string, address, now);
      if (!ref) {
        await d.bindings.recordBindFailure(address, now);
        await s.audit.append({ kind: `${m.channel}-bind-failed`, caseId, payload: { transport } });
        return refused("bind-failed", [notice(patientText(lang, "badCode", d.clinicContact))]);
      }
      await s.audit.append({ kind: `${m.channel}-bound`, caseId: `patient:${ref}`, payload: { transport, address: caseId } });
      return {
        status: "bound",
        lang,
        replies: [notice(patientText(lang, "bound", d.clinicContact, s.pipeline.options.emergencyNumber))],
      };
    }

    const ref = await d.bindings.binding(address);
    if (!ref) {
      // An unbound sender describing an emergency gets the safety net first (no record, no queue).
      const net = safetyNetForUnlinked(s, m.text);
      await s.audit.append({
        kind: `${m.channel}-unknown-sender`,
        caseId,
        payload: { transport, ...(net ? { emergency: net.flags } : {}) },
      });
      return refused("unbound-sender", [
        ...(net ? [{ text: net.text, kind: "safety-net" as const }] : []),
        notice(patientText(lang, "unknown", d.clinicContact)),
      ]);
    }

    const conversationId = `${m.channel}:${address}`;
    const message: InboundMessage = {
      id: randomUUID(),
      kind: m.kind ?? "message",
      channel: m.channel,
      conversationId,
      sender: { role: "patient", ref },
      text: m.text.slice(0, MAX_TEXT),
      lang,
      receivedAt: now.toISOString(),
      idempotencyKey: m.key,
      replyTo: { ...m.replyTo, address, transport, lang },
    };
    // Track first, so an escalation racing this request already sees the message in the transcript.
    const row = await d.handoff.track(conversationId, { channel: m.channel, address, transport, lang }, message.id);
    const out = await submitMessage(s, message);
    const replies: IntakeReply[] = [];
    if (out.safetyNet && (await s.results.claimDelivery(out.id, safetyNetClaim(m.channel)))) {
      // Fixed text, no model involved: sent now, not after the queue.
      replies.push({ text: out.safetyNet, kind: "safety-net", messageId: out.id });
    }
    if (row.owner === "human" && !out.replayed) await d.handoff.forwardPatientMessage(conversationId, out.id, m.text);
    return { status: "accepted", id: out.id, replayed: out.replayed, urgency: out.urgency, lang, replies };
  };
}
