/**
 * Sending to a patient on WeChat, by transport: the Official Account customer-service API
 * (within the 48 h / 5-message window — the 5th message carries the clinic's contact, a 6th is
 * suppressed and audited) or a wechaty contact. Message text never enters the audit trail.
 */
import type { AuditStore, Clock } from "../../core/ports.js";
import type { PatientAddress, PatientSender } from "../handoff/index.js";
import { wechatAuditRef } from "./audit-ref.js";
import type { CsApi } from "./cs-api.js";
import type { WechatStore } from "./store.js";
import { patientText } from "./texts.js";

export type SendKind = "bot" | "safety-net" | "clinician" | "notice";

/** Sends text to one wechaty contact id (set when the wechaty bot runs). */
export type WechatySay = (contactId: string, text: string) => Promise<void>;

export interface PatientOutboundDeps {
  store: WechatStore;
  audit: AuditStore;
  clock: Clock;
  clinicContact: string;
  csApi: CsApi | null;
  wechatySay: () => WechatySay | null;
}

export interface PatientOutbound extends PatientSender {
  sendAs(
    addr: Pick<PatientAddress, "address" | "transport" | "lang">,
    text: string,
    kind: SendKind,
    caseId?: string,
  ): Promise<{ delivered: boolean; detail?: string }>;
}

export function createPatientOutbound(d: PatientOutboundDeps): PatientOutbound {
  async function sendAs(
    addr: Pick<PatientAddress, "address" | "transport" | "lang">,
    text: string,
    kind: SendKind,
    caseId?: string,
  ) {
    const audit = (k: string, payload: Record<string, unknown>) =>
      d.audit.append({
        kind: k,
        caseId: caseId ?? wechatAuditRef(addr.address),
        payload: { transport: addr.transport, sendKind: kind, ...payload },
      });
    if (addr.transport === "wechaty") {
      const say = d.wechatySay();
      if (!say) return { delivered: false, detail: "wechaty bot not running" };
      await say(addr.address, text);
      return { delivered: true };
    }
    if (!d.csApi) return { delivered: false, detail: "WECHAT_APP_ID/WECHAT_APP_SECRET not configured" };
    const slot = await d.store.claimWindowSlot(addr.address, d.clock());
    if (!slot.ok) {
      await audit("wechat-window-suppressed", { reason: slot.reason });
      return { delivered: false, detail: `suppressed: ${slot.reason}` };
    }
    const body = slot.last ? `${text}\n\n${patientText(addr.lang, "lastInWindow", d.clinicContact)}` : text;
    const r = await d.csApi.sendText(addr.address, body);
    if (!r.ok) await audit("wechat-send-failed", { errcode: r.errcode });
    return r.ok
      ? { delivered: true, detail: `window message ${slot.n}` }
      : { delivered: false, detail: `wechat errcode ${r.errcode}` };
  }
  return {
    sendAs,
    send: (addr, text, kind) => sendAs(addr, text, kind),
  };
}
