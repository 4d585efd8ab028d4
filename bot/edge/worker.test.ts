/**
 * The edge Worker app through its `fetch` (unit level; worker.miniflare.test.ts runs it on workerd): signatures checked
 * with Web Crypto against signatures made by the core's node:crypto helpers, accepted requests
 * forwarded with the shared secret, everything else stopped at the edge; and the core's guard.
 */
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { signSlackRequest } from "../slack/verify.js";
import { signWechat } from "../wechat/signature.js";
import { edgeGuard } from "./guard.js";
import { createEdgeApp, type EdgeBindings } from "./worker.js";

const env: EdgeBindings = {
  CORE_URL: "http://core.test",
  EDGE_SECRET: "edge-secret",
  SLACK_SIGNING_SECRET: "slack-secret",
  WECHAT_TOKEN: "wx-token",
};

function setup() {
  const forwarded: { url: string; method: string; headers: Headers; body: string }[] = [];
  const app = createEdgeApp({
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = init?.body ? new TextDecoder().decode(init.body as ArrayBuffer) : "";
      forwarded.push({ url: String(input), method: init?.method ?? "GET", headers: new Headers(init?.headers), body });
      return new Response("core-ok", { status: 200, headers: { "content-type": "text/plain" } });
    }) as typeof fetch,
  });
  const call = (path: string, init: RequestInit) => app.fetch(new Request(`https://edge.test${path}`, init), env);
  return { forwarded, call };
}

describe("edge ingress", () => {
  it("forwards a validly signed Slack event with the shared secret and the original signature", async () => {
    const { forwarded, call } = setup();
    const body = JSON.stringify({ type: "event_callback", event_id: "Ev1" });
    const res = await call("/slack/events", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-glyco-edge-secret": "client-forged",
        ...signSlackRequest("slack-secret", body),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("core-ok");
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]?.url).toBe("http://core.test/slack/events");
    expect(forwarded[0]?.headers.get("x-glyco-edge-secret")).toBe("edge-secret");
    expect(forwarded[0]?.headers.get("x-slack-signature")).toMatch(/^v0=/);
    expect(forwarded[0]?.body).toBe(body);
  });

  it.each([
    ["a forged Slack signature", () => signSlackRequest("wrong", "{}"), 401],
    ["a stale Slack timestamp", () => signSlackRequest("slack-secret", "{}", Math.floor(Date.now() / 1000) - 400), 401],
    ["no signature", () => ({}), 401],
  ])("stops %s at the edge", async (_n, headers, status) => {
    const { forwarded, call } = setup();
    const res = await call("/slack/events", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers() },
      body: "{}",
    });
    expect(res.status).toBe(status);
    expect(forwarded).toHaveLength(0);
  });

  it("WeChat: valid GET/POST forwarded with the query; forged → 401; oversized → 413", async () => {
    const { forwarded, call } = setup();
    const ts = String(Math.floor(Date.now() / 1000));
    const q = `signature=${signWechat("wx-token", ts, "n1")}&timestamp=${ts}&nonce=n1`;
    expect((await call(`/wechat/callback?${q}&echostr=e1`, { method: "GET" })).status).toBe(200);
    expect(forwarded[0]?.url).toBe(`http://core.test/wechat/callback?${q}&echostr=e1`);
    expect((await call(`/wechat/callback?${q}`, { method: "POST", body: "<xml></xml>" })).status).toBe(200);
    expect(forwarded[1]?.body).toBe("<xml></xml>");
    const forged = `signature=${signWechat("other", ts, "n1")}&timestamp=${ts}&nonce=n1`;
    expect((await call(`/wechat/callback?${forged}`, { method: "POST", body: "<xml></xml>" })).status).toBe(401);
    expect((await call(`/wechat/callback?${q}`, { method: "POST", body: "x".repeat(20_000) })).status).toBe(413);
    expect(forwarded).toHaveLength(2);
  });

  it("uses no node: modules (runs on workerd)", () => {
    for (const f of ["worker.ts", "webcrypto.ts"]) {
      const src = readFileSync(new URL(f, import.meta.url), "utf8");
      const imports = [...src.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      expect(imports.every((i) => i === "hono" || i === "./webcrypto.js")).toBe(true);
    }
  });
});

describe("core edge guard", () => {
  const app = new Hono().use("/slack/*", edgeGuard("edge-secret")).post("/slack/events", (c) => c.text("in"));
  it.each([
    [undefined, 403],
    ["wrong-secret", 403],
    ["edge-secret", 200],
  ])("X-Glyco-Edge-Secret %s → %i", async (secret, status) => {
    const res = await app.request("/slack/events", { method: "POST", headers: secret ? { "x-glyco-edge-secret": secret } : {} });
    expect(res.status).toBe(status);
  });
  it("is open when no secret is configured", async () => {
    const open = new Hono().use("*", edgeGuard(undefined)).get("/x", (c) => c.text("ok"));
    expect((await open.request("/x")).status).toBe(200);
  });
});
