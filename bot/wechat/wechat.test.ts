/** Pure parts of the WeChat adapter: signatures, safe XML, the message window, binding commands. */
import { describe, expect, it } from "vitest";
import { WECHAT_POLICY, windowVerdict } from "../../server/conversations/policy.js";
import { BIND_RE } from "../../server/conversations/texts.js";
import { signWechat, verifyWechatSignature } from "./signature.js";
import { parseWechatXml, textMessageXml } from "./xml.js";

const NOW = new Date("2026-11-21T12:00:00Z");
const H = 3600_000;

describe("signature", () => {
  const ts = String(NOW.getTime() / 1000);
  it.each([
    ["valid", signWechat("tok", ts, "abc"), ts, true],
    ["wrong token", signWechat("other", ts, "abc"), ts, false],
    ["uppercase hex is fine", signWechat("tok", ts, "abc").toUpperCase(), ts, true],
    ["301 s old", signWechat("tok", String(Number(ts) - 301), "abc"), String(Number(ts) - 301), false],
    ["300 s old", signWechat("tok", String(Number(ts) - 300), "abc"), String(Number(ts) - 300), true],
  ])("%s", (_n, signature, timestamp, ok) => {
    expect(verifyWechatSignature({ token: "tok", signature, timestamp, nonce: "abc", nowMs: NOW.getTime() })).toBe(ok);
  });
});

describe("XML", () => {
  it("keeps 64-bit MsgIds exact and entities unexpanded", () => {
    const x = parseWechatXml(textMessageXml({ from: "o1", content: "a &lt; b ]]> c", msgId: "24345678901234567890" }));
    expect(x.MsgId).toBe("24345678901234567890");
    expect(x.Content).toBe("a &lt; b ]]> c");
  });
  it.each([
    [
      "<!DOCTYPE",
      '<!DOCTYPE x [<!ENTITY a "b">]><xml><FromUserName>o</FromUserName><MsgType>text</MsgType></xml>',
      "BAD_REQUEST",
    ],
    ["lowercase <!entity", '<!entity a "b"><xml><FromUserName>o</FromUserName><MsgType>text</MsgType></xml>', "BAD_REQUEST"],
    ["no root", "<foo><FromUserName>o</FromUserName><MsgType>text</MsgType></foo>", "BAD_REQUEST"],
    ["missing FromUserName", "<xml><MsgType>text</MsgType></xml>", "BAD_REQUEST"],
    ["16 KiB + 1", `<xml>${"a".repeat(16 * 1024)}</xml>`, "PAYLOAD_TOO_LARGE"],
  ])("rejects %s", (_n, raw, code) => {
    expect(() => parseWechatXml(raw)).toThrow(expect.objectContaining({ code }));
  });
});

const OA = WECHAT_POLICY.windows.oa as NonNullable<(typeof WECHAT_POLICY.windows)["oa"]>;
describe("window: 48 h after the patient's last message, at most 5 messages", () => {
  it.each([
    [0, 0, { ok: true, n: 1, last: false }],
    [0, 3, { ok: true, n: 4, last: false }],
    [0, 4, { ok: true, n: 5, last: true }],
    [0, 5, { ok: false, reason: "quota" }],
    [47.99, 0, { ok: true, n: 1, last: false }],
    [48, 0, { ok: false, reason: "window-closed" }],
  ])("%s h after, %i sent → %o", (hours, sent, verdict) => {
    expect(windowVerdict(new Date(NOW.getTime() - hours * H), sent, NOW, OA)).toEqual(verdict);
  });
  it("no inbound message at all → closed", () => {
    expect(windowVerdict(null, 0, NOW, OA)).toEqual({ ok: false, reason: "window-closed" });
  });
});

describe("binding command", () => {
  it.each([
    ["绑定 123456", "123456"],
    ["绑定123456", "123456"],
    ["link 000123", "000123"],
    ["Bind: 654321", "654321"],
    ["绑定 12345", null],
    ["please link 123456 thanks", null],
  ])("%s", (text, code) => {
    expect(BIND_RE.exec(text)?.[1] ?? null).toBe(code);
  });
});
