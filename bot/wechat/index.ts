/**
 * The WeChat channel adapter (patients): the Official Account / WeCom callback endpoint with
 * delivery through the customer-service API, and optionally a wechaty bot. Transport only:
 * verify, decrypt and parse, acknowledge ("success"), hand the text to Intake, send the texts
 * it returns, deliver the pipeline's answer as the conversation module decides (binding, the
 * 48 h / 5-message window, handoffs and the safety net are its policy, server/conversations).
 */
import type { Hono } from "hono";
import { Hono as HonoApp } from "hono";
import type { Config } from "../../core/config.js";
import { AppError } from "../../core/errors.js";
import type { Channel, ChannelFactory, ChannelPlugin, ChannelPorts, IntakeReply, Outbound } from "../../core/ports.js";
import { aesKeyOf } from "./crypto.js";
import { createCsApi } from "./cs-api.js";
import { officialAccountRoutes } from "./official.js";
import { createPatientOutbound, type PatientOutbound, type WechatAddress } from "./outbound.js";
import { type NonceGuard, nonceGuard } from "./replay.js";
import { WECHAT_REPLAY_WINDOW_S } from "./signature.js";
import { startWechatyBot, type WechatyBot, type WechatyBotOptions } from "./wechaty.js";

/** Keys proposed for core/config.ts; read from `config` once they exist there. */
interface WechatConfigKeys {
  WECHAT_APP_ID?: string;
  WECHAT_APP_SECRET?: string;
  WECHAT_API_URL?: string;
  WECHAT_PUPPET?: string;
  EDGE_SECRET?: string;
  WECHAT_ENCODING_AES_KEY?: string;
  WECOM_CORP_ID?: string;
}

export interface WechatPluginOptions {
  /** Callback token. @defaultValue config.WECHAT_TOKEN */
  token?: string;
  appId?: string;
  appSecret?: string;
  /** Customer-service API base. @defaultValue config.WECHAT_API_URL ?? "https://api.weixin.qq.com" */
  apiUrl?: string;
  /** Start a wechaty bot with this puppet (name or instance). @defaultValue config.WECHAT_PUPPET */
  puppet?: WechatyBotOptions["puppet"];
  /** Require X-Glyco-Edge-Secret on /wechat/*. @defaultValue config.EDGE_SECRET */
  edgeSecret?: string;
  /** Safe mode / WeCom EncodingAESKey. @defaultValue config.WECHAT_ENCODING_AES_KEY */
  encodingAesKey?: string;
  /** WeCom corp id (the receive id of WeCom messages). @defaultValue config.WECOM_CORP_ID */
  corpId?: string;
  /** Replay guard for callbacks. @defaultValue the composition root's (Redis) */
  replay?: NonceGuard;
}

export interface WechatPlugin extends ChannelPlugin<Hono> {
  outbound: PatientOutbound;
  /** The running wechaty bot, when a puppet is configured (after start). */
  wechaty(): WechatyBot | null;
  /** Wait for background sends and wechaty message handling. */
  idle(): Promise<void>;
}

const asLang = (l: string | undefined): WechatAddress["lang"] => (l === "zh" || l === "mixed" ? l : "en");

export function wechatPlugin(opts: WechatPluginOptions = {}): ChannelFactory<Hono> {
  return function createWechatPlugin(ports: ChannelPorts, config: Config): WechatPlugin {
    const cfg = config as Config & WechatConfigKeys;
    const token = opts.token ?? cfg.WECHAT_TOKEN;
    const puppet = opts.puppet ?? (cfg.WECHAT_PUPPET as WechatyBotOptions["puppet"] | undefined);
    if (!token && !puppet)
      throw new AppError("CONFIG_INVALID", "WeChat: set WECHAT_TOKEN (Official Account) and/or WECHAT_PUPPET (wechaty)");
    const appId = opts.appId ?? cfg.WECHAT_APP_ID;
    const appSecret = opts.appSecret ?? cfg.WECHAT_APP_SECRET;
    const csApi =
      appId && appSecret
        ? createCsApi({
            baseUrl: opts.apiUrl ?? cfg.WECHAT_API_URL ?? "https://api.weixin.qq.com",
            appId,
            appSecret,
            now: () => ports.clock().getTime(),
          })
        : null;
    let bot: WechatyBot | null = null;
    const outbound = createPatientOutbound({
      audit: ports.audit,
      patients: ports.patients,
      csApi,
      wechatySay: () => bot?.say ?? null,
    });
    ports.patients.attachSender("wechat", outbound);
    const background = new Set<Promise<unknown>>();
    const defer = (p: Promise<unknown>) => {
      background.add(p);
      void p.finally(() => background.delete(p));
    };

    /** Intake's texts, in order (a safety net before the binding notice). */
    async function sendReplies(addr: WechatAddress, replies: IntakeReply[]) {
      for (const r of replies) {
        await outbound
          .sendAs(addr, r.text, r.kind, r.messageId)
          .catch((e: Error) => ports.log.error({ kind: r.kind, err: e.message }, "wechat send failed"));
      }
    }

    async function deliver(out: Outbound) {
      const address = out.replyTo?.address;
      if (!address) return { delivered: false, detail: "no WeChat address" };
      const transport = out.replyTo?.transport === "wechaty" ? "wechaty" : "oa";
      const plan = await ports.patients.planDelivery("wechat", out);
      if (!plan.send) return { delivered: plan.delivered, detail: plan.detail };
      return outbound.sendAs({ address, transport, lang: asLang(out.replyTo?.lang) }, out.text, plan.kind, out.messageId);
    }

    const channel: Channel = {
      name: "wechat",
      async start() {
        if (puppet)
          bot = await startWechatyBot({
            ports,
            puppet,
            reply: (address, lang, replies) => sendReplies({ address, transport: "wechaty", lang: asLang(lang) }, replies),
          });
      },
      async stop() {
        await Promise.allSettled([...background]);
        await bot?.stop();
        bot = null;
      },
      deliver,
    };
    const edgeSecret = opts.edgeSecret ?? cfg.EDGE_SECRET;
    const encodingAesKey = opts.encodingAesKey ?? cfg.WECHAT_ENCODING_AES_KEY;
    if (encodingAesKey) aesKeyOf(encodingAesKey); // a malformed key fails at start, not on the first callback
    const corpId = opts.corpId ?? cfg.WECOM_CORP_ID;
    const replay = opts.replay ?? nonceGuard(ports.replay, WECHAT_REPLAY_WINDOW_S);
    const routes = new HonoApp();
    if (token) {
      routes.route(
        "/",
        officialAccountRoutes(
          {
            ports,
            // The OA callback must answer within 5 s: the texts go out in the background.
            reply: async (address, lang, replies) => {
              if (replies.length) defer(sendReplies({ address, transport: "oa", lang: asLang(lang) }, replies));
            },
          },
          {
            token,
            receiveIds: [appId, corpId].filter((x): x is string => Boolean(x)),
            replay,
            ...(edgeSecret ? { edgeSecret } : {}),
            ...(encodingAesKey ? { encodingAesKey } : {}),
          },
        ),
      );
    }
    return {
      name: "wechat",
      channel,
      routes,
      outbound,
      wechaty: () => bot,
      async idle() {
        while (background.size || (bot?.inflight.size ?? 0))
          await Promise.allSettled([...background, ...(bot ? [...bot.inflight] : [])]);
      },
    };
  };
}
