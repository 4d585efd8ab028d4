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

  it("a draft's route reaches the medication check: topical hydrocortisone on insulin is no interaction, oral is", () => {
    const f = (route: string) =>
      postcheck({
        draft: {
          ...draft,
          medications: [
            { name: "hydrocortisone", dose: "1%", frequency: "twice daily", route, action: "start", citations: ["c1"] },
          ],
        },
        audience: "clinician",
        retrievedChunkIds: ["c1", "c9"],
        now,
        patient: {
          age: 60,
          sex: "male",
          diagnoses: [],
          labs: [],
          medications: [{ name: "insulin glargine", dose: "20 units", frequency: "nightly" }],
          allergies: [],
          recentEvents: [],
        },
      }).map((x) => x.code);
    expect(f("topical")).not.toContain("interaction-hyperglycemia");
    expect(f("oral")).toContain("interaction-hyperglycemia");
  });

  it("the 15 g hypo first aid is food, not a dose — in both languages — but a tablet count of a medicine stays a dose", () => {
    expect(
      checkAudience("If you can swallow, take 15 g of fast-acting sugar, then check again after 15 minutes.", "patient"),
    ).toEqual([]);
    expect(checkAudience("如果神志清楚、能吞咽：立即吃15克左右的快速升糖食物，例如3到4片葡萄糖片。", "patient")).toEqual([]);
    for (const dose of [
      "每次吃2片降糖药",
      "吃2片二甲双胍",
      "take 2 tablets of your sugar pill",
      "每天吃3片，饭后喝果汁",
      "take 4 units of insulin with sugar",
    ])
      expect(checkAudience(dose, "patient").map((f) => f.code)).toEqual(["patient-dosing-directive"]);
  });
});
