/**
 * Safety-net replies: fixed, deterministic texts sent without any model when a message is an
 * emergency, escalated to a clinician, or held for review. Mixed-language messages get both.
 */
import type { Lang } from "../core/domain.js";

export type SafetyNetKind = "emergency" | "escalated" | "held";

export const SAFETY_NET: Record<"zh" | "en", Record<SafetyNetKind, string>> = {
  zh: {
    emergency:
      "您描述的情况可能很危险。请立即拨打120急救电话，或马上到最近的医院急诊就诊。如果是低血糖且人清醒能吞咽，先吃15克糖（如半杯果汁或3-4块方糖）；如果人叫不醒或抽搐，不要喂食，立即拨打120。我们已通知医生。",
    escalated: "您的问题需要医生亲自处理，我们已转给医护人员，会尽快联系您。如果情况加重，请立即拨打120或去医院急诊。",
    held: "我们已收到您的消息，医护人员审核后会回复您。如果情况紧急，请立即拨打120或去医院急诊。",
  },
  en: {
    emergency:
      "What you describe may be an emergency. Call 911 (or your local emergency number) now, or go to the nearest emergency department. If this is a low blood sugar and the person is awake and can swallow, give 15 g of fast sugar (half a cup of juice or 4 glucose tablets); if they cannot be woken or are having a seizure, give nothing by mouth and call for help. We have alerted a clinician.",
    escalated:
      "Your message needs a clinician's attention; we have passed it on and a clinician will follow up with you. If things get worse, call 911 (or your local emergency number) or go to the emergency department.",
    held: "We have received your message; a member of the care team will review it and reply. If this is urgent, call 911 (or your local emergency number) or go to the emergency department.",
  },
};

export function safetyNetReply(lang: Lang, kind: SafetyNetKind): string {
  if (lang === "mixed") return `${SAFETY_NET.zh[kind]}\n\n${SAFETY_NET.en[kind]}`;
  return SAFETY_NET[lang][kind];
}
