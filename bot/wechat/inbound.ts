/**
 * One inbound patient text from WeChat (Official Account or wechaty), transport-independent:
 * dedupe by message id, open the OA window, binding commands, unknown senders (a polite
 * explanation; nothing enters the pipeline), then submitMessage. An emergency's safety-net text
 * goes out at once; when a human owns the conversation the message is shown in the case thread.
 */
import { randomUUID } from "node:crypto";
import type { InboundMessage } from "../../core/domain.js";
import { detectLang } from "../../guardrails/index.js";
import type { Services } from "../../server/services.js";
import { safetyNetForUnlinked, submitMessage } from "../../server/submit.js";
import type { Handoff, Transport } from "../handoff/index.js";
import { wechatAuditRef } from "./audit-ref.js";
import type { PatientOutbound } from "./outbound.js";
import type { WechatStore } from "./store.js";
import { BIND_RE, patientText } from "./texts.js";

export const SAFETY_NET_CLAIM = "wechat:safety-net";
const MAX_BIND_FAILURES = 5;

export interface InboundDeps {
  services: Services;
  store: WechatStore;
  outbound: PatientOutbound;
  handoff?: Handoff;
  clinicContact: string;
  /** Run sends in the background (the OA callback must answer within 5 s); awaited when absent. */
  defer?: (p: Promise<unknown>) => void;
}

export interface PatientText {
  transport: Transport;
  /** openid (OA) or contact id (wechaty). */
  address: string;
  msgId: string;
  text: string;
}

export type InboundOutcome = "duplicate" | "bound" | "bind-failed" | "unknown-sender" | "submitted";

export async function handlePatientText(
  d: InboundDeps,
  m: PatientText,
): Promise<{ outcome: InboundOutcome; messageId?: string }> {
  const s = d.services;
  const now = s.clock();
  if (!(await d.store.firstSeen(`${m.transport}:${m.msgId}`, m.address))) return { outcome: "duplicate" };
  if (m.transport === "oa") await d.store.touchWindow(m.address, now);
  const lang = detectLang(m.text);
  const addr = { address: m.address, transport: m.transport, lang };
  const caseId = wechatAuditRef(m.address);
  const send = async (text: string, kind: "notice" | "safety-net", msgId?: string) => {
    const p = d.outbound
      .sendAs(addr, text, kind, msgId)
      .catch((e: Error) => s.log.error({ kind, err: e.message }, "wechat send failed"));
    if (d.defer) d.defer(p);
    else await p;
  };

  const bind = BIND_RE.exec(m.text);
  if (bind) {
    const failures = await d.store.bindFailuresSince(m.address, new Date(now.getTime() - 24 * 3600_000));
    if (failures >= MAX_BIND_FAILURES) {
      await send(patientText(lang, "tooManyAttempts", d.clinicContact), "notice");
      return { outcome: "bind-failed" };
    }
    const ref = await d.store.redeem(bind[1] as string, m.address, now);
    if (!ref) {
      await d.store.recordBindFailure(m.address, now);
      await s.audit.append({ kind: "wechat-bind-failed", caseId, payload: { transport: m.transport } });
      await send(patientText(lang, "badCode", d.clinicContact), "notice");
      return { outcome: "bind-failed" };
    }
    await s.audit.append({
      kind: "wechat-bound",
      caseId: `patient:${ref}`,
      payload: { transport: m.transport, address: caseId },
    });
    await send(patientText(lang, "bound", d.clinicContact, s.pipeline.options.emergencyNumber), "notice");
    return { outcome: "bound" };
  }

  const ref = await d.store.binding(m.address);
  if (!ref) {
    // An unbound sender describing an emergency gets the safety net first (no record, no queue).
    const net = safetyNetForUnlinked(s, m.text);
    await s.audit.append({
      kind: "wechat-unknown-sender",
      caseId,
      payload: { transport: m.transport, ...(net ? { emergency: net.flags } : {}) },
    });
    if (net) await send(net.text, "safety-net");
    await send(patientText(lang, "unknown", d.clinicContact), "notice");
    return { outcome: "unknown-sender" };
  }

  const conversationId = `wechat:${m.address}`;
  const message: InboundMessage = {
    id: randomUUID(),
    kind: "message",
    channel: "wechat",
    conversationId,
    sender: { role: "patient", ref },
    text: m.text.slice(0, 20_000),
    lang,
    receivedAt: now.toISOString(),
    idempotencyKey: `wechat:${m.transport}:${m.msgId}`,
    replyTo: { address: m.address, transport: m.transport, lang },
  };
  // Track first, so an escalation racing this request already sees the message in the transcript.
  const row = d.handoff ? await d.handoff.track(conversationId, { channel: "wechat", ...addr }, message.id) : null;
  const out = await submitMessage(s, message);
  if (out.safetyNet && (await s.results.claimDelivery(out.id, SAFETY_NET_CLAIM))) {
    // Fixed text, no model involved: sent now, not after the queue. The pipeline's own emergency
    // delivery sees the claim and does not send it twice.
    await send(out.safetyNet, "safety-net", out.id);
  }
  if (row?.owner === "human" && !out.replayed) await d.handoff?.forwardPatientMessage(conversationId, out.id, m.text);
  return { outcome: "submitted", messageId: out.id };
}
