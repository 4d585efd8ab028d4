/**
 * Patients in the default mode (no model host), end to end over real HTTP, Redis, Chroma and
 * PGlite: routine questions are answered (readings against the patient's targets, education
 * from patient passages, in the patient's language), never with the clinician's order draft or
 * a dose; medication decisions are held; the emergency number follows the clinic's country.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAudience } from "../../guardrails/audience.js";
import { buildTestSystem, jsonPost, waitForResult } from "../../test/helpers/system.js";
import type { System } from "../main.js";

const PATIENT = {
  age: 58,
  sex: "female",
  diagnoses: ["type 2 diabetes"],
  medications: [
    { name: "metformin", dose: "1000 mg", frequency: "twice daily" },
    { name: "insulin glargine", dose: "20 units", frequency: "nightly" },
  ],
};

async function ask(sys: System, text: string, conversationId = "conv-p") {
  const res = await sys.app.request("/v1/messages", jsonPost({ conversationId, patientRef: "pat-pa", text }));
  expect(res.status).toBe(202);
  const accepted = (await res.json()) as { location: string; safetyNet?: string };
  return { accepted, result: await waitForResult(sys.app, accepted.location) };
}

describe("patient answers in case-based mode (no model host)", () => {
  let sys: System;
  beforeAll(async () => {
    sys = await buildTestSystem();
    expect(sys.services.mode).toBe("case-based");
    const put = await sys.app.request("/v1/patients/pat-pa", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(PATIENT),
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it("'is a fasting sugar of 7.2 ok?' is answered against the patient's targets, not held, and never repeats the insulin dose", async () => {
    const { result } = await ask(sys, "is a fasting sugar of 7.2 ok?");
    expect(result.held).toBe(false);
    expect(result.decision).toMatchObject({ action: "send" });
    expect(result.draft).toMatchObject({ mode: "patient-answer", model: "reading-targets", medications: [] });
    const reply = result.reply as string;
    expect(reply).toMatch(/7\.2 mmol\/L .*top of your target range/);
    expect(reply).toMatch(/§6/);
    expect(reply).not.toMatch(/20 units|glargine|1000 mg/i);
    expect(checkAudience(reply, "patient")).toEqual([]);
  });

  it("'is diarrhoea a side effect of metformin?' is answered from a retrieved patient passage and cites it", async () => {
    const { result } = await ask(sys, "is diarrhoea a side effect of metformin?");
    expect(result.held).toBe(false);
    const draft = result.draft as { mode: string; recommendations: { citations: string[] }[] };
    expect(draft.mode).toBe("patient-answer");
    const retrieved = new Set((result.passages as { citation: { chunkId: string } }[]).map((p) => p.citation.chunkId));
    const cited = draft.recommendations.flatMap((r) => r.citations);
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.every((c) => retrieved.has(c))).toBe(true);
    expect(result.reply).toMatch(/diarrh/i);
    expect(result.reply).toMatch(/Sources: \[1\]/);
  });

  it("Chinese in, Chinese out: 二甲双胍会引起腹泻吗 gets a Chinese answer with the Chinese clinic contact", async () => {
    const { result } = await ask(sys, "二甲双胍会引起腹泻吗？", "conv-zh");
    expect(result.held).toBe(false);
    const reply = result.reply as string;
    expect(reply).toMatch(/腹泻/);
    expect(reply).toMatch(/来源/);
    expect(reply).not.toMatch(/appointment card|From patient-education/);
  });

  it("a personal medication decision is held with the fixed notice (as before)", async () => {
    const { result } = await ask(sys, "Should I take more insulin tonight? My sugar is 12");
    expect(result.held).toBe(true);
    expect(result.reply).toMatch(/a member of the care team will review it|clinician will follow up/);
    expect(result.reply).not.toMatch(/units/);
  });
});

describe("the emergency number follows the clinic's country, not the message language", () => {
  const EMERGENCY = "My husband passed out, his sugar was 2.5 on the meter";
  const EMERGENCY_ZH = "我老公晕倒了叫不醒，血糖2.5";
  it.each([
    ["CN", EMERGENCY, "120", "911"],
    ["US", EMERGENCY_ZH, "911", "拨打120"],
    ["GB", EMERGENCY, "999", "911"],
  ])("CLINIC_COUNTRY=%s", async (country, text, expected, absent) => {
    const sys = await buildTestSystem({ CLINIC_COUNTRY: country });
    try {
      await sys.services.results.putPatient("pat-em", {
        ...PATIENT,
        ref: "pat-em",
        labs: [],
        allergies: [],
        recentEvents: [],
      } as never);
      const res = await sys.app.request("/v1/messages", jsonPost({ conversationId: "conv-em", patientRef: "pat-em", text }));
      const accepted = (await res.json()) as { location: string; safetyNet?: string };
      expect(accepted.safetyNet).toContain(expected);
      expect(accepted.safetyNet).not.toContain(absent);
      const result = await waitForResult(sys.app, accepted.location);
      expect(result.reply).toContain(expected);
      expect(result.reply).not.toContain(absent);
    } finally {
      await sys.stop();
    }
  });

  it("an unknown country without EMERGENCY_NUMBER is a configuration error", async () => {
    await expect(buildTestSystem({ CLINIC_COUNTRY: "ZZ" })).rejects.toThrow(/EMERGENCY_NUMBER/);
  });
});
