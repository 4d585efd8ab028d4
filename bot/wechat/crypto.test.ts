/**
 * WeChat safe-mode / WeCom message crypto against vectors computed independently of crypto.ts:
 * the plaintext layout (random16 ‖ msg_len ‖ msg ‖ receiveId, PKCS#7 to 32 bytes) is built here
 * by hand and encrypted by the `openssl` command line; signatures by `openssl dgst -sha1`.
 */
import { describe, expect, it } from "vitest";
import { aesKeyOf, createWechatCrypto, encryptedReplyXml, msgSignature } from "./crypto.js";
import { opensslEncrypt as enc0, opensslDecrypt, opensslSha1 as sha1, wechatLayout } from "./openssl-vectors.js";

// A 43-character EncodingAESKey as the WeChat admin console issues it.
const ENCODING_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID = "wx5823bf96d3bd56c7";
const RANDOM16 = Buffer.from("0123456789abcdef0123456789abcdef", "hex");
const opensslEncrypt = (plain: Buffer) => enc0(ENCODING_AES_KEY, plain);
const layout = (msg: string, receiveId: string, padOverride?: (n: number) => Buffer) =>
  wechatLayout(msg, receiveId, RANDOM16, padOverride);

const MESSAGES = [
  ["an English text message", "<xml><FromUserName><![CDATA[o1]]></FromUserName><MsgType><![CDATA[text]]></MsgType></xml>"],
  ["Chinese (multi-byte UTF-8)", "<xml><Content><![CDATA[我今天早上空腹血糖是7.5，正常吗？]]></Content></xml>"],
  ["exactly one block of padding (len ≡ 0 mod 32 before padding)", "x".repeat(32 - 20 - APP_ID.length + 64)],
  ["empty message", ""],
] as const;

describe("WeChat message crypto (vectors by openssl)", () => {
  const c = createWechatCrypto(ENCODING_AES_KEY);

  it.each(MESSAGES)("decrypts openssl's ciphertext of %s", (_n, msg) => {
    const enc = opensslEncrypt(layout(msg, APP_ID));
    expect(c.decrypt(enc, [APP_ID])).toEqual({ message: msg, receiveId: APP_ID });
  });

  it.each(MESSAGES)("encrypts %s byte-for-byte as openssl does (same random prefix)", (_n, msg) => {
    expect(c.encrypt(msg, APP_ID, RANDOM16)).toBe(opensslEncrypt(layout(msg, APP_ID)));
  });

  it("pads to 32 bytes, not AES's 16: a full block of 32 when the plaintext is aligned", () => {
    const msg = "y".repeat(64 - 20 - APP_ID.length);
    const plain = opensslDecrypt(ENCODING_AES_KEY, c.encrypt(msg, APP_ID, RANDOM16));
    expect(plain.length).toBe(96);
    expect([...plain.subarray(64)]).toEqual(Array(32).fill(32));
  });

  it("refuses a message for another app id, bad padding and non-base64", () => {
    expect(() => c.decrypt(opensslEncrypt(layout("hi", "wxOTHER")), [APP_ID])).toThrow(/another app id/);
    const badPad = layout("hi", APP_ID, (n) => Buffer.concat([Buffer.alloc(n - 1, n), Buffer.from([n + 1 > 32 ? 0 : n + 1])]));
    expect(() => c.decrypt(opensslEncrypt(badPad), [APP_ID])).toThrow(/padding/);
    expect(() => c.decrypt("not base64!", [APP_ID])).toThrow(/base64/);
    // A different key yields garbage: the padding or the app id check catches it.
    const other = createWechatCrypto("ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut");
    expect(() => other.decrypt(opensslEncrypt(layout("hi", APP_ID)), [APP_ID])).toThrow(/rejected/);
  });

  it("msg_signature is SHA-1 over the sorted [token, timestamp, nonce, Encrypt]", () => {
    const enc = opensslEncrypt(layout("hi", APP_ID));
    const parts = ["QDG6eK", "1409659813", "1372623149", enc];
    expect(msgSignature("QDG6eK", "1409659813", "1372623149", enc)).toBe(sha1([...parts].sort().join("")));
  });

  it("a passive reply is encrypted and signed in WeChat's envelope", () => {
    const reply = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>";
    const xml = encryptedReplyXml(c, "tok", APP_ID, reply, "1409659813", "nonce1", RANDOM16);
    const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(xml)?.[1] as string;
    expect(enc).toBe(opensslEncrypt(layout(reply, APP_ID)));
    expect(xml).toContain(`<MsgSignature><![CDATA[${sha1(["tok", "1409659813", "nonce1", enc].sort().join(""))}]]>`);
    expect(xml).toContain("<TimeStamp>1409659813</TimeStamp>");
  });

  it.each(["short", `${"a".repeat(42)}!`, "a".repeat(44)])("rejects EncodingAESKey %s", (k) => {
    expect(() => aesKeyOf(k)).toThrow(/43 base64/);
  });
});
