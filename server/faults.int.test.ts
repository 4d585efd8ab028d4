/**
 * Fault injection that runs in a few seconds (the longer runs are in test/chaos, `npm run chaos`):
 * the knowledge store going down and the SQL store going down. Either way: held or refused,
 * zero unguarded sends, and readiness names the failed dependency.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedChroma, startEmbeddedChroma } from "../rag/chroma-server.js";
import { CORPUS_DIR } from "../rag/open.js";
import { buildTestSystem, jsonPost, waitForResult } from "../test/helpers/system.js";
import { type ModelHostStandin, startModelHostStandin } from "../test/standins/model-host-standin.js";
import type { System } from "./main.js";

const consultation = {
  sex: "female",
  age: 55,
  diagnoses: ["type 2 diabetes"],
  chiefComplaint: "follow-up",
  labs: [{ name: "HbA1c", value: 7.8, unit: "%" }],
};
const draft = {
  labTests: [{ name: "HbA1c", citations: [] }],
  examinations: [],
  medications: [],
  recommendations: [{ text: "Review in 3 months.", citations: [] }],
  confidence: 0.9,
};

describe("Chroma down", () => {
  let chroma: EmbeddedChroma;
  let standin: ModelHostStandin;
  let sys: System;
  beforeAll(async () => {
    chroma = await startEmbeddedChroma({ path: join(mkdtempSync(join(tmpdir(), "glyco-chroma-")), "chroma") });
    standin = await startModelHostStandin();
    standin.reply({ kind: "json", value: draft });
    sys = await buildTestSystem(
      { CHROMA_URL: chroma.url, CHROMA_PREFIX: "faults", OLLAMA_HOST: standin.url },
      { knowledgePaths: [join(CORPUS_DIR, "protocols")] },
    );
  });
  afterAll(async () => {
    await sys?.stop();
    await standin?.close();
    await chroma?.stop();
  });

  it("a consultation is held for review with no model call and no delivery, and readiness says chroma", async () => {
    await chroma.stop();
    const before = standin.chatRequests().length;
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    expect(res.status).toBe(202);
    const { id, location } = (await res.json()) as { id: string; location: string };
    const result = await waitForResult(sys.app, location);
    expect(result).toMatchObject({
      held: true,
      reply: null,
      error: "DEPENDENCY_UNAVAILABLE",
      decision: { action: "hold-for-review" },
    });
    expect(standin.chatRequests().length).toBe(before);
    expect(await sys.services.results.countDeliveries(id)).toBe(0);
    const ready = await sys.app.request("/readyz");
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(body.checks.chroma?.ok).toBe(false);
    expect(body.checks.sql?.ok).toBe(true);
    // Intake stays routable: it only needs SQL.
    expect((await sys.app.request("/readyz/intake")).status).toBe(200);
  });

  it("an emergency still gets its deterministic safety net while Chroma is down", async () => {
    await sys.services.results.putPatient("faults-p", {
      ref: "faults-p",
      age: 70,
      sex: "female",
      diagnoses: ["type 2 diabetes"],
      labs: [],
      medications: [],
      allergies: [],
      recentEvents: [],
    });
    const res = await sys.app.request(
      "/v1/messages",
      jsonPost({ conversationId: "f1", patientRef: "faults-p", text: "I have crushing chest pain and my sugar is 250" }),
    );
    const { location } = (await res.json()) as { location: string };
    const result = await waitForResult(sys.app, location);
    expect(result.decision).toMatchObject({ action: "escalate", priority: "emergency" });
    expect(result.reply).toMatch(/911|emergency/i);
  });
});

describe("SQL store down", () => {
  let sys: System;
  beforeAll(async () => {
    // A corpus of its own under its own prefix: re-ingesting a subset into the shared "test"
    // collection would flip its corpus fingerprint under the test files that share it.
    sys = await buildTestSystem({ CHROMA_PREFIX: "faults-sql" }, { knowledgePaths: [join(CORPUS_DIR, "protocols")] });
  });
  afterAll(async () => sys?.stop());

  it("intake refuses with 5xx instead of pretending to accept, readiness names sql, and nothing is delivered", async () => {
    await sys.services.db.close();
    const res = await sys.app.request("/v1/consultations", jsonPost(consultation));
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTypeOf("string");
    const ready = await sys.app.request("/readyz");
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks.sql?.ok, JSON.stringify(body)).toBe(false);
    expect(body.checks.redis?.ok, JSON.stringify(body)).toBe(true);
    expect((await sys.app.request("/readyz/intake")).status).toBe(503);
  });
});
