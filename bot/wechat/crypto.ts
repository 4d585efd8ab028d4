/**
 * WeChat's message encryption ("safe mode" of Official Accounts, and every WeCom app), after the
 * published WXBizMsgCrypt algorithm:
 *   AESKey    = base64(EncodingAESKey + "=")  — 43 characters → 32 bytes; IV = AESKey[0..16)
 *   plaintext = random(16) ‖ msg_len (4 bytes, network order) ‖ msg ‖ receiveId (app id / corp id)
 *   padding   = PKCS#7 to a multiple of 32 bytes (WeChat's block size, not AES's 16)
 *   Encrypt   = base64(AES-256-CBC(AESKey, IV, padded plaintext))
 *   msg_signature = SHA-1 over [token, timestamp, nonce, Encrypt] sorted and concatenated
 * Unlike the plain-mode signature, msg_signature covers the body. Decryption checks the padding,
 * the length and the receive id, so a message for another app does not decrypt "successfully".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../../core/errors.js";

const BLOCK = 32;

export interface WechatCrypto {
  /**
   * The plaintext of an Encrypt value addressed to one of `receiveIds` (the Official Account's
   * app id, or the WeCom corp id); throws BAD_REQUEST on bad padding, length or receive id.
   */
  decrypt(encrypted: string, receiveIds: readonly string[]): { message: string; receiveId: string };
  /** Encrypt `msg` for `receiveId`. `random16` is for tests; a fresh random prefix otherwise. */
  encrypt(msg: string, receiveId: string, random16?: Buffer): string;
}

export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey))
    throw new AppError("CONFIG_INVALID", "WECHAT_ENCODING_AES_KEY must be 43 base64 characters");
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new AppError("CONFIG_INVALID", "WECHAT_ENCODING_AES_KEY does not decode to 32 bytes");
  return key;
}

export function msgSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash("sha1").update([token, timestamp, nonce, encrypted].sort().join("")).digest("hex");
}

export function verifyMsgSignature(o: {
  token: string;
  signature: string | undefined;
  timestamp: string;
  nonce: string;
  encrypted: string;
}): boolean {
  if (!o.signature) return false;
  const want = Buffer.from(msgSignature(o.token, o.timestamp, o.nonce, o.encrypted));
  const got = Buffer.from(o.signature.toLowerCase());
  return got.length === want.length && timingSafeEqual(got, want);
}

export function createWechatCrypto(encodingAesKey: string): WechatCrypto {
  const key = aesKeyOf(encodingAesKey);
  const iv = key.subarray(0, 16);
  const bad = (why: string) => new AppError("BAD_REQUEST", `encrypted WeChat message rejected: ${why}`);
  return {
    decrypt(encrypted, receiveIds) {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted)) throw bad("Encrypt is not base64");
      const ct = Buffer.from(encrypted, "base64");
      if (ct.length === 0 || ct.length % 16 !== 0) throw bad("ciphertext length is not a multiple of the AES block");
      const d = createDecipheriv("aes-256-cbc", key, iv);
      d.setAutoPadding(false);
      const plain = Buffer.concat([d.update(ct), d.final()]);
      const pad = plain[plain.length - 1] ?? 0;
      if (pad < 1 || pad > BLOCK || pad > plain.length) throw bad("bad padding");
      for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) throw bad("bad padding");
      const body = plain.subarray(0, plain.length - pad);
      if (body.length < 20) throw bad("too short");
      const len = body.readUInt32BE(16);
      if (20 + len > body.length) throw bad("message length exceeds the plaintext");
      const msg = body.subarray(20, 20 + len);
      const rid = body.subarray(20 + len).toString("utf8");
      if (!receiveIds.includes(rid)) throw bad("addressed to another app id");
      return { message: msg.toString("utf8"), receiveId: rid };
    },
    encrypt(msg, receiveId, random16 = randomBytes(16)) {
      if (random16.length !== 16) throw new Error("random prefix must be 16 bytes");
      const m = Buffer.from(msg, "utf8");
      const len = Buffer.alloc(4);
      len.writeUInt32BE(m.length);
      const body = Buffer.concat([random16, len, m, Buffer.from(receiveId, "utf8")]);
      const pad = BLOCK - (body.length % BLOCK);
      const c = createCipheriv("aes-256-cbc", key, iv);
      c.setAutoPadding(false);
      return Buffer.concat([c.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), c.final()]).toString("base64");
    },
  };
}

/** A passive reply in safe mode: the reply XML encrypted and signed, in WeChat's envelope. */
export function encryptedReplyXml(
  crypto: WechatCrypto,
  token: string,
  receiveId: string,
  replyXml: string,
  timestamp: string,
  nonce: string,
  random16?: Buffer,
): string {
  const enc = crypto.encrypt(replyXml, receiveId, random16);
  const sig = msgSignature(token, timestamp, nonce, enc);
  return `<xml><Encrypt><![CDATA[${enc}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`;
}
