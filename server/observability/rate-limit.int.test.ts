/**
 * Rate limits hold when Redis is down: the Redis limiter falls back to an in-process limiter
 * (real ioredis against a port nobody listens on), and against a real Redis it counts there.
 */
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createMemoryRateLimiter, createRedisRateLimiter, enforceRate } from "./rate-limit.js";

const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe("rate limiting", () => {
  it("Redis unreachable: limits are kept in process (429 after the limit), and the outage is reported", async () => {
    const redis = new Redis({
      port: await deadPort(),
      host: "127.0.0.1",
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    clients.push(redis);
    const errors: string[] = [];
    const limiter = createRedisRateLimiter(redis, "t-rl-down", (e) => errors.push(e.message));
    const outcomes: boolean[] = [];
    for (let i = 0; i < 5; i++) outcomes.push((await limiter.hit("token", "caller-1", 3, 60_000)).allowed);
    expect(outcomes).toEqual([true, true, true, false, false]);
    expect(errors.length).toBe(5);
    await expect(enforceRate(limiter, "token", "caller-1", 3)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // Another key has its own count.
    expect((await limiter.hit("token", "caller-2", 3, 60_000)).allowed).toBe(true);
  });

  it("Redis up: counted in Redis (shared by every limiter on the same prefix)", async () => {
    const a = new Redis(inject("redisUrl"));
    const b = new Redis(inject("redisUrl"));
    clients.push(a, b);
    const prefix = `t-rl-${Date.now()}`;
    const la = createRedisRateLimiter(a, prefix);
    const lb = createRedisRateLimiter(b, prefix);
    expect((await la.hit("sender", "p", 2, 60_000)).allowed).toBe(true);
    expect((await lb.hit("sender", "p", 2, 60_000)).allowed).toBe(true);
    expect((await la.hit("sender", "p", 2, 60_000)).allowed).toBe(false);
  });

  it("the in-process limiter opens a new window and bounds its memory", async () => {
    let now = 0;
    const m = createMemoryRateLimiter({ now: () => now, maxKeys: 10 });
    expect((await m.hit("s", "k", 1, 1000)).allowed).toBe(true);
    expect((await m.hit("s", "k", 1, 1000)).allowed).toBe(false);
    now = 1000;
    expect((await m.hit("s", "k", 1, 1000)).allowed).toBe(true);
    for (let i = 0; i < 100; i++) await m.hit("s", `flood-${i}`, 1, 1000);
    // "k" was evicted by the flood; it starts over rather than the map growing without bound.
    expect((await m.hit("s", "k", 1, 1000)).allowed).toBe(true);
  });
});
