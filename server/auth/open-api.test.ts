/**
 * Closed by default: the verdict table at its boundaries, and the real `glycopilot start`
 * refusing a non-loopback HOST without API_TOKENS (exit 2, before any service starts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isLoopbackHost, openApiVerdict } from "./open-api.js";

describe("openApiVerdict", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.5", false],
    ["128.0.0.1", false],
    ["glycopilot.internal", false],
  ])("isLoopbackHost(%s) = %s", (host, want) => {
    expect(isLoopbackHost(host)).toBe(want);
  });

  it.each([
    // HOST, API_TOKENS, ALLOW_OPEN_API → starts?, warns?
    ["127.0.0.1", undefined, false, true, true],
    ["0.0.0.0", undefined, false, false, false],
    ["0.0.0.0", "   ", false, false, false],
    ["0.0.0.0", undefined, true, true, true],
    ["0.0.0.0", "ops:admin:ab", false, true, false],
    ["10.1.1.1", "ops:admin:ab", true, true, false],
  ] as const)(
    "HOST=%s API_TOKENS=%s ALLOW_OPEN_API=%s → start %s, warning %s",
    (HOST, API_TOKENS, ALLOW_OPEN_API, starts, warns) => {
      const v = openApiVerdict({ HOST, API_TOKENS, ALLOW_OPEN_API });
      expect(v.start).toBe(starts);
      if (v.start) expect(v.warning !== null).toBe(warns);
      else expect(v.error).toMatch(/API_TOKENS/);
    },
  );
});

describe("glycopilot start", () => {
  const run = (env: Record<string, string>) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(API_TOKENS|ALLOW_OPEN_API|HOST|REDIS_URL|DATABASE_URL)$/.test(k)),
    );
    return spawnSync(process.execPath, ["bin/glycopilot.mjs", "start"], {
      env: { ...clean, DATA_DIR: mkdtempSync(join(tmpdir(), "glyco-open-")), PORT: "0", ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
  };

  it("refuses HOST=0.0.0.0 without API_TOKENS: exit 2, a loud reason, nothing started", () => {
    const r = run({ HOST: "0.0.0.0" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/!!!!.*\n!! refusing to start: HOST=0\.0\.0\.0 is not loopback and API_TOKENS is not set/);
    expect(r.stderr).not.toMatch(/GlycoPilot starting/);
  });

  it("refuses a placeholder API_TOKENS (the shipped Kubernetes secret) the same way", () => {
    const r = run({ HOST: "0.0.0.0", API_TOKENS: "REPLACE_ME" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to start: API_TOKENS entry/);
  });
});
