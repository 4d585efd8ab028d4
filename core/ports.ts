/**
 * Ports: one interface per capability. Pipeline code depends on these; adapters in rag/,
 * server/ and bot/ implement them; only server/main.ts wires concrete adapters together.
 * Each doc comment says what the contract promises and what it leaves out.
 */
import type { Config } from "./config.js";
import type {
  Audience,
  AuditEvent,
  ChannelName,
  DocKind,
  InboundMessage,
  IntakePrecheck,
  Lang,
  MessageKind,
  Passage,
  PatientContext,
  PipelineResult,
  Redacted,
  SimilarCase,
  Urgency,
} from "./domain.js";

/** Health of one dependency, as reported by /readyz. */
export interface Health {
  ok: boolean;
  detail?: string;
}

export interface LlmRequest {
  /** System / instruction text. Must already be free of PHI when the provider is third-party. */
  system: string;
  /** User prompt. Redacted: PHI never reaches a model host through this port. */
  prompt: Redacted;
  /** JSON schema the answer must follow (Ollama `format`, Anthropic tool input schema). */
  schema?: Record<string, unknown>;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface LlmResponse {
  text: string;
  provider: string;
  model: string;
  latencyMs: number;
}

/**
 * A chat model host. Contract: one request in, the model's raw text out; throws AppError
 * MODEL_TIMEOUT / DEPENDENCY_UNAVAILABLE on transport problems. Leaves out: JSON validation
 * and retries (the generate step owns them), streaming, tool calling beyond one schema.
 */
export interface Llm {
  readonly provider: string;
  readonly model: string;
  complete(req: LlmRequest): Promise<LlmResponse>;
  health(): Promise<Health>;
}

/**
 * Text → vectors. Contract: same input, same vector; all vectors have `dim` entries and unit
 * length. Leaves out: batching limits (callers pass small batches), caching.
 */
export interface Embedder {
  readonly id: string;
  readonly dim: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** A metadata value a vector record may carry (Chroma's scalar metadata). */
export type VectorScalar = string | number | boolean;
export type VectorMetadata = Record<string, VectorScalar>;

export interface VectorRecord {
  id: string;
  vector: number[];
  document: string;
  metadata: VectorMetadata;
}

export interface VectorHit {
  id: string;
  document: string;
  metadata: VectorMetadata;
  /** Cosine similarity in [-1, 1]. */
  score: number;
}

/**
 * A metadata filter: every condition must hold (AND). `eq`: the record's value equals the given
 * one; `in`: the record's value is one of the listed ones (an empty list matches nothing). A
 * record without the key never matches. This is all the code needs (kind ∈ …, audience =,
 * language =, sourceId =); no OR, no ranges, no negation — add them here, and to every adapter
 * and the conformance suite (rag/vector-store.conformance.ts), when a caller needs them.
 */
export interface VectorFilter {
  eq?: Readonly<Record<string, VectorScalar>>;
  in?: Readonly<Record<string, readonly VectorScalar[]>>;
}

/**
 * A store of named vector collections (Chroma; rag/memory-store.ts in process). Contract
 * (checked by rag/vector-store.conformance.ts against every adapter): a collection exists once
 * written to, reading one that does not is empty (never an error); upsert is idempotent by id
 * and replaces vector and document, merging metadata into the stored record's; query returns at
 * most k hits best first by cosine similarity; filters as `VectorFilter`; a vector whose
 * dimension differs from the collection's is refused with AppError CONFLICT; transport failures
 * are AppError DEPENDENCY_UNAVAILABLE. Leaves out: sparse / hybrid search (done in rag/ code),
 * transactions across collections (`move` is copy-then-delete: a crash leaves a duplicate,
 * never a loss), approximate-search tuning.
 */
export interface VectorStore {
  upsert(collection: string, records: readonly VectorRecord[]): Promise<void>;
  query(collection: string, vector: number[], k: number, filter?: VectorFilter): Promise<VectorHit[]>;
  /** Nearest ids and cosine similarities only, one list per query vector (no documents or metadata). */
  queryIds(collection: string, vectors: number[][], k: number, filter?: VectorFilter): Promise<{ id: string; score: number }[][]>;
  get(
    collection: string,
    opts: { ids?: string[]; filter?: VectorFilter; limit?: number; offset?: number },
  ): Promise<Omit<VectorHit, "score">[]>;
  /** Every record of a collection (the adapter pages as it must). */
  getAll(collection: string, filter?: VectorFilter): Promise<Omit<VectorHit, "score">[]>;
  delete(collection: string, ids: readonly string[]): Promise<void>;
  count(collection: string): Promise<number>;
  /** Merge metadata into stored records; vectors and documents stay. Unknown ids are ignored. */
  updateMetadata(collection: string, updates: { id: string; metadata: VectorMetadata }[]): Promise<void>;
  /** Move records (vectors included) to another collection, merging `patch` into their metadata; returns how many. */
  move(from: string, to: string, ids: readonly string[], patch?: VectorMetadata): Promise<number>;
  /** Collection-level metadata (e.g. the embedder that produced its vectors); {} when none. */
  collectionMetadata(collection: string): Promise<VectorMetadata>;
  setCollectionMetadata(collection: string, metadata: VectorMetadata): Promise<void>;
  /** Delete a collection and everything in it; dropping one that does not exist is a no-op. */
  dropCollection(collection: string): Promise<void>;
  health(): Promise<Health>;
}

export interface SearchOptions {
  k?: number;
  kind?: DocKind[];
  audience?: Audience;
  lang?: Lang;
}

/**
 * Knowledge retrieval for the retrieve step. Contract: passages best first, each with a
 * citation whose chunkId can be resolved back to text. Leaves out: injection filtering
 * (the pipeline passes results through guardrails before a prompt sees them).
 */
export interface Retriever {
  search(query: string, opts?: SearchOptions): Promise<Passage[]>;
  similarCases(patient: PatientContext, k?: number): Promise<SimilarCase[]>;
  health(): Promise<Health>;
}

export interface AuditAppend {
  kind: string;
  caseId: string;
  /** Must be redacted by the caller: guard verdicts, codes and redacted text only. */
  payload: unknown;
  traceId?: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  /** seq of the first event whose hash or link does not verify. */
  firstBadSeq?: number;
  reason?: string;
}

/**
 * Append-only, hash-chained audit trail. Contract: events get increasing seq; each hash covers
 * the previous hash and the event; appends are serialized so the chain never forks. Leaves
 * out: deletion (there is none), payload redaction (callers pass redacted payloads).
 */
export interface AuditStore {
  append(event: AuditAppend): Promise<AuditEvent>;
  list(caseId?: string): Promise<AuditEvent[]>;
  verify(): Promise<AuditVerification>;
}

export interface AcceptResult {
  id: string;
  /** False when the idempotency key was seen before: `id` is then the first submission's id. */
  created: boolean;
}

/**
 * Stored messages and their results. Contract: `accept` is atomic on idempotencyKey (one row per
 * key, whatever the concurrency); results are written once per id (`finish` is idempotent).
 * Leaves out: queueing (see Queue), review workflow state.
 */
export interface ResultStore {
  /** `precheck`, when given, is stored with the message in the same statement (see savePrecheck). */
  accept(message: InboundMessage, precheck?: IntakePrecheck): Promise<AcceptResult>;
  getMessage(id: string): Promise<InboundMessage | null>;
  markProcessing(id: string): Promise<void>;
  finish(result: PipelineResult): Promise<void>;
  getResult(id: string): Promise<PipelineResult | null>;
  /** Record a delivery; false when this message was already delivered on this channel (idempotent delivery). */
  claimDelivery(messageId: string, channel: string, detail?: string): Promise<boolean>;
  /** Mark a claimed delivery as accepted by its channel. */
  confirmDelivery(messageId: string, channel: string): Promise<void>;
  /** True when the claim was confirmed; false when claimed but never confirmed; null when never claimed. */
  deliveryConfirmed(messageId: string, channel: string): Promise<boolean | null>;
  /** The registered context of a patient (WeChat/HTTP patient messages); null when unknown. */
  getPatient(ref: string): Promise<PatientContext | null>;
  /**
   * Earlier messages of a conversation, newest first: received before `before` (ISO time),
   * `excludeId` left out, at most `limit`, each with the reply its result holds (null when none).
   */
  conversationTurns(
    conversationId: string,
    opts: { before: string; excludeId: string; limit: number },
  ): Promise<Array<{ message: InboundMessage; reply: string | null }>>;
  /** Store the intake pre-check with its message (sealed like the body); the first one stays. */
  savePrecheck(id: string, precheck: IntakePrecheck): Promise<void>;
  /** The stored intake pre-check; null when the message has none (accepted before it, or saving failed). */
  getPrecheck(id: string): Promise<IntakePrecheck | null>;
  health(): Promise<Health>;
}

export interface ReviewCaseOpen {
  messageId: string;
  priority: "emergency" | "urgent" | "routine";
  action: string;
  reasons: string[];
}

/**
 * The review queue's durable state. Contract: one case per message (opening twice is a no-op).
 * Leaves out: paging and SLAs (jobs/), reviewer identity and access control (server routes).
 */
export interface ReviewStore {
  openCase(entry: ReviewCaseOpen): Promise<void>;
}

/** A review case as a page shows it: codes and a redacted excerpt, never patient text. */
export interface CaseSummary {
  caseId: string;
  urgency: Urgency;
  channel: string;
  kind: string;
  /** The decision's reasons and the rules that fired: codes, no patient text. */
  reasons: string[];
  rules: string[];
  /** The message, PHI removed, shortened. */
  excerpt: Redacted;
  dueAt: Date;
  /** Link to the case in the console, when the console's public URL is known. */
  url?: string;
}

/** Who a page goes to: a person on the on-call roster (by chat user id) or, once it is exhausted, a channel. */
export type PageTarget =
  | { kind: "person"; person: { name: string; slackUserId: string } }
  | { kind: "channel"; channel: string; fallback: true };

export interface PageRequest {
  target: PageTarget;
  /** 0 on open; each missed service level pages the next level. */
  level: number;
  summary: CaseSummary;
  /** Also post the first page here (the team's review channel). */
  reviewChannel?: string;
}

/**
 * "Tell the on-call reviewer about case X" (Slack DM + review channel: server/review/pager.ts).
 * Contract: `page` delivers one page or throws (the caller's scheduled job retries it); the
 * detail names where it went. Leaves out: who is next and when (the SLA paging decides, on the
 * Scheduler), acknowledgement (the review operation), the buttons' handling (bot/slack).
 */
export interface Pager {
  page(req: PageRequest): Promise<{ detail: string }>;
}

/** One job for the Scheduler. `T` is its data: JSON-serialisable, ids and codes only (no PHI). */
export interface ScheduledJob<T> {
  /** Which handler runs it (see `handle`). */
  kind: string;
  /** Unique per kind: scheduling an id that is already pending is a no-op; `cancel` takes it. */
  id: string;
  data: T;
  /** When to run it, on the scheduler's clock; a time already past runs it now. */
  at: Date;
  /** Among jobs due together, lower runs first. @defaultValue 0 */
  priority?: number;
}

/**
 * "Run job kind K at time T, or cancel it" (delayed BullMQ jobs on Redis: server/jobs/scheduler.ts).
 * Contract: durable across restarts; at-least-once; a handler that throws is retried with
 * backoff unless it threw an AppError that is not retryable; a job of a kind with no handler fails
 * (a process that handles jobs registers every kind scheduled on it). Leaves out: exact timing (a job runs at or after `at`),
 * recurrence, cancelling a job already running (handlers re-check their state instead).
 */
export interface Scheduler {
  schedule<T>(job: ScheduledJob<T>): Promise<void>;
  cancel(kind: string, id: string): Promise<void>;
  /** Register the handler of one kind; jobs of that kind start running in this process. */
  handle<T>(kind: string, run: (data: T) => Promise<unknown>): void;
  close(): Promise<void>;
}

export interface QueueJob {
  messageId: string;
  urgency?: "emergency" | "urgent" | "routine";
  /** W3C trace context of the request that accepted the message. */
  traceparent?: string;
}

/**
 * The work queue between the HTTP server and pipeline workers (BullMQ). Contract: at-least-once;
 * a job id equals the message id so enqueuing twice is a no-op. Leaves out: ordering across
 * conversations, exactly-once (the pipeline's stores make processing idempotent instead).
 */
export interface Queue {
  enqueue(job: QueueJob): Promise<void>;
  depth(): Promise<number>;
  health(): Promise<Health>;
  close(): Promise<void>;
}

export interface Outbound {
  messageId: string;
  conversationId: string;
  text: string;
  replyTo?: Record<string, string>;
  result: PipelineResult;
}

/**
 * A delivery channel (Slack, WeChat, HTTP polling). Contract: `deliver` is idempotent per
 * messageId — a retried delivery never sends twice. Leaves out: triage and content decisions
 * (adapters are transport only).
 */
export interface Channel {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  deliver(out: Outbound): Promise<{ delivered: boolean; detail?: string }>;
}

/**
 * A channel adapter as the composition root mounts it: the Channel that delivers and the HTTP
 * routes that receive (Slack Events API, WeChat callbacks…). `Routes` is the web framework's
 * router (a Hono app in server/), a parameter so core/ imports no framework. Leaves out: how the
 * adapter is built (see PluginFactory) and what it may call (its factory's arguments).
 */
export interface ChannelPlugin<Routes = unknown> {
  name: ChannelName;
  channel: Channel;
  routes?: Routes;
}

/** Builds a ChannelPlugin from what the composition root hands it (`Args`). */
export type PluginFactory<Args extends unknown[], Routes = unknown> = (
  ...args: Args
) => ChannelPlugin<Routes> | Promise<ChannelPlugin<Routes>>;

/**
 * Structured logging as adapters use it (pino's call shape): an object of ids and codes, then a
 * message. Never message text or identifiers in the object (no PHI in logs). Leaves out: levels,
 * child loggers, transports (the composition root's pino logger satisfies this).
 */
export interface Log {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** A clock, passed in so pure code and tests control time. */
export type Clock = () => Date;

/**
 * A message as a channel adapter received it: what arrived and where to answer — no care
 * decisions. A clinician is named by ref; a patient by their address on the channel (openid,
 * contact id), which Intake resolves through the channel's binding.
 */
export interface IntakeSubmission {
  channel: ChannelName;
  /** @defaultValue "message" for patients, "consultation" for clinicians */
  kind?: MessageKind;
  sender:
    | { role: "clinician"; ref: string }
    | {
        role: "patient";
        address: string;
        /** How the channel reaches this address ("oa", "wechaty"…); the channel's policy may depend on it. */
        transport?: string;
      };
  /** The channel's own id of this message, namespaced ("slack:Ev1", "wechat:oa:123"): a repeat is the same submission. */
  key: string;
  text: string;
  /** A clinician's thread ("slack:C1:1700.1"); patients: one conversation per address on the channel. */
  conversationId?: string;
  /** Channel routing data for the answer (thread ts, openid…). */
  replyTo?: Record<string, string>;
  patient?: PatientContext;
  /** When the channel knows it; otherwise Intake detects it from the text and `langContext`. */
  lang?: Lang;
  /** More text to detect the language from (a consultation's chief complaint). */
  langContext?: string;
  /** A channel event with no message text: "subscribe" (a new follower). */
  event?: "subscribe";
}

/** A text the adapter sends now, in order, before acknowledging is done (no model involved). */
export interface IntakeReply {
  text: string;
  /** "safety-net": the fixed emergency text; "notice": binding, window and other service texts. */
  kind: "safety-net" | "notice";
  /** The message id the reply belongs to (audit), when one was accepted. */
  messageId?: string;
}

/** Why a submission did not enter the pipeline. */
export type IntakeRefusal =
  /** A patient address with no binding to a registered patient (told how to link; an emergency gets the safety net first). */
  | "unbound-sender"
  /** A binding command with a wrong, used or expired code, or too many attempts. */
  | "bind-failed"
  /** The channel message id was seen before: nothing is sent again. */
  | "duplicate"
  /** An event that needs nothing (a bound patient re-subscribing). */
  | "ignored";

export type IntakeOutcome =
  | {
      status: "accepted";
      /** The message id (the first submission's when `replayed`). */
      id: string;
      replayed: boolean;
      urgency: Urgency;
      lang: Lang;
      replies: IntakeReply[];
    }
  /** A binding command that linked the address to a patient. */
  | { status: "bound"; lang: Lang; replies: IntakeReply[] }
  | { status: "refused"; refusal: IntakeRefusal; lang: Lang; replies: IntakeReply[] };

/**
 * What a channel adapter may call with an inbound message. Contract: the message is stored
 * before this resolves (idempotent on `key`), pre-checked once and queued; the language is
 * detected here; `replies` are the texts to send now, in order (an emergency's safety net first,
 * claimed once per message so the pipeline's delivery never repeats it). Leaves out: delivery of
 * the answer (Channel.deliver), the transport's own checks (signatures, replays).
 */
export interface Intake {
  submit(m: IntakeSubmission): Promise<IntakeOutcome>;
}

/** Where a patient is reached: the channel, the address on it (openid / contact id) and how. */
export interface PatientAddress {
  channel: ChannelName;
  address: string;
  /** The channel's transport ("oa", "wechaty"…); the service window may depend on it. */
  transport: string;
  lang: Lang;
}

/** How a patient channel sends text (clinician replies, handoff notices); `kind` lets it apply its own rules. */
export interface PatientSender {
  send(addr: PatientAddress, text: string, kind: "clinician" | "notice"): Promise<{ delivered: boolean; detail?: string }>;
}

/** What a patient channel's delivery should do with the pipeline's answer. */
export type DeliveryPlan =
  | { send: true; kind: "bot" | "safety-net" }
  /** Nothing to send: sent at intake already (`delivered`), or a human owns the conversation. */
  | { send: false; delivered: boolean; detail: string };

export type WindowSlot = { ok: true; n: number; append?: string } | { ok: false; reason: "window-closed" | "quota" };

/**
 * The conversation module as a patient channel adapter sees it (server/conversations): the care
 * policy behind a patient channel — ownership and handoff, the safety net, the channel's service
 * window (a value per channel: WeChat's 48 h / 5 messages) — so the adapter only moves text.
 * Leaves out: inbound messages (Intake), transport and its credentials.
 */
export interface PatientConversations {
  /** Register how `channel` reaches its patients (clinician replies, "returned to the bot" notices). */
  attachSender(channel: ChannelName, sender: PatientSender): void;
  /** The pipeline's answer to a patient message: send it (as `kind`) or not, and why. */
  planDelivery(channel: ChannelName, out: Outbound): Promise<DeliveryPlan>;
  /**
   * Take one slot of the address's service window for an outgoing text (always granted where
   * the channel has none); `append` is the text the last slot's message must carry. A refused
   * slot is audited under `caseId` (or the address's audit ref).
   */
  claimWindowSlot(addr: PatientAddress, o: { kind: string; caseId?: string }): Promise<WindowSlot>;
  /** The audit trail's case id for an address: a hash, never the platform identifier itself. */
  auditRef(addr: Pick<PatientAddress, "channel" | "address">): string;
}

export interface TranscriptLine {
  who: "patient" | "bot";
  text: Redacted;
  at: string;
}

/** A case thread on the clinician desk (a Slack channel and message ts). */
export interface CaseRef {
  channel: string;
  ts: string;
}

/** The clinicians' side of a handoff (Slack). Everything it is given is redacted. */
export interface ClinicianDesk {
  postCase(c: {
    conversationId: string;
    messageId: string;
    priority: string;
    reasons: Redacted[];
    transcript: TranscriptLine[];
  }): Promise<CaseRef>;
  postToCase(ref: CaseRef, text: Redacted): Promise<void>;
}

/**
 * Handoff as the clinician desk's adapter calls it: the case threads' conversations, a
 * clinician's reply to the patient and "return to bot". Leaves out: escalation (the pipeline's
 * decision, applied by the conversation module) and how patients are reached.
 */
export interface HandoffDesk {
  attachDesk(desk: ClinicianDesk): void;
  /** The patient conversation whose case thread this is, if any. */
  findByCase(ref: CaseRef): Promise<{ id: string } | null>;
  clinicianReply(r: {
    conversationId: string;
    clinicianRef: string;
    text: string;
    via: string;
  }): Promise<{ delivered: boolean; detail?: string }>;
  returnToBot(r: { conversationId: string; clinicianRef: string }): Promise<boolean>;
}

/**
 * Remembers keys for a while, shared by every server instance: replay protection for signed
 * callbacks. Contract: `firstSeen` is true once per key within `ttlS`; it throws AppError
 * DEPENDENCY_UNAVAILABLE when it cannot tell (callers refuse the request, never accept it
 * unchecked). Leaves out: what the key covers (the adapter hashes its signed fields).
 */
export interface ReplayGuard {
  firstSeen(key: string, ttlS: number): Promise<boolean>;
  /** Forget a key whose request failed after the check, so the sender's retry is not refused. */
  forget(key: string): Promise<void>;
}

/**
 * Everything a channel adapter gets from the composition root besides configuration: the
 * narrow ports it may call. Leaves out: stores, queues, the pipeline (adapters never reach them).
 */
export interface ChannelPorts {
  intake: Intake;
  /** The audit trail (adapters append ids and codes, never message text). */
  audit: AuditStore;
  log: Log;
  clock: Clock;
  /** Patient channels: delivery decisions, the service window, how handoffs reach patients. */
  patients: PatientConversations;
  /** The clinician desk: case threads, clinician replies, return to bot. */
  handoff: HandoffDesk;
  /** In Redis (expiring keys; refuses when Redis cannot answer). */
  replay: ReplayGuard;
  /** In SQL (survives a Redis outage; for requests that must be refused even then). */
  durableReplay: ReplayGuard;
  /** Opens review cases (a clinician flagging or escalating an answer); opening pages the on-call reviewer. */
  reviews: ReviewStore;
  /** The review operations behind the review page's buttons; absent when no review module runs. */
  reviewDesk?: ReviewDesk;
}

/** One review decision, as the console and the Slack buttons both submit it. */
export interface ReviewActionRequest {
  caseId: string;
  action: "acknowledge" | "approve" | "edit" | "reject";
  /** The console username acting. */
  reviewer: string;
  text?: string;
  /** A reject reason code. */
  reason?: string;
}

/** A review page interaction: a decision to apply, or a modal to open first (Edit, Reject). */
export type ReviewStep =
  | { kind: "action"; input: ReviewActionRequest }
  | { kind: "modal"; triggerId: string; caseId: string; modal: "edit" | "reject" };

/** A case's triage as a reviewer corrects it. */
export interface TriageChoice {
  urgency: Urgency;
  responder: "physician" | "nurse" | "assistant" | "bot";
}

/**
 * The review module as the clinician desk's buttons call it (server/review): the same
 * operations as the console. Leaves out: access control beyond the linked user's role (the
 * adapter refuses users who may not act), the page's own layout.
 */
export interface ReviewDesk {
  /** The review page's button action ids and its modals' callback ids (the page is built by server/review). */
  readonly ids: { actions: readonly string[]; editModal: string; rejectModal: string };
  /** The console user a Slack user is linked to (users file `slackUserId`), with their role. */
  userBySlackId(slackUserId: string): { username: string; role: string } | null;
  /** Map a Slack interaction payload to a review step; null when it is none or `reviewerOf` refuses the user. */
  stepOf(payload: unknown, reviewerOf: (slackUserId: string) => string | null): ReviewStep | null;
  /** The one review operation (console, API and Slack). */
  act(input: ReviewActionRequest): Promise<{ status: string; delivered?: boolean }>;
  /** The modal for an Edit or Reject press. */
  modalView(step: Extract<ReviewStep, { kind: "modal" }>): Promise<Record<string, unknown>>;
  /** A case and its current triage (the queue's priority stands for the urgency); null when unknown. */
  caseTriage(caseId: string): Promise<{ id: string; messageId: string; current: TriageChoice | null } | null>;
  /** Store a triage correction (queue priority follows, audited); the case's message id for the audit. */
  correctTriage(
    input: TriageChoice & { caseId: string; reviewer: string },
  ): Promise<{ caseId: string; messageId: string | null; before: TriageChoice; after: TriageChoice }>;
}

/** How the composition root builds a channel adapter: its ports and the configuration. */
export type ChannelFactory<Routes = unknown> = PluginFactory<[ports: ChannelPorts, config: Config], Routes>;
