/**
 * Triage of a follow-up read with the conversation's earlier turns (issue 16 item 5): "still
 * shaking" means nothing alone, but after "my sugar is 3.2 mmol/L" it is a level 1 low whose
 * symptoms persist (ADA Standards of Care §6). Only what the follow-up adds counts: a flag
 * raised by history + follow-up that the history alone does not raise (or raises at a lower
 * urgency). The history alone never re-escalates a later "thank you" — it was triaged when it
 * arrived.
 */
import type { Flag, PatientContext, Triage, Urgency } from "../core/domain.js";
import { triage } from "./triage.js";

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
const rank = (f: Flag) => RANK[f.urgency ?? "routine"];

export interface InContextInput {
  /** The follow-up itself (as the pre-check reads it). */
  text: string;
  /** Earlier turns of the conversation, oldest first, one per line. Empty: no memory. */
  history: string;
  patient?: PatientContext;
  now: Date;
}

export interface InContext {
  triage: Triage;
  /** Codes of the flags the follow-up raised only when read with its history. */
  fromHistory: string[];
}

/** Triage `alone` (the follow-up's own triage) raised by the flags the history makes it mean. */
export function triageInContext(input: InContextInput, alone: Triage): InContext {
  if (!input.history.trim()) return { triage: alone, fromHistory: [] };
  const base = { ...(input.patient ? { patient: input.patient } : {}), now: input.now };
  const before = triage({ text: input.history, ...base });
  const together = triage({ text: `${input.history}\n${input.text}`, ...base });
  const added = together.flags.filter((f) => {
    const had = before.flags.find((b) => b.code === f.code);
    const own = alone.flags.find((b) => b.code === f.code);
    return (!had || rank(f) > rank(had)) && (!own || rank(f) > rank(own));
  });
  const raising = added.filter((f) => rank(f) > 0);
  if (!raising.length) return { triage: alone, fromHistory: [] };
  const urgency = raising.reduce<Urgency>((u, f) => (rank(f) > RANK[u] ? (f.urgency ?? "routine") : u), alone.urgency);
  const flags = [...alone.flags.filter((f) => !raising.some((r) => r.code === f.code)), ...raising];
  const responder =
    urgency === "emergency"
      ? "physician"
      : urgency === "urgent" && alone.responder !== "physician"
        ? together.urgency === "urgent"
          ? together.responder
          : "nurse"
        : alone.responder;
  return {
    triage: {
      ...alone,
      urgency,
      responder,
      flags,
      escalate: alone.escalate || urgency === "emergency" || responder === "physician",
    },
    fromHistory: raising.map((f) => f.code),
  };
}
