/**
 * The conversation module (issue 16 item 2): the care policy of patient channels, whatever the
 * transport — identity binding and enrollment, unknown senders, the channel's service window
 * (policy.ts, a value per channel), ownership and handoff, the intake safety net and the
 * delivery decision after the pipeline, and conversation memory (memory.ts). Built by the
 * composition root; adapters see it through the Intake, PatientConversations and HandoffDesk
 * ports (core/ports.ts).
 */
import type { ChannelName } from "../../core/domain.js";
import type { DeliveryPlan, Outbound, PatientConversations } from "../../core/ports.js";
import type { Services } from "../services.js";
import { addressAuditRef } from "./audit-ref.js";
import { type BindingStore, createBindingStore } from "./binding-store.js";
import type { Handoff } from "./handoff.js";
import { createPatientIntake, safetyNetClaim } from "./patient-intake.js";
import { CHANNEL_POLICIES, type ChannelPolicy } from "./policy.js";
import { patientText } from "./texts.js";

export interface Conversations {
  bindings: BindingStore;
  /** The patient side of the Intake port (server/intake.ts). */
  intake: ReturnType<typeof createPatientIntake>;
  /** What patient channel adapters call (core/ports.ts PatientConversations). */
  patients: PatientConversations;
}

export function createConversations(
  s: Services,
  o: { handoff: Handoff; clinicContact: string; policies?: Partial<Record<string, ChannelPolicy>> },
): Conversations {
  const policies = o.policies ?? CHANNEL_POLICIES;
  const bindings = createBindingStore(s.db);
  const { handoff, clinicContact } = o;

  async function planDelivery(channel: ChannelName, out: Outbound): Promise<DeliveryPlan> {
    const emergency = out.result.triage?.urgency === "emergency";
    // Sent at intake already (the claim was taken there)? Then the patient has this text.
    const safetyNetSent = emergency && !(await s.results.claimDelivery(out.messageId, safetyNetClaim(channel)));
    if (out.result.decision?.action === "escalate") {
      const r = await handoff.escalate({
        conversationId: out.conversationId,
        messageId: out.messageId,
        priority: out.result.decision.priority ?? "routine",
        reasons: out.result.decision.reasons,
      });
      // Already with a human: the clinician answers, not the bot (emergencies got the safety net at intake).
      if (r === "already-human") return { send: false, delivered: false, detail: "a human owns this conversation" };
      if (safetyNetSent) return { send: false, delivered: true, detail: "safety net sent at intake; handed to a human" };
      return { send: true, kind: "bot" };
    }
    if ((await handoff.owner(out.conversationId)) !== "bot") {
      await s.audit.append({
        kind: "handoff-bot-silenced",
        caseId: out.messageId,
        payload: { conversationId: out.conversationId },
      });
      return { send: false, delivered: false, detail: "a human owns this conversation: bot silent" };
    }
    if (safetyNetSent) return { send: false, delivered: true, detail: "safety net sent at intake" };
    return { send: true, kind: emergency ? "safety-net" : "bot" };
  }

  const patients: PatientConversations = {
    attachSender: (channel, sender) => handoff.attachPatientSender(channel, sender),
    planDelivery,
    auditRef: (addr) => addressAuditRef(addr.channel, addr.address),
    async claimWindowSlot(addr, w) {
      const window = policies[addr.channel]?.windows[addr.transport];
      if (!window) return { ok: true, n: 0 };
      const v = await bindings.claimWindowSlot(addr.address, s.clock(), window);
      if (!v.ok) {
        await s.audit.append({
          kind: `${addr.channel}-window-suppressed`,
          caseId: w.caseId ?? addressAuditRef(addr.channel, addr.address),
          payload: { transport: addr.transport, sendKind: w.kind, reason: v.reason },
        });
        return v;
      }
      return { ok: true, n: v.n, ...(v.last ? { append: patientText(addr.lang, "lastInWindow", clinicContact) } : {}) };
    },
  };

  return {
    bindings,
    intake: createPatientIntake({ services: s, bindings, handoff, clinicContact, policies }),
    patients,
  };
}
