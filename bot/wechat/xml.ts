/**
 * Safe parsing of WeChat callback XML: a size limit, no DOCTYPE or ENTITY declarations at all
 * (so no entity expansion, external or internal), entities left unprocessed, values as strings.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AppError } from "../../core/errors.js";

/** @defaultValue 16 KiB — a text message callback is well under 2 KiB. */
export const MAX_XML_BYTES = 16 * 1024;

export interface WechatXml {
  ToUserName: string;
  FromUserName: string;
  CreateTime: string;
  MsgType: string;
  Content?: string;
  MsgId?: string;
  Event?: string;
}

const parser = new XMLParser({
  processEntities: false,
  ignoreDeclaration: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  allowBooleanAttributes: false,
});

function safeRoot(raw: string, maxBytes: number): (k: string) => string | undefined {
  if (Buffer.byteLength(raw, "utf8") > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", `XML body exceeds ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY|<!\[INCLUDE|<!ELEMENT|<!ATTLIST/i.test(raw)) {
    throw new AppError("BAD_REQUEST", "XML with DOCTYPE or ENTITY declarations is not accepted");
  }
  if (XMLValidator.validate(raw) !== true) throw new AppError("BAD_REQUEST", "malformed XML");
  const doc = parser.parse(raw) as { xml?: Record<string, unknown> };
  const x = doc.xml;
  if (!x || typeof x !== "object") throw new AppError("BAD_REQUEST", "expected an <xml> root element");
  return (k: string) => (typeof x[k] === "string" || typeof x[k] === "number" ? String(x[k]) : undefined);
}

/** The Encrypt field of a safe-mode (Official Account) or WeCom callback envelope. */
export function parseEncryptedEnvelope(raw: string, maxBytes = MAX_XML_BYTES): { encrypt: string; toUserName: string } {
  const s = safeRoot(raw, maxBytes);
  const encrypt = s("Encrypt");
  if (!encrypt) throw new AppError("BAD_REQUEST", "safe-mode callback without an <Encrypt> element");
  return { encrypt, toUserName: s("ToUserName") ?? "" };
}

export function parseWechatXml(raw: string, maxBytes = MAX_XML_BYTES): WechatXml {
  const s = safeRoot(raw, maxBytes);
  const from = s("FromUserName");
  const type = s("MsgType");
  if (!from || !type) throw new AppError("BAD_REQUEST", "FromUserName and MsgType are required");
  const out: WechatXml = {
    ToUserName: s("ToUserName") ?? "",
    FromUserName: from,
    CreateTime: s("CreateTime") ?? "",
    MsgType: type,
  };
  for (const k of ["Content", "MsgId", "Event"] as const) {
    const v = s(k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** A text message callback, as WeChat sends it (for tests and the stand-in). */
export function textMessageXml(m: { to?: string; from: string; content: string; msgId: string; createTime?: number }): string {
  const cdata = (v: string) => `<![CDATA[${v.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
  return `<xml><ToUserName>${cdata(m.to ?? "gh_clinic")}</ToUserName><FromUserName>${cdata(m.from)}</FromUserName><CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata(m.content)}</Content><MsgId>${m.msgId}</MsgId></xml>`;
}
