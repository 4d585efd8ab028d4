/**
 * Sign-in security through the real console and API on real Redis, Chroma and PGlite, with the
 * system clock under the test's control: backoff lockout per account and per client address
 * (audited), bearer-token guessing locked out per address, X-Forwarded-For believed only from a
 * trusted proxy, server-side sessions (logout revokes, expiry, admin revocation), Secure cookies
 * except on loopback, and hono/secure-headers on the console.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem } from "../../test/helpers/system.js";
import type { System } from "../main.js";
import { API_TOKENS, bearer, PASSWORDS, SESSION_SECRET, TOKENS, testUsers } from "../review/fixtures.test-helper.js";
import { reviewModule } from "../review/index.js";

let sys: System;
let nowMs = Date.parse("2026-03-02T09:00:00Z");
const MAX = 5;

beforeAll(async () => {
  const review = reviewModule({ sessionSecret: SESSION_SECRET, users: await testUsers(), apiTokens: API_TOKENS });
  sys = await buildTestSystem(
    {
      API_TOKENS,
      LOGIN_MAX_FAILURES: String(MAX),
      LOGIN_LOCKOUT_MS: "60000",
      LOGIN_LOCKOUT_MAX_MS: "600000",
      TRUSTED_PROXIES: "10.0.0.0/8",
      RATE_LIMIT_TOKEN_PER_MIN: "0",
    },
    {
      worker: false,
      clock: () => new Date(nowMs),
      review,
      plugins: [
        async () => ({
          name: "wechat",
          channel: {
            name: "wechat",
            start: async () => {},
            stop: async () => {},
            deliver: async () => ({ delivered: true, detail: "" }),
          },
        }),
      ],
    },
  );
});
afterAll(async () => {
  await sys?.stop();
});

/** A request as @hono/node-server would hand it over: with the socket's peer address. */
const from = (addr: string) => ({ incoming: { socket: { remoteAddress: addr } } });

async function signIn(user: string, password: string, o: { addr?: string; host?: string; xff?: string } = {}) {
  const base = `http://${o.host ?? "localhost"}`;
  const env = o.addr ? from(o.addr) : undefined;
  const form = await sys.app.request(`${base}/console/login`, {}, env);
  const lc = /gp_login_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const res = await sys.app.request(
    `${base}/console/login`,
    {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `gp_login_csrf=${lc}`,
        ...(o.xff ? { "x-forwarded-for": o.xff } : {}),
      },
      body: new URLSearchParams({ username: user, password, _csrf: lc, next: "/console" }).toString(),
    },
    env,
  );
  const setCookie = res.headers.get("set-cookie") ?? "";
  const cookie = /gp_session=([^;]+)/.exec(setCookie)?.[1];
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    setCookie,
    cookie: cookie ? `gp_session=${cookie}` : null,
  };
}

const auditKinds = async (caseId: string) => (await sys.services.audit.list(caseId)).map((e) => e.kind);

describe("sign-in throttle", () => {
  it(`per account: ${MAX} wrong passwords, then 429 with Retry-After even for the right one; backoff doubles; audited`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX; i++) statuses.push((await signIn("rev2", `wrong-${i}`)).status);
    expect(statuses).toEqual(Array(MAX).fill(401));
    const locked = await signIn("rev2", PASSWORDS.rev2);
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(50);
    expect(locked.cookie).toBeNull();
    const kinds = await auditKinds("user:rev2");
    expect(kinds.filter((k) => k === "auth-login-failed")).toHaveLength(MAX);
    expect(kinds).toContain("auth-login-locked");

    // After the lockout: one more failure locks again, for twice as long.
    nowMs += 61_000;
    expect((await signIn("rev2", "wrong-again")).status).toBe(401);
    const again = await signIn("rev2", PASSWORDS.rev2);
    expect(again.status).toBe(429);
    expect(Number(again.retryAfter)).toBeGreaterThan(110);
    expect(Number(again.retryAfter)).toBeLessThanOrEqual(120);
    nowMs += 121_000;
    const ok = await signIn("rev2", PASSWORDS.rev2);
    expect(ok.status).toBe(303);
    expect(ok.cookie).toBeTruthy();
    // Success clears the account: the next wrong password is an ordinary 401.
    expect((await signIn("rev2", "typo")).status).toBe(401);
  });

  it(`per client address: ${MAX} failures on different usernames lock the address, not other addresses`, async () => {
    const addr = "203.0.113.7";
    for (let i = 0; i < MAX; i++) expect((await signIn(`nobody${i}`, "x", { addr })).status).toBe(401);
    expect((await signIn("adm", PASSWORDS.adm, { addr })).status).toBe(429);
    expect((await signIn("adm", PASSWORDS.adm, { addr: "203.0.113.8" })).status).toBe(303);
  });

  it("X-Forwarded-For is ignored from an untrusted peer, and believed from a trusted proxy", async () => {
    const attacker = "198.51.100.9";
    for (let i = 0; i < MAX; i++)
      expect((await signIn(`ghost${i}`, "x", { addr: attacker, xff: `192.0.2.${i}` })).status).toBe(401);
    // Forging another X-Forwarded-For does not escape the lockout of the real peer address.
    expect((await signIn("adm", PASSWORDS.adm, { addr: attacker, xff: "192.0.2.200" })).status).toBe(429);
    // Behind the trusted proxy 10.0.0.2, the client is the right-most untrusted hop.
    for (let i = 0; i < MAX; i++)
      expect((await signIn(`proxied${i}`, "x", { addr: "10.0.0.2", xff: "1.2.3.4, 192.0.2.50" })).status).toBe(401);
    expect((await signIn("adm", PASSWORDS.adm, { addr: "10.0.0.2", xff: "192.0.2.50" })).status).toBe(429);
    expect((await signIn("adm", PASSWORDS.adm, { addr: "10.0.0.2", xff: "192.0.2.51" })).status).toBe(303);
  });

  it(`bearer-token guessing: ${MAX} bad tokens from one address, then 429 on /v1 and review routes, even for a valid token`, async () => {
    const addr = "203.0.113.50";
    const statuses: number[] = [];
    for (let i = 0; i < MAX; i++) {
      const r = await sys.app.request("/v1/patients/p1", { headers: bearer(`guess-${i}`) }, from(addr));
      statuses.push(r.status);
    }
    expect(statuses).toEqual(Array(MAX).fill(401));
    const a = await sys.app.request("/v1/patients/p1", { headers: bearer(TOKENS.clinician) }, from(addr));
    expect(a.status).toBe(429);
    expect(a.headers.get("retry-after")).toMatch(/^\d+$/);
    const b = await sys.app.request("/v1/review/cases", { headers: bearer(TOKENS.reviewer) }, from(addr));
    expect(b.status).toBe(429);
    // Another address is unaffected.
    const c = await sys.app.request("/v1/review/cases", { headers: bearer(TOKENS.reviewer) }, from("203.0.113.51"));
    expect(c.status).toBe(200);
    const events = (await sys.services.audit.list()).filter((e) => e.kind === "auth-token-failed");
    expect(events.length).toBeGreaterThanOrEqual(MAX);
    expect(JSON.stringify(events)).not.toContain(addr);
  });
});

describe("server-side sessions", () => {
  const page = (cookie: string) => sys.app.request("/console", { headers: { cookie } });
  const csrfOf = async (cookie: string) => /name="_csrf" value="([^"]+)"/.exec(await (await page(cookie)).text())?.[1] ?? "";

  it("logout revokes the session: the old cookie no longer works", async () => {
    const s = await signIn("rev", PASSWORDS.rev);
    const cookie = s.cookie as string;
    expect((await page(cookie)).status).toBe(200);
    const csrf = await csrfOf(cookie);
    const out = await sys.app.request("/console/logout", {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(out.status).toBe(303);
    const after = await page(cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/^\/console\/login/);
    expect(await auditKinds("user:rev")).toContain("console-logout");
  });

  it("sessions expire after 8 hours", async () => {
    const s = await signIn("rev", PASSWORDS.rev);
    nowMs += 8 * 3600_000 - 60_000;
    expect((await page(s.cookie as string)).status).toBe(200);
    nowMs += 120_000;
    expect((await page(s.cookie as string)).status).toBe(303);
  });

  it("an admin revokes every session of a user at once (audited); other users keep theirs", async () => {
    const one = (await signIn("rev", PASSWORDS.rev)).cookie as string;
    const two = (await signIn("rev", PASSWORDS.rev)).cookie as string;
    const other = (await signIn("adm", PASSWORDS.adm)).cookie as string;
    const res = await sys.app.request("/v1/admin/sessions/revoke", {
      method: "POST",
      headers: { ...bearer(TOKENS.admin), "content-type": "application/json" },
      body: JSON.stringify({ username: "rev" }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
    expect((await page(one)).status).toBe(303);
    expect((await page(two)).status).toBe(303);
    expect((await page(other)).status).toBe(200);
    expect(await auditKinds("user:rev")).toContain("sessions-revoked");
    // A reviewer may not revoke sessions.
    const denied = await sys.app.request("/v1/admin/sessions/revoke", {
      method: "POST",
      headers: { ...bearer(TOKENS.reviewer), "content-type": "application/json" },
      body: JSON.stringify({ username: "adm" }),
    });
    expect(denied.status).toBe(403);
  });

  it("cookies are Secure except on loopback", async () => {
    const remote = await signIn("rev", PASSWORDS.rev, { host: "glyco.example.org" });
    expect(remote.status).toBe(303);
    expect(remote.setCookie).toMatch(/gp_session=[^;]+;.*Secure/i);
    const local = await signIn("rev", PASSWORDS.rev, { host: "127.0.0.1:8787" });
    expect(local.status).toBe(303);
    expect(local.setCookie).not.toMatch(/Secure/i);
    expect(local.setCookie).toMatch(/HttpOnly/i);
  });

  it("the console sends hono/secure-headers (CSP, HSTS, frame denial, nosniff, no referrer)", async () => {
    for (const path of ["/console/login", "/console"]) {
      const res = await sys.app.request(path);
      expect(res.headers.get("content-security-policy"), path).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(res.headers.get("strict-transport-security"), path).toMatch(/max-age=31536000/);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("no-referrer");
      expect(res.headers.get("cross-origin-opener-policy"), path).toBe("same-origin");
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
  });
});
