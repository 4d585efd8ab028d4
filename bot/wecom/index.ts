/**
 * The WeCom (企业微信) application channel, for hospitals whose clinicians work in WeCom: a
 * self-built application's callback (URL verification and messages, always encrypted —
 * msg_signature over the Encrypt field, AES-256-CBC with the EncodingAESKey, addressed to the
 * corp id; WeChat's crypto, reused) and answers through the application message API. A
 * member's text is a consultation handed to Intake; the answer (or the held-for-review notice
 * the pipeline gives) goes back to that member. Transport only: verify, decrypt, parse,
 * acknowledge ("success"), Intake, deliver.
 *
 *   GET  /wecom/callback  msg_signature, timestamp, nonce, echostr → the decrypted echostr
 *   POST /wecom/callback  encrypted XML → "success" at once; the answer later via message/send
 */
import { createHash } from "node:crypto";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Config } from "../../core/config.js";
import { AppError, toAppError } from "../../core/errors.js";
import type { Channel, ChannelFactory, ChannelPlugin, ChannelPorts } from "../../core/ports.js";
import { edgeGuard } from "../edge/guard.js";
import { aesKeyOf, createWechatCrypto, verifyMsgSignature } from "../wechat/crypto.js";
import { freshTimestamp, WECHAT_REPLAY_WINDOW_S } from "../wechat/signature.js";
import { MAX_XML_BYTES, parseEncryptedEnvelope, parseWechatXml } from "../wechat/xml.js";
import { createWecomApi, type WecomApi } from "./api.js";

export interface WecomPluginOptions {
  /** @defaultValue config.WECOM_CORP_ID */
  corpId?: string;
  /** The application's AgentId. @defaultValue config.WECOM_AGENT_ID */
  agentId?: number;
  /** The application's secret. @defaultValue config.WECOM_SECRET */
  secret?: string;
  /** Callback token. @defaultValue config.WECOM_TOKEN */
  token?: string;
  /** Callback EncodingAESKey (43 characters). @defaultValue config.WECOM_ENCODING_AES_KEY */
  encodingAesKey?: string;
  /** Message API base. @defaultValue config.WECOM_API_URL ?? "https://qyapi.weixin.qq.com" */
  apiUrl?: string;
  /** Require X-Glyco-Edge-Secret on /wecom/*. @defaultValue config.EDGE_SECRET */
  edgeSecret?: string;
}

export interface WecomPlugin extends ChannelPlugin<Hono> {
  api: WecomApi;
}

function errorResponse(c: Context, e: unknown): Response {
  const err = toAppError(e);
  return c.json(err.toJSON(), err.status as ContentfulStatusCode);
}

const nonceKey = (timestamp: string, nonce: string) =>
  `wecomnonce:${createHash("sha256").update(`${timestamp}\n${nonce}`).digest("hex").slice(0, 40)}`;

export function wecomPlugin(opts: WecomPluginOptions = {}): ChannelFactory<Hono> {
  return function createWecomPlugin(ports: ChannelPorts, config: Config): WecomPlugin {
    const cfg = config;
    const corpId = opts.corpId ?? cfg.WECOM_CORP_ID;
    const agentId = opts.agentId ?? cfg.WECOM_AGENT_ID;
    const secret = opts.secret ?? cfg.WECOM_SECRET;
    const token = opts.token ?? cfg.WECOM_TOKEN;
    const aesKey = opts.encodingAesKey ?? cfg.WECOM_ENCODING_AES_KEY;
    if (!corpId || !secret || !token || !aesKey || agentId === undefined || !Number.isInteger(agentId))
      throw new AppError(
        "CONFIG_INVALID",
        "WeCom: set WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_ENCODING_AES_KEY",
      );
    aesKeyOf(aesKey); // a malformed key fails at start, not on the first callback
    const crypto = createWechatCrypto(aesKey);
    const api = createWecomApi({
      baseUrl: opts.apiUrl ?? cfg.WECOM_API_URL,
      corpId,
      secret,
      agentId,
      now: () => ports.clock().getTime(),
    });
    const unauthorized = (why = "invalid signature") => new Response(why, { status: 401 });

    /** msg_signature over `encrypted`, freshness, then once-only. Null when accepted. */
    async function check(c: Context, encrypted: string): Promise<Response | null> {
      const timestamp = c.req.query("timestamp");
      const nonce = c.req.query("nonce");
      if (!freshTimestamp(timestamp, nonce, ports.clock().getTime())) return unauthorized();
      const ok = verifyMsgSignature({
        token: token as string,
        signature: c.req.query("msg_signature"),
        timestamp: timestamp as string,
        nonce: nonce as string,
        encrypted,
      });
      if (!ok) return unauthorized();
      if (!(await ports.replay.firstSeen(nonceKey(timestamp as string, nonce as string), 2 * WECHAT_REPLAY_WINDOW_S + 1))) {
        await ports.audit.append({ kind: "wecom-replay-refused", caseId: "wecom:callback", payload: {} });
        return unauthorized("replayed request");
      }
      return null;
    }

    const routes = new Hono();
    routes.use("/wecom/*", edgeGuard(opts.edgeSecret ?? cfg.EDGE_SECRET));
    routes.get("/wecom/callback", async (c) => {
      try {
        const echostr = c.req.query("echostr") ?? "";
        const refused = await check(c, echostr);
        return refused ?? c.text(crypto.decrypt(echostr, [corpId]).message);
      } catch (e) {
        return errorResponse(c, e);
      }
    });
    routes.post("/wecom/callback", async (c) => {
      let xml: ReturnType<typeof parseWechatXml>;
      try {
        if (Number(c.req.header("content-length") ?? "0") > MAX_XML_BYTES)
          throw new AppError("PAYLOAD_TOO_LARGE", `XML body exceeds ${MAX_XML_BYTES} bytes`);
        const env = parseEncryptedEnvelope(await c.req.text());
        const refused = await check(c, env.encrypt);
        if (refused) return refused;
        xml = parseWechatXml(crypto.decrypt(env.encrypt, [corpId]).message);
      } catch (e) {
        return errorResponse(c, e);
      }
      if (xml.MsgType === "text" && xml.Content && xml.MsgId) {
        const user = xml.FromUserName;
        await ports.intake.submit({
          channel: "wecom",
          kind: "consultation",
          sender: { role: "clinician", ref: `wecom:${user}` },
          conversationId: `wecom:${user}`,
          key: `wecom:${xml.MsgId}`,
          text: xml.Content,
          replyTo: { touser: user },
        });
      } else {
        await ports.audit.append({ kind: "wecom-unsupported", caseId: "wecom:callback", payload: { msgType: xml.MsgType } });
      }
      return c.text("success");
    });

    const channel: Channel = {
      name: "wecom",
      async start() {},
      async stop() {},
      async deliver(out) {
        const to = out.replyTo?.touser;
        if (!to) return { delivered: false, detail: "no WeCom user to reply to" };
        try {
          const r = await api.sendText(to, out.text);
          if (!r.ok)
            await ports.audit.append({ kind: "wecom-send-failed", caseId: out.messageId, payload: { errcode: r.errcode } });
          return r.ok ? { delivered: true } : { delivered: false, detail: `wecom errcode ${r.errcode}` };
        } catch (e) {
          ports.log.error({ messageId: out.messageId, err: (e as Error).message }, "wecom delivery failed");
          return { delivered: false, detail: "wecom: error" };
        }
      },
    };
    return {
      name: "wecom",
      channel,
      routes,
      api,
    };
  };
}
