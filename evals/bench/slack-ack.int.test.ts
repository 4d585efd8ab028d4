/**
 * The Slack ack benchmark's harness on a real HTTP server: 100 concurrent signed events are all
 * acked with 200. Latency figures come from `npm run bench` (timed assertions flake on a shared
 * 2-core machine and are not made here).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { slackPlugin } from "../../bot/slack/index.js";
import type { System } from "../../server/main.js";
import { buildTestSystem } from "../../test/helpers/system.js";
import { benchSlackAck } from "./slack-ack.js";

let sys: System;
beforeAll(async () => {
  sys = await buildTestSystem(
    {},
    {
      worker: false,
      plugins: [
        slackPlugin({
          signingSecret: "bench-secret",
          botToken: "xoxb-bench",
          apiUrl: "http://127.0.0.1:9/api/",
          botId: "BBENCH",
          botUserId: "UBOT",
        }),
      ],
    },
  );
});
afterAll(async () => sys?.stop());

it("benchSlackAck(100): every event acked with 200", async () => {
  const lines: string[] = [];
  await benchSlackAck(100, { system: sys, signingSecret: "bench-secret", log: (l) => lines.push(l) });
  const r = await benchSlackAck(100, { system: sys, signingSecret: "bench-secret", log: (l) => lines.push(l) });
  console.log(lines.join("\n"));
  expect(r.ok).toBe(100);
  expect(r.p50Ms).toBeLessThanOrEqual(r.p99Ms);
});
