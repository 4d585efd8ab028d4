/**
 * Routes of the WeChat Official Account / WeCom callback (the clinic's enrollment-code route is
 * the conversation module's, server/conversations/enrollment-routes.ts):
 *   GET  /wechat/callback   URL verification: plain mode echoes echostr; WeCom (msg_signature)
 *                           decrypts the encrypted echostr and answers its plaintext
 *   POST /wechat/callback   signed XML messages → "success" at once, answer later via the CS API.
 *                           Plain mode (signature), Official Account safe mode (encrypt_type=aes,
 *                           msg_signature over the encrypted body) and WeCom (msg_signature).
 * Every signed (timestamp, nonce) is accepted once within the replay window. With an
 * EncodingAESKey configured, plaintext callbacks are refused: the account is in safe mode, and a
 * plain body is not covered by any signature.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, toAppError } from "../../core/errors.js";
import type { ChannelPorts, IntakeReply } from "../../core/ports.js";
import { edgeGuard } from "../edge/guard.js";
import { createWechatCrypto, verifyMsgSignature, type WechatCrypto } from "./crypto.js";
import type { NonceGuard } from "./replay.js";
import { freshTimestamp, verifyWechatSignature } from "./signature.js";
import { MAX_XML_BYTES, parseEncryptedEnvelope, parseWechatXml, type WechatXml } from "./xml.js";

export interface OfficialRoutesOptions {
  token: string;
  maxXmlBytes?: number;
  edgeSecret?: string;
  /** Safe mode / WeCom: the 43-character EncodingAESKey. When set, plaintext callbacks are refused. */
  encodingAesKey?: string;
  /** Receive ids an encrypted message may be addressed to: the Official Account's app id, the WeCom corp id. */
  receiveIds?: readonly string[];
  /** Remembers (timestamp, nonce) pairs; without one, replays within the window are not detected. */
  replay?: NonceGuard;
}

/** What the callback hands a patient text to, and how it sends the texts Intake returns. */
export interface OfficialDeps {
  ports: Pick<ChannelPorts, "intake" | "audit" | "log" | "clock" | "patients">;
  /** Send Intake's replies to an OA address, in order (in the background: the callback answers within 5 s). */
  reply(address: string, lang: string, replies: IntakeReply[]): Promise<void>;
}

/** The shared JSON error shape ({error: {code, message}}) with its HTTP status. */
function errorResponse(c: Context, e: unknown): Response {
  const err = toAppError(e);
  return c.json(err.toJSON(), err.status as ContentfulStatusCode);
}

type Query = (k: string) => string | undefined;

export function officialAccountRoutes(d: OfficialDeps, o: OfficialRoutesOptions): Hono {
  const app = new Hono();
  const s = d.ports;
  const crypto: WechatCrypto | null = o.encodingAesKey ? createWechatCrypto(o.encodingAesKey) : null;
  const receiveIds = (o.receiveIds ?? []).filter(Boolean);
  if (crypto && receiveIds.length === 0)
    throw new AppError("CONFIG_INVALID", "WeChat safe mode needs WECHAT_APP_ID (Official Account) or WECOM_CORP_ID (WeCom)");
  const unauthorized = (why = "invalid signature") => new Response(why, { status: 401 });

  /** Signature (plain or msg_signature over `encrypted`), freshness, then once-only. Null when accepted. */
  async function check(q: Query, encrypted: string | null): Promise<Response | null> {
    const timestamp = q("timestamp");
    const nonce = q("nonce");
    const nowMs = s.clock().getTime();
    if (!freshTimestamp(timestamp, nonce, nowMs)) return unauthorized();
    const ok =
      encrypted === null
        ? verifyWechatSignature({ token: o.token, signature: q("signature"), timestamp, nonce, nowMs })
        : verifyMsgSignature({
            token: o.token,
            signature: q("msg_signature"),
            timestamp: timestamp as string,
            nonce: nonce as string,
            encrypted,
          });
    if (!ok) return unauthorized();
    if (o.replay && !(await o.replay.firstUse(timestamp as string, nonce as string))) {
      s.log.warn({ kind: "wechat-replay" }, "wechat callback refused: (timestamp, nonce) already used");
      await s.audit.append({
        kind: "wechat-replay-refused",
        caseId: "wechat:callback",
        payload: { mode: encrypted === null ? "plain" : "encrypted" },
      });
      return unauthorized("replayed request");
    }
    return null;
  }
  const needCrypto = (): WechatCrypto => {
    if (!crypto) throw new AppError("BAD_REQUEST", "encrypted callbacks need WECHAT_ENCODING_AES_KEY configured on this server");
    return crypto;
  };

  app.use("/wechat/*", edgeGuard(o.edgeSecret));

  app.get("/wechat/callback", async (c) => {
    const q: Query = (k) => c.req.query(k);
    const echostr = q("echostr") ?? "";
    try {
      if (q("msg_signature") !== undefined) {
        // WeCom URL verification: echostr is encrypted and covered by msg_signature.
        const cr = needCrypto();
        const refused = await check(q, echostr);
        if (refused) return refused;
        return c.text(cr.decrypt(echostr, receiveIds).message);
      }
      const refused = await check(q, null);
      return refused ?? c.text(echostr);
    } catch (e) {
      return errorResponse(c, e);
    }
  });

  app.post("/wechat/callback", async (c) => {
    const q: Query = (k) => c.req.query(k);
    const max = o.maxXmlBytes ?? MAX_XML_BYTES;
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > max) return errorResponse(c, new AppError("PAYLOAD_TOO_LARGE", `XML body exceeds ${max} bytes`));
    let xml: WechatXml;
    try {
      const raw = await c.req.text();
      const encrypted = q("msg_signature") !== undefined || q("encrypt_type") === "aes";
      if (encrypted) {
        const cr = needCrypto();
        const env = parseEncryptedEnvelope(raw, max);
        const refused = await check(q, env.encrypt);
        if (refused) return refused;
        xml = parseWechatXml(cr.decrypt(env.encrypt, receiveIds).message, max);
      } else {
        if (crypto)
          return errorResponse(
            c,
            new AppError(
              "BAD_REQUEST",
              "this account is in safe mode: plaintext callbacks are refused (set the message encryption mode to safe)",
            ),
          );
        const refused = await check(q, null);
        if (refused) return refused;
        xml = parseWechatXml(raw, max);
      }
    } catch (e) {
      return errorResponse(c, e);
    }
    const openid = xml.FromUserName;
    try {
      const sender = { role: "patient", address: openid, transport: "oa" } as const;
      const text = xml.MsgType === "text" && xml.Content !== undefined && xml.MsgId ? xml.Content : null;
      if (text !== null) {
        const out = await s.intake.submit({ channel: "wechat", sender, key: `wechat:oa:${xml.MsgId}`, text });
        await d.reply(openid, out.lang, out.replies);
      } else if (xml.MsgType === "event" && xml.Event === "subscribe") {
        // A new follower: Intake explains binding unless already bound. Events carry no MsgId.
        const key = `wechat:oa:event:${openid}:${xml.CreateTime}`;
        const out = await s.intake.submit({ channel: "wechat", sender, key, text: "", event: "subscribe" });
        await d.reply(openid, out.lang, out.replies);
      } else {
        await s.audit.append({
          kind: "wechat-unsupported",
          caseId: s.patients.auditRef({ channel: "wechat", address: openid }),
          payload: { msgType: xml.MsgType },
        });
      }
    } catch (e) {
      // Failed after the replay check: let WeChat's retry through (MsgId dedupe still applies).
      await o.replay?.release(q("timestamp") as string, q("nonce") as string);
      throw e;
    }
    // "success" needs no encryption in safe mode (WeChat's passive-reply rules); a passive reply
    // with content would go through encryptedReplyXml (crypto.ts).
    return c.text("success");
  });

  return app;
}
