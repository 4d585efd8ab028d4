/**
 * GlycoPilot's domain types (DESIGN.md "Domain types"): each a zod schema with its inferred
 * type beside it, so HTTP validation, queue payloads and stored rows share one definition.
 * Only `PatientContext` (and the raw `text` of an inbound message) may hold PHI; everything
 * that leaves the process (logs, third-party prompts, audit payloads) takes `Redacted`.
 */
import { z } from "zod";

export const Lang = z.enum(["zh", "en", "mixed"]);
export type Lang = z.infer<typeof Lang>;

export const ChannelName = z.enum(["http", "slack", "wechat", "wecom"]);
export type ChannelName = z.infer<typeof ChannelName>;

export const SenderRole = z.enum(["clinician", "patient", "reviewer"]);
export type SenderRole = z.infer<typeof SenderRole>;

export const Sex = z.enum(["male", "female", "other", "unknown"]);
export type Sex = z.infer<typeof Sex>;

/** A lab result as given by the user; `value` null with `flag` covers meter "LO"/"HI". */
export const Lab = z.object({
  name: z.string().min(1).max(120),
  value: z.number().finite().nullable(),
  unit: z.string().max(32).default(""),
  flag: z.enum(["LO", "HI"]).optional(),
  at: z.string().max(40).optional(),
});
export type Lab = z.infer<typeof Lab>;

export const MedicationAction = z.enum(["start", "continue", "stop", "increase", "decrease", "change"]);
export type MedicationAction = z.infer<typeof MedicationAction>;

export const Medication = z.object({
  name: z.string().min(1).max(120),
  dose: z.string().max(60).optional(),
  frequency: z.string().max(60).optional(),
  route: z.string().max(40).optional(),
  action: MedicationAction.optional(),
});
export type Medication = z.infer<typeof Medication>;

/** The only type that holds PHI. Lab values are normalized by intake (glucose mg/dL, HbA1c %). */
export const PatientContext = z.object({
  ref: z.string().max(120).optional(),
  department: z.string().max(120).optional(),
  age: z.number().int().min(0).max(130),
  sex: Sex,
  diagnoses: z.array(z.string().min(1).max(200)).max(50).default([]),
  chiefComplaint: z.string().max(2000).optional(),
  presentIllness: z.string().max(8000).optional(),
  labs: z.array(Lab).max(200).default([]),
  medications: z.array(Medication).max(60).default([]),
  allergies: z.array(z.string().max(120)).max(50).default([]),
  egfr: z.number().min(0).max(200).optional(),
  pregnancy: z.boolean().optional(),
  dialysis: z.boolean().optional(),
  /** Recent events such as "DKA 2026-09", "hospital stay 2026-10"; used by the complexity router. */
  recentEvents: z.array(z.string().max(200)).max(50).default([]),
});
export type PatientContext = z.infer<typeof PatientContext>;

export const MessageKind = z.enum(["consultation", "message"]);
export type MessageKind = z.infer<typeof MessageKind>;

export const InboundMessage = z.object({
  id: z.string().min(1).max(120),
  kind: MessageKind,
  channel: ChannelName,
  conversationId: z.string().min(1).max(200),
  sender: z.object({ role: SenderRole, ref: z.string().min(1).max(200) }),
  text: z.string().max(20_000),
  lang: Lang,
  receivedAt: z.string(),
  idempotencyKey: z.string().min(1).max(200),
  patient: PatientContext.optional(),
  /** Channel-specific routing data needed to deliver the answer (thread ts, openid…). */
  replyTo: z.record(z.string(), z.string()).optional(),
  traceId: z.string().max(64).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessage>;

declare const RedactedBrand: unique symbol;
/** Text that went through the PHI redactor. Created only by guardrails/phi (and by stores re-reading redacted rows). */
export type Redacted = string & { readonly [RedactedBrand]: true };

export const Urgency = z.enum(["emergency", "urgent", "routine"]);
export type Urgency = z.infer<typeof Urgency>;

export const Responder = z.enum(["physician", "nurse", "assistant", "bot"]);
export type Responder = z.infer<typeof Responder>;

export const Flag = z.object({
  code: z.string(),
  evidence: z.string(),
  source: z.string(),
  urgency: Urgency.optional(),
});
export type Flag = z.infer<typeof Flag>;

export const ComplexityReason = z.object({ code: z.string(), reason: z.string(), source: z.string().optional() });
export type ComplexityReason = z.infer<typeof ComplexityReason>;

export const Triage = z.object({
  urgency: Urgency,
  responder: Responder,
  flags: z.array(Flag),
  complexity: z.array(ComplexityReason),
  escalate: z.boolean(),
  injection: z.boolean().default(false),
});
export type Triage = z.infer<typeof Triage>;

/** One earlier turn of a conversation, PHI removed: what the patient (or clinician) said and what was sent back. */
export const MemoryTurn = z.object({
  messageId: z.string(),
  at: z.string(),
  text: z.string(),
  reply: z.string().nullable(),
});
export type MemoryTurn = z.infer<typeof MemoryTurn>;

/** The earlier turns a message was read with (server/conversations/memory.ts), bounded and redacted. */
export const ConversationMemory = z.object({
  /** Oldest first. */
  turns: z.array(MemoryTurn),
  chars: z.number().int().min(0),
  /** A Slack thread follow-up: the thread's consultation whose patient context it inherits. */
  patientFrom: z.string().optional(),
  /** Flags the message raised only when read with its history (guardrails/in-context.ts). */
  fromHistory: z.array(z.string()).default([]),
});
export type ConversationMemory = z.infer<typeof ConversationMemory>;

/** The pre-check, run once at intake and stored with the message: queue priority and the pipeline read it. */
export const IntakePrecheck = z.object({
  lang: Lang,
  triage: Triage,
  /** The text the guardrails read (complaint and history with the question), PHI removed. */
  redacted: z.string(),
  /** A consultation's own question, PHI removed, when it differs from the text above. */
  question: z.string().optional(),
  injection: z.object({ flagged: z.boolean(), evidence: z.array(z.string()) }),
  /** PHI span types found (never their text). */
  phi: z.array(z.string()),
  memory: ConversationMemory,
});
export type IntakePrecheck = z.infer<typeof IntakePrecheck>;

export const DocKind = z.enum(["guideline", "formulary", "protocol", "education", "case"]);
export type DocKind = z.infer<typeof DocKind>;
export const Audience = z.enum(["clinician", "patient"]);
export type Audience = z.infer<typeof Audience>;

export const Citation = z.object({
  sourceId: z.string(),
  chunkId: z.string(),
  title: z.string(),
  url: z.string(),
  version: z.string(),
});
export type Citation = z.infer<typeof Citation>;

export const Passage = z.object({
  text: z.string(),
  score: z.number(),
  citation: Citation,
  kind: DocKind.optional(),
  audience: Audience.optional(),
});
export type Passage = z.infer<typeof Passage>;

/** A past patient found by similar-case search, with what was ordered for them. */
export const SimilarCase = z.object({
  caseId: z.string(),
  similarity: z.number(),
  summary: z.string(),
  labTests: z.array(z.string()),
  medications: z.array(z.string()),
});
export type SimilarCase = z.infer<typeof SimilarCase>;

const cites = z.array(z.string().max(200)).max(20).default([]);

export const DraftLabTest = z.object({ name: z.string().max(200), reason: z.string().max(500).optional(), citations: cites });
/** @alias An examination is drafted with the lab-test shape (name, reason, citations). */
export const DraftExamination = DraftLabTest;
export const DraftMedication = z.object({
  name: z.string().max(120),
  dose: z.string().max(60).optional(),
  frequency: z.string().max(60).optional(),
  route: z.string().max(40).optional(),
  action: MedicationAction,
  citations: cites,
});
export type DraftMedication = z.infer<typeof DraftMedication>;
export const DraftRecommendation = z.object({ text: z.string().max(2000), citations: cites });

/** What a model (or the case-based recommender) must return; sent to Ollama as the JSON-schema `format`. */
export const DraftBody = z.object({
  labTests: z.array(DraftLabTest).max(30),
  examinations: z.array(DraftExamination).max(30),
  medications: z.array(DraftMedication).max(30),
  recommendations: z.array(DraftRecommendation).max(30),
  /** Patient-facing reply text (messages only): plain, short, no dosing directives. */
  reply: z.string().max(4000).optional(),
  confidence: z.number().min(0).max(1),
});
export type DraftBody = z.infer<typeof DraftBody>;

/** "patient-answer": a patient reply composed from patient-education passages or the patient's own targets (no model, no orders). */
export const DraftMode = z.enum(["model", "guideline-based", "case-based", "safety-net", "patient-answer"]);
export type DraftMode = z.infer<typeof DraftMode>;

export const Draft = DraftBody.extend({
  mode: DraftMode,
  provider: z.string(),
  model: z.string(),
  promptVersion: z.string(),
  agreement: z.number().min(0).max(1).optional(),
});
export type Draft = z.infer<typeof Draft>;

export const Severity = z.enum(["block", "warn", "info"]);
export type Severity = z.infer<typeof Severity>;

export const Finding = z.object({
  code: z.string(),
  severity: Severity,
  item: z.string(),
  message: z.string(),
  source: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const DecisionAction = z.enum(["send", "send-with-caveat", "hold-for-review", "escalate"]);
export type DecisionAction = z.infer<typeof DecisionAction>;

export const Decision = z.object({
  action: DecisionAction,
  priority: Urgency.optional(),
  reasons: z.array(z.string()),
});
export type Decision = z.infer<typeof Decision>;

export const ReviewStatus = z.enum(["open", "acknowledged", "approved", "edited", "rejected"]);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const ReviewCase = z.object({
  id: z.string(),
  messageId: z.string(),
  triage: Triage.nullable(),
  draft: Draft.nullable(),
  findings: z.array(Finding),
  decision: Decision,
  status: ReviewStatus,
  reviewer: z.string().nullable(),
  edits: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type ReviewCase = z.infer<typeof ReviewCase>;

export const AuditEvent = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.string(),
  caseId: z.string(),
  payload: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
  traceId: z.string().nullable().optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const JobStatus = z.enum(["queued", "processing", "done", "failed"]);
export type JobStatus = z.infer<typeof JobStatus>;

/** The stored outcome of one inbound message: what GET /v1/consultations/:id and /v1/messages/:id return. */
export const PipelineResult = z.object({
  id: z.string(),
  kind: MessageKind,
  status: JobStatus,
  triage: Triage.nullable(),
  passages: z.array(Passage.pick({ score: true, citation: true })).default([]),
  draft: Draft.nullable(),
  findings: z.array(Finding),
  decision: Decision.nullable(),
  /** The text delivered (or to be delivered after review). Null when held. */
  reply: z.string().nullable(),
  held: z.boolean(),
  error: z.string().nullable().optional(),
  /** The conversation's language: channels render labels and notices in it. */
  lang: Lang.optional(),
  /** False when the channel did not accept the reply: the console then shows it as not delivered. */
  delivered: z.boolean().optional(),
  /** The earlier turns this message was read with (ids only; the console opens them). */
  memory: z
    .object({
      turns: z.number().int().min(0),
      messageIds: z.array(z.string()),
      patientFrom: z.string().optional(),
      fromHistory: z.array(z.string()),
    })
    .optional(),
});
export type PipelineResult = z.infer<typeof PipelineResult>;

/**
 * The codes of the rules behind a result's decision — triage flags, complexity, block/warn
 * findings, an error — for notices that must not carry PHI (evidence and items stay out).
 */
export function reasonCodes(result: PipelineResult): string[] {
  const codes = [
    ...(result.triage?.flags ?? []).map((f) => f.code),
    ...(result.triage?.complexity ?? []).map((c) => c.code),
    ...result.findings.filter((f) => f.severity !== "info").map((f) => f.code),
  ];
  if (result.error) codes.push(`error:${result.error}`);
  if (!codes.length && result.draft?.mode === "case-based") codes.push("case-based-draft");
  if (!codes.length) codes.push(...(result.decision?.reasons ?? []).map((r) => r.split(/[:(]/)[0]?.trim() ?? "").filter(Boolean));
  return [...new Set(codes)];
}
