import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter.js";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe("limiter (OLLAMA_NUM_PARALLEL + back-pressure)", () => {
  it("never runs more than `limit` at once and drains the wait line in order", async () => {
    const lim = createLimiter(2, 10);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    const runs = gates.map((g, i) =>
      lim.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await g.promise;
        running--;
      }),
    );
    await Promise.resolve();
    expect([lim.active, lim.waiting]).toEqual([2, 3]);
    for (const g of gates) g.resolve();
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect([lim.active, lim.waiting]).toEqual([0, 0]);
  });

  it("rejects with DEPENDENCY_UNAVAILABLE once the wait line is full", async () => {
    const lim = createLimiter(1, 1);
    const g = deferred();
    const a = lim.run(() => g.promise);
    const b = lim.run(async () => "b");
    await expect(lim.run(async () => "c")).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
    g.resolve();
    await a;
    expect(await b).toBe("b");
  });

  it("a waiter whose signal aborts leaves the line with MODEL_TIMEOUT and frees its place", async () => {
    const lim = createLimiter(1, 4);
    const g = deferred();
    const a = lim.run(() => g.promise);
    const ctl = new AbortController();
    const waiting = lim.run(async () => "never", ctl.signal);
    expect(lim.waiting).toBe(1);
    ctl.abort();
    await expect(waiting).rejects.toMatchObject({ code: "MODEL_TIMEOUT" });
    expect(lim.waiting).toBe(0);
    g.resolve();
    await a;
  });

  it("a failing call releases its slot", async () => {
    const lim = createLimiter(1);
    await expect(lim.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lim.run(async () => 1)).toBe(1);
  });
});
