/**
 * WeChat Official Account / WeCom callback signatures: SHA-1 over the token, timestamp and nonce
 * sorted lexicographically and concatenated. The signature does not cover the body, so the
 * timestamp is also held to a replay window. `signWechat` is for tests and the edge Worker's tests.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const WECHAT_REPLAY_WINDOW_S = 300;

export function signWechat(token: string, timestamp: string, nonce: string): string {
  return createHash("sha1").update([token, timestamp, nonce].sort().join("")).digest("hex");
}

export function verifyWechatSignature(o: {
  token: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nonce: string | undefined;
  nowMs: number;
  /** @defaultValue 300 */
  windowS?: number;
}): boolean {
  if (!o.signature || !o.timestamp || !o.nonce || !/^\d{1,12}$/.test(o.timestamp) || o.nonce.length > 64) return false;
  if (Math.abs(o.nowMs / 1000 - Number(o.timestamp)) > (o.windowS ?? WECHAT_REPLAY_WINDOW_S)) return false;
  const want = Buffer.from(signWechat(o.token, o.timestamp, o.nonce));
  const got = Buffer.from(o.signature.toLowerCase());
  return got.length === want.length && timingSafeEqual(got, want);
}
