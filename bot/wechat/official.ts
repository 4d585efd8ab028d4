/**
 * Routes of the WeChat Official Account / WeCom callback (plaintext mode) and the clinic's
 * enrollment-code route:
 *   GET  /wechat/callback   echostr verification
 *   POST /wechat/callback   signed XML messages → "success" at once, answer later via the CS API
 *   POST /v1/enrollment-codes {patientRef} → {code, expiresAt}   (mounted for wechaty too)
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../core/errors.js";
import { matchToken, parseApiTokens } from "../../server/auth/credentials.js";
import { errorResponse, readJson } from "../../server/http.js";
import type { AppEnv, Services } from "../../server/services.js";
import { edgeGuard } from "../edge/guard.js";
import { wechatAuditRef } from "./audit-ref.js";
import { handlePatientText, type InboundDeps } from "./inbound.js";
import { verifyWechatSignature } from "./signature.js";
import type { WechatStore } from "./store.js";
import { MAX_XML_BYTES, parseWechatXml, type WechatXml } from "./xml.js";

export interface OfficialRoutesOptions {
  token: string;
  maxXmlBytes?: number;
  edgeSecret?: string;
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

export function officialAccountRoutes(
  deps: Omit<InboundDeps, "services">,
  store: WechatStore,
  o: OfficialRoutesOptions,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const verified = (c: { req: { query(k: string): string | undefined } }, s: Services) =>
    verifyWechatSignature({
      token: o.token,
      signature: c.req.query("signature"),
      timestamp: c.req.query("timestamp"),
      nonce: c.req.query("nonce"),
      nowMs: s.clock().getTime(),
    });
  const unauthorized = () => new Response("invalid signature", { status: 401 });

  app.use("/wechat/*", edgeGuard(o.edgeSecret));

  app.get("/wechat/callback", (c) => {
    if (!verified(c, c.var.services)) return unauthorized();
    return c.text(c.req.query("echostr") ?? "");
  });

  app.post("/wechat/callback", async (c) => {
    const s = c.var.services;
    const max = o.maxXmlBytes ?? MAX_XML_BYTES;
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > max) return errorResponse(c, new AppError("PAYLOAD_TOO_LARGE", `XML body exceeds ${max} bytes`));
    if (!verified(c, s)) return unauthorized();
    if (c.req.query("encrypt_type") === "aes")
      return errorResponse(c, new AppError("BAD_REQUEST", "encrypted (AES) callbacks are not supported; use plaintext mode"));
    let xml: WechatXml;
    try {
      xml = parseWechatXml(await c.req.text(), max);
    } catch (e) {
      return errorResponse(c, e);
    }
    const openid = xml.FromUserName;
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
