/**
 * Conversation memory (issue 16 item 5): the earlier turns a message is read with — by triage
 * (a "still shaking" after a reported low) and by the model prompt. Bounded (the last 6 turns,
 * 48 h, 2,000 characters, newest kept first) and redacted before anything leaves this module;
 * the raw history is returned only for the in-process triage, which reads text as sent.
 * A patient's memory holds only that patient's own messages; a clinician's Slack thread
 * follow-up also inherits the patient context of the thread's consultation.
 */
import type { ConversationMemory, InboundMessage, MemoryTurn, PatientContext } from "../../core/domain.js";
import type { ResultStore } from "../../core/ports.js";
import { redact } from "../../guardrails/index.js";

export interface MemoryBounds {
  turns: number;
  windowMs: number;
  chars: number;
}

export const MEMORY_BOUNDS: MemoryBounds = { turns: 6, windowMs: 48 * 3600_000, chars: 2_000 };

/** How far back a Slack thread's consultation is looked for (messages, not time). */
const THREAD_LOOKBACK = 50;

export interface Recalled {
  memory: ConversationMemory;
  /** The earlier turns' own text, oldest first, one per line: for triage in this process only. */
  history: string;
  /** The thread consultation's patient context, when the message inherits it. */
  patient?: PatientContext;
}

export const EMPTY_MEMORY: ConversationMemory = { turns: [], chars: 0, fromHistory: [] };

function sameSpeaker(m: InboundMessage, earlier: InboundMessage): boolean {
  if (m.sender.role === "patient") return earlier.sender.role === "patient" && earlier.sender.ref === m.sender.ref;
  return earlier.sender.role !== "patient" && earlier.channel === m.channel;
}

export async function recall(
  results: Pick<ResultStore, "conversationTurns">,
  m: InboundMessage,
  now: Date,
  bounds: MemoryBounds = MEMORY_BOUNDS,
): Promise<Recalled> {
  const inheritsPatient = !m.patient && m.sender.role !== "patient" && m.channel === "slack";
  const rows = await results.conversationTurns(m.conversationId, {
    before: m.receivedAt,
    excludeId: m.id,
    limit: inheritsPatient ? THREAD_LOOKBACK : bounds.turns,
  });
  const since = now.getTime() - bounds.windowMs;
  const recent = rows
    .filter((r) => sameSpeaker(m, r.message) && Date.parse(r.message.receivedAt) >= since)
    .slice(0, bounds.turns);
  const turns: MemoryTurn[] = [];
  const raw: string[] = [];
  let left = bounds.chars;
  for (const r of recent) {
    if (left <= 0) break;
    const text = redact(r.message.text).redacted.slice(0, left);
    left -= text.length;
    const reply = r.reply && left > 0 ? redact(r.reply).redacted.slice(0, left) : null;
    left -= reply?.length ?? 0;
    turns.unshift({ messageId: r.message.id, at: r.message.receivedAt, text, reply });
    raw.unshift(r.message.text.slice(0, bounds.chars));
  }
  const thread = inheritsPatient ? rows.find((r) => r.message.patient && r.message.sender.role !== "patient") : undefined;
  const memory: ConversationMemory = {
    turns,
    chars: bounds.chars - Math.max(0, left),
    fromHistory: [],
    ...(thread ? { patientFrom: thread.message.id } : {}),
  };
  return {
    memory,
    history: raw.join("\n"),
    ...(thread?.message.patient ? { patient: thread.message.patient } : {}),
  };
}

/** What the case record shows: which turns were used (ids, never text). */
export function memorySummary(memory: ConversationMemory) {
  return {
    turns: memory.turns.length,
    messageIds: memory.turns.map((t) => t.messageId),
    ...(memory.patientFrom ? { patientFrom: memory.patientFrom } : {}),
    fromHistory: memory.fromHistory,
  };
}
