/**
 * A Bolt receiver that lets Bolt process requests arriving on Hono routes (POST /slack/events,
 * /slack/commands, /slack/interactions). It verifies the signature on the raw body, answers
 * url_verification, and answers an Events API event only once it is durable: the listener has
 * stored (and enqueued) the message, so a process killed after the 200 loses nothing — Slack
 * never retries an event it got a 200 for. An event not stored within the ack deadline, or whose
 * listener failed, gets a 503 so that Slack retries it; a retry or duplicate of an event still
 * being stored waits for that same run (a retried event never yields a second reply; the store
 * also dedupes on slack:{event_id}, e.g. after a restart). The answer itself arrives later as a
 * threaded message.
 */
import { createHash } from "node:crypto";
import type { AckFn, App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { Context } from "hono";
import type { Log } from "../../core/ports.js";
import { verifySlackSignature } from "./verify.js";

export interface HonoReceiverOptions {
  signingSecret: string;
  now: () => number;
  log: Log;
  /** Wait for the listeners to finish before answering (deterministic tests). @defaultValue false */
  processBeforeResponse?: boolean;
  /**
   * The ack deadline, inside Slack's 3 s: a command or interaction without an ack by then gets a
   * 200 anyway (Slack never retries those); an event not yet stored gets a 503 (Slack retries it).
   * @defaultValue 2500
   */
  ackTimeoutMs?: number;
  /** How many recent event ids to remember for duplicate detection. @defaultValue 10000 */
  dedupeSize?: number;
  /** Events stored at once (each answered when stored); the rest wait their turn. @defaultValue 8 */
  backgroundConcurrency?: number;
  /**
   * Replay guard for slash commands and interactions (Slack never retries them, so the same
   * signed timestamp + body twice is a replay): resolves true the first time a key is seen
   * within the replay window. @defaultValue an in-process memory of recent keys
   */
  firstSeen?: (key: string) => Promise<boolean>;
}

type AckResponse = { status: number; body: string; type: string };

/** Insertion-ordered set with a size cap: the recent event ids this process has accepted. */
function recentSet(max: number) {
  const s = new Set<string>();
  return {
    /** True when `key` was already present. */
    seen(key: string): boolean {
      if (s.has(key)) return true;
      s.add(key);
      if (s.size > max) s.delete(s.values().next().value as string);
      return false;
    },
  };
}

/**
 * Insertion-ordered map with a size cap: each recent event id → whether its run stored it (a
 * promise while the run is still going). A failed run is forgotten, so Slack's retry runs again.
 */
function recentRuns(max: number) {
  const m = new Map<string, Promise<boolean>>();
  return {
    get: (key: string) => m.get(key),
    set(key: string, run: Promise<boolean>): void {
      m.set(key, run);
      if (m.size > max) m.delete(m.keys().next().value as string);
      void run.then((stored) => {
        if (!stored && m.get(key) === run) m.delete(key);
      });
    },
  };
}

/** A Slack payload is always a JSON object (or form fields); anything else is a bad request. */
function asObject(v: unknown): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("Slack payload is not an object");
  return v as Record<string, unknown>;
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes("application/x-www-form-urlencoded")) {
    const params = new URLSearchParams(raw);
    const payload = params.get("payload");
    if (payload !== null) return asObject(JSON.parse(payload));
    return Object.fromEntries(params.entries());
  }
  return asObject(JSON.parse(raw));
}

/**
 * An event not stored within the ack deadline, or whose listener failed: a 503, so Slack retries
 * it (a retry of an event still being stored waits for that run; the store dedupes on the event id).
 */
function notYetStored(c: Context): Response {
  return c.json({ error: { code: "DEPENDENCY_UNAVAILABLE", message: "event not stored yet; retry" } }, 503);
}

function toResponse(v: unknown): AckResponse {
  if (v === undefined || v === null || v === "") return { status: 200, body: "", type: "text/plain" };
  if (typeof v === "string") return { status: 200, body: v, type: "text/plain" };
  return { status: 200, body: JSON.stringify(v), type: "application/json" };
}

export class HonoReceiver implements Receiver {
  private app: App | undefined;
  /** Event ids this process has run (or is running): whether each run stored its event. */
  private readonly events;
  /** Listener runs still going (so `stop` and tests can wait for them). */
  readonly inflight = new Set<Promise<unknown>>();

  private readonly firstSeen: (key: string) => Promise<boolean>;
  /** Signed commands and interactions refused as replays (for the logs and tests). */
  replaysRefused = 0;

  constructor(private readonly opts: HonoReceiverOptions) {
    this.events = recentRuns(opts.dedupeSize ?? 10_000);
    const local = recentSet(opts.dedupeSize ?? 10_000);
    this.firstSeen = opts.firstSeen ?? (async (key) => !local.seen(key));
  }

  private active = 0;
  private readonly waiting: Array<() => void> = [];

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= (this.opts.backgroundConcurrency ?? 8)) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /** The Hono handler for every Slack endpoint. */
  readonly handle = async (c: Context): Promise<Response> => {
    const raw = await c.req.text();
    const ok = verifySlackSignature({
      signingSecret: this.opts.signingSecret,
      rawBody: raw,
      timestamp: c.req.header("x-slack-request-timestamp"),
      signature: c.req.header("x-slack-signature"),
      nowMs: this.opts.now(),
    });
    if (!ok) return c.json({ error: { code: "UNAUTHORIZED", message: "invalid Slack signature or stale timestamp" } }, 401);

    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, c.req.header("content-type") ?? "");
    } catch {
      return c.json({ error: { code: "BAD_REQUEST", message: "unparseable Slack payload" } }, 400);
    }
    if (body.type === "url_verification") return c.json({ challenge: String(body.challenge ?? "") });
    if (body.type !== "event_callback") {
      const key = createHash("sha256")
        .update(`${c.req.header("x-slack-request-timestamp") ?? ""}:${raw}`)
        .digest("hex");
      let first: boolean;
      try {
        first = await this.firstSeen(key);
      } catch (e) {
        // Cannot tell a replay from a first request: refuse (Slack shows the user an error).
        this.opts.log.error({ err: (e as Error).message }, "slack replay guard unavailable");
        return c.json({ error: { code: "DEPENDENCY_UNAVAILABLE", message: "try again" } }, 503);
      }
      if (!first) {
        this.replaysRefused++;
        this.opts.log.warn({ event: "slack.replay.refused", path: c.req.path }, "replayed Slack request refused");
        return c.body(null, 200);
      }
    }

    const retryNum = Number(c.req.header("x-slack-retry-num") ?? "") || undefined;
    const retryReason = c.req.header("x-slack-retry-reason");
    const eventId = typeof body.event_id === "string" ? body.event_id : undefined;
    const isEvent = body.type === "event_callback";
    const ackTimeoutMs = this.opts.ackTimeoutMs ?? 2500;
    const deadline = <T>(p: Promise<T>, late: T) =>
      new Promise<T>((resolve) => {
        const t = setTimeout(() => resolve(late), ackTimeoutMs);
        void p.then(resolve, () => resolve(late)).finally(() => clearTimeout(t));
      });
    // An event (or its retry) this process has already run, or is running: answered by that run.
    const earlier = isEvent && eventId ? this.events.get(eventId) : undefined;
    if (earlier) {
      const stored = await deadline(earlier, null);
      if (stored) {
        c.header("X-Slack-No-Retry", "1");
        return c.body(null, 200);
      }
      if (stored === null) return notYetStored(c);
      // The earlier run failed (and was forgotten): this request runs it again.
    }

    let resolveAck!: (r: AckResponse) => void;
    const acked = new Promise<AckResponse>((r) => {
      resolveAck = r;
    });
    let ackCalled = false;
    const ack: AckFn<unknown> = async (response?: unknown) => {
      if (ackCalled) return;
      ackCalled = true;
      resolveAck(toResponse(response));
    };
    const app = this.app;
    if (!app) return c.json({ error: { code: "DEPENDENCY_UNAVAILABLE", message: "Slack app not initialised" } }, 503);
    const event: ReceiverEvent = { body, ack, ...(retryNum ? { retryNum } : {}), ...(retryReason ? { retryReason } : {}) };
    // Events API requests carry no response data (Bolt acks them before any listener runs): the
    // answer waits for the listener — the message stored and enqueued — not for Bolt's ack.
    // Event runs go through a small concurrency limit, so under a burst the earliest events are
    // stored (and answered) first rather than every one late.
    const answerWhenStored = isEvent && !this.opts.processBeforeResponse;
    const answerFirst = !isEvent && Boolean(retryNum);
    const work = answerWhenStored || answerFirst ? this.limited(() => app.processEvent(event)) : app.processEvent(event);
    const run = work.catch((e: Error) => this.opts.log.error({ err: e.message }, "slack listener failed"));
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));
    if (isEvent && eventId)
      this.events.set(
        eventId,
        work.then(
          () => true,
          () => false,
        ),
      );

    if (answerWhenStored) {
      const stored = await deadline(
        work.then(() => true),
        false,
      );
      if (!stored) return notYetStored(c);
      if (retryNum) c.header("X-Slack-No-Retry", "1");
      return c.body(null, 200);
    }
    if (answerFirst) {
      c.header("X-Slack-No-Retry", "1");
      return c.body(null, 200);
    }
    let res: AckResponse;
    if (this.opts.processBeforeResponse) {
      await run;
      res = ackCalled ? await acked : { status: 404, body: "", type: "text/plain" };
    } else {
      const timeout = new Promise<AckResponse>((r) => {
        const t = setTimeout(() => r({ status: 200, body: "", type: "text/plain" }), ackTimeoutMs);
        void acked.finally(() => clearTimeout(t));
      });
      const unhandled = run.then(() => (ackCalled ? acked : { status: 404, body: "", type: "text/plain" }));
      res = await Promise.race([acked, unhandled, timeout]);
    }
    return new Response(res.body || null, { status: res.status, headers: res.body ? { "content-type": res.type } : {} });
  };
}
