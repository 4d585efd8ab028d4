import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, matchToken, parseApiTokens, sha256Hex, verifyPassword } from "./credentials.js";
import { sessionIdOf } from "./session.js";

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
  const id = "A".repeat(43);
  const sign = (v: string, k = secret) => `${v}.${createHmac("sha256", k).update(v).digest("base64url")}`;
  it("a signed id round-trips", () => {
    expect(sessionIdOf(sign(id), secret)).toBe(id);
  });
  it("reject tampering with the id, the signature or the key, and malformed values", () => {
    const v = sign(id);
    const [, sig] = v.split(".") as [string, string];
    expect(sessionIdOf(`${"B".repeat(43)}.${sig}`, secret)).toBeNull();
    expect(sessionIdOf(`${id}.${sig.slice(0, -2)}AA`, secret)).toBeNull();
    expect(sessionIdOf(v, "j".repeat(32))).toBeNull();
    expect(sessionIdOf(id, secret)).toBeNull();
    expect(sessionIdOf(sign("short"), secret)).toBeNull();
    expect(sessionIdOf(undefined, secret)).toBeNull();
  });
});
