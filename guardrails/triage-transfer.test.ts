/**
 * Mechanisms written for transfer (issue 12, triage5-tune): the safety floor's vocabulary from
 * public symptom lists (NHS Health A to Z symptom pages, ICD-10 chapter R) crossed with acuity cues,
 * severity combined across the sentences of a vignette, signs that are acute by themselves (NICE
 * NG51, NICE NG143, NHS "call 999"), background that stops at a present-tense turn, worried
 * questions after a report (严重吗), respiratory rate and the NEWS2 aggregate. Every block has its
 * look-alikes. The symptom × cue grid is generated, so it tests the vocabulary rather than phrases.
 */
import { describe, expect, it } from "vitest";
import type { Urgency } from "../core/domain.js";
import { triage } from "./index.js";

const now = new Date("2026-01-15T00:00:00Z");
const t = (text: string) => triage({ text, now });
const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergency: 2 };
const atLeastUrgent = (text: string) => RANK[t(text).urgency] >= RANK.urgent;

/** ICD-10 chapter R / NHS A–Z symptoms in lay words, one per body region or system. */
const SYMPTOMS_EN = [
  "back pain",
  "earache",
  "toothache",
  "jaw pain",
  "tummy pain",
  "groin pain",
  "hip pain",
  "shoulder pain",
  "sore throat",
  "difficulty swallowing",
  "a hoarse voice",
  "a cough",
  "dizziness",
  "numbness in my hand",
  "twitching",
  "a swollen knee",
  "a rash",
  "vomiting",
  "constipation",
  "blood in my urine",
  "a nosebleed",
  "double vision",
  "ringing in my ears",
  "a lump in my neck",
];
const SYMPTOMS_ZH = [
  "腰疼",
  "耳朵疼",
  "牙疼",
  "肚子疼",
  "膝盖肿",
  "咳嗽",
  "头晕",
  "手麻",
  "腿没力气",
  "流鼻血",
  "耳鸣",
  "看东西重影",
  "便秘",
  "声音嘶哑",
];

describe("the floor's vocabulary × acuity cues (NHS 111: new, worsening or severe symptoms need assessment)", () => {
  const cuesEn = [
    (s: string) => `I have ${s} that came on suddenly`,
    (s: string) => `severe ${s} since this morning`,
    (s: string) => `${s} for the last 4 hours and it's getting worse`,
    (s: string) => `my daughter is 7, she has ${s}. It is much worse tonight and she is crying in pain`,
    (s: string) => `Mum (78) has had ${s} since yesterday. Now she can't get out of bed.`,
  ];
  const cuesZh = [
    (s: string) => `突然${s}`,
    (s: string) => `${s}越来越严重了`,
    (s: string) => `我爸今天早上开始${s} 三个小时了`,
    (s: string) => `奶奶${s} 现在站不起来了`,
  ];
  it.each(SYMPTOMS_EN.flatMap((s) => cuesEn.map((c) => c(s))))("%s → at least urgent", (text) => {
    expect(atLeastUrgent(text)).toBe(true);
  });
  it.each(SYMPTOMS_ZH.flatMap((s) => cuesZh.map((c) => c(s))))("%s → at least urgent", (text) => {
    expect(atLeastUrgent(text)).toBe(true);
  });
  const lookEn = [
    (s: string) => `what causes ${s}?`,
    (s: string) => `I had ${s} last year, the doctor checked it and it went away`,
    (s: string) => `how do I treat ${s} at home?`,
  ];
  const lookZh = [(s: string) => `${s}是怎么回事？`, (s: string) => `去年${s}过 医生看过 已经好了`];
  // Look-alikes over the same vocabulary (a few symptoms the catalogue itself names are left out).
  it.each(SYMPTOMS_EN.filter((s) => !/blood|double/.test(s)).flatMap((s) => lookEn.map((c) => c(s))))("%s → routine", (text) => {
    expect(t(text).urgency).toBe("routine");
  });
  it.each(SYMPTOMS_ZH.filter((s) => !/重影/.test(s)).flatMap((s) => lookZh.map((c) => c(s))))("%s → routine", (text) => {
    expect(t(text).urgency).toBe("routine");
  });
  it.each([
    "my sugars are getting worse and I have a mild cough",
    "slight back ache, a bit worse after gardening",
    "my HbA1c is getting worse, I also get the odd headache",
    "血糖越来越高 偶尔有点头晕",
    "hay fever is killing me this week, sneezing and itchy eyes",
    "my baby is teething and drooling a lot, 7 months, no fever",
  ])("a cue about a reading, a mild or self-care complaint stays routine: %s", (text) => {
    expect(t(text).urgency).toBe("routine");
  });
});

describe("a vignette's severity in a later sentence than its symptom", () => {
  it.each([
    "My 6-year-old has had tummy ache since yesterday. Now he can't stand up straight.",
    "Dad has a sore leg. This evening it is much worse and he cannot walk.",
    "孩子嗓子疼一天了。今晚更厉害了，一直哭。",
  ])("%s → at least urgent", (text) => {
    expect(atLeastUrgent(text)).toBe(true);
  });
  it("a denied change in the later sentence does not count", () => {
    expect(t("I have had a sore knee for a week. It is not getting worse.").urgency).toBe("routine");
  });
});

describe("signs acute by themselves (NICE NG51 high/moderate risk; NICE NG143 red/amber; NHS call 999)", () => {
  it.each([
    ["he is very drowsy and hard to wake", "emergency"],
    ["her lips have gone blue", "emergency"],
    ["my toddler is floppy", "emergency"],
    ["老人叫不醒了", "emergency"],
    ["no wet nappy since this morning", "urgent"],
    ["his breathing is really fast and noisy", "urgent"],
    ["she can't lift her right arm", "urgent"],
    ["my 2 year old swallowed some dishwasher tablets", "urgent"],
    ["34 weeks and the baby hasn't moved today", "urgent"],
    ["孩子把奶奶的降压药吃了", "urgent"],
    ["宝宝不吃奶 精神很差", "urgent"],
  ])("%s → at least %s", (text, urgency) => {
    expect(RANK[t(text).urgency]).toBeGreaterThanOrEqual(RANK[urgency as Urgency]);
  });
  it.each([
    "I took my tablets this morning as usual",
    "how do I store bleach and tablets safely away from the kids?",
    "baby kicks a lot at night, 30 weeks, is that normal?",
    "my husband is not drowsy, just tired after work",
  ])("look-alike stays routine: %s", (text) => {
    expect(t(text).urgency).toBe("routine");
  });
});

describe("background stops at a present-tense turn (clinical vignettes)", () => {
  it.each([
    "A 67-year-old man with a history of hypertension presents with crushing chest pain",
    "A 60-year-old woman with chronic kidney disease presents with sudden facial droop and slurred speech",
    "Known COPD for years, now severe breathlessness at rest and lips blue",
    "I had a heart attack 3 years ago and now I have chest pain again",
    "有糖尿病多年 今天突然说话不清 嘴歪",
  ])("%s → emergency", (text) => {
    expect(t(text).urgency).toBe("emergency");
  });
  it.each(["I had chest pain 3 years ago", "history of a stroke in 2019, fully recovered"])(
    "past history alone stays routine: %s",
    (text) => {
      expect(t(text).urgency).toBe("routine");
    },
  );
  it("'showing signs of' reports the signs", () => {
    expect(t("I think he is showing signs of something bad: his face is drooping on one side").urgency).toBe("emergency");
    expect(t("what are the signs of a stroke?").urgency).toBe("routine");
  });
});

describe("a worried question after a report is not a definition question (严重吗, 怎么回事)", () => {
  it.each([
    "胸口像压了块大石头 喘不过气 出冷汗 严重吗",
    "吐血了，吐了好多暗红色的 严重吗",
    "老伴胸口疼得厉害 出冷汗 严重吗",
    "血糖二点五 心慌头晕 严重吗",
  ])("%s → emergency", (text) => {
    expect(t(text).urgency).toBe("emergency");
  });
  it.each(["非酮症高渗性昏迷是怎么回事", "低血糖严重吗", "酮症酸中毒危险吗"])(
    "a bare term question stays routine: %s",
    (text) => {
      expect(t(text).urgency).toBe("routine");
    },
  );
});

describe("respiratory rate and NEWS2 aggregate (NICE NG51; NICE NG143; RCP NEWS2 2017)", () => {
  it.each([
    ["RR 28, HR 100", "emergency"],
    ["resp rate 22, otherwise well", "urgent"],
    ["呼吸频率30次/分", "emergency"],
    ["my 2 year old is breathing 55 breaths per minute", "urgent"],
    ["my 2 year old is breathing 65 breaths per minute", "emergency"],
    ["HR 115, RR 23, BP 98/60, temp 38.9, a bit confused", "emergency"],
    ["RR 16, HR 72, BP 124/80, temp 36.8", "routine"],
    ["my 2 year old is breathing 35 breaths per minute", "routine"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
  it("a respiratory rate is not a glucose reading", () => {
    expect(t("RR 18").flags.map((f) => f.code)).not.toContain("hypo-level1");
  });
});

describe("notation and exam items (found on the fifth set's tune half)", () => {
  it.each([
    ["58F on gliclazide, found drowsy, CBG 2.1, not able to take oral glucose", "emergency"],
    ["G1P0 34/40, BP 168/112, headache and visual disturbance", "emergency"],
    ["28 weeks pregnant, BP 162/104 at the midwife, feel well", "urgent"],
    ["BP 120/80 at the 12/40 scan, all fine", "routine"],
    ["he has taken all of his paracetamol and sertraline tablets and wanted to say goodbye", "emergency"],
    ["I have taken all my tablets today as prescribed", "routine"],
    ["左眼突然像拉了一块黑色窗帘 下半边看不见了", "emergency"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
  it("a multiple-choice exam item naming emergencies is routine (NICE: education, not a report)", () => {
    const item =
      "Question: 抢救糖尿病酮症酸中毒的主要措施是\nOption A: 抗生素\nOption B: 纠正电解质紊乱\nOption C: 补液+胰岛素\nOption D: 补液";
    expect(t(item).urgency).toBe("routine");
    expect(t("下列哪项是低血糖的表现？ A. 心慌 B. 出汗 C. 手抖 D. 以上都是").urgency).toBe("routine");
  });
  it("a lettered list that is not an exam item keeps its findings", () => {
    expect(t("my dad: a) chest pain b) sweating c) left arm numb").urgency).toBe("emergency");
  });
});

describe("a focal deficit that came and went in the last days is a suspected TIA (NICE NG128)", () => {
  it.each([
    "Her right hand went weak and clumsy for ten minutes yesterday. It went back to normal completely.",
    "昨天左手麻了十来分钟 说话有点不利索 后来完全好了 现在没事",
  ])("%s → at least urgent, flagged suspected-tia", (text) => {
    // Sets disagree on a resolved deficit (urgent per NG128; some label it 999), so the bar is "never routine".
    const r = t(text);
    expect(RANK[r.urgency]).toBeGreaterThanOrEqual(RANK.urgent);
    expect(r.flags.map((f) => f.code)).toContain("suspected-tia");
  });
  it.each(["I had a mini stroke 3 years ago", "what is a TIA?"])("history or a definition stays routine: %s", (text) => {
    expect(t(text).urgency).toBe("routine");
  });
});

describe("colloquial variants and a stated absence of change (fifth set's tune half)", () => {
  it.each([
    ["dad's hernia lump went hard and purple, can't push it back, being sick", "emergency"],
    ["我表妹发消息说她在天台上 说要跳下去", "emergency"],
    ["怀孕32周 刚才突然流了好多水 止不住", "emergency"],
    ["水龙头突然流了好多水 怎么修", "routine"],
    ["我爸膝盖疼好几年了，上下楼梯加重，最近没有变化", "routine"],
    ["my back is killing me after gardening", "routine"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
});
