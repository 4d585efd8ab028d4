/**
 * Edge ingress on Cloudflare Workers (wrangler.toml): a small Hono app that verifies Slack and
 * WeChat signatures with Web Crypto and forwards accepted requests — original headers and body,
 * so the core verifies them again — to the core service (CORE_URL) with the shared secret header
 * X-Glyco-Edge-Secret, which the core checks when EDGE_SECRET is set. Forged, stale or oversized
 * requests stop here. No node: imports: this file and its imports run on workerd.
 */
import { Hono } from "hono";
import { slackSignatureValid, wechatSignatureValid } from "./webcrypto.js";

export interface EdgeBindings {
  CORE_URL: string;
  EDGE_SECRET: string;
  SLACK_SIGNING_SECRET?: string;
  WECHAT_TOKEN?: string;
}

export interface EdgeOptions {
  now?: () => number;
  /** The upstream fetch (tests inject one). @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** @defaultValue 1 MiB for Slack, 16 KiB for WeChat */
  maxSlackBytes?: number;
  maxWechatBytes?: number;
}

/** Headers passed through to the core; hop-by-hop and client-supplied edge headers are dropped. */
const PASS = /^(content-type|x-slack-[a-z-]+|x-request-id|user-agent)$/i;

export function createEdgeApp(o: EdgeOptions = {}) {
  const app = new Hono<{ Bindings: EdgeBindings }>();
  const now = o.now ?? Date.now;
  const upstream = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function forward(req: Request, env: EdgeBindings, body: ArrayBuffer | null): Promise<Response> {
    const url = new URL(req.url);
    const headers = new Headers();
    req.headers.forEach((v, k) => {
      if (PASS.test(k)) headers.set(k, v);
    });
    headers.set("x-glyco-edge-secret", env.EDGE_SECRET);
    const res = await upstream(`${env.CORE_URL.replace(/\/+$/, "")}${url.pathname}${url.search}`, {
      method: req.method,
      headers,
      ...(body ? { body } : {}),
    });
    return new Response(res.body, {
      status: res.status,
      headers: { "content-type": res.headers.get("content-type") ?? "text/plain" },
    });
  }

  async function readLimited(req: Request, max: number): Promise<ArrayBuffer | null> {
    if (Number(req.headers.get("content-length") ?? "0") > max) return null;
    const buf = await req.arrayBuffer();
    return buf.byteLength > max ? null : buf;
  }

  app.get("/healthz", (c) => c.json({ ok: true, edge: true }));

  app.post("/slack/:kind{events|commands|interactions}", async (c) => {
    const body = await readLimited(c.req.raw, o.maxSlackBytes ?? 1024 * 1024);
    if (!body) return c.text("payload too large", 413);
    const text = new TextDecoder().decode(body);
    const ok = await slackSignatureValid(
      c.env.SLACK_SIGNING_SECRET ?? "",
      text,
      c.req.header("x-slack-request-timestamp"),
      c.req.header("x-slack-signature"),
      now(),
    );
    if (!ok) return c.text("invalid signature", 401);
    return forward(c.req.raw, c.env, body);
  });

  const wechatOk = (c: { req: { query(k: string): string | undefined } }, env: EdgeBindings) =>
    wechatSignatureValid(env.WECHAT_TOKEN ?? "", c.req.query("signature"), c.req.query("timestamp"), c.req.query("nonce"), now());

  app.get("/wechat/callback", async (c) =>
    (await wechatOk(c, c.env)) ? forward(c.req.raw, c.env, null) : c.text("invalid signature", 401),
  );

  app.post("/wechat/callback", async (c) => {
    const body = await readLimited(c.req.raw, o.maxWechatBytes ?? 16 * 1024);
    if (!body) return c.text("payload too large", 413);
    if (!(await wechatOk(c, c.env))) return c.text("invalid signature", 401);
    return forward(c.req.raw, c.env, body);
  });

  app.notFound((c) => c.text("not found", 404));
  return app;
}

export default createEdgeApp();
