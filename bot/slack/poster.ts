/**
 * chat.postMessage within Slack's rate limits: posts to one channel are spaced (about one per
 * second per channel), and a 429 is retried after its Retry-After. The WebClient is created
 * with `rejectRateLimitedCalls: true` so the wait happens here, visibly, with a cap.
 */
import type { webApi } from "@slack/bolt";
import type { SlackMessage } from "./blocks.js";

export interface PosterOptions {
  client: webApi.WebClient;
  /** Minimum spacing between posts to one channel. @defaultValue 1000 */
  minIntervalMs?: number;
  /** Retries after 429 before giving up. @defaultValue 3 */
  maxRetries?: number;
  /** Upper bound on one Retry-After wait. @defaultValue 60000 */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Poster {
  post(channel: string, msg: SlackMessage, threadTs?: string): Promise<{ ts: string; channel: string }>;
  /** Total 429 answers seen (for metrics and tests). */
  readonly rateLimited: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createPoster(opts: PosterOptions): Poster {
  const interval = opts.minIntervalMs ?? 1000;
  const sleep = opts.sleep ?? defaultSleep;
  const maxRetries = opts.maxRetries ?? 3;
  const tails = new Map<string, Promise<unknown>>();
  const lastAt = new Map<string, number>();
  let rateLimited = 0;

  async function send(channel: string, msg: SlackMessage, threadTs?: string): Promise<{ ts: string; channel: string }> {
    for (let attempt = 0; ; attempt++) {
      const wait = (lastAt.get(channel) ?? 0) + interval - Date.now();
      if (wait > 0) await sleep(wait);
      lastAt.set(channel, Date.now());
      try {
        const r = await opts.client.chat.postMessage({
          channel,
          text: msg.text,
          blocks: msg.blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
        });
        return { ts: String(r.ts ?? ""), channel: String(r.channel ?? channel) };
      } catch (e) {
        const err = e as { code?: string; retryAfter?: number };
        if (err.code !== "slack_webapi_rate_limited_error" || attempt >= maxRetries) throw e;
        rateLimited++;
        await sleep(Math.min((err.retryAfter ?? 1) * 1000, opts.maxRetryAfterMs ?? 60_000));
      }
    }
  }

  return {
    post(channel, msg, threadTs) {
      // One chain per channel keeps posts in order and spaced; channels do not wait on each other.
      const prev = tails.get(channel) ?? Promise.resolve();
      const next = prev.catch(() => {}).then(() => send(channel, msg, threadTs));
      tails.set(channel, next);
      void next
        .finally(() => {
          if (tails.get(channel) === next) tails.delete(channel);
        })
        .catch(() => {});
      return next;
    },
    get rateLimited() {
      return rateLimited;
    },
  };
}
