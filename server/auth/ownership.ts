/**
 * Ownership of patient data: which caller may read or write which message and conversation.
 * Staff roles (clinician, reviewer, admin) act for the care team; a patient token is the patient
 * it names and nothing else. A conversation id is bound to the patient who first uses it
 * (table conversation_owners) and can never be taken over by another patient. Refusals look
 * like absence (404) on reads, so a guessed id says nothing about whether it exists.
 */
import type { InboundMessage } from "../../core/domain.js";
import type { SqlQueryable } from "../stores/sql.js";
import type { Principal } from "./credentials.js";

/** True when `p` may read this message (and its result). No principal: the API is open (see api-guard). */
export function mayReadMessage(p: Principal | undefined, m: InboundMessage): boolean {
  if (!p || p.role !== "patient") return true;
  return m.sender.role === "patient" && m.sender.ref === p.name;
}

export async function conversationOwner(db: SqlQueryable, conversationId: string): Promise<string | null> {
  const r = await db.query<{ patient_ref: string }>("SELECT patient_ref FROM conversation_owners WHERE conversation_id = $1", [
    conversationId,
  ]);
  return r.rows[0]?.patient_ref ?? null;
}

/**
 * Bind `conversationId` to `patientRef` at first use, or confirm it is already theirs. Refused
 * ("taken") when it is bound to another patient, or when, unbound, it already holds messages
 * from anyone else (a clinician's consultation thread, another channel's conversation).
 */
export async function claimConversation(
  db: SqlQueryable,
  conversationId: string,
  patientRef: string,
): Promise<"bound" | "owned" | "taken"> {
  const owner = await conversationOwner(db, conversationId);
  if (owner !== null) return owner === patientRef ? "owned" : "taken";
  const other = await db.query(
    `SELECT 1 FROM messages WHERE conversation_id = $1 AND NOT (sender_role = 'patient' AND sender_ref = $2) LIMIT 1`,
    [conversationId, patientRef],
  );
  if (other.rows.length > 0) return "taken";
  await db.query(
    "INSERT INTO conversation_owners (conversation_id, patient_ref) VALUES ($1, $2) ON CONFLICT (conversation_id) DO NOTHING",
    [conversationId, patientRef],
  );
  // Two first uses racing: whoever inserted first owns it.
  return (await conversationOwner(db, conversationId)) === patientRef ? "bound" : "taken";
}

/**
 * May patient `p` read this conversation? Its binding (when there is one) must be theirs, and
 * every patient message in it must be from them.
 */
export async function patientMayReadConversation(
  db: SqlQueryable,
  p: Principal,
  conversationId: string,
  turns: ReadonlyArray<{ senderRole: string; senderRef: string }>,
): Promise<boolean> {
  const owner = await conversationOwner(db, conversationId);
  if (owner !== null && owner !== p.name) return false;
  const patientTurns = turns.filter((t) => t.senderRole === "patient");
  if (owner === null && patientTurns.length === 0) return false;
  return patientTurns.every((t) => t.senderRef === p.name);
}
