/**
 * The Slack app manifests vs. the app: every URL in manifest.yaml is a route the Slack plugin
 * mounts (and verifies signatures on); the event request URL answers Slack's url_verification;
 * the slash command opens the modal; the bot events are exactly those the listeners handle
 * (read from bot/slack/listeners.ts, so a new listener without a manifest entry fails here); the
 * scopes cover those events and the Web API methods the code calls; the Socket Mode variant
 * asks for the same scopes, events and command with no URLs.
 *
 * No YAML library is installed, so the manifests are read with a small block-YAML reader that
 * understands what they use: nested maps, lists of scalars, lists of maps, quoted scalars,
 * booleans, numbers and comments (it throws on anything else, so it cannot silently misread).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackPlugin } from "../../bot/slack/index.js";
import { signSlackRequest } from "../../bot/slack/verify.js";
import type { System } from "../../server/main.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { type SlackApiStandin, startSlackApiStandin } from "../../test/standins/slack-api-standin.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "../..");

// ------------------------------------------------------------------ block-YAML reader

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };
interface Line {
  n: number;
  indent: number;
  text: string;
}

function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#" && (i === 0 || s[i - 1] === " ")) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

function scalar(raw: string, n: number): Yaml {
  const s = raw.trim();
  if (/^".*"$/.test(s)) return JSON.parse(s) as string;
  if (/^'.*'$/.test(s)) return s.slice(1, -1).replaceAll("''", "'");
  if (/^[[{|>&*!]/.test(s)) throw new Error(`line ${n}: unsupported YAML "${s}"`);
  if (s === "true" || s === "false") return s === "true";
  if (s === "null" || s === "~" || s === "") return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

function parseYaml(text: string): Yaml {
  const lines: Line[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.includes("\t")) throw new Error(`line ${i + 1}: tab`);
    const t = stripComment(raw);
    if (t.trim()) lines.push({ n: i + 1, indent: t.length - t.trimStart().length, text: t.trim() });
  });
  let i = 0;
  const keyValue = (l: Line): [string, string] => {
    const m = /^([^:"']+|"[^"]*"):(\s+(.*))?$/.exec(l.text);
    if (!m) throw new Error(`line ${l.n}: expected "key: value", got "${l.text}"`);
    return [(m[1] as string).replace(/^"|"$/g, ""), m[3] ?? ""];
  };
  function block(indent: number): Yaml {
    const first = lines[i];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith("- ") || first.text === "-") {
      const list: Yaml[] = [];
      while (lines[i] && (lines[i] as Line).indent === first.indent && (lines[i] as Line).text.startsWith("-")) {
        const l = lines[i] as Line;
        const rest = l.text.slice(1).trimStart();
        if (/^[^:"']+:(\s|$)/.test(rest)) {
          // "- key: v" opens a map whose other keys sit two columns in.
          lines[i] = { n: l.n, indent: l.indent + 2, text: rest };
          list.push(block(l.indent + 2));
        } else {
          i++;
          list.push(scalar(rest, l.n));
        }
      }
      return list;
    }
    const map: { [k: string]: Yaml } = {};
    while (lines[i] && (lines[i] as Line).indent === first.indent && !(lines[i] as Line).text.startsWith("- ")) {
      const l = lines[i] as Line;
      const [k, v] = keyValue(l);
      if (k in map) throw new Error(`line ${l.n}: duplicate key ${k}`);
      i++;
      map[k] =
        v === "" ? (lines[i] && (lines[i] as Line).indent > l.indent ? block((lines[i] as Line).indent) : null) : scalar(v, l.n);
    }
    return map;
  }
  const doc = block(0);
  if (i !== lines.length) throw new Error(`line ${lines[i]?.n}: unexpected indentation`);
  return doc;
}

// ------------------------------------------------------------------ the manifests

interface Manifest {
  features: { slash_commands: { command: string; url?: string }[]; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}
const read = (f: string) => parseYaml(readFileSync(join(HERE, f), "utf8")) as unknown as Manifest;
const http = read("manifest.yaml");
const socket = read("manifest.socket-mode.yaml");
const pathOf = (url: string | undefined) => new URL(url as string).pathname;

/** What the listeners subscribe to, from their source. */
const LISTENERS = readFileSync(join(ROOT, "bot/slack/listeners.ts"), "utf8");
const listenedEvents = [...LISTENERS.matchAll(/app\.event\("([^"]+)"/g)].map((m) => m[1] as string);
const commands = [...LISTENERS.matchAll(/app\.command\("([^"]+)"/g)].map((m) => m[1] as string);
const handlesMessages = /app\.message\(/.test(LISTENERS);
const usesActions = /app\.(action|view)\(/.test(LISTENERS);

/** Web API methods called anywhere in the Slack and review code, and the scope each needs. */
const METHOD_SCOPE: Record<string, string | null> = {
  "chat.postMessage": "chat:write",
  "chat.postEphemeral": "chat:write",
  "views.open": null,
};
const EVENT_SCOPE: Record<string, string> = {
  app_mention: "app_mentions:read",
  "message.im": "im:history",
  "message.channels": "channels:history",
  "message.groups": "groups:history",
};
function calledMethods(): string[] {
  const out = new Set<string>();
  for (const dir of ["bot/slack", "server/review", "server/conversations"]) {
    for (const f of readdirSync(join(ROOT, dir))) {
      if (!f.endsWith(".ts") || f.includes(".test.")) continue;
      const src = readFileSync(join(ROOT, dir, f), "utf8");
      for (const m of src.matchAll(/client\.(chat|views|conversations|users|reactions|files)\.(\w+)\(/g))
        out.add(`${m[1]}.${m[2]}`);
    }
  }
  return [...out].sort();
}

describe("the block-YAML reader", () => {
  it("reads maps, lists of scalars and lists of maps, and refuses what it does not understand", () => {
    expect(parseYaml('a:\n  b: 1\n  c: "x # y" # note\nl:\n  - one\n  - k: v\n    w: true\n')).toEqual({
      a: { b: 1, c: "x # y" },
      l: ["one", { k: "v", w: true }],
    });
    expect(() => parseYaml("a: [1, 2]\n")).toThrow(/unsupported/);
    expect(() => parseYaml("a: 1\na: 2\n")).toThrow(/duplicate/);
  });
});

describe("Slack manifest (HTTP) vs. the listeners", () => {
  it("subscribes to exactly the events the listeners handle", () => {
    const expected = [...listenedEvents, ...(handlesMessages ? ["message.im", "message.channels", "message.groups"] : [])];
    expect(listenedEvents).toContain("app_mention");
    expect([...http.settings.event_subscriptions.bot_events].sort()).toEqual([...new Set(expected)].sort());
  });

  it("declares every slash command the app handles, /glyco included", () => {
    expect(commands).toContain("/glyco");
    expect(http.features.slash_commands.map((c) => c.command).sort()).toEqual([...commands].sort());
  });

  it("asks for the scopes its events, commands and Web API calls need, and no others", () => {
    const methods = calledMethods();
    expect(methods).toContain("chat.postMessage");
    for (const m of methods) expect(m in METHOD_SCOPE, `scope for ${m} unknown to this test`).toBe(true);
    const needed = new Set<string>([
      ...http.settings.event_subscriptions.bot_events.map((e) => EVENT_SCOPE[e] as string),
      ...(commands.length ? ["commands"] : []),
      ...methods.flatMap((m) => (METHOD_SCOPE[m] ? [METHOD_SCOPE[m] as string] : [])),
    ]);
    expect([...http.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it("enables interactivity (buttons, modals) and DMs", () => {
    expect(usesActions).toBe(true);
    expect(http.settings.interactivity.is_enabled).toBe(true);
    expect(http.features.app_home.messages_tab_enabled).toBe(true);
    expect(http.settings.socket_mode_enabled).toBe(false);
  });

  it("the Socket Mode variant has the same scopes, events and command, Socket Mode on and no URLs", () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.oauth_config.scopes.bot).toEqual(http.oauth_config.scopes.bot);
    expect(socket.settings.event_subscriptions.bot_events).toEqual(http.settings.event_subscriptions.bot_events);
    expect(socket.features.slash_commands.map((c) => c.command)).toEqual(http.features.slash_commands.map((c) => c.command));
    const text = readFileSync(join(HERE, "manifest.socket-mode.yaml"), "utf8").replace(/#.*$/gm, "");
    expect(text).not.toMatch(/request_url|url:/);
    expect(readFileSync(join(HERE, "manifest.socket-mode.yaml"), "utf8")).toMatch(/connections:write/);
  });
});

describe("Slack manifest URLs vs. the routes the app registers", () => {
  const SECRET = "manifest-test-signing-secret";
  let sys: System;
  let slack: SlackApiStandin;
  beforeAll(async () => {
    slack = await startSlackApiStandin();
    sys = await buildTestSystem(
      {},
      { plugins: [slackPlugin({ signingSecret: SECRET, botToken: "xoxb-manifest", apiUrl: slack.url, botUserId: "UBOT" })] },
    );
  });
  afterAll(async () => {
    await sys?.stop();
    await slack?.close();
  });
  const signed = (path: string, body: string, type: string) =>
    sys.app.request(path, { method: "POST", headers: { "content-type": type, ...signSlackRequest(SECRET, body) }, body });

  const urls = () => [
    http.settings.event_subscriptions.request_url,
    http.settings.interactivity.request_url,
    ...http.features.slash_commands.map((c) => c.url),
  ];

  it("every URL uses one HTTPS host and a path the app mounts, with signature verification", async () => {
    expect(new Set(urls().map((u) => new URL(u as string).origin)).size).toBe(1);
    for (const u of urls()) {
      expect(u).toMatch(/^https:\/\//);
      const res = await sys.app.request(pathOf(u), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(res.status, `${u} unsigned`).toBe(401);
    }
    // The 401 above is the Slack route's verification, not a catch-all: an unmounted path is 404.
    expect((await sys.app.request("/slack/not-in-manifest", { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("the event request URL answers Slack's url_verification challenge", async () => {
    const body = JSON.stringify({ type: "url_verification", challenge: "manifest-check-42" });
    const res = await signed(pathOf(http.settings.event_subscriptions.request_url), body, "application/json");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "manifest-check-42" });
  });

  it("the slash command URL opens the consultation modal for /glyco", async () => {
    const cmd = http.features.slash_commands.find((c) => c.command === "/glyco");
    const body = new URLSearchParams({
      command: "/glyco",
      text: "",
      trigger_id: "trig-manifest-1",
      user_id: "UDOC",
      channel_id: "CCLIN",
      team_id: "T1",
      api_app_id: "A1",
    }).toString();
    const res = await signed(pathOf(cmd?.url), body, "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    await slack.waitFor((calls) => calls.some((c) => c.method === "views.open" && c.args.trigger_id === "trig-manifest-1"));
  });
});
