/**
 * Slack and WeChat signature checks on Web Crypto only (no node: imports), for the edge Worker.
 * Same rules as the core's checks: Slack HMAC-SHA256 of `v0:{ts}:{body}`, WeChat SHA-1 of the
 * sorted token/timestamp/nonce, both within a 5-minute window of now.
 */
const enc = new TextEncoder();
const WINDOW_S = 300;

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Constant-time comparison of two strings of hex/ASCII. */
export function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const fresh = (ts: string | null | undefined, nowMs: number) =>
  !!ts && /^\d{1,12}$/.test(ts) && Math.abs(nowMs / 1000 - Number(ts)) <= WINDOW_S;

export async function slackSignatureValid(
  secret: string,
  body: string,
  ts: string | null | undefined,
  sig: string | null | undefined,
  nowMs: number,
): Promise<boolean> {
  if (!secret || !sig || !fresh(ts, nowMs)) return false;
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = hex(await crypto.subtle.sign("HMAC", key, enc.encode(`v0:${ts}:${body}`)));
  return safeEqual(sig, `v0=${mac}`);
}

export async function wechatSignatureValid(
  token: string,
  sig: string | null | undefined,
  ts: string | null | undefined,
  nonce: string | null | undefined,
  nowMs: number,
): Promise<boolean> {
  if (!token || !sig || !nonce || nonce.length > 64 || !fresh(ts, nowMs)) return false;
  const digest = hex(await crypto.subtle.digest("SHA-1", enc.encode([token, ts as string, nonce].sort().join(""))));
  return safeEqual(sig.toLowerCase(), digest);
}
