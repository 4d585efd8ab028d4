/**
 * The shared security suite: every protected route the auth guard knows about (the table is
 * `review.protectedRoutes()`, so a new route is covered the moment it is declared) must refuse
 * no credentials, a wrong-role token, a tampered session cookie, and (for unsafe methods) a
 * session without its CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, buildReviewSystem, PASSWORDS, type ReviewTestSystem, signIn, TOKENS } from "../review/fixtures.test-helper.js";
import type { ProtectedRoute } from "./guard.js";

let t: ReviewTestSystem;
let routes: readonly ProtectedRoute[];
let session: { cookie: string; csrf: string };
let clinicianSession: { cookie: string; csrf: string };

beforeAll(async () => {
  t = await buildReviewSystem();
  routes = t.review.protectedRoutes();
  session = (await signIn(t.sys.app, "rev", PASSWORDS.rev)) as typeof session;
  clinicianSession = (await signIn(t.sys.app, "cli", PASSWORDS.cli)) as typeof session;
});
afterAll(async () => {
  await t?.stop();
});

const pathOf = (r: ProtectedRoute) => r.path.replace(/:(\w+)/g, "sec-test-$1");
const call = (r: ProtectedRoute, headers: Record<string, string>, body = "") =>
  t.sys.app.request(pathOf(r), {
    method: r.method,
    headers: r.method === "POST" ? { "content-type": "application/x-www-form-urlencoded", ...headers } : headers,
    ...(r.method === "POST" ? { body } : {}),
  });
/** A role the route does not allow, if any. */
const wrongToken = (r: ProtectedRoute) =>
  (["clinician", "reviewer", "admin", "patient"] as const)
    .filter((x) => !r.roles.includes(x))
    .map(
      (x) => ({ clinician: TOKENS.clinician, reviewer: TOKENS.reviewer, admin: TOKENS.admin, patient: TOKENS.patientA })[x],
    )[0];

describe("security suite over every protected route", () => {
  it("covers the routes it should (the table is not empty and includes the console and review API)", () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "GET /console",
        "POST /console/cases/:id/action",
        "POST /v1/review/cases/:id/actions",
        "GET /v1/conversations/:id",
      ]),
    );
    expect(session?.csrf).toMatch(/.{16,}/);
  });

  it.each([["no credentials"], ["unknown token"], ["tampered cookie"], ["cookie signed with another key"]])(
    "%s → refused on every route",
    async (kind) => {
      for (const r of routes) {
        const [body, sig] = session.cookie.replace("gp_session=", "").split(".") as [string, string];
        const forgedBody = Buffer.from(
          JSON.stringify({ u: "rev", r: "admin", exp: Date.now() + 1e6, csrf: session.csrf }),
        ).toString("base64url");
        const headers: Record<string, string> =
          kind === "no credentials"
            ? {}
            : kind === "unknown token"
              ? bearer("not-a-token")
              : kind === "tampered cookie"
                ? { cookie: `gp_session=${forgedBody}.${sig}` }
                : { cookie: `gp_session=${body}.${"A".repeat(sig.length)}` };
        const res = await call(r, headers);
        const label = `${r.method} ${r.path} (${kind})`;
        if (r.kind === "page" && r.method === "GET" && !headers.authorization) {
          expect(res.status, label).toBe(303);
          expect(res.headers.get("location"), label).toMatch(/^\/console\/login/);
        } else expect(res.status, label).toBe(401);
      }
    },
  );

  it("a token with a role the route does not allow → 403", async () => {
    let checked = 0;
    for (const r of routes) {
      const token = wrongToken(r);
      if (!token) continue;
      const res = await call(r, bearer(token));
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      checked++;
    }
    expect(checked).toBe(routes.filter((r) => r.roles.length < 4).length);
    expect(checked).toBeGreaterThan(5);
  });

  it("a clinician's console session → 403 on reviewer routes", async () => {
    for (const r of routes.filter((x) => !x.roles.includes("clinician"))) {
      const res = await call(
        r,
        { cookie: clinicianSession.cookie },
        new URLSearchParams({ _csrf: clinicianSession.csrf }).toString(),
      );
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
    }
  });

  it("unsafe methods with a valid session but no or a wrong CSRF token → 403", async () => {
    const unsafe = routes.filter((r) => r.method !== "GET");
    expect(unsafe.length).toBeGreaterThan(3);
    for (const r of unsafe) {
      expect((await call(r, { cookie: session.cookie })).status, `${r.path} without`).toBe(403);
      expect((await call(r, { cookie: session.cookie }, "_csrf=wrong")).status, `${r.path} wrong`).toBe(403);
      expect((await call(r, { cookie: session.cookie, "x-csrf-token": "wrong" })).status, `${r.path} header`).toBe(403);
    }
  });

  it("the right session and CSRF token get past the guard (then the handler answers)", async () => {
    const r = routes.find((x) => x.path === "/console/cases/:id/action") as ProtectedRoute;
    const res = await call(
      r,
      { cookie: session.cookie },
      new URLSearchParams({ _csrf: session.csrf, action: "approve" }).toString(),
    );
    expect(res.status).toBe(303); // redirected back with "no review case" — past the guard
    expect(res.headers.get("location")).toMatch(/error=/);
  });

  it("login refuses a wrong password and a missing login CSRF token; the cookie is HttpOnly and SameSite=Strict", async () => {
    expect(await signIn(t.sys.app, "rev", "wrong")).toBeNull();
    expect(await signIn(t.sys.app, "nobody", PASSWORDS.rev)).toBeNull();
    const res = await t.sys.app.request("/console/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "rev", password: PASSWORDS.rev }).toString(),
    });
    expect(res.status).toBe(403);
    const form = await t.sys.app.request("/console/login");
    const lc = /gp_login_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")?.[1] ?? "";
    const ok = await t.sys.app.request("/console/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `gp_login_csrf=${lc}` },
      body: new URLSearchParams({
        username: "rev",
        password: PASSWORDS.rev,
        _csrf: lc,
        next: "https://evil.example/",
      }).toString(),
    });
    expect(ok.headers.get("location")).toBe("/console");
    expect(ok.headers.get("set-cookie")).toMatch(/gp_session=.*HttpOnly.*SameSite=Strict/i);
  });
});
