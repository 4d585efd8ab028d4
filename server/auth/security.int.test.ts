/**
 * The shared security suite: every protected route the auth guard knows about (the table is
 * `review.protectedRoutes()`, so a new route is covered the moment it is declared) must refuse
 * no credentials, a wrong-role token, a tampered session cookie, and (for unsafe methods) a
 * session without its CSRF token. Then every /v1 route × every role × another patient's
 * resources: a patient token never reads or writes another patient's data, and a conversation
 * id cannot be taken over.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  buildReviewSystem,
  PASSWORDS,
  type ReviewTestSystem,
  seedCase,
  signIn,
  TOKENS,
} from "../review/fixtures.test-helper.js";
import { allowedRoles } from "./api-guard.js";
import type { Role } from "./credentials.js";
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

// ---------------------------------------------------------------------------------------------
// Ownership: every /v1 route on the app (read from the app itself, so a new route is covered)
// × every caller × patient A's resources.

type Caller = "none" | "clinician" | "reviewer" | "admin" | "patientA" | "patientB";
const CALLERS: readonly Caller[] = ["none", "clinician", "reviewer", "admin", "patientA", "patientB"];
const roleOf = (c: Caller): Role | null => (c === "none" ? null : c.startsWith("patient") ? "patient" : (c as Role));
const headersOf = (c: Caller): Record<string, string> => (c === "none" ? {} : bearer(TOKENS[c]));

describe("ownership: every /v1 route × every role × another patient's resources", () => {
  const A_TEXT = "pat-A-private: sugar 13.2 after dinner";
  let a: { messageId: string; consultationId: string; conversationId: string; caseId: string };
  let v1Routes: { method: string; path: string }[];
  const tally = { crossPatientAttempts: 0, crossPatientRefused: 0 };

  const json = (body: unknown, headers: Record<string, string>) => ({
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const patientBody = { age: 50, sex: "female", diagnoses: ["type 2 diabetes"] };

  beforeAll(async () => {
    const app = t.sys.app;
    for (const ref of ["pat-A", "pat-B"]) {
      const r = await app.request(`/v1/patients/${ref}`, { method: "PUT", ...json(patientBody, bearer(TOKENS.clinician)) });
      expect(r.status).toBe(200);
    }
    const conversationId = `own-conv-${Date.now()}`;
    const m = await app.request("/v1/messages", {
      method: "POST",
      ...json({ conversationId, patientRef: "pat-A", text: A_TEXT }, bearer(TOKENS.patientA)),
    });
    expect(m.status).toBe(202);
    const messageId = ((await m.json()) as { id: string }).id;
    const cons = await app.request("/v1/consultations", {
      method: "POST",
      ...json({ question: "pat-A follow-up", patientRef: "pat-A", age: 50, sex: "female" }, bearer(TOKENS.clinician)),
    });
    expect(cons.status).toBe(202);
    const seeded = await seedCase(t, { conversationId, sender: { role: "patient", ref: "pat-A" }, text: A_TEXT });
    a = { messageId, consultationId: ((await cons.json()) as { id: string }).id, conversationId, caseId: seeded.id };
    const seen = new Set<string>();
    v1Routes = t.sys.app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
      .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
  });

  /** The request for `route` aimed at patient A's resources (B's token uses it to attack A). */
  function requestFor(route: { method: string; path: string }, caller: Caller, variant: "as-A" | "as-self" = "as-A") {
    const path = route.path
      .replace("/v1/messages/:id", `/v1/messages/${a.messageId}`)
      .replace("/v1/consultations/:id", `/v1/consultations/${a.consultationId}`)
      .replace("/v1/conversations/:id", `/v1/conversations/${a.conversationId}`)
      .replace(/:id\b/, a.caseId)
      .replace(/:ref\b/, "pat-A");
    const h = headersOf(caller);
    const bodies: Record<string, unknown> = {
      "POST /v1/messages": {
        conversationId: a.conversationId,
        patientRef: variant === "as-self" && caller === "patientB" ? "pat-B" : "pat-A",
        text: "taking over",
      },
      "POST /v1/consultations": { question: "q", patientRef: "pat-A", age: 50, sex: "female" },
      "PUT /v1/patients/:ref": patientBody,
      "POST /v1/review/cases/:id/actions": { action: "acknowledge" },
      "POST /v1/review/cases/:id/scores": {
        treatment: 3,
        medication: 3,
        relevance: 3,
        safety: 3,
        reasoning: 3,
        usefulness: 3,
      },
      "POST /v1/enrollment-codes": { patientRef: "pat-A" },
    };
    const key = `${route.method} ${route.path}`;
    const init: RequestInit =
      route.method === "GET" ? { method: "GET", headers: h } : { method: route.method, ...json(bodies[key] ?? {}, h) };
    return { path, init };
  }

  /** The roles a route allows: the /v1 token rules, else the auth guard's declared routes. */
  function rolesFor(route: { method: string; path: string }): readonly Role[] | null {
    const declared = routes.find((r) => r.method === route.method && r.path === route.path);
    if (declared) return declared.roles;
    return allowedRoles(route.method, route.path.replace(/:\w+/g, "x"));
  }

  it("every /v1 route has a role rule (nothing is open by omission)", () => {
    expect(v1Routes.length).toBeGreaterThanOrEqual(10);
    for (const r of v1Routes) expect(rolesFor(r), `${r.method} ${r.path}`).not.toBeNull();
  });

  it("every route × every caller: refused roles get 401/403, allowed ones get past the guard, nothing 5xx", async () => {
    for (const route of v1Routes) {
      const allowed = rolesFor(route) ?? [];
      for (const caller of CALLERS) {
        if (caller === "patientB") continue; // the next test: B against A's resources
        const { path, init } = requestFor(route, caller);
        const res = await t.sys.app.request(path, init);
        const label = `${caller} ${route.method} ${route.path} → ${res.status}`;
        expect(res.status, label).toBeLessThan(500);
        const role = roleOf(caller);
        if (role === null) expect(res.status, label).toBe(401);
        else if (!allowed.includes(role)) expect(res.status, label).toBe(403);
        else expect([401, 403], label).not.toContain(res.status);
      }
    }
  });

  it("patient B on every route with patient A's resources: refused, and nothing of A's in the answer", async () => {
    for (const route of v1Routes) {
      for (const variant of ["as-A", "as-self"] as const) {
        const { path, init } = requestFor(route, "patientB", variant);
        const res = await t.sys.app.request(path, init);
        const text = await res.text();
        const label = `patientB (${variant}) ${route.method} ${route.path} → ${res.status}`;
        tally.crossPatientAttempts++;
        expect([401, 403, 404], label).toContain(res.status);
        expect(text, label).not.toContain(A_TEXT);
        expect(text, label).not.toContain("sugar 13.2");
        tally.crossPatientRefused++;
      }
    }
    console.log(
      `ownership: ${tally.crossPatientRefused}/${tally.crossPatientAttempts} cross-patient attempts refused over ${v1Routes.length} /v1 routes`,
    );
    expect(tally.crossPatientRefused).toBe(tally.crossPatientAttempts);
  });

  it("B cannot take over A's conversation; A still reads it, with only A's messages", async () => {
    const take = await t.sys.app.request("/v1/messages", {
      method: "POST",
      ...json({ conversationId: a.conversationId, patientRef: "pat-B", text: "mine now" }, bearer(TOKENS.patientB)),
    });
    expect(take.status).toBe(403);
    // Nor through a clinician token posting as B into A's conversation.
    const viaStaff = await t.sys.app.request("/v1/messages", {
      method: "POST",
      ...json({ conversationId: a.conversationId, patientRef: "pat-B", text: "mine now" }, bearer(TOKENS.clinician)),
    });
    expect(viaStaff.status).toBe(403);
    const mine = await t.sys.app.request(`/v1/conversations/${a.conversationId}`, { headers: bearer(TOKENS.patientA) });
    expect(mine.status).toBe(200);
    const turns = ((await mine.json()) as { turns: { text: string }[] }).turns;
    expect(turns.map((x) => x.text)).not.toContain("mine now");
    expect(turns.map((x) => x.text)).toContain(A_TEXT);
    // A's message result: A reads it, B gets the same 404 as for an id that does not exist.
    expect((await t.sys.app.request(`/v1/messages/${a.messageId}`, { headers: bearer(TOKENS.patientA) })).status).toBe(200);
    const b = await t.sys.app.request(`/v1/messages/${a.messageId}`, { headers: bearer(TOKENS.patientB) });
    const missing = await t.sys.app.request("/v1/messages/00000000-0000-0000-0000-000000000000", {
      headers: bearer(TOKENS.patientB),
    });
    expect(b.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(((await b.json()) as { error: { code: string } }).error.code).toBe(
      ((await missing.json()) as { error: { code: string } }).error.code,
    );
  });

  it("a conversation id first used by a clinician's consultation cannot be claimed by a patient", async () => {
    const cid = `consult-conv-${Date.now()}`;
    const c = await t.sys.app.request("/v1/consultations", {
      method: "POST",
      ...json({ question: "q", conversationId: cid, age: 50, sex: "female" }, bearer(TOKENS.clinician)),
    });
    expect(c.status).toBe(202);
    const p = await t.sys.app.request("/v1/messages", {
      method: "POST",
      ...json({ conversationId: cid, patientRef: "pat-B", text: "hi" }, bearer(TOKENS.patientB)),
    });
    expect(p.status).toBe(403);
  });

  it("NUL and control characters in any path id → 400, never 500", async () => {
    for (const path of [
      "/v1/conversations/a%00b",
      "/v1/review/cases/a%00b",
      "/v1/review/cases/a%00b/actions",
      "/v1/messages/x%00",
      "/v1/consultations/%01",
      "/v1/patients/p%00",
      "/console/cases/a%00b",
      "/v1/conversations/%E0%A4%A",
    ]) {
      const method = path.endsWith("/actions") ? "POST" : "GET";
      const init =
        method === "POST" ? { method, ...json({ action: "approve" }, bearer(TOKENS.admin)) } : { headers: bearer(TOKENS.admin) };
      const res = await t.sys.app.request(path, init);
      expect(res.status, path).toBe(400);
    }
  });
});
