/**
 * The Official Account customer-service message API: the real answer goes out asynchronously
 * (the callback itself only answers "success" within WeChat's 5 s). Access tokens come from
 * /cgi-bin/token and are cached until shortly before they expire; an invalid/expired token
 * answer (40001, 40014, 42001) refreshes once. The base URL is configurable (a stand-in in tests).
 */
export interface CsApiOptions {
  /** @defaultValue https://api.weixin.qq.com */
  baseUrl: string;
  appId: string;
  appSecret: string;
  now?: () => number;
  /** Per request. @defaultValue 5000 */
  timeoutMs?: number;
}

export interface CsApi {
  sendText(openid: string, content: string): Promise<{ ok: boolean; errcode: number; errmsg: string }>;
}

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

export function createCsApi(o: CsApiOptions): CsApi {
  const now = o.now ?? Date.now;
  const base = o.baseUrl.replace(/\/+$/, "");
  let token: { value: string; until: number } | null = null;
  let pending: Promise<string> | null = null;
  const timeout = () => AbortSignal.timeout(o.timeoutMs ?? 5000);

  async function fetchToken(): Promise<string> {
    const url = `${base}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(o.appId)}&secret=${encodeURIComponent(o.appSecret)}`;
    const r = (await (await fetch(url, { signal: timeout() })).json()) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
      errmsg?: string;
    };
    if (!r.access_token) throw new Error(`wechat token: ${r.errcode ?? "?"} ${r.errmsg ?? ""}`);
    token = { value: r.access_token, until: now() + Math.max(60, (r.expires_in ?? 7200) - 300) * 1000 };
    return r.access_token;
  }
  async function accessToken(force = false): Promise<string> {
    if (!force && token && token.until > now()) return token.value;
    // One refresh at a time: concurrent senders share it.
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  return {
    async sendText(openid, content) {
      for (let attempt = 0; ; attempt++) {
        const t = await accessToken(attempt > 0);
        const res = await fetch(`${base}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(t)}`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body: JSON.stringify({ touser: openid, msgtype: "text", text: { content } }),
          signal: timeout(),
        });
        const r = (await res.json()) as { errcode?: number; errmsg?: string };
        const errcode = r.errcode ?? (res.ok ? 0 : res.status);
        if (TOKEN_ERRORS.has(errcode) && attempt === 0) continue;
        return { ok: errcode === 0, errcode, errmsg: r.errmsg ?? "" };
      }
    },
  };
}
