/**
 * /admin/queues (bull-board) on a real system and real Redis: admins see the pipeline and
 * review-SLA queues with a job that is really waiting; everyone else is refused (login page,
 * 401, 403) by the console's guard, with tokens and with sessions; the board is read-only.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestSystem, jsonPost } from "../../test/helpers/system.js";
import { sha256Hex } from "../auth/credentials.js";
import type { System } from "../main.js";
import { signIn } from "../review/fixtures.test-helper.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOKENS = {
  admin: "qa-admin-token-0123456789abcdef",
  reviewer: "qa-reviewer-token-0123456789abc",
  clinician: "qa-clinician-token-0123456789ab",
  patient: "qa-patient-token-0123456789abcd",
};
// deploy/users.example.json documents these passwords in its $comment.
const USERS = { admin: ["ops.admin", "example-admin-pw00"], reviewer: ["rev.chen", "example-reviewer-pw"] } as const;

let sys: System;
let jobId: string;
beforeAll(async () => {
  sys = await buildTestSystem(
    {
      API_TOKENS: Object.entries(TOKENS)
        .map(([role, t]) => `${role}-1:${role}:${sha256Hex(t)}`)
        .join(","),
      USERS_FILE: join(ROOT, "deploy/users.example.json"),
      SESSION_SECRET: "queues-admin-test-session-secret-0123456789",
    },
    { worker: false }, // the job stays in the queue for the board to show
  );
  const res = await sys.app.request(
    "/v1/consultations",
    jsonPost(
      { sex: "female", age: 61, diagnoses: ["type 2 diabetes"], chiefComplaint: "HbA1c 8.1%, next step?" },
      { authorization: `Bearer ${TOKENS.clinician}` },
    ),
  );
  expect(res.status).toBe(202);
  jobId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => sys?.stop());

const get = (path: string, headers: Record<string, string> = {}) => sys.app.request(path, { headers });
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe("/admin/queues refuses everyone but admins", () => {
  it.each(["/admin/queues", "/admin/queues/api/queues", "/admin/queues/queue/pipeline"])(
    "%s: no credentials → login page; unknown token → 401; reviewer, clinician, patient tokens → 403",
    async (path) => {
      const anon = await get(path);
      expect(anon.status).toBe(303);
      expect(anon.headers.get("location")).toMatch(/^\/console\/login\?next=/);
      expect((await get(path, bearer("not-a-token"))).status).toBe(401);
      for (const role of ["reviewer", "clinician", "patient"] as const) {
        const res = await get(path, bearer(TOKENS[role]));
        expect(res.status, role).toBe(403);
        expect(await res.text()).not.toMatch(/pipeline/);
      }
    },
  );

  it("a reviewer's console session → 403; an admin's session → 200", async () => {
    const rev = await signIn(sys.app, ...USERS.reviewer);
    expect(rev).not.toBeNull();
    expect((await get("/admin/queues", { cookie: rev?.cookie as string })).status).toBe(403);
    const admin = await signIn(sys.app, ...USERS.admin);
    expect(admin).not.toBeNull();
    const res = await get("/admin/queues", { cookie: admin?.cookie as string });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });
});

describe("what an admin sees", () => {
  it("the board page and its static assets load", async () => {
    const res = await get("/admin/queues", bearer(TOKENS.admin));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("GlycoPilot queues");
    expect(html).toContain('<base href="/admin/queues/"');
    // Operators' browsers on a hospital network: nothing loads from a third-party host.
    expect(html).not.toMatch(/(?:src|href)="https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(static\/[^"]+\.(?:js|css))"/g)].map((m) => `/admin/queues/${m[1]}`);
    expect(assets.length, html.slice(0, 800)).toBeGreaterThan(0);
    for (const a of assets) expect((await get(a, bearer(TOKENS.admin))).status, a).toBe(200);
    expect((await get(assets[0] as string)).status).toBe(303); // assets are behind the guard too
  });

  it("both queues, read-only, with the consultation's job waiting in the pipeline queue", async () => {
    const res = await get("/admin/queues/api/queues?activeQueue=pipeline&status=prioritized&page=1", bearer(TOKENS.admin));
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number>; jobs: { id: string; data: unknown }[] }[];
    };
    expect(body.queues.map((q) => q.name).sort()).toEqual(["pipeline", "review-sla"]);
    expect(body.queues.every((q) => q.readOnlyMode)).toBe(true);
    const pipeline = body.queues.find((q) => q.name === "pipeline");
    expect((pipeline?.counts.prioritized ?? 0) + (pipeline?.counts.waiting ?? 0)).toBeGreaterThanOrEqual(1);
    const job = pipeline?.jobs.find((j) => j.id === jobId);
    expect(job, JSON.stringify(pipeline?.jobs)).toBeDefined();
    // Ids, urgency and trace context only: the board never shows the message or the patient.
    expect(JSON.stringify(job?.data)).not.toMatch(/HbA1c|female|diabetes/);
  });

  it("mutating calls are not routed: the job is still there after a PUT to promote or clean", async () => {
    for (const path of [
      "/admin/queues/api/queues/pipeline/clean/waiting",
      `/admin/queues/api/queues/pipeline/${jobId}/promote`,
    ]) {
      const res = await sys.app.request(path, { method: "PUT", headers: bearer(TOKENS.admin) });
      expect(res.status).toBe(404);
    }
    const bull = (sys.services.queue as unknown as { bull: { getJob(id: string): Promise<unknown> } }).bull;
    expect(await bull.getJob(jobId)).toBeTruthy();
  });
});
