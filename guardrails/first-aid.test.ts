import { describe, expect, it } from "vitest";
import { FIRST_AID, firstAidFor } from "./first-aid.js";
import { safetyNetReply } from "./replies.js";
import { triage } from "./triage.js";

const emergencyCodes = (text: string) =>
  triage({ text, now: new Date("2026-01-15T10:00:00Z") })
    .flags.filter((f) => f.urgency === "emergency")
    .map((f) => f.code);

describe("first aid while waiting for the ambulance", () => {
  it("every entry carries a source and both languages", () => {
    for (const f of FIRST_AID) {
      expect(f.source.length).toBeGreaterThan(10);
      expect(f.en.length).toBeGreaterThan(10);
      expect(f.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("a stroke gets nothing by mouth, not the sugar advice", () => {
    const codes = emergencyCodes("my dad's face is drooping on one side and his speech is slurred");
    expect(codes).toContain("stroke-signs");
    const reply = safetyNetReply("en", "emergency", "999", codes);
    expect(reply).toMatch(/Call 999/);
    expect(reply).toMatch(/Do not give food, drink or tablets/);
    expect(reply).not.toMatch(/fast sugar/);
  });

  it("anaphylaxis gets the adrenaline auto-injector advice in Chinese", () => {
    const codes = emergencyCodes("吃了花生以后喉咙肿了，呼吸困难");
    expect(codes.length).toBeGreaterThan(0);
    const reply = safetyNetReply("zh", "emergency", "120", codes);
    expect(reply).toMatch(/拨打120/);
    expect(reply).toMatch(/肾上腺素/);
    expect(reply).not.toMatch(/15克糖/);
  });

  it("anaphylaxis with breathlessness gets adrenaline, not the asthma reliever plan (the allergy advice supersedes it)", () => {
    const codes = emergencyCodes("I ate peanuts and now my lips and throat are swelling, hard to breathe");
    expect(codes).toEqual(expect.arrayContaining(["anaphylaxis"]));
    const reply = safetyNetReply("en", "emergency", "911", codes);
    expect(reply).toMatch(/adrenaline auto-injector/);
    expect(reply).not.toMatch(/reliever inhaler/);
    // Breathlessness alone still gets the reliever advice.
    expect(safetyNetReply("en", "emergency", "911", ["dyspnea-at-rest"])).toMatch(/reliever inhaler/);
  });

  it("a severe hypo keeps the sugar advice", () => {
    const codes = emergencyCodes("glucose 2.1 mmol/L and he is confused and sweating");
    expect(codes.some((c) => c.startsWith("hypo"))).toBe(true);
    expect(safetyNetReply("en", "emergency", "911", codes)).toMatch(/15 g of fast sugar/);
  });

  it("a glucose emergency beside another presentation keeps both", () => {
    const choice = firstAidFor(["hypo-level3", "seizure"]);
    expect(choice.keepHypoAdvice).toBe(true);
    const reply = safetyNetReply("en", "emergency", "911", ["hypo-level3", "seizure"]);
    expect(reply).toMatch(/fast sugar/);
    expect(reply).toMatch(/time the seizure/);
  });

  it("no codes (or none with advice) is the historical text", () => {
    expect(safetyNetReply("en", "emergency", "911")).toBe(safetyNetReply("en", "emergency", "911", ["tetanus"]));
    expect(safetyNetReply("en", "emergency", "911")).toMatch(/fast sugar/);
  });

  it("mixed language gets both, each with its advice", () => {
    const reply = safetyNetReply("mixed", "emergency", "120", ["stroke-signs"]);
    expect(reply).toMatch(/不要给吃喝/);
    expect(reply).toMatch(/Do not give food/);
  });

  it("at most two presentations are advised", () => {
    expect(firstAidFor(["stroke-signs", "chest-pain", "seizure", "anaphylaxis"]).lines).toHaveLength(2);
  });
});
