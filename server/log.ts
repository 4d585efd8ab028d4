/**
 * Structured logging (pino). Logs carry ids, codes and timings — never message text or patient
 * fields; the redact list is a second line of defence for anything that slips into a log call.
 */
import { type Logger, pino } from "pino";

export type { Logger };

export const LOG_REDACT_PATHS = [
  "text",
  "*.text",
  "patient",
  "*.patient",
  "body",
  "*.body",
  "prompt",
  "*.prompt",
  "reply",
  "*.reply",
  "headers.authorization",
  "*.headers.authorization",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: "glycopilot" }, redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } },
    destination ?? pino.destination(2),
  );
}

// ------------------------------------------------------------------------- debug and trace events
//
// LOG_LEVEL=debug: one line per HTTP request (method, route, status, request id) and one per
// audit event (kind, case id = message id, seq, trace id) — enough to follow one message from
// acceptance through every pipeline step to delivery or review. LOG_LEVEL=trace adds the audit
// payload's ids, codes and numbers. Neither ever carries text: every value goes through
// `idsAndCodes`, which keeps only numbers, booleans and short identifier-like strings.

const ID_LIKE = /^[A-Za-z0-9._:#@/+-]{1,120}$/;

/** Keep numbers, booleans and identifier-like strings (ids, codes); anything else is "[omitted]". */
export function idsAndCodes(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string") return ID_LIKE.test(value) ? value : "[omitted]";
  if (depth >= 3) return "[omitted]";
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => idsAndCodes(v, depth + 1));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 40)) {
      if (!ID_LIKE.test(k) || LOG_REDACT_PATHS.includes(k)) continue;
      out[k] = idsAndCodes(v, depth + 1);
    }
    return out;
  }
  return "[omitted]";
}

type AuditEventIn = { kind: string; caseId: string; payload: unknown; traceId?: string };
interface AuditLike<E> {
  append(event: AuditEventIn): Promise<E>;
  /** The batched write (SQL store); wrapped too, so a batched trail is logged like single appends. */
  appendMany?(events: readonly AuditEventIn[]): Promise<E[]>;
}

/** Wrap an audit store so each appended event is also a debug (and trace) log event. */
export function withAuditTrace<E extends { seq: number }, S extends AuditLike<E>>(store: S, log: Logger): S {
  const trace = (event: AuditEventIn, out: E) => {
    if (!log.isLevelEnabled("debug")) return;
    const fields = {
      event: `audit.${idsAndCodes(event.kind)}`,
      caseId: idsAndCodes(event.caseId),
      seq: out.seq,
      ...(event.traceId ? { traceId: idsAndCodes(event.traceId) } : {}),
    };
    if (log.isLevelEnabled("trace")) log.trace({ ...fields, detail: idsAndCodes(event.payload) }, "audit event");
    else log.debug(fields, "audit event");
  };
  const append: S["append"] = async (event) => {
    const out = await store.append(event);
    trace(event, out);
    return out;
  };
  const many = store.appendMany?.bind(store);
  const appendMany = many
    ? async (events: readonly AuditEventIn[]) => {
        const out = await many(events);
        events.forEach((e, i) => {
          const o = out[i];
          if (o) trace(e, o);
        });
        return out;
      }
    : undefined;
  return Object.assign(Object.create(Object.getPrototypeOf(store)), store, {
    append,
    ...(appendMany ? { appendMany } : {}),
  }) as S;
}
