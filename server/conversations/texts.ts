/**
 * Fixed patient-facing texts of the patient channels (binding, unknown senders, the message
 * window), in Chinese and English; plain and short. Clinical content comes from the pipeline.
 * One language per text: the clinic contact is localised when it is the unset default, and the
 * emergency number is the clinic country's (CLINIC_COUNTRY), not the message language's.
 */
import type { Lang } from "../../core/domain.js";
import { localizedContact } from "../../guardrails/replies.js";

type Texts = Record<
  "unknown" | "bound" | "badCode" | "tooManyAttempts" | "lastInWindow",
  (contact: string, emergency: string | undefined) => string
>;

const T: Record<"zh" | "en", Texts> = {
  zh: {
    unknown: (c) =>
      `您好！这里是糖尿病门诊的随访助手。为保护您的隐私，请先绑定就诊信息：发送“绑定”加门诊给您的6位绑定码，例如“绑定 123456”。联系门诊：${c}`,
    bound: (_c, n) => `绑定成功。您可以在这里给门诊发随访消息。如遇紧急情况，请立即拨打${n ?? "120"}。`,
    badCode: (c) => `绑定码无效或已过期，请核对后重试，或联系门诊获取新的绑定码：${c}`,
    tooManyAttempts: (c) => `尝试次数过多，请24小时后再试，或联系门诊：${c}`,
    lastInWindow: (c) => `（本次可回复的消息已达上限。如需继续沟通，请联系门诊：${c}）`,
  },
  en: {
    unknown: (c) =>
      `Hello, this is the diabetes clinic's follow-up assistant. To protect your privacy, please link your record first: send "link" and the 6-digit code the clinic gave you, e.g. "link 123456". To reach the clinic: ${c}`,
    bound: (_c, n) =>
      `You are linked. You can send the clinic follow-up messages here. In an emergency, call ${n ? `${n} (the local emergency number)` : "your local emergency number"} now.`,
    badCode: (c) =>
      `That code is not valid or has expired. Please check it and try again, or ask the clinic for a new code: ${c}`,
    tooManyAttempts: (c) => `Too many attempts. Please try again in 24 hours, or contact the clinic: ${c}`,
    lastInWindow: (c) => `(This is the last message we can send until you write again. To reach the clinic: ${c})`,
  },
};

export function patientText(lang: Lang, key: keyof Texts, contact: string, emergencyNumber?: string): string {
  if (lang === "mixed")
    return `${T.zh[key](localizedContact("zh", contact), emergencyNumber)}\n${T.en[key](localizedContact("en", contact), emergencyNumber)}`;
  return T[lang][key](localizedContact(lang, contact), emergencyNumber);
}

/** "绑定 123456", "link 123456", "bind: 123456". */
export const BIND_RE = /^\s*(?:绑定|綁定|link|bind)\s*[:：]?\s*(\d{6})\s*$/i;
