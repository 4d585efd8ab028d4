import { describe, expect, it } from "vitest";
import { triageInContext } from "./in-context.js";
import { triage } from "./triage.js";

const now = new Date("2026-11-02T08:00:00Z");
const inContext = (history: string, text: string) => triageInContext({ text, history, now }, triage({ text, now }));

describe("triage in context (issue 16 item 5)", () => {
  it.each([
    ["My sugar was 3.2 mmol/L this morning", "still shaking"],
    ["血糖3.2 mmol/L", "还是在抖"],
  ])("a follow-up %s → %s is urgent only with its history", (history, text) => {
    expect(triage({ text, now }).urgency).toBe("routine");
    const t = inContext(history, text);
    expect(t.triage.urgency).toBe("urgent");
    expect(t.fromHistory).toEqual(["hypo-level1"]);
  });

  it("the history alone does not re-escalate a later message", () => {
    const t = inContext("I have crushing chest pain", "thank you, the ambulance is here");
    expect(t.fromHistory).toEqual([]);
    expect(t.triage).toEqual(triage({ text: "thank you, the ambulance is here", now }));
  });

  it("no history: the follow-up's own triage", () => {
    const alone = triage({ text: "still shaking", now });
    expect(triageInContext({ text: "still shaking", history: "", now }, alone).triage).toBe(alone);
  });

  it("a resolved low stays routine", () => {
    expect(inContext("血糖3.2 mmol/L", "吃了糖，好了").triage.urgency).toBe("routine");
    expect(inContext("My sugar was 3.2 mmol/L", "ate some candy, fine now").triage.urgency).toBe("routine");
  });
});
