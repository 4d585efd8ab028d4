/**
 * WeChat Official Account / WeCom callback signatures: SHA-1 over the token, timestamp and nonce
 * sorted lexicographically and concatenated. The signature does not cover the body, so the
 * timestamp is also held to a replay window and each (timestamp, nonce) is accepted once (replay.ts). `signWechat` is for tests and the edge Worker's tests.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const WECHAT_REPLAY_WINDOW_S = 300;

export function signWechat(token: string, timestamp: string, nonce: string): string {
  return createHash("sha1").update([token, timestamp, nonce].sort().join("")).digest("hex");
}

/** A well-formed timestamp within the replay window, and a nonce of sane length. */
export function freshTimestamp(
  timestamp: string | undefined,
  nonce: string | undefined,
  nowMs: number,
  windowS = WECHAT_REPLAY_WINDOW_S,
): boolean {
  if (!timestamp || !nonce || !/^\d{1,12}$/.test(timestamp) || nonce.length > 64) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= windowS;
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
  if (!o.signature || !o.timestamp || !o.nonce) return false;
  if (!freshTimestamp(o.timestamp, o.nonce, o.nowMs, o.windowS)) return false;
  const want = Buffer.from(signWechat(o.token, o.timestamp, o.nonce));
  const got = Buffer.from(o.signature.toLowerCase());
  return got.length === want.length && timingSafeEqual(got, want);
}
