/**
 * The edge Worker on workerd itself, through Miniflare (offline): bot/edge/worker.ts bundled with
 * esbuild exactly as wrangler would, run with its bindings, forwarding to a local recorder that
 * stands in for the core service (test code only). Proves the Worker runs on the Workers runtime
 * (no node: APIs), verifies real signatures and forwards with the shared secret.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSlackRequest } from "../slack/verify.js";
import { signWechat } from "../wechat/signature.js";

const SLACK_SECRET = "edge-slack-signing-secret";
const WX_TOKEN = "edge-wechat-token";
const EDGE_SECRET = "edge-shared-secret-0123456789";

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
let core: Server;
const seen: Seen[] = [];
let mf: Miniflare;

beforeAll(async () => {
  core = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("core ok");
    });
  });
  await new Promise<void>((r) => core.listen(0, "127.0.0.1", () => r()));
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("./worker.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser", "import"],
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  expect(script).not.toMatch(/from\s*["']node:/);
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: "2025-11-01",
    bindings: {
      CORE_URL: `http://127.0.0.1:${(core.address() as AddressInfo).port}`,
      EDGE_SECRET,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      WECHAT_TOKEN: WX_TOKEN,
    },
  });
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  await new Promise<void>((r) => core?.close(() => r()));
});

describe("edge Worker on Miniflare", () => {
  it("forwards a signed Slack event to the core with the shared secret and the original body", async () => {
    const body = JSON.stringify({ type: "event_callback", event_id: "EvEdge1", event: { type: "app_mention", text: "hi" } });
    const res = await mf.dispatchFetch("http://edge.local/slack/events", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...signSlackRequest(SLACK_SECRET, body),
        "x-glyco-edge-secret": "client-forged",
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("core ok");
    const got = seen.at(-1);
    expect(got?.url).toBe("/slack/events");
    expect(got?.body).toBe(body);
    expect(got?.headers["x-glyco-edge-secret"]).toBe(EDGE_SECRET);
    expect(got?.headers["x-slack-signature"]).toMatch(/^v0=/);
  });

  it("stops a forged Slack signature at the edge", async () => {
    const before = seen.length;
    const body = JSON.stringify({ type: "event_callback", event_id: "EvEdge2" });
    const res = await mf.dispatchFetch("http://edge.local/slack/events", {
      method: "POST",
      headers: { "content-type": "application/json", ...signSlackRequest("not-the-secret", body) },
      body,
    });
    expect(res.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it("forwards a signed WeChat callback and refuses a forged one", async () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const xml = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[血糖8.1]]></Content><MsgId>1</MsgId></xml>";
    const ok = await mf.dispatchFetch(
      `http://edge.local/wechat/callback?signature=${signWechat(WX_TOKEN, ts, "n1")}&timestamp=${ts}&nonce=n1&openid=o1`,
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: xml,
      },
    );
    expect(ok.status).toBe(200);
    expect(seen.at(-1)?.body).toBe(xml);
    expect(seen.at(-1)?.url).toContain("/wechat/callback?signature=");
    const before = seen.length;
    const bad = await mf.dispatchFetch(
      `http://edge.local/wechat/callback?signature=${signWechat("wrong", ts, "n2")}&timestamp=${ts}&nonce=n2`,
      {
        method: "POST",
        headers: { "content-type": "text/xml" },
        body: xml,
      },
    );
    expect(bad.status).toBe(401);
    expect(seen.length).toBe(before);
  });
});
