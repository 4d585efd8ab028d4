/**
 * `glycopilot export sft|dpo` on reviewed cases made through the review operation: LLaMA-Factory
 * alpaca and pairwise records, with the PHI that was in the input nowhere in the output.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../cli/export.js";
import { buildReviewSystem, type ReviewTestSystem, sampleDraft, seedCase } from "./fixtures.test-helper.js";
import { CONSULT_INSTRUCTION, MESSAGE_INSTRUCTION } from "./training.js";

const PHI = ["Wang Xiaoming", "13812345678", "110101199003071233", "wang.xm@example.com"];
let t: ReviewTestSystem;
let dir: string;

async function exportJson(what: string, extra: string[] = []): Promise<Record<string, string>[]> {
  const file = join(dir, `${what}-${Math.random().toString(36).slice(2)}.json`);
  const err = new PassThrough();
  const code = await run([what, "--out", file, ...extra], { db: t.sys.services.db, stderr: err });
  expect(code).toBe(0);
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "glyco-export-"));
  t = await buildReviewSystem();
  const phiText = `I am Wang Xiaoming (ID 110101199003071233), call 13812345678 or wang.xm@example.com. Sugar 16 after dinner.`;
  const consult = {
    kind: "consultation" as const,
    channel: "http" as const,
    sender: { role: "clinician" as const, ref: "dr-zhao" },
    text: phiText,
    patient: {
      age: 58,
      sex: "male" as const,
      diagnoses: ["type 2 diabetes"],
      presentIllness: "Wang Xiaoming, phone 13812345678, reports thirst for 2 months.",
      labs: [{ name: "HbA1c", value: 9.1, unit: "%" }],
      medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily" }],
      allergies: [],
      recentEvents: [],
    },
  };
  const approved = await seedCase(t, {
    ...consult,
    draft: sampleDraft({ recommendations: [{ text: "Call Wang Xiaoming at 13812345678 to book a visit.", citations: [] }] }),
  });
  await t.review.handleReviewAction({ caseId: approved.id, action: "approve", reviewer: "rev" });
  const edited = await seedCase(t, { text: phiText });
  await t.review.handleReviewAction({
    caseId: edited.id,
    action: "edit",
    reviewer: "rev",
    text: "Please check again tomorrow morning, Wang Xiaoming; a nurse will phone 13812345678.",
  });
  const rejected = await seedCase(t, { text: phiText });
  await t.review.handleReviewAction({
    caseId: rejected.id,
    action: "reject",
    reviewer: "rev",
    reason: "wrong-audience",
    text: "Please contact your clinic today about your high readings.",
  });
  const rejectedBare = await seedCase(t, { text: phiText });
  await t.review.handleReviewAction({ caseId: rejectedBare.id, action: "reject", reviewer: "rev", reason: "incomplete" });
  await seedCase(t, { text: phiText }); // still open: never exported
});
afterAll(async () => {
  await t?.stop();
});

describe("glycopilot export", () => {
  it("sft: approved and edited cases in alpaca format, redacted", async () => {
    const recs = await exportJson("sft");
    expect(recs).toHaveLength(2);
    for (const r of recs) expect(Object.keys(r).sort()).toEqual(["input", "instruction", "output"]);
    const consult = recs.find((r) => r.instruction === CONSULT_INSTRUCTION);
    expect(consult?.output).toMatch(/HbA1c/);
    expect(consult?.input).toMatch(/Age \/ sex: 58 \/ male/);
    const msg = recs.find((r) => r.instruction === MESSAGE_INSTRUCTION);
    expect(msg?.output).toMatch(/^Please check again tomorrow morning/);
    const text = JSON.stringify(recs);
    for (const p of PHI) expect(text).not.toContain(p);
    expect(text).toMatch(/\[PHONE\]/);
  });

  it("dpo: edited and rejected-with-alternative cases as chosen (reviewer) / rejected (model) pairs, redacted", async () => {
    const recs = await exportJson("dpo");
    expect(recs).toHaveLength(2);
    for (const r of recs) {
      expect(Object.keys(r).sort()).toEqual(["chosen", "input", "instruction", "rejected"]);
      expect(r.rejected).toBe(sampleDraft().reply);
    }
    expect(recs.map((r) => r.chosen)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Please check again/),
        "Please contact your clinic today about your high readings.",
      ]),
    );
    const text = JSON.stringify(recs);
    for (const p of PHI) expect(text).not.toContain(p);
  });

  it("--kind filters; bad arguments exit 2", async () => {
    expect(await exportJson("sft", ["--kind", "consultation"])).toHaveLength(1);
    expect(await run(["nope"], { db: t.sys.services.db, stderr: new PassThrough() })).toBe(2);
  });
});
