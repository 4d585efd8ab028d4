/**
 * Decision policy: triage + findings + draft + uncertainty → send | send-with-caveat |
 * hold-for-review | escalate(priority). Fails closed: a missing input or an error holds the
 * message for review; only an emergency outranks that (it escalates with no model involved).
 */
import type { Decision, Draft, Finding, Triage } from "../core/domain.js";

export interface DecideInput {
  triage?: Triage | null;
  findings?: Finding[] | null;
  draft?: Draft | null;
  audience: "clinician" | "patient";
  retrievalScore?: number;
  /** @defaultValue 0.2 — applied only when `retrievalScore` is given. */
  minRetrievalScore?: number;
  /** Self-consistency agreement; falls back to `draft.agreement`. */
  agreement?: number;
  /** @defaultValue 0.6 — applied only when an agreement value is available. */
  minAgreement?: number;
  error?: string;
}

export const DEFAULT_MIN_RETRIEVAL = 0.2;
export const DEFAULT_MIN_AGREEMENT = 0.6;

export function decide(input: DecideInput): Decision {
  const { triage, findings, draft, audience } = input;
  const patient = audience === "patient";
  if (triage?.urgency === "emergency") {
    return {
      action: "escalate",
      priority: "emergency",
      reasons: [
        "emergency red flag",
        ...triage.flags.filter((f) => f.urgency === "emergency").map((f) => `${f.code}: ${f.evidence}`),
      ],
    };
  }
  if (input.error) return { action: "hold-for-review", reasons: [`error: ${input.error}`] };
  const missing = [triage ? undefined : "triage", findings ? undefined : "findings", draft ? undefined : "draft"].filter(
    (x) => x !== undefined,
  );
  if (!triage || !findings || !draft || missing.length > 0)
    return { action: "hold-for-review", reasons: missing.map((m) => `missing ${m}`) };

  const reasons: string[] = [];
  if (triage.complexity.length > 0) {
    return {
      action: "escalate",
      priority: triage.urgency === "urgent" ? "urgent" : "routine",
      reasons: triage.complexity.map((c) => `complexity: ${c.reason}`),
    };
  }
  if (triage.escalate || (triage.urgency === "urgent" && patient)) {
    return {
      action: "escalate",
      priority: "urgent",
      reasons: triage.flags.filter((f) => f.urgency === "urgent").map((f) => `urgent: ${f.code}`),
    };
  }
  // Uncertainty reasons are computed before the block check so a held draft lists every
  // reason the reviewer needs (a blocked drug AND weak evidence), not only the first.
  const uncertainty: string[] = [];
  if (input.retrievalScore !== undefined && input.retrievalScore < (input.minRetrievalScore ?? DEFAULT_MIN_RETRIEVAL))
    uncertainty.push(`low retrieval score ${input.retrievalScore}`);
  const agreement = input.agreement ?? draft.agreement;
  if (agreement !== undefined && agreement < (input.minAgreement ?? DEFAULT_MIN_AGREEMENT))
    uncertainty.push(`low agreement ${agreement}`);

  const blocks = findings.filter((f) => f.severity === "block");
  if (blocks.length > 0)
    return { action: "hold-for-review", reasons: [...blocks.map((f) => `block: ${f.code} (${f.item})`), ...uncertainty] };
  if (uncertainty.length > 0) return { action: "escalate", priority: "routine", reasons: uncertainty };
  if (patient && draft.mode === "case-based") return { action: "hold-for-review", reasons: ["case-based draft to a patient"] };
  // A patient answer carries no orders; one that does (or has no text) is not a patient answer.
  if (draft.mode === "patient-answer" && (!patient || draft.medications.length > 0 || !draft.reply?.trim()))
    return { action: "hold-for-review", reasons: ["malformed patient answer"] };
  if (triage.injection) {
    if (patient) return { action: "hold-for-review", reasons: ["prompt-injection attempt in the message"] };
    reasons.push("prompt-injection attempt flagged");
  }
  const warns = findings.filter((f) => f.severity === "warn");
  if (warns.length > 0 && patient) return { action: "hold-for-review", reasons: warns.map((f) => `warn: ${f.code} (${f.item})`) };
  reasons.push(...warns.map((f) => `warn: ${f.code} (${f.item})`));
  if (triage.urgency === "urgent")
    reasons.push(...triage.flags.filter((f) => f.urgency === "urgent").map((f) => `urgent: ${f.code}`));
  if (draft.mode === "case-based") reasons.push("case-based draft (no model)");
  if (reasons.length > 0) return { action: "send-with-caveat", reasons };
  if (draft.mode === "patient-answer")
    return { action: "send", reasons: [`patient answer (${draft.model}): no flags, no findings above info`] };
  return { action: "send", reasons: ["no flags, no findings above info"] };
}
