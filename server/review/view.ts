/**
 * What reviewers and exports see of a case, with PHI removed: every free-text field goes
 * through guardrails `redact`, and the patient's identifiers (ref, names in notes) never leave.
 */
import type { InboundMessage, PatientContext, Redacted } from "../../core/domain.js";
import type { CaseSummary } from "../../core/ports.js";
import { redact } from "../../guardrails/index.js";
import { type CaseRow, rulesOf } from "./store.js";

export const red = (text: string): Redacted => redact(text).redacted;

/**
 * A redactor for one case. guardrails `redact` finds names only after a cue ("I am …",
 * "patient: …"), so a name it found once in the message is also removed wherever it appears
 * bare in the same case (a reviewer's edit, a note), as are the patient ref and identifiers.
 */
export function caseRedactor(
  sources: ReadonlyArray<string | null | undefined>,
  literals: ReadonlyArray<string | undefined> = [],
): (text: string) => Redacted {
  const known = new Map<string, string>();
  for (const src of sources) {
    if (!src) continue;
    for (const sp of redact(src).spans) {
      const v = src.slice(sp.start, sp.end).trim();
      if (v.length >= 3) known.set(v, sp.type);
    }
  }
  for (const l of literals) if (l && l.length >= 3) known.set(l, "ID");
  const ordered = [...known.entries()].sort(([a], [b]) => b.length - a.length);
  return (text) => {
    let out: string = redact(text).redacted;
    for (const [v, type] of ordered) out = out.split(v).join(`[${type}]`);
    return out as Redacted;
  };
}

/** The patient context as label/value lines, each value redacted; the patient ref is left out. */
export function redactedPatient(
  p: PatientContext | null | undefined,
  r: (text: string) => Redacted = red,
): Array<[string, Redacted]> {
  if (!p) return [];
  const out: Array<[string, string]> = [
    ["Age / sex", `${p.age} / ${p.sex}`],
    ...(p.department ? ([["Department", p.department]] as Array<[string, string]>) : []),
    ["Diagnoses", p.diagnoses.join("; ") || "—"],
    ...(p.chiefComplaint ? ([["Chief complaint", p.chiefComplaint]] as Array<[string, string]>) : []),
    ...(p.presentIllness ? ([["Present illness", p.presentIllness]] as Array<[string, string]>) : []),
    ["Labs", p.labs.map((l) => `${l.name} ${l.value ?? l.flag ?? "?"} ${l.unit}`.trim()).join("; ") || "—"],
    ["Medications", p.medications.map((m) => [m.name, m.dose, m.frequency, m.route].filter(Boolean).join(" ")).join("; ") || "—"],
    ["Allergies", p.allergies.join("; ") || "—"],
    ...(p.egfr !== undefined ? ([["eGFR", String(p.egfr)]] as Array<[string, string]>) : []),
    ...(p.pregnancy !== undefined ? ([["Pregnancy", p.pregnancy ? "yes" : "no"]] as Array<[string, string]>) : []),
    ...(p.dialysis !== undefined ? ([["Dialysis", p.dialysis ? "yes" : "no"]] as Array<[string, string]>) : []),
    ...(p.recentEvents.length ? ([["Recent events", p.recentEvents.join("; ")]] as Array<[string, string]>) : []),
  ];
  return out.map(([k, v]) => [k, r(v)]);
}

/** Plain-text form of the redacted patient context (model input for exports). */
export function redactedPatientText(p: PatientContext | null | undefined, r: (text: string) => Redacted = red): Redacted {
  return r(
    redactedPatient(p, r)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n"),
  );
}

export function caseSummary(c: CaseRow, message: InboundMessage, dueAt: Date, consoleUrl?: string): CaseSummary {
  const text = red(message.text);
  return {
    caseId: c.id,
    urgency: c.priority,
    channel: c.channel,
    kind: c.kind,
    reasons: c.reasons,
    rules: rulesOf(c),
    excerpt: (text.length > 600 ? `${text.slice(0, 600)}…` : text) as Redacted,
    dueAt,
    ...(consoleUrl ? { url: `${consoleUrl.replace(/\/$/, "")}/console/cases/${encodeURIComponent(c.id)}` } : {}),
  };
}
