/**
 * Wording a different author uses (WeChat style, lower-case English, family reports) for the
 * red flags of RULES.md; each row is the general mechanism, not a single sentence.
 */
import { describe, expect, it } from "vitest";
import type { PatientContext } from "../core/domain.js";
import { triage } from "./index.js";

const now = new Date("2026-01-15T00:00:00Z");
const urgency = (text: string, patient?: PatientContext) => triage({ text, now, patient }).urgency;

describe("level 3 hypoglycemia phrasing", () => {
  it.each([
    "我老公刚才低血糖 叫他也没反应",
    "他低血糖 抽筋了",
    "婆婆低血糖 喂不进东西 翻白眼",
    "wife found me on the floor, she used the glucagon pen",
    "husband is out of it and sweaty",
    "dad is talking gibberish",
  ])("%s → emergency", (text) => expect(urgency(text)).toBe("emergency"));
  it.each(["晚上小腿抽筋 血糖5点6", "I'm a bit out of it today, slept badly", "how do I use a glucagon pen"])(
    "%s → routine",
    (text) => expect(urgency(text)).toBe("routine"),
  );
});

describe("DKA picture without a reading (any glucose in known diabetes)", () => {
  it.each([
    ["vomiting and my stomach hurts", "emergency"],
    ["孩子是一型 今天吐了两次", "emergency"],
    ["my wife is throwing up and breathing really deep and fast", "emergency"],
    ["吃欧唐静的 这两天吐得厉害 喝水都吐", "emergency"],
    ["threw up once, sugar 6.1", "urgent"],
    ["血糖十点 吐了三次了", "urgent"],
    ["no vomiting no belly pain, sugar 230", "routine"],
  ])("%s → %s", (text, u) => expect(urgency(text)).toBe(u));
});

describe("non-diabetes emergencies: wider vocabulary", () => {
  it.each([
    "真的撑不下去了 打算把胰岛素一次全打了",
    "thinking about overdosing on my insulin",
    "my sister overdosed on her insulin on purpose",
    "no point living anymore",
    "lost the vision in my left eye all of a sudden",
    "右眼突然什么都看不见了",
  ])("%s → emergency", (text) => expect(urgency(text)).toBe("emergency"));
  it.each([
    "我想死你了 周末回家",
    "I took all my pills this morning as usual",
    "losing my sight slowly over the years, is it diabetes?",
  ])("%s → not emergency", (text) => expect(urgency(text)).not.toBe("emergency"));
});

describe("diabetic foot vocabulary (NICE NG19)", () => {
  it.each([
    ["奶奶脚趾头黑了一块", "emergency"],
    ["脚上的溃疡周围红了一大片 越来越大", "emergency"],
    ["my heel is ice cold and looks white", "emergency"],
    ["foot wound smells", "emergency"],
    ["ingrown toenail is red and swollen", "urgent"],
    ["脚后跟裂了个口子 有点出血", "urgent"],
    ["what shoes are best for diabetic feet?", "routine"],
  ])("%s → %s", (text, u) => expect(urgency(text)).toBe(u));
});

describe("level 1 escalators: elderly in Chinese numerals, recurrent lows without a number", () => {
  it.each([
    ["我爸八十五了 早上血糖3点4", "urgent"],
    ["奶奶七十多岁 血糖3.5", "urgent"],
    ["my grandpa is 88 yo, sugar 61", "urgent"],
    ["老人家晚上又低血糖了 这礼拜第三次了", "urgent"],
    ["keep having lows at night on gliclazide", "urgent"],
    ["血糖3点5 吃了两块糖现在好了", "routine"],
    ["低血糖有哪些症状", "routine"],
    ["老人容易低血糖吗", "routine"],
    ["what's a good snack for lows", "routine"],
  ])("%s → %s", (text, u) => expect(urgency(text)).toBe(u));
});

describe("self-directed dose changes without a subject, or by a relative", () => {
  it.each([
    ["skipped my lantus last night bc i felt sick", "urgent"],
    ["dad stopped his insulin yesterday", "urgent"],
    ["my doctor stopped my metformin", "routine"],
    ["can i increase tresiba from 20 to 22 units", "routine"],
  ])("%s → %s", (text, u) => expect(urgency(text)).toBe(u));
});
