/**
 * A Bolt receiver that lets Bolt process requests arriving on Hono routes (POST /slack/events,
 * /slack/commands, /slack/interactions). It verifies the signature on the raw body, answers
 * url_verification, answers Slack's retries and duplicate event ids with 200 at once (a retried
 * event must never yield a second reply), and returns the HTTP response as soon as the
 * listener acks — the answer itself arrives later as a threaded message.
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
  /** Answer 200 anyway after this long without an ack, so Slack does not retry. @defaultValue 2500 */
  ackTimeoutMs?: number;
  /** How many recent event ids to remember for duplicate detection. @defaultValue 10000 */
  dedupeSize?: number;
  /** Events processed at once after their ack. @defaultValue 4 */
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

function toResponse(v: unknown): AckResponse {
  if (v === undefined || v === null || v === "") return { status: 200, body: "", type: "text/plain" };
  if (typeof v === "string") return { status: 200, body: v, type: "text/plain" };
  return { status: 200, body: JSON.stringify(v), type: "application/json" };
}

export class HonoReceiver implements Receiver {
  private app: App | undefined;
  private readonly recent;
  /** Listener runs still going (so `stop` and tests can wait for them). */
  readonly inflight = new Set<Promise<unknown>>();

  private readonly firstSeen: (key: string) => Promise<boolean>;
  /** Signed commands and interactions refused as replays (for the logs and tests). */
  replaysRefused = 0;

  constructor(private readonly opts: HonoReceiverOptions) {
    this.recent = recentSet(opts.dedupeSize ?? 10_000);
    const local = recentSet(opts.dedupeSize ?? 10_000);
    this.firstSeen = opts.firstSeen ?? (async (key) => !local.seen(key));
  }

  private active = 0;
  private readonly waiting: Array<() => void> = [];

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((r) => setImmediate(r));
    if (this.active >= (this.opts.backgroundConcurrency ?? 4)) await new Promise<void>((r) => this.waiting.push(r));
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
    const duplicate = eventId ? this.recent.seen(eventId) : false;
    if (duplicate) {
      c.header("X-Slack-No-Retry", "1");
      return c.body(null, 200);
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
    const answerFirst = Boolean(retryNum) || (body.type === "event_callback" && !this.opts.processBeforeResponse);
    // When the answer does not depend on the listener, the listener runs behind a small
    // concurrency limit: under a burst, acks (cheap) are not starved by storing and enqueuing
    // (PGlite runs on this thread) — Slack retries whatever is not acked within 3 s.
    const run = (answerFirst ? this.limited(() => app.processEvent(event)) : app.processEvent(event)).catch((e: Error) =>
      this.opts.log.error({ err: e.message }, "slack listener failed"),
    );
    this.inflight.add(run);
    void run.finally(() => this.inflight.delete(run));

    // Events API requests carry no response data (Bolt acks them before any listener runs), so
    // they are answered now rather than after Bolt's middleware chain. A retry of an event this
    // process never saw (e.g. after a restart) is processed — the store dedupes on
    // slack:{event_id} — but answered at once too.
    if (answerFirst) {
      if (retryNum) c.header("X-Slack-No-Retry", "1");
      return c.body(null, 200);
    }
    let res: AckResponse;
    if (this.opts.processBeforeResponse) {
      await run;
      res = ackCalled ? await acked : { status: 404, body: "", type: "text/plain" };
    } else {
      const timeout = new Promise<AckResponse>((r) => {
        const t = setTimeout(() => r({ status: 200, body: "", type: "text/plain" }), this.opts.ackTimeoutMs ?? 2500);
        void acked.finally(() => clearTimeout(t));
      });
      const unhandled = run.then(() => (ackCalled ? acked : { status: 404, body: "", type: "text/plain" }));
      res = await Promise.race([acked, unhandled, timeout]);
    }
    return new Response(res.body || null, { status: res.status, headers: res.body ? { "content-type": res.type } : {} });
  };
}
