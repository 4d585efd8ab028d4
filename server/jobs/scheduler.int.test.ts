/**
 * The BullMQ Scheduler on the test run's real Redis: a job runs at its time, not before;
 * scheduling an id twice runs it once; cancel removes a pending job; a handler's retryable
 * failure is retried, a non-retryable AppError is not.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { AppError } from "../../core/errors.js";
import type { Scheduler } from "../../core/ports.js";
import { createBullScheduler } from "./scheduler.js";

const open: Scheduler[] = [];
const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const make = (clock = () => new Date()) => {
  const s = createBullScheduler({
    redisUrl: inject("redisUrl"),
    prefix: `sched-${randomUUID().slice(0, 8)}`,
    queue: "test-sched",
    clock,
    log,
    attempts: 3,
  });
  open.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const until = async (ok: () => boolean, ms = 8_000) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
};

describe("BullMQ Scheduler", () => {
  it("runs a job at its time on the scheduler's clock, once per id", async () => {
    const s = make();
    const ran: Array<{ n: number; at: number }> = [];
    s.handle<{ n: number }>("tick", async ({ n }) => {
      ran.push({ n, at: Date.now() });
    });
    const t0 = Date.now();
    await s.schedule({ kind: "tick", id: "a", data: { n: 1 }, at: new Date(t0 + 400) });
    await s.schedule({ kind: "tick", id: "a", data: { n: 2 }, at: new Date(t0 + 400) });
    await s.schedule({ kind: "tick", id: "b:with:colons", data: { n: 3 }, at: new Date(t0 - 1_000) });
    await until(() => ran.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(ran.map((r) => r.n).sort()).toEqual([1, 3]);
    expect((ran.find((r) => r.n === 1)?.at ?? 0) - t0).toBeGreaterThanOrEqual(380);
    expect((ran.find((r) => r.n === 3)?.at ?? Infinity) - t0).toBeLessThan(380);
  });

  it("delays relative to its own clock (a fixed test clock keeps the delay)", async () => {
    const fixed = new Date("2026-03-02T09:00:00Z");
    const s = make(() => fixed);
    const ran: number[] = [];
    s.handle("tick", async () => {
      ran.push(Date.now());
    });
    const t0 = Date.now();
    await s.schedule({ kind: "tick", id: "x", data: {}, at: new Date(fixed.getTime() + 300) });
    await until(() => ran.length >= 1);
    expect((ran[0] ?? 0) - t0).toBeGreaterThanOrEqual(280);
  });

  it("cancel removes a pending job", async () => {
    const s = make();
    const ran: string[] = [];
    s.handle<{ id: string }>("tick", async ({ id }) => {
      ran.push(id);
    });
    await s.schedule({ kind: "tick", id: "keep", data: { id: "keep" }, at: new Date(Date.now() + 300) });
    await s.schedule({ kind: "tick", id: "drop", data: { id: "drop" }, at: new Date(Date.now() + 300) });
    await s.cancel("tick", "drop");
    await s.cancel("tick", "never-scheduled");
    await until(() => ran.length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(ran).toEqual(["keep"]);
  });

  it("retries a failing handler, but not a non-retryable AppError", async () => {
    const s = make();
    const tries: Record<string, number> = { flaky: 0, final: 0 };
    s.handle<{ id: string }>("work", async ({ id }) => {
      tries[id] = (tries[id] ?? 0) + 1;
      if (id === "final") throw new AppError("NOT_FOUND", "gone");
      if ((tries[id] ?? 0) < 2) throw new Error("transient");
      return "ok";
    });
    await s.schedule({ kind: "work", id: "flaky", data: { id: "flaky" }, at: new Date() });
    await s.schedule({ kind: "work", id: "final", data: { id: "final" }, at: new Date() });
    await until(() => (tries.flaky ?? 0) >= 2, 10_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(tries).toEqual({ flaky: 2, final: 1 });
  }, 20_000);
});
