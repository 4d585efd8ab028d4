/**
 * The pipeline: intake → pre-check → retrieve → generate → post-check → decide → deliver.
 * Fails closed: any error after intake becomes "held for review" with the error code as the
 * reason. The emergency path is deterministic: a fixed safety-net reply and an escalation,
 * without retrieval or any model call.
 */
import type { InboundMessage, PipelineResult } from "../../core/domain.js";
import { toAppError } from "../../core/errors.js";
import type { AuditAppend } from "../../core/ports.js";
import { triage as runTriage, safetyNetReply } from "../../guardrails/index.js";
import { decide } from "./decide.js";
import { deliver } from "./deliver.js";
import { generate } from "./generate.js";
import { intake, messageText } from "./intake.js";
import { modelTriage } from "./model-triage.js";
import { postcheck } from "./postcheck.js";
import { precheck } from "./precheck.js";
import { retrieve } from "./retrieve.js";
import { initialState, type PipelineDeps, type PipelineState } from "./types.js";

export async function runPipeline(message: InboundMessage, given: PipelineDeps): Promise<PipelineResult> {
  const done = await given.results.getResult(message.id);
  if (done) return done; // a redelivered job: the first result stands
  await given.results.markProcessing(message.id);
  const batch = batchedAudit(given);
  const deps: PipelineDeps = batch ? { ...given, audit: batch } : given;
  try {
    return await runSteps(message, deps);
  } finally {
    // The deliver step's own event (and, after a failure, whatever is left) in one more statement.
    await batch?.flush();
  }
}

/**
 * One message's audit events in two SQL statements instead of one per step (issue 18): events
 * are kept in order with the time they happened and written before delivery — so nothing is
 * sent before its trail is durable — and at the end of the run. A failed write keeps the events
 * for the next flush and throws, which holds the message (fail closed).
 */
function batchedAudit(deps: PipelineDeps): (PipelineDeps["audit"] & { flush(): Promise<void> }) | null {
  const store = deps.audit;
  const appendMany = store.appendMany?.bind(store);
  if (!appendMany) return null;
  let pending: (AuditAppend & { at: string })[] = [];
  return {
    async append(event) {
      pending.push({ ...event, at: deps.clock().toISOString() });
    },
    appendMany: async (events) => {
      for (const e of events) pending.push({ ...e, at: deps.clock().toISOString() });
    },
    async flush() {
      if (pending.length === 0) return;
      const out = pending;
      pending = [];
      try {
        await appendMany(out);
      } catch (e) {
        pending = [...out, ...pending];
        throw e;
      }
    },
  };
}

async function runSteps(message: InboundMessage, deps: PipelineDeps): Promise<PipelineResult> {
  let state: PipelineState = initialState(message);
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const end = deps.metrics?.stepSeconds.startTimer({ step });
    try {
      return deps.tracing ? await deps.tracing.withSpan(`pipeline.${step}`, fn) : await fn();
    } finally {
      end?.();
    }
  };
  let result: PipelineResult;
  try {
    state = await timed("intake", () => intake(message, deps));
    const pre = state;
    state = await timed("pre-check", () => precheck(pre, deps));
    const ruled = state;
    state = await timed("model-triage", () => modelTriage(ruled, deps));
    if (state.triage?.urgency === "emergency") {
      const em = state;
      result = await timed("deliver", () => emergencyPath(em, deps));
    } else {
      const s1 = state;
      state = await timed("retrieve", () => retrieve(s1, deps));
      const s2 = state;
      state = await timed("generate", () => generate(s2, deps));
      const s3 = state;
      state = await timed("post-check", () => postcheck(s3, deps));
      const s4 = state;
      state = await timed("decide", () => decide(s4, deps));
      if ((state.decision?.action === "send" || state.decision?.action === "send-with-caveat") && !state.reply) {
        state = { ...state, decision: { action: "hold-for-review", reasons: ["empty reply"] }, reply: null };
      }
      const s5 = state;
      result = await timed("deliver", () => deliver(s5, deps));
    }
  } catch (e) {
    result = await holdOnError(state, deps, e);
  }
  const action = result.decision?.action ?? "hold-for-review";
  deps.metrics?.decisions.inc({ action });
  if (action === "escalate") deps.metrics?.escalations.inc({ urgency: result.decision?.priority ?? "routine" });
  return result;
}

async function emergencyPath(state: PipelineState, deps: PipelineDeps): Promise<PipelineResult> {
  const flags = state.triage?.flags.map((f) => f.code) ?? [];
  const next: PipelineState = {
    ...state,
    decision: { action: "escalate", priority: "emergency", reasons: flags.map((c) => `red flag: ${c}`) },
    // First aid for the presentation found (stroke: nothing by mouth; anaphylaxis: adrenaline…).
    reply: safetyNetReply(state.lang, "emergency", deps.options.emergencyNumber, flags),
  };
  await deps.audit.append({
    kind: "emergency-path",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: { flags, modelCalls: 0, retrieval: false },
  });
  return deliver(next, deps);
}

/**
 * Hold a message for review after its job failed for good (e.g. the store was down through
 * every retry). Safe to call when a result already exists: the first result stands.
 */
export async function holdMessage(message: InboundMessage, deps: PipelineDeps, code: string): Promise<void> {
  if (await deps.results.getResult(message.id)) return;
  const stored = await deps.results.getPrecheck(message.id).catch(() => null);
  await holdOnError({ ...initialState(message), ...(stored ? { stored } : {}) }, deps, new Error(code));
}

/**
 * A held case keeps its urgency: when the failure came before pre-check finished, the message is
 * triaged here (pure rules, no I/O) so the review queue and its service level still see it.
 */
function withTriage(state: PipelineState, deps: PipelineDeps): PipelineState {
  if (state.triage) return state;
  // Pre-checked at intake: that triage (read with the conversation) stands.
  if (state.stored) return { ...state, triage: state.stored.triage, memory: state.stored.memory };
  try {
    const triaged = runTriage({
      text: messageText(state.message),
      ...(state.patient ? { patient: state.patient } : {}),
      now: deps.clock(),
    });
    return { ...state, triage: triaged };
  } catch {
    return state;
  }
}

async function holdOnError(failed: PipelineState, deps: PipelineDeps, e: unknown): Promise<PipelineResult> {
  const state = withTriage(failed, deps);
  const err = toAppError(e);
  deps.log.warn({ messageId: state.message.id, code: err.code, err: err.message }, "pipeline error: holding for review");
  const held: PipelineState = {
    ...state,
    decision: { action: "hold-for-review", priority: state.triage?.urgency ?? "routine", reasons: [`error: ${err.code}`] },
    // A patient is told a person will follow up (fixed text); a clinician gets nothing unchecked.
    reply: state.audience === "patient" ? safetyNetReply(state.lang, "held", deps.options.emergencyNumber) : null,
    error: err.code,
  };
  // An emergency detected before the failure still gets its safety net.
  if (state.triage?.urgency === "emergency") {
    return emergencyPath(state, deps);
  }
  await deps.audit.append({
    kind: "error",
    caseId: state.message.id,
    traceId: state.message.traceId,
    payload: { code: err.code, retryable: err.retryable, step: stepOf(failed), urgency: state.triage?.urgency ?? null },
  });
  return deliver(held, deps);
}

function stepOf(s: PipelineState): string {
  if (!s.triage) return "intake/pre-check";
  if (!s.draft) return s.passages.length ? "generate" : "retrieve";
  if (!s.decision) return "post-check";
  return "deliver";
}
