/**
 * Routes of the WeChat Official Account / WeCom callback and the clinic's enrollment-code route:
 *   GET  /wechat/callback   URL verification: plain mode echoes echostr; WeCom (msg_signature)
 *                           decrypts the encrypted echostr and answers its plaintext
 *   POST /wechat/callback   signed XML messages → "success" at once, answer later via the CS API.
 *                           Plain mode (signature), Official Account safe mode (encrypt_type=aes,
 *                           msg_signature over the encrypted body) and WeCom (msg_signature).
 *   POST /v1/enrollment-codes {patientRef} → {code, expiresAt}   (mounted for wechaty too)
 * Every signed (timestamp, nonce) is accepted once within the replay window. With an
 * EncodingAESKey configured, plaintext callbacks are refused: the account is in safe mode, and a
 * plain body is not covered by any signature.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../core/errors.js";
import { matchToken, parseApiTokens } from "../../server/auth/credentials.js";
import { errorResponse, readJson } from "../../server/http.js";
import type { AppEnv, Services } from "../../server/services.js";
import { edgeGuard } from "../edge/guard.js";
import { wechatAuditRef } from "./audit-ref.js";
import { createWechatCrypto, verifyMsgSignature, type WechatCrypto } from "./crypto.js";
import { handlePatientText, type InboundDeps } from "./inbound.js";
import type { ReplayGuard } from "./replay.js";
import { freshTimestamp, verifyWechatSignature } from "./signature.js";
import type { WechatStore } from "./store.js";
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
  replay?: ReplayGuard;
}

const EnrollmentRequest = z.object({ patientRef: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/) });

function authorizeAdmin(s: Services, header: string | undefined): void {
  const entries = parseApiTokens(s.config.API_TOKENS);
  if (!entries.length) return; // no API tokens configured: the API is open (development), as elsewhere
  const principal = matchToken(entries, header?.replace(/^Bearer\s+/i, "") ?? "");
  if (!principal || (principal.role !== "clinician" && principal.role !== "admin")) {
    throw new AppError("UNAUTHORIZED", "a clinician or admin API token is required to issue enrollment codes");
  }
}

type Query = (k: string) => string | undefined;

export function officialAccountRoutes(
  deps: Omit<InboundDeps, "services">,
  store: WechatStore,
  o: OfficialRoutesOptions,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const crypto: WechatCrypto | null = o.encodingAesKey ? createWechatCrypto(o.encodingAesKey) : null;
  const receiveIds = (o.receiveIds ?? []).filter(Boolean);
  if (crypto && receiveIds.length === 0)
    throw new AppError("CONFIG_INVALID", "WeChat safe mode needs WECHAT_APP_ID (Official Account) or WECOM_CORP_ID (WeCom)");
  const unauthorized = (why = "invalid signature") => new Response(why, { status: 401 });

  /** Signature (plain or msg_signature over `encrypted`), freshness, then once-only. Null when accepted. */
  async function check(s: Services, q: Query, encrypted: string | null): Promise<Response | null> {
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
    const s = c.var.services;
    const q: Query = (k) => c.req.query(k);
    const echostr = q("echostr") ?? "";
    try {
      if (q("msg_signature") !== undefined) {
        // WeCom URL verification: echostr is encrypted and covered by msg_signature.
        const cr = needCrypto();
        const refused = await check(s, q, echostr);
        if (refused) return refused;
        return c.text(cr.decrypt(echostr, receiveIds).message);
      }
      const refused = await check(s, q, null);
      return refused ?? c.text(echostr);
    } catch (e) {
      return errorResponse(c, e);
    }
  });

  app.post("/wechat/callback", async (c) => {
    const s = c.var.services;
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
        const refused = await check(s, q, env.encrypt);
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
        const refused = await check(s, q, null);
        if (refused) return refused;
        xml = parseWechatXml(raw, max);
      }
    } catch (e) {
      return errorResponse(c, e);
    }
    const openid = xml.FromUserName;
    try {
      if (xml.MsgType === "text" && xml.Content !== undefined && xml.MsgId) {
        await handlePatientText(
          { ...deps, services: s },
          { transport: "oa", address: openid, msgId: xml.MsgId, text: xml.Content },
        );
      } else if (xml.MsgType === "event" && xml.Event === "subscribe") {
        // A new follower: explain binding, unless already bound. Events carry no MsgId.
        const id = `event:${openid}:${xml.CreateTime}`;
        const bound = await store.binding(openid);
        if (!bound) await handlePatientText({ ...deps, services: s }, { transport: "oa", address: openid, msgId: id, text: "" });
      } else {
        await s.audit.append({ kind: "wechat-unsupported", caseId: wechatAuditRef(openid), payload: { msgType: xml.MsgType } });
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

/** POST /v1/enrollment-codes: the clinic issues a single-use code a patient sends to link WeChat. */
export function enrollmentRoutes(store: WechatStore, ttlMs: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post("/v1/enrollment-codes", async (c) => {
    const s = c.var.services;
    authorizeAdmin(s, c.req.header("authorization"));
    const { patientRef } = await readJson(c, EnrollmentRequest);
    if (!(await s.results.getPatient(patientRef)))
      throw new AppError("UNKNOWN_PATIENT", "register the patient first (PUT /v1/patients/:ref)");
    const out = await store.issueCode(patientRef, s.clock(), ttlMs);
    await s.audit.append({
      kind: "enrollment-code-issued",
      caseId: `patient:${patientRef}`,
      payload: { expiresAt: out.expiresAt },
    });
    return c.json(out, 201);
  });

  return app;
}
