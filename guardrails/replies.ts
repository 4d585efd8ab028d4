/**
 * Safety-net replies: fixed, deterministic texts sent without any model when a message is an
 * emergency, escalated to a clinician, or held for review. Mixed-language messages get both.
 * The emergency number is the clinic's country's (configuration), never guessed from the
 * language of the message: an English-speaking patient of a clinic in China must dial 120.
 */
import { DEFAULT_CLINIC_CONTACT } from "../core/config.js";
import type { Lang } from "../core/domain.js";
import { firstAidFor } from "./first-aid.js";

export type SafetyNetKind = "emergency" | "escalated" | "held";

/** Emergency numbers by clinic country (ISO 3166 alpha-2), each with its source. */
export const EMERGENCY_NUMBERS: Readonly<Record<string, { number: string; source: string }>> = {
  CN: { number: "120", source: "National Health Commission of the PRC: 120 medical emergency line" },
  HK: { number: "999", source: "Hong Kong SAR Government emergency services" },
  TW: { number: "119", source: "Taiwan National Fire Agency: 119 fire and ambulance" },
  SG: { number: "995", source: "Singapore Civil Defence Force: 995 ambulance" },
  US: { number: "911", source: "US FCC: 911 emergency number" },
  CA: { number: "911", source: "Canadian Radio-television and Telecommunications Commission: 9-1-1" },
  GB: { number: "999", source: "NHS: call 999 in a medical emergency (112 also works)" },
  IE: { number: "112", source: "Irish Emergency Call Answering Service: 112/999" },
  AU: { number: "000", source: "Australian Government Triple Zero (000)" },
  NZ: { number: "111", source: "New Zealand Police/St John: 111" },
  EU: { number: "112", source: "EU Universal Service Directive: 112 single emergency number" },
  DE: { number: "112", source: "EU single emergency number 112" },
  FR: { number: "15", source: "SAMU medical emergency 15 (112 also works)" },
  JP: { number: "119", source: "Fire and Disaster Management Agency of Japan: 119 ambulance" },
  KR: { number: "119", source: "Korea National Fire Agency: 119" },
  IN: { number: "112", source: "Emergency Response Support System, India: 112" },
};

/** The number to tell patients: the configured override, else the country's, else null (unknown country). */
export function emergencyNumberFor(country: string | undefined, override?: string): string | null {
  if (override) return override;
  if (!country) return null;
  return EMERGENCY_NUMBERS[country.toUpperCase()]?.number ?? null;
}

/** Without a configured country: the number of the language's most common clinic country (the historical default). */
const LANG_DEFAULT: Record<"zh" | "en", string> = { zh: "120", en: "911" };

/**
 * The low-blood-sugar first aid (ADA Standards of Care 2025 §6, 15–20 g of glucose; nothing by
 * mouth when the person cannot swallow): the default while-you-wait advice, and kept beside a
 * presentation's own advice when that presentation may be a hypo (first-aid.ts keepHypoAdvice).
 */
const HYPO_ADVICE: Record<"zh" | "en", string> = {
  zh: "如果是低血糖且人清醒能吞咽，先吃15克糖（如半杯果汁或3-4块方糖）；如果人叫不醒或抽搐，不要喂食。",
  en: "If this is a low blood sugar and the person is awake and can swallow, give 15 g of fast sugar (half a cup of juice or 4 glucose tablets); if they cannot be woken or are having a seizure, give nothing by mouth.",
};

/** `advice`: what to do while waiting (emergency only); without it, the low-blood-sugar advice. */
type Template = (n: string, advice?: string) => string;

const TEMPLATES: Record<"zh" | "en", Record<SafetyNetKind, Template>> = {
  zh: {
    emergency: (n, advice) =>
      `您描述的情况可能很危险。请立即拨打${n}急救电话，或马上到最近的医院急诊就诊。${advice ?? HYPO_ADVICE.zh}我们已通知医生。`,
    escalated: (n) => `您的问题需要医生亲自处理，我们已转给医护人员，会尽快联系您。如果情况加重，请立即拨打${n}或去医院急诊。`,
    held: (n) => `我们已收到您的消息，医护人员审核后会回复您。如果情况紧急，请立即拨打${n}或去医院急诊。`,
  },
  en: {
    emergency: (n, advice) =>
      `What you describe may be an emergency. Call ${n} (or your local emergency number) now, or go to the nearest emergency department. ${advice ?? HYPO_ADVICE.en} We have alerted a clinician.`,
    escalated: (n) =>
      `Your message needs a clinician's attention; we have passed it on and a clinician will follow up with you. If things get worse, call ${n} (or your local emergency number) or go to the emergency department.`,
    held: (n) =>
      `We have received your message; a member of the care team will review it and reply. If this is urgent, call ${n} (or your local emergency number) or go to the emergency department.`,
  },
};

const render = (lang: "zh" | "en", n?: string | null) =>
  Object.fromEntries(
    (Object.keys(TEMPLATES[lang]) as SafetyNetKind[]).map((k) => [k, TEMPLATES[lang][k](n ?? LANG_DEFAULT[lang])]),
  ) as Record<SafetyNetKind, string>;

/** The texts with no clinic country configured (120 in Chinese, 911 in English). */
export const SAFETY_NET: Record<"zh" | "en", Record<SafetyNetKind, string>> = { zh: render("zh"), en: render("en") };

/**
 * The safety-net text for a language and kind. `emergencyNumber` is the clinic country's
 * number (see emergencyNumberFor); without it the language default applies.
 */
export function safetyNetReply(
  lang: Lang,
  kind: SafetyNetKind,
  emergencyNumber?: string | null,
  emergencyCodes: readonly string[] = [],
): string {
  const one = (l: "zh" | "en") =>
    TEMPLATES[l][kind](emergencyNumber ?? LANG_DEFAULT[l], kind === "emergency" ? adviceFor(l, emergencyCodes) : undefined);
  return lang === "mixed" ? `${one("zh")}\n\n${one("en")}` : one(lang);
}

/** The while-you-wait lines for the emergency's presentation (first-aid.ts); undefined = the hypoglycaemia advice alone. */
function adviceFor(lang: "zh" | "en", codes: readonly string[]): string | undefined {
  const { lines, keepHypoAdvice } = firstAidFor(codes);
  if (lines.length === 0) return undefined;
  const text = lines.map((l) => l[lang]).join(lang === "zh" ? "" : " ");
  if (!keepHypoAdvice) return text;
  const hypo = HYPO_ADVICE[lang];
  return lang === "zh" ? `${hypo}${text}` : `${hypo} ${text}`;
}

/** The unset CLINIC_CONTACT in the patient's language, so a Chinese text never carries an English placeholder. */
export function localizedContact(lang: Lang, contact: string | undefined): string {
  const c = contact?.trim() || DEFAULT_CLINIC_CONTACT;
  if (c !== DEFAULT_CLINIC_CONTACT) return c;
  if (lang === "zh") return "您就诊卡或预约单上的门诊电话";
  if (lang === "mixed") return `您就诊卡或预约单上的门诊电话 / ${c}`;
  return c;
}
