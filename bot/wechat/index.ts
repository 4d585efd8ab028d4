/**
 * The WeChat channel adapter (patients): the Official Account / WeCom callback endpoint with
 * delivery through the customer-service API, optionally a wechaty bot, patient binding by
 * enrollment code, the 48 h / 5-message window, and the patient side of handoffs. Transport
 * only: verify, convert, ack ("success"), enqueue, deliver — and stay silent while a human owns
 * the conversation.
 */
import { Hono } from "hono";
import { Redis } from "ioredis";
import type { Config } from "../../core/config.js";
import { AppError } from "../../core/errors.js";
import type { Channel, Outbound } from "../../core/ports.js";
import type { AppEnv, ChannelPlugin, PluginFactory, Services } from "../../server/services.js";
import type { SqlClient } from "../../server/stores/sql.js";
import type { Handoff, Transport } from "../handoff/index.js";
import { aesKeyOf } from "./crypto.js";
import { createCsApi } from "./cs-api.js";
import { SAFETY_NET_CLAIM } from "./inbound.js";
import { enrollmentRoutes, officialAccountRoutes } from "./official.js";
import { createPatientOutbound, type PatientOutbound } from "./outbound.js";
import { createRedisReplayGuard, type ReplayGuard } from "./replay.js";
import { WECHAT_REPLAY_WINDOW_S } from "./signature.js";
import { createWechatStore, type WechatStore } from "./store.js";
import { startWechatyBot, type WechatyBot, type WechatyBotOptions } from "./wechaty.js";

/** Keys proposed for core/config.ts; read from `config` once they exist there. */
interface WechatConfigKeys {
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  WECHAT_API_URL?: string;
  WECHAT_PUPPET?: string;
  CLINIC_CONTACT?: string;
  EDGE_SECRET?: string;
  WECHAT_ENCODING_AES_KEY?: string;
  WECOM_CORP_ID?: string;
}

export interface WechatPluginOptions {
  /** The SQL store (migration 0002_channels applied). */
  db?: SqlClient;
  /** Callback token. @defaultValue config.WECHAT_TOKEN */
  token?: string;
  appId?: string;
  appSecret?: string;
  /** Customer-service API base. @defaultValue config.WECHAT_API_URL ?? "https://api.weixin.qq.com" */
  apiUrl?: string;
  /** How patients reach the clinic (told when the window runs out, to unknown senders…). */
  clinicContact?: string;
  /** Start a wechaty bot with this puppet (name or instance). @defaultValue config.WECHAT_PUPPET */
  puppet?: WechatyBotOptions["puppet"];
  handoff?: Handoff;
  /** Enrollment code lifetime. @defaultValue 72 h */
  enrollmentTtlMs?: number;
  /** Require X-Glyco-Edge-Secret on /wechat/*. @defaultValue config.EDGE_SECRET */
  edgeSecret?: string;
  /** Safe mode / WeCom EncodingAESKey. @defaultValue config.WECHAT_ENCODING_AES_KEY */
  encodingAesKey?: string;
  /** WeCom corp id (the receive id of WeCom messages). @defaultValue config.WECOM_CORP_ID */
  corpId?: string;
  /** Replay guard for callbacks. @defaultValue Redis at extras.redisUrl */
  replay?: ReplayGuard;
}

export interface WechatPlugin extends ChannelPlugin {
  store: WechatStore;
  outbound: PatientOutbound;
  /** The running wechaty bot, when a puppet is configured (after start). */
  wechaty(): WechatyBot | null;
  /** Wait for background sends and wechaty message handling. */
  idle(): Promise<void>;
}

export function wechatPlugin(opts: WechatPluginOptions = {}): PluginFactory {
  return function createWechatPlugin(
    services: Services,
    config: Config,
    extras?: { db?: SqlClient; handoff?: Handoff; redisUrl?: string },
  ): WechatPlugin {
    const cfg = config as Config & WechatConfigKeys;
    const db = opts.db ?? extras?.db;
    if (!db) throw new AppError("CONFIG_INVALID", "WeChat: the plugin needs the SQL store (db)");
    const token = opts.token ?? cfg.WECHAT_TOKEN;
    const puppet = opts.puppet ?? (cfg.WECHAT_PUPPET as WechatyBotOptions["puppet"] | undefined);
    if (!token && !puppet)
      throw new AppError("CONFIG_INVALID", "WeChat: set WECHAT_TOKEN (Official Account) and/or WECHAT_PUPPET (wechaty)");
    const appId = opts.appId ?? cfg.WECHAT_APP_ID;
    const appSecret = opts.appSecret ?? cfg.WECHAT_APP_SECRET;
    const clinicContact = opts.clinicContact ?? cfg.CLINIC_CONTACT ?? "the clinic's phone number on your appointment card";
    const store = createWechatStore(db);
    const csApi =
      appId && appSecret
        ? createCsApi({
            baseUrl: opts.apiUrl ?? cfg.WECHAT_API_URL ?? "https://api.weixin.qq.com",
            appId,
            appSecret,
            now: () => services.clock().getTime(),
          })
        : null;
    let bot: WechatyBot | null = null;
    const outbound = createPatientOutbound({
      store,
      audit: services.audit,
      clock: services.clock,
      clinicContact,
      csApi,
      wechatySay: () => bot?.say ?? null,
    });
    const handoff = opts.handoff ?? extras?.handoff;
    handoff?.bind(services);
    handoff?.attachPatientSender("wechat", outbound);
    const background = new Set<Promise<unknown>>();
    const defer = (p: Promise<unknown>) => {
      background.add(p);
      void p.finally(() => background.delete(p));
    };

    async function deliver(out: Outbound) {
      const address = out.replyTo?.address;
      const transport: Transport = out.replyTo?.transport === "wechaty" ? "wechaty" : "oa";
      if (!address) return { delivered: false, detail: "no WeChat address" };
      const lang = out.replyTo?.lang === "zh" || out.replyTo?.lang === "mixed" ? out.replyTo.lang : "en";
      const addr = { address, transport, lang } as const;
      const emergency = out.result.triage?.urgency === "emergency";
      // Sent at intake already (the claim was taken there)? Then the patient has this text.
      const safetyNetSent = emergency && !(await services.results.claimDelivery(out.messageId, SAFETY_NET_CLAIM));
      if (out.result.decision?.action === "escalate" && handoff) {
        const r = await handoff.escalate({
          conversationId: out.conversationId,
          messageId: out.messageId,
          priority: out.result.decision.priority ?? "routine",
          reasons: out.result.decision.reasons,
        });
        // Already with a human: the clinician answers, not the bot (emergencies got the safety net at intake).
        if (r === "already-human") return { delivered: false, detail: "a human owns this conversation" };
        if (safetyNetSent) return { delivered: true, detail: "safety net sent at intake; handed to a human" };
        return outbound.sendAs(addr, out.text, "bot", out.messageId);
      }
      if (handoff && (await handoff.owner(out.conversationId)) !== "bot") {
        await services.audit.append({
          kind: "handoff-bot-silenced",
          caseId: out.messageId,
          payload: { conversationId: out.conversationId },
        });
        return { delivered: false, detail: "a human owns this conversation: bot silent" };
      }
      if (safetyNetSent) return { delivered: true, detail: "safety net sent at intake" };
      return outbound.sendAs(addr, out.text, emergency ? "safety-net" : "bot", out.messageId);
    }

    const channel: Channel = {
      name: "wechat",
      async start() {
        if (puppet)
          bot = await startWechatyBot({ services, store, outbound, clinicContact, puppet, ...(handoff ? { handoff } : {}) });
      },
      async stop() {
        await Promise.allSettled([...background]);
        await bot?.stop();
        bot = null;
        replayRedis?.disconnect();
      },
      deliver,
    };
    const edgeSecret = opts.edgeSecret ?? cfg.EDGE_SECRET;
    const encodingAesKey = opts.encodingAesKey ?? cfg.WECHAT_ENCODING_AES_KEY;
    if (encodingAesKey) aesKeyOf(encodingAesKey); // a malformed key fails at start, not on the first callback
    const corpId = opts.corpId ?? cfg.WECOM_CORP_ID;
    let replay = opts.replay;
    let replayRedis: Redis | null = null;
    if (!replay && token) {
      if (!extras?.redisUrl)
        throw new AppError("CONFIG_INVALID", "WeChat: the callback's replay guard needs Redis (extras.redisUrl) or opts.replay");
      // Commands queue while connecting (the first callback after start must not fail), but never
      // wait long: an unanswered check refuses the callback and WeChat retries.
      replayRedis = new Redis(extras.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 2_000 });
      replayRedis.on("error", () => {}); // reported as a refused callback (503), not an unhandled event
      replay = createRedisReplayGuard(replayRedis, { prefix: config.QUEUE_PREFIX, windowS: WECHAT_REPLAY_WINDOW_S });
    }
    const routes = new Hono<AppEnv>();
    routes.route("/", enrollmentRoutes(store, opts.enrollmentTtlMs ?? 72 * 3600_000));
    if (token) {
      const deps = { store, outbound, clinicContact, defer, ...(handoff ? { handoff } : {}) };
      routes.route(
        "/",
        officialAccountRoutes(deps, store, {
          token,
          receiveIds: [appId, corpId].filter((x): x is string => Boolean(x)),
          ...(edgeSecret ? { edgeSecret } : {}),
          ...(encodingAesKey ? { encodingAesKey } : {}),
          ...(replay ? { replay } : {}),
        }),
      );
    }
    return {
      name: "wechat",
      channel,
      routes,
      store,
      outbound,
      wechaty: () => bot,
      async idle() {
        while (background.size || (bot?.inflight.size ?? 0))
          await Promise.allSettled([...background, ...(bot ? [...bot.inflight] : [])]);
      },
    };
  };
}
