/** Pre-check: language, triage, PHI redaction and injection detection in one pass over a message. */
import type { Lang, PatientContext, Redacted, Triage } from "../core/domain.js";
import { detectInjection } from "./injection.js";
import { redact } from "./phi.js";
import { detectLang } from "./text/lang.js";
import { triage } from "./triage.js";

export interface PrecheckResult {
  lang: Lang;
  triage: Triage;
  redacted: Redacted;
  phiSpans: { start: number; end: number; type: string }[];
  injection: { flagged: boolean; evidence: string[] };
}

export function precheck(input: { text: string; lang?: Lang; patient?: PatientContext; now: Date }): PrecheckResult {
  const lang = input.lang ?? detectLang(input.text);
  const injection = detectInjection(input.text);
  const { redacted, spans } = redact(input.text);
  // Injection is recorded, never acted on: triage runs on the full text exactly as without it.
  const t = { ...triage({ ...input, lang }), injection: injection.flagged };
  return { lang, triage: t, redacted, phiSpans: spans, injection };
}
