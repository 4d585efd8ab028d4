/**
 * Sending to a patient on WeChat, by transport: the Official Account customer-service API
 * (within the service window the conversation module keeps — its last message carries the text
 * it hands back, a refused slot is suppressed and audited there) or a wechaty contact. Message
 * text never enters the audit trail.
 */
import type { AuditStore, PatientAddress, PatientConversations, PatientSender } from "../../core/ports.js";
import type { CsApi } from "./cs-api.js";

export type SendKind = "bot" | "safety-net" | "clinician" | "notice";

/** Sends text to one wechaty contact id (set when the wechaty bot runs). */
export type WechatySay = (contactId: string, text: string) => Promise<void>;

export interface PatientOutboundDeps {
  audit: AuditStore;
  patients: Pick<PatientConversations, "claimWindowSlot" | "auditRef">;
  csApi: CsApi | null;
  wechatySay: () => WechatySay | null;
}

export type WechatAddress = Pick<PatientAddress, "address" | "transport" | "lang">;

export interface PatientOutbound extends PatientSender {
  sendAs(addr: WechatAddress, text: string, kind: SendKind, caseId?: string): Promise<{ delivered: boolean; detail?: string }>;
}

export function createPatientOutbound(d: PatientOutboundDeps): PatientOutbound {
  async function sendAs(addr: WechatAddress, text: string, kind: SendKind, caseId?: string) {
    const full = { ...addr, channel: "wechat" } as const;
    if (addr.transport === "wechaty") {
      const say = d.wechatySay();
      if (!say) return { delivered: false, detail: "wechaty bot not running" };
      await say(addr.address, text);
      return { delivered: true };
    }
    if (!d.csApi) return { delivered: false, detail: "WECHAT_APP_ID/WECHAT_APP_SECRET not configured" };
    const slot = await d.patients.claimWindowSlot(full, { kind, ...(caseId ? { caseId } : {}) });
    if (!slot.ok) return { delivered: false, detail: `suppressed: ${slot.reason}` };
    const body = slot.append ? `${text}\n\n${slot.append}` : text;
    const r = await d.csApi.sendText(addr.address, body);
    if (!r.ok)
      await d.audit.append({
        kind: "wechat-send-failed",
        caseId: caseId ?? d.patients.auditRef(full),
        payload: { transport: addr.transport, sendKind: kind, errcode: r.errcode },
      });
    return r.ok
      ? { delivered: true, detail: `window message ${slot.n}` }
      : { delivered: false, detail: `wechat errcode ${r.errcode}` };
  }
  return {
    sendAs,
    send: (addr, text, kind) => sendAs(addr, text, kind),
  };
}
