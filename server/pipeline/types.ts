/**
 * What the pipeline's seven steps share: the ports they run on (PipelineDeps) and the state one
 * message accumulates as it moves through them (PipelineState).
 */
import type {
  ConversationMemory,
  Decision,
  Draft,
  Finding,
  InboundMessage,
  IntakePrecheck,
  Lang,
  Passage,
  PatientContext,
  Redacted,
  SimilarCase,
  Triage,
} from "../../core/domain.js";
import type { AuditAppend, Channel, Clock, Llm, ResultStore, Retriever, ReviewStore } from "../../core/ports.js";
import type { Recalled } from "../conversations/memory.js";
import type { Logger } from "../log.js";
import type { Metrics } from "../observability/metrics.js";
import type { Tracing } from "../observability/tracing.js";

export interface PipelineOptions {
  /** Passages per retrieval. @defaultValue 5 */
  k: number;
  /** Similar past cases for peer-informed prompts and case-based mode. @defaultValue 10 */
  similarK: number;
  /** Self-consistency samples. @defaultValue 1 */
  samples: number;
  /** Below this item agreement across samples the draft escalates. @defaultValue 0.6 */
  minAgreement: number;
  /** Below this best retrieval score the draft escalates. */
  minRetrievalScore: number;
  /** PMLM self-informed prompt part (the patient's own history). @defaultValue true */
  selfInformed: boolean;
  /** PMLM peer-informed prompt part (similar past cases). @defaultValue true */
  peerInformed: boolean;
  /** The model's second opinion on urgency beside the rules, when a model host is configured. @defaultValue true */
  modelTriage: boolean;
  /**
   * The clinic country's emergency number for patient safety-net texts (CLINIC_COUNTRY /
   * EMERGENCY_NUMBER). @defaultValue the language's default (120 in Chinese, 911 in English)
   */
  emergencyNumber?: string;
  /** How patients reach the clinic, quoted in patient answers (CLINIC_CONTACT). */
  clinicContact?: string;
  /** Console base URL for case links in clinician notices (PUBLIC_URL). */
  publicUrl?: string;
}

/** The part of the audit store the pipeline uses; `appendMany` (the SQL store's) enables batching. */
export interface PipelineAudit {
  append(event: AuditAppend): Promise<unknown>;
  appendMany?(events: readonly AuditAppend[]): Promise<unknown>;
  /** Write what is batched (deliver calls it before sending anything). */
  flush?(): Promise<void>;
}

export interface PipelineDeps {
  results: ResultStore;
  reviews: ReviewStore;
  /**
   * Where the steps write their audit events. runPipeline batches one message's events
   * (`appendMany`, one SQL statement per flush: before delivery and at the end of the run).
   */
  audit: PipelineAudit;
  /** Null when the knowledge store is down: the pipeline then holds for review. */
  retriever: Retriever | null;
  /** Null when no model host is configured: case-based mode. */
  llm: Llm | null;
  channels: Partial<Record<InboundMessage["channel"], Channel>>;
  clock: Clock;
  options: PipelineOptions;
  log: Logger;
  metrics?: Metrics;
  tracing?: Tracing;
}

export type Audience = "clinician" | "patient";

export interface PipelineState {
  message: InboundMessage;
  audience: Audience;
  lang: Lang;
  patient?: PatientContext;
  /** The text the checks and the model see about this message, PHI removed. */
  redacted?: Redacted;
  /** A consultation's own question (beside its complaint and history), PHI removed at intake. */
  question?: Redacted;
  /** The earlier turns of the conversation this message is read with (redacted, bounded). */
  memory?: ConversationMemory;
  /** The pre-check stored at intake, read back by the intake step. */
  stored?: IntakePrecheck;
  /** The conversation recalled by the intake step when nothing was stored (in-process only). */
  recalled?: Recalled;
  triage?: Triage;
  injection?: { flagged: boolean; evidence: string[] };
  passages: Passage[];
  similar: SimilarCase[];
  draft?: Draft;
  findings: Finding[];
  decision?: Decision;
  reply: string | null;
  /** Error code when the pipeline failed closed. */
  error?: string;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  k: 5,
  similarK: 10,
  samples: 1,
  minAgreement: 0.6,
  minRetrievalScore: 0.2,
  selfInformed: true,
  peerInformed: true,
  modelTriage: true,
};

/** The state a message starts the pipeline with: nothing found, decided or replied yet. */
export function initialState(message: InboundMessage): PipelineState {
  return {
    message,
    audience: message.sender.role === "patient" ? "patient" : "clinician",
    lang: message.lang,
    passages: [],
    similar: [],
    findings: [],
    reply: null,
  };
}
