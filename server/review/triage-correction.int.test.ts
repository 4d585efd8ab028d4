/**
 * Reviewers correct urgency and responder (issue 12, item 4): through the review API with a
 * reviewer token; the correction is stored, the queue priority follows, the audit trail holds
 * before and after, and `glycopilot export triage-sft|triage-dpo` turns it into training pairs
 * with the message redacted.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonPost } from "../../test/helpers/system.js";
import { run } from "../cli/export.js";
import { MODEL_TRIAGE_INSTRUCTION } from "../pipeline/model-triage.js";
import { bearer, buildReviewSystem, type ReviewTestSystem, seedCase, TOKENS } from "./fixtures.test-helper.js";

let t: ReviewTestSystem;
beforeAll(async () => {
  t = await buildReviewSystem();
});
afterAll(async () => {
  await t?.stop();
});

async function exportJson(what: string): Promise<Record<string, string>[]> {
  const file = join(mkdtempSync(join(tmpdir(), "glyco-triage-export-")), "out.json");
  const err = new PassThrough();
  const code = await run([what, "--out", file], { db: t.sys.services.db, stderr: err });
  expect(code).toBe(0);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>[];
}

describe("reviewer triage corrections", () => {
  it("raises a routine case to an emergency: stored, priority follows, audited, exported as SFT and DPO pairs", async () => {
    const { id } = await seedCase(t, {
      urgency: "routine",
      text: "This is Zhang Wei, my dad's face looks lopsided and he is mumbling",
    });
    const res = await t.sys.app.request(
      `/v1/review/cases/${id}/triage`,
      jsonPost({ urgency: "emergency", responder: "physician" }, bearer(TOKENS.reviewer)),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      before: { urgency: "routine", responder: "nurse" },
      after: { urgency: "emergency", responder: "physician" },
    });
    const open = await t.sys.services.results.listReviewCases("open");
    expect(open.find((c) => c.messageId === id)).toMatchObject({ priority: "emergency" });
    const ev = (await t.sys.services.audit.list(id)).find((e) => e.kind === "triage-corrected")?.payload;
    expect(ev).toMatchObject({ before: { urgency: "routine" }, after: { urgency: "emergency" } });

    const sft = await exportJson("triage-sft");
    const mine = sft.find((r) => r.input?.includes("lopsided"));
    expect(mine).toMatchObject({
      instruction: MODEL_TRIAGE_INSTRUCTION,
      output: '{"urgency":"emergency","responder":"physician"}',
    });
    expect(mine?.input).not.toContain("Zhang Wei");
    const dpo = await exportJson("triage-dpo");
    expect(dpo.find((r) => r.input?.includes("lopsided"))).toMatchObject({
      chosen: '{"urgency":"emergency","responder":"physician"}',
      rejected: '{"urgency":"routine","responder":"nurse"}',
    });
  });

  it("refuses a patient token, a bad urgency and an unknown case", async () => {
    const { id } = await seedCase(t);
    const body = { urgency: "urgent", responder: "nurse" };
    expect((await t.sys.app.request(`/v1/review/cases/${id}/triage`, jsonPost(body, bearer(TOKENS.patientA)))).status).toBe(403);
    expect(
      (
        await t.sys.app.request(
          `/v1/review/cases/${id}/triage`,
          jsonPost({ urgency: "soon", responder: "nurse" }, bearer(TOKENS.reviewer)),
        )
      ).status,
    ).toBe(400);
    expect((await t.sys.app.request("/v1/review/cases/nope/triage", jsonPost(body, bearer(TOKENS.reviewer)))).status).toBe(404);
  });
});
