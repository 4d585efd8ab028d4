import { describe, expect, it } from "vitest";
import type { DraftBody } from "../../core/domain.js";
import { agreement, itemSupport } from "./consistency.js";

const draft = (labs: string[], meds: Array<[string, "start" | "continue"]>): DraftBody => ({
  labTests: labs.map((name) => ({ name, citations: [] })),
  examinations: [],
  medications: meds.map(([name, action]) => ({ name, action, citations: [] })),
  recommendations: [],
  confidence: 0.9,
});

describe("self-consistency", () => {
  it.each([
    ["identical samples", [draft(["HbA1c"], [["metformin", "continue"]]), draft(["hba1c "], [["Metformin", "continue"]])], 1],
    ["same drug, different action", [draft([], [["metformin", "continue"]]), draft([], [["metformin", "start"]])], 0],
    ["half overlap", [draft(["HbA1c", "eGFR"], []), draft(["HbA1c", "lipids"], [])], 1 / 3],
    ["one sample", [draft(["HbA1c"], [])], 1],
  ])("%s", (_name, samples, want) => {
    expect(agreement(samples)).toBeCloseTo(want, 6);
  });

  it("lists the unstable items first", () => {
    const s = itemSupport([draft(["HbA1c", "eGFR"], []), draft(["HbA1c"], []), draft(["HbA1c"], [["glipizide", "start"]])]);
    expect(s[0]?.support).toBeCloseTo(1 / 3);
    expect(s.at(-1)).toEqual({ item: "lab:hba1c", support: 1 });
  });
});
