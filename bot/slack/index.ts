/**
 * The Slack channel adapter (clinicians): @slack/bolt driven from Hono routes (or Socket Mode),
 * answers delivered as threaded Block Kit replies through a rate-limited poster, and the
 * clinician desk for handoffs. Transport only: verify, convert, ack, enqueue, deliver.
 */
import { App, LogLevel, SocketModeReceiver } from "@slack/bolt";
import { Hono } from "hono";
import type { Config } from "../../core/config.js";
import { reasonCodes } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import type { Channel, ChannelFactory, ChannelPlugin, ChannelPorts } from "../../core/ports.js";
import { edgeGuard } from "../edge/guard.js";
import { renderAnswer, renderHeldNotice } from "./blocks.js";
import { createSlackDesk } from "./desk.js";
import { registerListeners } from "./listeners.js";
import { createPoster, type Poster } from "./poster.js";
import { HonoReceiver } from "./receiver.js";
import { slackReplayGuard } from "./replay.js";
import { registerReviewListeners } from "./review.js";
import { registerTriageCorrection } from "./triage-correction.js";

/** Keys proposed for core/config.ts; read from `config` once they exist there. */
interface SlackConfigKeys {
  SLACK_REVIEW_CHANNEL?: string;
  SLACK_SOCKET_MODE?: boolean;
  SLACK_APP_TOKEN?: string;
  EDGE_SECRET?: string;
}

export interface SlackPluginOptions {
  /** @defaultValue config.SLACK_SIGNING_SECRET */
  signingSecret?: string;
  /** @defaultValue config.SLACK_BOT_TOKEN */
  botToken?: string;
  /** Web API base URL (a local stand-in in tests). @defaultValue config.SLACK_API_URL, else Slack */
  apiUrl?: string;
  /** Where escalated patient cases go. @defaultValue config.SLACK_REVIEW_CHANNEL */
  reviewChannel?: string;
  /** Use Socket Mode instead of the HTTP endpoints. @defaultValue config.SLACK_SOCKET_MODE */
  socketMode?: boolean;
  /** xapp- token for Socket Mode. @defaultValue config.SLACK_APP_TOKEN */
  appToken?: string;
  botUserId?: string;
  botId?: string;
  /** Spacing of posts per channel. @defaultValue 1000 */
  minPostIntervalMs?: number;
  /** Answer Slack only after the listeners finish (tests). @defaultValue false */
  processBeforeResponse?: boolean;
  /** Require X-Glyco-Edge-Secret on the endpoints. @defaultValue config.EDGE_SECRET */
  edgeSecret?: string;
}

export interface SlackPlugin extends ChannelPlugin<Hono> {
  app: App;
  poster: Poster;
  /** Wait until every listener started so far has finished. */
  idle(): Promise<void>;
  /** Signed commands and interactions refused as replays since start. */
  replaysRefused(): number;
}

export function slackPlugin(opts: SlackPluginOptions = {}): ChannelFactory<Hono> {
  return function createSlackPlugin(ports: ChannelPorts, config: Config): SlackPlugin {
    const cfg = config as Config & SlackConfigKeys;
    const signingSecret = opts.signingSecret ?? cfg.SLACK_SIGNING_SECRET;
    const botToken = opts.botToken ?? cfg.SLACK_BOT_TOKEN;
    const socketMode = opts.socketMode ?? cfg.SLACK_SOCKET_MODE ?? false;
    const appToken = opts.appToken ?? cfg.SLACK_APP_TOKEN;
    if (!botToken) throw new AppError("CONFIG_INVALID", "Slack: SLACK_BOT_TOKEN is required");
    if (socketMode && !appToken) throw new AppError("CONFIG_INVALID", "Slack: Socket Mode needs SLACK_APP_TOKEN (xapp-…)");
    if (!socketMode && !signingSecret)
      throw new AppError("CONFIG_INVALID", "Slack: SLACK_SIGNING_SECRET is required for the Events API endpoint");
    const apiUrl = opts.apiUrl ?? cfg.SLACK_API_URL;
    const reviewChannel = opts.reviewChannel ?? cfg.SLACK_REVIEW_CHANNEL;
    const publicUrl = cfg.PUBLIC_URL?.replace(/\/$/, "");
    const caseUrl = (id: string) => (publicUrl ? `${publicUrl}/console/cases/${encodeURIComponent(id)}` : undefined);

    const http = socketMode
      ? null
      : new HonoReceiver({
          signingSecret: signingSecret as string,
          now: () => ports.clock().getTime(),
          log: ports.log,
          // A signed command or interaction is processed once; a replay within the window is refused.
          firstSeen: slackReplayGuard(ports.durableReplay),
          ...(opts.processBeforeResponse === undefined ? {} : { processBeforeResponse: opts.processBeforeResponse }),
        });
    // Socket Mode cannot be exercised offline (it needs a live wss:// connection to Slack).
    const receiver = http ?? new SocketModeReceiver({ appToken: appToken as string, logLevel: LogLevel.ERROR });
    const app = new App({
      receiver,
      token: botToken,
      tokenVerificationEnabled: false,
      ...(opts.botId ? { botId: opts.botId } : {}),
      ...(opts.botUserId ? { botUserId: opts.botUserId } : {}),
      logLevel: LogLevel.ERROR,
      clientOptions: {
        ...(apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {}),
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
      },
    });
    const poster = createPoster({
      client: app.client,
      ...(opts.minPostIntervalMs === undefined ? {} : { minIntervalMs: opts.minPostIntervalMs }),
    });
    const { handoff } = ports;
    if (reviewChannel) handoff.attachDesk(createSlackDesk(poster, reviewChannel));
    registerListeners(app, {
      intake: ports.intake,
      audit: ports.audit,
      reviews: ports.reviews,
      poster,
      handoff,
      ...(reviewChannel ? { reviewChannel } : {}),
    });
    const review = ports.reviewDesk;
    const reviewDeps = review ? { audit: ports.audit, log: ports.log, review, poster } : null;
    if (reviewDeps) {
      registerReviewListeners(app, reviewDeps);
      registerTriageCorrection(app, reviewDeps);
    } else ports.log.warn({}, "Slack: no review module, so review-page buttons are not handled");

    const channel: Channel = {
      name: "slack",
      async start() {
        if (socketMode) await app.start();
      },
      async stop() {
        await app.stop().catch(() => {});
      },
      async deliver(out) {
        const to = out.replyTo?.channel;
        if (!to) return { delivered: false, detail: "no Slack channel to reply to" };
        try {
          // A held or escalated consultation gets a notice (codes and the case link), never the unchecked draft.
          const msgs = out.result.held
            ? [renderHeldNotice(out.result, reasonCodes(out.result), caseUrl(out.result.id))]
            : renderAnswer(out.result, out.messageId, out.text);
          for (const m of msgs) await poster.post(to, m, out.replyTo?.thread_ts);
          return { delivered: true, detail: `${msgs.length} message(s)` };
        } catch (e) {
          ports.log.error({ messageId: out.messageId, err: (e as Error).message }, "slack delivery failed");
          return { delivered: false, detail: `slack: ${(e as { code?: string }).code ?? "error"}` };
        }
      },
    };

    let routes: Hono | undefined;
    if (http) {
      routes = new Hono();
      routes.use("/slack/*", edgeGuard(opts.edgeSecret ?? cfg.EDGE_SECRET));
      for (const path of ["/slack/events", "/slack/commands", "/slack/interactions"]) routes.post(path, http.handle);
    }
    return {
      name: "slack",
      channel,
      ...(routes ? { routes } : {}),
      app,
      poster,
      replaysRefused: () => http?.replaysRefused ?? 0,
      idle: async () => {
        while (http?.inflight.size) await Promise.allSettled([...http.inflight]);
      },
    };
  };
}
