import { describe, expect, it } from "vitest";
import type { PatientContext } from "../core/domain.js";
import { triage } from "./index.js";

const now = new Date("2026-01-15T00:00:00Z");
const t = (text: string, patient?: PatientContext) => triage({ text, now, patient });
const codes = (text: string, patient?: PatientContext) => t(text, patient).flags.map((f) => f.code);
const patient = (over: Partial<PatientContext> = {}): PatientContext => ({
  age: 55,
  sex: "female",
  diagnoses: ["type 2 diabetes"],
  labs: [],
  medications: [],
  allergies: [],
  recentEvents: [],
  ...over,
});

describe("hypoglycemia thresholds (ADA §6: level 2 < 54 mg/dL / < 3.0 mmol/L; level 1 54–69 / 3.0–3.8)", () => {
  it.each([
    ["my sugar is 53 mg/dL, shaking", "emergency", "hypo-level2"],
    ["my sugar is 54 mg/dL, shaking", "routine", "hypo-level1"],
    ["my sugar is 55 mg/dL, shaking", "routine", "hypo-level1"],
    ["glucose 69", "routine", "hypo-level1"],
    ["glucose 70", "routine", undefined],
    ["血糖2.9 mmol/L，手抖", "emergency", "hypo-level2"],
    ["血糖3.0 mmol/L，手抖", "routine", "hypo-level1"],
    ["血糖3.1，手抖", "routine", "hypo-level1"],
    ["血糖3.8", "routine", "hypo-level1"],
    ["血糖3.9", "routine", undefined],
  ])("%s → %s", (text, urgency, code) => {
    const r = t(text);
    expect(r.urgency).toBe(urgency);
    if (code) expect(r.flags.map((f) => f.code)).toContain(code);
    else expect(r.flags).toEqual([]);
  });

  it.each([
    ["glucose 50 this morning, had juice, now 110 and I feel fine", "urgent"],
    ["glucose 50, had juice, still 52", "emergency"],
    ["glucose 50 right now", "emergency"],
    ["meter says LO", "emergency"],
    ["血糖仪显示LO", "emergency"],
  ])("level 2 is emergency unless resolved and asymptomatic: %s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });

  it.each([
    ["lows of 60 every night this week", "urgent"],
    ["reading of 62 this morning", "routine"],
  ])("level 1 recurrent → urgent: %s", (text, urgency) => expect(t(text).urgency).toBe(urgency));

  it("level 1 in an elderly patient is urgent", () => {
    expect(t("reading of 62 this morning", patient({ age: 64 })).urgency).toBe("routine");
    expect(t("reading of 62 this morning", patient({ age: 65 })).urgency).toBe("urgent");
  });
});

describe("hyperglycemia thresholds", () => {
  it.each([
    ["glucose 599 mg/dL", "urgent", "severe-hyperglycemia"],
    ["glucose 600 mg/dL", "emergency", "hhs"],
    ["血糖33.2", "urgent", "severe-hyperglycemia"],
    ["血糖33.3", "emergency", "hhs"],
    ["meter says HI", "emergency", "hhs"],
    ["血糖仪显示HI", "emergency", "hhs"],
  ])("%s → %s (%s)", (text, urgency, code) => {
    const r = t(text);
    expect(r.urgency).toBe(urgency);
    expect(r.flags.map((f) => f.code)).toContain(code);
  });

  it.each([
    ["I have a fever, glucose 240", "routine"],
    ["I have a fever, glucose 241", "urgent"],
    ["感冒了，血糖13.3", "routine"],
    ["感冒了，血糖13.4", "urgent"],
    ["glucose 241, feeling well", "routine"],
  ])("sick-day > 240 mg/dL / 13.3 mmol/L while ill: %s → %s", (text, urgency) => expect(t(text).urgency).toBe(urgency));

  it.each([
    ["glucose 199 and vomiting", "urgent"],
    ["glucose 200 and vomiting", "emergency"],
    ["glucose 241 and vomiting", "emergency"],
    ["血糖11.0，一直呕吐", "urgent"],
    ["血糖11.1，一直呕吐", "emergency"],
    // Below 3.0 it is not DKA, but 1.6–2.9 is a high risk of it (JBDS sick-day rules): a nurse today.
    ["ketones 2.9, glucose 180", "urgent"],
    ["ketones 1.0, glucose 180", "routine"],
    ["ketones 1.0, glucose 180, feeling sick", "urgent"],
    ["ketones 3.0, glucose 180", "emergency"],
    ["urine ketones 1+ and sugar 250", "routine"],
    ["urine ketones 2+ and sugar 250", "emergency"],
    ["尿酮体++", "emergency"],
  ])("DKA pattern: %s → %s", (text, urgency) => expect(t(text).urgency).toBe(urgency));

  it("SGLT2 inhibitor: euglycemic DKA regardless of glucose", () => {
    const onEmpa = patient({ medications: [{ name: "Jardiance" }] });
    expect(codes("vomiting since this morning, glucose 120", onEmpa)).toContain("euglycemic-dka-sglt2");
    expect(t("vomiting since this morning, glucose 120", onEmpa).urgency).toBe("emergency");
    expect(t("我在吃达格列净，血糖6.5，一直呕吐").urgency).toBe("emergency");
    expect(t("vomiting since this morning, glucose 120").urgency).toBe("urgent");
  });
});

describe("non-diabetes emergencies and context", () => {
  it.each([
    ["I have chest pain", "chest-pain"],
    ["胸口很闷", "chest-pain"],
    ["her face is drooping and speech is slurred", "stroke-signs"],
    ["我爸突然嘴歪了", "stroke-signs"],
    ["I suddenly can't see out of one eye", "vision-loss"],
    ["眼睛突然看不见了", "vision-loss"],
    ["I want to kill myself", "suicidal-ideation"],
    ["不想活了", "suicidal-ideation"],
    ["I can't breathe even lying down", "dyspnea-at-rest"],
    ["坐着不动都喘不上气", "dyspnea-at-rest"],
    ["my mother passed out", "hypo-level3"],
    ["我妈晕倒了", "hypo-level3"],
    ["the ulcer on my toe is oozing pus", "foot-emergency"],
    ["脚趾发黑", "foot-emergency"],
  ])("%s fires %s (emergency)", (text, code) => {
    const r = t(text);
    expect(r.urgency).toBe("emergency");
    expect(r.responder).toBe("physician");
    expect(r.escalate).toBe(true);
    expect(r.flags.map((f) => f.code)).toContain(code);
    expect(r.flags.every((f) => f.source.length > 0)).toBe(true);
  });

  it.each([
    "no chest pain, just asking about my A1c",
    "没有胸痛",
    "I had DKA two years ago",
    "三年前得过酮症酸中毒",
    "How do I treat a low next time?",
    "如果以后低血糖晕倒了怎么办",
    "what are the side effects of metformin?",
    "二甲双胍有什么副作用",
    "what are the signs of a stroke?",
    "I'm confused about my insulin schedule",
    "short of breath when I climb stairs",
  ])("does not fire: %s", (text) => {
    expect(t(text).urgency).toBe("routine");
  });

  it.each([
    ["I have a blister on my heel", "foot-problem"],
    ["脚上有个伤口不愈合", "foot-problem"],
    ["I'm pregnant, can I take metformin?", "pregnancy-medication"],
    ["我怀孕了，胰岛素还能打吗", "pregnancy-medication"],
    ["I'm going to double my insulin tonight", "self-dose-change"],
    ["我想把胰岛素从10单位加到20单位", "self-dose-change"],
  ])("%s → urgent (%s)", (text, code) => {
    const r = t(text);
    expect(r.urgency).toBe("urgent");
    expect(r.flags.map((f) => f.code)).toContain(code);
  });

  it.each([
    ["can I increase my insulin from 20 to 22 units?", "routine"],
    ["can I increase my insulin from 20 to 23 units?", "urgent"],
    ["I'd like to reduce my insulin from 20 to 16 units", "routine"],
    ["I'd like to reduce my insulin from 20 to 15 units", "urgent"],
  ])("titration bounds (+2 units, ≤ 20%% reduction): %s → %s", (text, urgency) => expect(t(text).urgency).toBe(urgency));
});

describe("responder", () => {
  it("routine education goes to the bot, routine clinical to the assistant, urgent to a nurse", () => {
    expect(t("what are the side effects of metformin?").responder).toBe("bot");
    expect(t("my fasting sugar was 126 this morning").responder).toBe("assistant");
    expect(t("I have a blister on my heel").responder).toBe("nurse");
    expect(t("I'm pregnant, can I take metformin?").responder).toBe("physician");
  });
  it("complexity escalates a routine message", () => {
    const r = t("what should I eat for breakfast?", patient({ age: 81 }));
    expect(r.urgency).toBe("routine");
    expect(r.escalate).toBe(true);
    expect(r.complexity.map((c) => c.code)).toContain("age-over-80");
  });
});

describe("look-alike phrasings", () => {
  it.each([
    ["爸爸说话含糊不清，右手拿不住东西", "emergency"],
    ["I forgot my metformin this morning, should I take two tonight?", "urgent"],
    ["Hi doctor, my sugar was 105 this morning", "routine"],
    ["HI doctor, quick question about diet", "routine"],
    ["血糖低到测不出来", "emergency"],
  ])("%s → %s", (text, urgency) => expect(t(text).urgency).toBe(urgency));
});
