/**
 * TEST STAND-IN — not production code. A local HTTP server speaking the WeChat Official Account
 * API's wire protocol for what the adapter uses: GET /cgi-bin/token (client_credential) and
 * POST /cgi-bin/message/custom/send?access_token=… . It records every message sent and can
 * invalidate the current token (errcode 42001) to exercise the refresh.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SentMessage {
  touser: string;
  msgtype: string;
  content: string;
  at: number;
}

export interface WechatApiStandin {
  url: string;
  sent: SentMessage[];
  tokenRequests: number;
  to(openid: string): SentMessage[];
  /** Make the current token invalid (next send answers 42001). */
  expireToken(): void;
  waitFor(pred: (sent: SentMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWechatApiStandin(o: { appId: string; appSecret: string }): Promise<WechatApiStandin> {
  const sent: SentMessage[] = [];
  let current = "";
  let n = 0;
  const state = { tokenRequests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://standin");
      const send = (body: unknown) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/cgi-bin/token") {
        state.tokenRequests++;
        if (url.searchParams.get("appid") !== o.appId || url.searchParams.get("secret") !== o.appSecret)
          return send({ errcode: 40013, errmsg: "invalid appid" });
        current = `tok-${++n}`;
        return send({ access_token: current, expires_in: 7200 });
      }
      if (url.pathname === "/cgi-bin/message/custom/send") {
        const t = url.searchParams.get("access_token");
        if (!t || t !== current) return send({ errcode: t ? 42001 : 41001, errmsg: "access_token expired" });
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          touser: string;
          msgtype: string;
          text?: { content: string };
        };
        sent.push({ touser: body.touser, msgtype: body.msgtype, content: body.text?.content ?? "", at: Date.now() });
        return send({ errcode: 0, errmsg: "ok" });
      }
      send({ errcode: 404, errmsg: `stand-in: no route ${url.pathname}` });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    get tokenRequests() {
      return state.tokenRequests;
    },
    to: (openid) => sent.filter((m) => m.touser === openid),
    expireToken() {
      current = `revoked-${current}`;
    },
    async waitFor(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(sent)) {
        if (Date.now() > deadline)
          throw new Error(`wechat stand-in: condition not met within ${timeoutMs} ms (${sent.length} sent)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
