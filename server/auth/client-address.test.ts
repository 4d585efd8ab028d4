import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { clientAddress, parseTrustedProxies } from "./client-address.js";

const probe = (trusted: string | undefined) => {
  const app = new Hono();
  const t = parseTrustedProxies(trusted);
  app.get("/", (c) => c.text(clientAddress(c, t) ?? "none"));
  return async (peer: string | null, xff?: string) => {
    const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : {};
    const res = await app.request("/", { headers: xff ? { "x-forwarded-for": xff } : {} }, env);
    return res.text();
  };
};

describe("clientAddress", () => {
  it.each([
    // trusted, peer, X-Forwarded-For → address
    [undefined, "198.51.100.1", "1.2.3.4", "198.51.100.1"],
    [undefined, null, "1.2.3.4", "none"],
    ["10.0.0.0/8", "198.51.100.1", "1.2.3.4", "198.51.100.1"],
    ["10.0.0.0/8", "10.1.2.3", "1.2.3.4", "1.2.3.4"],
    ["10.0.0.0/8", "10.1.2.3", "6.6.6.6, 1.2.3.4", "1.2.3.4"],
    ["10.0.0.0/8", "10.1.2.3", "1.2.3.4, 10.9.9.9", "1.2.3.4"],
    ["10.0.0.0/8", "::ffff:10.1.2.3", "1.2.3.4", "1.2.3.4"],
    ["10.0.0.0/8", "10.1.2.3", "not-an-ip", "10.1.2.3"],
    ["127.0.0.1,fd00::/8", "fd00::1", "2001:db8::5", "2001:db8::5"],
    ["127.0.0.1", "127.0.0.2", "1.2.3.4", "127.0.0.2"],
  ])("trusted %s, peer %s, XFF %s → %s", async (trusted, peer, xff, want) => {
    expect(await probe(trusted)(peer, xff)).toBe(want);
  });

  it("a malformed TRUSTED_PROXIES entry is an error, not silently ignored", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
    expect(() => parseTrustedProxies("proxy.local")).toThrow(/not an IP/);
  });
});
