/**
 * Cross-channel handoff: a patient conversation is owned by the bot, a human, or is closed.
 * An escalation hands it to a human — the patient is told, the on-call clinician gets the case
 * (with the conversation so far) on the clinician desk (Slack), and from then the bot stays
 * silent there; the clinician's replies reach the patient; "return to bot" hands it back.
 * Every hop is audited with ids and kinds only. The desk and the patient senders are attached
 * by the channel adapters (through the HandoffDesk and PatientConversations ports), so neither
 * adapter imports the other.
 *
 * Everything the handoff forwards to the desk is redacted first (names, phone numbers, ids,
 * addresses…): the review channel is a team-wide Slack channel, so the desk's types take
 * `Redacted`. The transcript is redacted as one conversation, so a name given once ("我叫…")
 * is removed from every later message. A reviewer who needs the identity opens the case in the
 * review console, where the role decides what is shown.
 */
import type { Lang, Redacted } from "../../core/domain.js";
import type {
  AuditStore,
  CaseRef,
  ClinicianDesk,
  HandoffDesk,
  PatientAddress,
  PatientSender,
  ResultStore,
  TranscriptLine,
} from "../../core/ports.js";
import { redact, redactAll } from "../../guardrails/phi.js";
import type { SqlClient } from "../stores/sql.js";
import { type ConversationRow, type ConversationStore, createConversationStore, type Owner } from "./ownership-store.js";

const NOTICE = {
  returned: {
    zh: "医生已结束本次人工回复，之后由智能助手继续为您解答。如情况紧急，请拨打120或去医院急诊。",
    en: "The clinician has handed this conversation back to the assistant. If anything is urgent, call your local emergency number or go to the emergency department.",
  },
};
const notice = (lang: Lang, k: keyof typeof NOTICE) => (lang === "mixed" ? `${NOTICE[k].zh}\n${NOTICE[k].en}` : NOTICE[k][lang]);

export interface HandoffServices {
  audit: AuditStore;
  /** To build the transcript from stored message ids (messages and results). */
  results: Pick<ResultStore, "getMessage" | "getResult">;
}

export interface HandoffOptions extends HandoffServices {
  db: SqlClient;
}

export interface Handoff extends HandoffDesk {
  readonly conversations: ConversationStore;
  attachPatientSender(channel: PatientAddress["channel"], sender: PatientSender): void;
  /** An inbound patient message: ensure the conversation exists and record the message id. */
  track(conversationId: string, addr: PatientAddress, messageId?: string): Promise<ConversationRow>;
  owner(conversationId: string): Promise<Owner>;
  /** The pipeline escalated a message: hand the conversation to a human (once) and post the case. */
  escalate(e: {
    conversationId: string;
    messageId: string;
    priority: string;
    reasons: string[];
  }): Promise<"handed-over" | "already-human">;
  /** A patient wrote while a human owns the conversation: show it in the case thread. */
  forwardPatientMessage(conversationId: string, messageId: string, text: string): Promise<void>;
  findByCase(ref: CaseRef): Promise<ConversationRow | null>;
}

export function createHandoff(opts: HandoffOptions): Handoff {
  const conversations = createConversationStore(opts.db);
  let desk: ClinicianDesk | null = null;
  const senders = new Map<string, PatientSender>();
  const svc: HandoffServices = { audit: opts.audit, results: opts.results };
  const bound = (): HandoffServices => svc;
  const audit = (kind: string, caseId: string, payload: Record<string, unknown>) =>
    bound().audit.append({ kind, caseId, payload });

  /** The conversation so far, raw; only `redactLines` output leaves this module. */
  async function rawTranscript(conversationId: string): Promise<Array<{ who: "patient" | "bot"; text: string; at: string }>> {
    const lines: Array<{ who: "patient" | "bot"; text: string; at: string }> = [];
    for (const id of await conversations.messageIds(conversationId)) {
      const m = await bound().results.getMessage(id);
      if (!m) continue;
      lines.push({ who: "patient", text: m.text, at: m.receivedAt });
      const r = await bound().results.getResult(id);
      if (r?.reply && !r.held) lines.push({ who: "bot", text: r.reply, at: m.receivedAt });
    }
    return lines;
  }

  async function transcript(conversationId: string): Promise<TranscriptLine[]> {
    const raw = await rawTranscript(conversationId);
    const red = redactAll(raw.map((l) => l.text));
    return raw.map((l, i) => ({ who: l.who, at: l.at, text: red[i]?.redacted ?? redact(l.text).redacted }));
  }

  /** A reason or notice for the case thread; pipeline reasons are codes, but nothing raw is posted. */
  const safe = (text: string): Redacted => redact(text).redacted;

  async function sendToPatient(row: ConversationRow, text: string, kind: "clinician" | "notice") {
    const sender = senders.get(row.channel);
    if (!sender) return { delivered: false, detail: `no ${row.channel} sender attached` };
    return sender.send(row, text, kind);
  }

  return {
    conversations,
    attachDesk(d) {
      desk = d;
    },
    attachPatientSender(channel, s) {
      senders.set(channel, s);
    },
    track: (id, addr, messageId) => conversations.track(id, addr, messageId),
    async owner(id) {
      return (await conversations.get(id))?.owner ?? "bot";
    },

    async escalate(e) {
      const changed = await conversations.setOwner(e.conversationId, "human");
      if (!changed) return "already-human";
      let posted = false;
      if (desk) {
        try {
          const ref = await desk.postCase({
            ...e,
            reasons: e.reasons.map(safe),
            transcript: await transcript(e.conversationId),
          });
          await conversations.setCase(e.conversationId, ref.channel, ref.ts);
          posted = true;
        } catch (err) {
          await audit("handoff-desk-error", e.messageId, { conversationId: e.conversationId, error: (err as Error).name });
        }
      }
      await audit("handoff-escalated", e.messageId, {
        conversationId: e.conversationId,
        priority: e.priority,
        from: "bot",
        to: "human",
        casePosted: posted,
      });
      return "handed-over";
    },

    async forwardPatientMessage(conversationId, messageId, text) {
      const row = await conversations.get(conversationId);
      if (row?.owner !== "human" || !desk || !row.caseChannel || !row.caseTs) return;
      // Redacted with the conversation so far: a name the patient gave earlier is a name here too.
      const earlier = (await rawTranscript(conversationId)).map((l) => l.text).filter((t) => t !== text);
      const red = redactAll([...earlier, text]).at(-1)?.redacted ?? redact(text).redacted;
      await desk.postToCase({ channel: row.caseChannel, ts: row.caseTs }, safe(`Patient: ${red}`));
      await audit("handoff-patient-forwarded", messageId, { conversationId });
    },

    async clinicianReply(r) {
      const row = await conversations.get(r.conversationId);
      if (!row) return { delivered: false, detail: "unknown conversation" };
      // A clinician speaking takes the conversation: the bot must not talk over them.
      if (row.owner !== "human") await conversations.setOwner(r.conversationId, "human", r.clinicianRef);
      const out = await sendToPatient(row, r.text, "clinician");
      await audit("handoff-clinician-reply", `conversation:${r.conversationId}`, {
        conversationId: r.conversationId,
        clinician: r.clinicianRef,
        via: r.via,
        delivered: out.delivered,
        detail: out.detail ?? null,
      });
      if (!out.delivered && desk && row.caseChannel && row.caseTs) {
        await desk.postToCase(
          { channel: row.caseChannel, ts: row.caseTs },
          safe(`:warning: Not delivered to the patient (${out.detail ?? "unknown reason"}).`),
        );
      }
      return out;
    },

    async returnToBot(r) {
      const changed = await conversations.setOwner(r.conversationId, "bot", r.clinicianRef);
      if (!changed) return false;
      const told = await sendToPatient(changed, notice(changed.lang, "returned"), "notice");
      await audit("handoff-returned", `conversation:${r.conversationId}`, {
        conversationId: r.conversationId,
        clinician: r.clinicianRef,
        from: "human",
        to: "bot",
        patientTold: told.delivered,
      });
      if (desk && changed.caseChannel && changed.caseTs) {
        await desk.postToCase(
          { channel: changed.caseChannel, ts: changed.caseTs },
          safe(
            `Returned to the bot by ${r.clinicianRef}. ${told.delivered ? "The patient has been told." : `The patient could not be told (${told.detail ?? "unknown reason"}).`}`,
          ),
        );
      }
      return true;
    },

    findByCase: (ref) => conversations.byCase(ref.channel, ref.ts),
  };
}
