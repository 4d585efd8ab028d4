import { describe, expect, it } from "vitest";
import { hashPassword, matchToken, parseApiTokens, sha256Hex, verifyPassword } from "./credentials.js";
import { readSession, signSession } from "./session.js";

describe("API tokens", () => {
  const spec = `ci:admin:${sha256Hex("s3cret")}, bot:reviewer:${sha256Hex("other")}`;
  it("match by hash and carry their role", () => {
    const entries = parseApiTokens(spec);
    expect(matchToken(entries, "s3cret")).toEqual({ name: "ci", role: "admin", via: "token" });
    expect(matchToken(entries, "other")).toMatchObject({ name: "bot", role: "reviewer" });
    expect(matchToken(entries, "s3cret ")).toBeNull();
    // The stored hash itself is not a token.
    expect(matchToken(entries, sha256Hex("s3cret"))).toBeNull();
  });
  it.each(["plain-secret", `x:superuser:${"a".repeat(64)}`, "x:admin:abc", `x:admin:${"a".repeat(64)}:extra`])(
    "rejects malformed entry %s",
    (bad) => {
      expect(() => parseApiTokens(bad)).toThrow(/API_TOKENS/);
    },
  );
});

describe("passwords", () => {
  it("verify the right password only", async () => {
    const h = await hashPassword("correct horse");
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword("correct horse", h)).toBe(true);
    expect(await verifyPassword("correct horsE", h)).toBe(false);
    expect(await verifyPassword("correct horse", "scrypt$bad")).toBe(false);
  });
});

describe("session cookies", () => {
  const secret = "k".repeat(32);
  const data = { u: "rev", r: "reviewer" as const, exp: 2_000, csrf: "c".repeat(20) };
  it("round-trip, and expire", () => {
    const v = signSession(data, secret);
    expect(readSession(v, secret, 1_000)).toEqual(data);
    expect(readSession(v, secret, 2_000)).toBeNull();
  });
  it("reject tampering with the body, the signature or the key", () => {
    const v = signSession(data, secret);
    const [body, sig] = v.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...data, r: "admin" })).toString("base64url");
    expect(readSession(`${forged}.${sig}`, secret, 1_000)).toBeNull();
    expect(readSession(`${body}.${sig.slice(0, -2)}AA`, secret, 1_000)).toBeNull();
    expect(readSession(v, "j".repeat(32), 1_000)).toBeNull();
    expect(readSession(body, secret, 1_000)).toBeNull();
  });
});
