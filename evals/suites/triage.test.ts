/** Multi-set triage scoring: the issue 12 metrics, per-system recall and metric prefixes. */
import { describe, expect, it, vi } from "vitest";
import { run } from "../../server/cli/eval.js";
import { scoreTriageCases, scoreTriageSets, TRIAGE_SETS, TriageCase } from "./triage.js";

// Gold labels chosen so the guardrail's answer is certain: an education question is routine, so
// "c" (gold emergency) is an emergency answered routine and "b" a benign case not escalated.
const cases = [
  {
    id: "a",
    text: "My husband passed out after his insulin and we cannot wake him",
    urgency: "emergency",
    rule: "L3",
    system: "endocrine",
  },
  { id: "b", text: "What does HbA1c measure?", urgency: "routine", rule: "edu", system: "endocrine", benign: true },
  {
    id: "c",
    text: "Is brown rice better than white rice for diabetes?",
    urgency: "emergency",
    rule: "mislabelled",
    system: "gastro",
  },
  { id: "d", text: "What is a normal fasting glucose?", urgency: "urgent", rule: "mislabelled", system: "gastro" },
].map((c) => TriageCase.parse(c));

describe("triage scoring: issue 12 metrics", () => {
  const r = scoreTriageCases(cases);
  it("counts emergencies answered routine and benign cases called emergency", () => {
    expect(r.metrics.emergentToRoutineCount).toBe(1);
    expect(r.metrics.benignEmergencyRate).toBe(0);
    expect(r.metrics.underTriageCount).toBe(2);
    expect(r.safety).toContain("emergentToRoutineCount");
    expect(r.higherIsBetter.benignEmergencyRate).toBe(false);
    expect(r.higherIsBetter.emergentToRoutineCount).toBe(false);
  });
  it("reports recall per organ system, worst first, and the errors with their system", () => {
    const d = r.details as {
      perSystem: Record<string, { cases: number; emergencyRecall: number; recall: number; underTriaged: number }>;
      errors: Array<{ id: string; system: string }>;
    };
    expect(Object.keys(d.perSystem)).toEqual(["gastro", "endocrine"]);
    expect(d.perSystem.gastro).toMatchObject({ cases: 2, emergencyRecall: 0, recall: 0, underTriaged: 2 });
    expect(d.perSystem.endocrine).toMatchObject({ cases: 2, emergencyRecall: 1, recall: 1, underTriaged: 0 });
    expect(d.errors.map((e) => `${e.id}:${e.system}`)).toEqual(["c:gastro", "d:gastro"]);
  });
});

describe("triage scoring over several sets", () => {
  it("namespaces each set's metrics, safety names and directions under its prefix", () => {
    const r = scoreTriageSets([
      { name: "one", prefix: "", cases: cases.slice(0, 2) },
      { name: "two", prefix: "two.", cases },
    ]);
    expect(r.metrics.emergencyRecall).toBe(1);
    expect(r.metrics["two.emergencyRecall"]).toBe(0.5);
    expect(r.metrics["two.emergentToRoutineCount"]).toBe(1);
    expect(r.safety).toEqual(expect.arrayContaining(["emergencyRecall", "two.emergencyRecall", "two.underTriageCount"]));
    expect(r.higherIsBetter["two.benignEmergencyRate"]).toBe(false);
    const d = r.details as { cases: number; sets: Record<string, { cases: number }> };
    expect(d.cases).toBe(2); // the first set's details stay at the top level
    expect(d.sets.two?.cases).toBe(4);
  });
  it("refuses sets that would share metric names", () => {
    expect(() =>
      scoreTriageSets([
        { name: "a", prefix: "", cases },
        { name: "b", prefix: "", cases },
      ]),
    ).toThrow(/distinct/);
    expect(() => scoreTriageSets([])).toThrow(/no triage sets/);
  });
  it("default sets: the old dev set unprefixed, the halves of the four extended sets prefixed", () => {
    expect(TRIAGE_SETS.map((s) => [s.name, s.prefix])).toEqual([
      ["triage-dev", ""],
      ["ext-tune", "extTune."],
      ["ext-report", "extReport."],
      ["ext2-tune", "ext2Tune."],
      ["ext2-report", "ext2Report."],
      ["ext3-tune", "ext3Tune."],
      ["ext3-report", "ext3Report."],
      ["ext4-tune", "ext4Tune."],
      ["ext4-report", "ext4Report."],
      ["ext5-tune", "ext5Tune."],
      ["ext5-report", "ext5Report."],
    ]);
  });
});

describe("eval --update-baseline", () => {
  it("refuses --data (a baseline is taken on the shipped sets) and a value", async () => {
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await run(["triage", "--update-baseline", "--data", "x.jsonl"])).toBe(1);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/drop --data/);
      expect(await run(["triage", "--update-baseline=yes"])).toBe(1);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/takes no value/);
    } finally {
      err.mockRestore();
    }
  });
});
