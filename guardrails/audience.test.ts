import { describe, expect, it } from "vitest";
import type { Draft } from "../core/domain.js";
import { checkAudience, postcheck } from "./index.js";

const now = new Date("2026-01-15T00:00:00Z");

describe("audience policy", () => {
  it.each([
    "Take 4 units of insulin before dinner.",
    "Increase your metformin to 1000 mg.",
    "You can go up to 20 units tonight.",
    "把胰岛素加到20单位。",
    "二甲双胍每次吃2片。",
    "睡前打12单位甘精胰岛素",
    "Start taking Jardiance every morning.",
    "建议服用达格列净",
  ])("patient reply blocked: %s", (text) => {
    const f = checkAudience(text, "patient");
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.severity === "block")).toBe(true);
  });
  it.each([
    "Metformin can cause stomach upset; taking it with food helps.",
    "二甲双胍常见的副作用是胃肠道不适。",
    "Please check your sugar again in 15 minutes and contact your care team.",
    "A1c below 7% is a common target.",
  ])("patient education allowed: %s", (text) => expect(checkAudience(text, "patient")).toEqual([]));
  it("clinician text is not restricted by the audience policy", () =>
    expect(checkAudience("Take 4 units before dinner.", "clinician")).toEqual([]));
});

describe("postcheck grounding", () => {
  const draft: Draft = {
    labTests: [{ name: "HbA1c", citations: ["c1"] }],
    examinations: [{ name: "foot exam", citations: [] }],
    medications: [],
    recommendations: [{ text: "review in 3 months", citations: ["c9"] }],
    confidence: 0.8,
    mode: "model",
    provider: "ollama",
    model: "m",
    promptVersion: "v1",
  };
  it("flags citations outside the retrieved set (warn) and uncited items (info)", () => {
    const f = postcheck({ draft, audience: "clinician", retrievedChunkIds: ["c1"], now });
    expect(f).toContainEqual(
      expect.objectContaining({ code: "ungrounded-citation", severity: "warn", item: "review in 3 months" }),
    );
    expect(f).toContainEqual(expect.objectContaining({ code: "uncited-item", severity: "info", item: "foot exam" }));
    expect(f.filter((x) => x.code === "ungrounded-citation")).toHaveLength(1);
  });
  it("checks medications and the patient reply", () => {
    const d: Draft = {
      ...draft,
      medications: [{ name: "metformin", dose: "500 mg", frequency: "bid", action: "start", citations: ["c1"] }],
      reply: "Take 500 mg of metformin twice a day.",
    };
    const f = postcheck({
      draft: d,
      audience: "patient",
      retrievedChunkIds: ["c1", "c9"],
      now,
      patient: { age: 60, sex: "male", diagnoses: [], labs: [], medications: [], allergies: [], recentEvents: [], egfr: 25 },
    });
    expect(f.map((x) => x.code)).toEqual(expect.arrayContaining(["metformin-egfr-contraindicated", "patient-dosing-directive"]));
  });
});
