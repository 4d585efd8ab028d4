/**
 * The WeCom (企业微信) application message API: access tokens from /cgi-bin/gettoken (corp id +
 * the application's secret), cached until shortly before they expire and refreshed once on an
 * invalid/expired token answer (40001, 40014, 42001); text messages through
 * /cgi-bin/message/send to one member of the corp. The base URL is configurable (a stand-in in
 * tests). A text message holds at most 2048 bytes: longer answers go out in parts.
 */
export interface WecomApiOptions {
  /** @defaultValue https://qyapi.weixin.qq.com */
  baseUrl: string;
  corpId: string;
  /** The application's secret (not the corp's). */
  secret: string;
  agentId: number;
  now?: () => number;
  /** Per request. @defaultValue 5000 */
  timeoutMs?: number;
}

export interface WecomApi {
  sendText(userId: string, content: string): Promise<{ ok: boolean; errcode: number; errmsg: string }>;
}

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const MAX_TEXT_BYTES = 2000;

/** `text` in parts of at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function textParts(text: string, maxBytes = MAX_TEXT_BYTES): string[] {
  const parts: string[] = [];
  let cur = "";
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, "utf8");
    if (bytes + n > maxBytes) {
      parts.push(cur);
      cur = "";
      bytes = 0;
    }
    cur += ch;
    bytes += n;
  }
  if (cur || parts.length === 0) parts.push(cur);
  return parts;
}

export function createWecomApi(o: WecomApiOptions): WecomApi {
  const now = o.now ?? Date.now;
  const base = o.baseUrl.replace(/\/+$/, "");
  let token: { value: string; until: number } | null = null;
  let pending: Promise<string> | null = null;
  const timeout = () => AbortSignal.timeout(o.timeoutMs ?? 5000);

  async function fetchToken(): Promise<string> {
    const url = `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(o.corpId)}&corpsecret=${encodeURIComponent(o.secret)}`;
    const r = (await (await fetch(url, { signal: timeout() })).json()) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
      errmsg?: string;
    };
    if (!r.access_token) throw new Error(`wecom token: ${r.errcode ?? "?"} ${r.errmsg ?? ""}`);
    token = { value: r.access_token, until: now() + Math.max(60, (r.expires_in ?? 7200) - 300) * 1000 };
    return r.access_token;
  }
  async function accessToken(): Promise<string> {
    if (token && token.until > now()) return token.value;
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }
  async function sendOnce(userId: string, content: string, t: string) {
    const r = await fetch(`${base}/cgi-bin/message/send?access_token=${encodeURIComponent(t)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ touser: userId, msgtype: "text", agentid: o.agentId, text: { content } }),
      signal: timeout(),
    });
    return (await r.json()) as { errcode: number; errmsg: string };
  }
  return {
    async sendText(userId, content) {
      let last = { errcode: 0, errmsg: "ok" };
      for (const part of textParts(content)) {
        let r = await sendOnce(userId, part, await accessToken());
        if (TOKEN_ERRORS.has(r.errcode)) {
          token = null;
          r = await sendOnce(userId, part, await accessToken());
        }
        last = r;
        if (r.errcode !== 0) break;
      }
      return { ok: last.errcode === 0, errcode: last.errcode, errmsg: last.errmsg };
    },
  };
}
