/**
 * A local stand-in for the WeCom API (tests only): /cgi-bin/gettoken for one corp id and
 * application secret, /cgi-bin/message/send recording each text with its recipient; `expireNext`
 * makes the next send answer 42001 (token expired) once.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface WecomSent {
  touser: string;
  agentid: number;
  content: string;
}

export interface WecomApiStandin {
  url: string;
  sent: WecomSent[];
  tokensIssued(): number;
  expireNext(): void;
  waitFor(pred: (sent: WecomSent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWecomApiStandin(o: { corpId: string; secret: string }): Promise<WecomApiStandin> {
  const sent: WecomSent[] = [];
  let issued = 0;
  let expire = false;
  const valid = new Set<string>();
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const json = (v: unknown) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(v));
    };
    if (u.pathname === "/cgi-bin/gettoken") {
      if (u.searchParams.get("corpid") !== o.corpId || u.searchParams.get("corpsecret") !== o.secret)
        return json({ errcode: 40001, errmsg: "invalid credential" });
      const t = `tok-${++issued}`;
      valid.add(t);
      return json({ errcode: 0, errmsg: "ok", access_token: t, expires_in: 7200 });
    }
    if (u.pathname === "/cgi-bin/message/send" && req.method === "POST") {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        const t = u.searchParams.get("access_token") ?? "";
        if (expire) {
          expire = false;
          valid.delete(t);
          return json({ errcode: 42001, errmsg: "access_token expired" });
        }
        if (!valid.has(t)) return json({ errcode: 40014, errmsg: "invalid access_token" });
        const m = JSON.parse(body) as { touser: string; agentid: number; msgtype: string; text?: { content: string } };
        if (m.msgtype !== "text" || !m.text) return json({ errcode: 40008, errmsg: "invalid message type" });
        sent.push({ touser: m.touser, agentid: m.agentid, content: m.text.content });
        json({ errcode: 0, errmsg: "ok" });
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    tokensIssued: () => issued,
    expireNext() {
      expire = true;
    },
    async waitFor(pred, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(sent)) {
        if (Date.now() > deadline) throw new Error(`wecom stand-in: condition not met (sent: ${sent.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
