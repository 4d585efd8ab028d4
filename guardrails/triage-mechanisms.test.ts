/**
 * The general mechanisms added for issue 12's fourth independent set (ext4): vital-sign
 * combinations, rescue treatment failing, the floor's emergency tier, diagnosis labels, bleeding
 * with shock signs, the autonomic heart-attack picture, DVT split by provoking factor, typo and
 * pinyin repair, and the look-alikes each must leave alone. Expected urgencies come from the
 * sources named in guardrails/CATALOGUE.md, not from running the code.
 */
import { describe, expect, it } from "vitest";
import { triage } from "./index.js";
import { repairForMatch } from "./text/spelling.js";

const now = new Date("2026-01-15T00:00:00Z");
const t = (text: string) => triage({ text, now });
const codes = (text: string) => t(text).flags.map((f) => f.code);

describe("vital-sign combinations (NEWS2 red scores; NICE NG51 systolic ≤ 90; shock index ≥ 1; ESC 2021)", () => {
  it.each([
    ["BP 81/50, feel fine", "urgent"],
    ["BP 80/50, feel fine", "emergency"],
    ["BP 88/60, pulse 99", "urgent"],
    ["BP 88/60, pulse 100", "emergency"],
    ["BP 88/60, cool peripheries and drowsy", "emergency"],
    ["血压85/50，四肢湿冷", "emergency"],
    ["heart rate 130, dizzy", "routine"],
    ["heart rate 131, no other symptoms", "urgent"],
    ["heart rate 131 and I feel faint", "emergency"],
    ["心率150，胸闷", "emergency"],
    ["pulse 38 and light-headed", "emergency"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
});

describe("a rescue treatment that is not working (GINA 2024; NHS asthma attack)", () => {
  it.each([
    "asthma attack and my blue inhaler isnt doing anything",
    "used my inhaler but it's not doing much",
    "ventolin did nothing, still wheezing",
    "the reliever won't help, used it 10 times",
  ])("%s → emergency", (text) => {
    expect(codes(text)).toContain("severe-breathlessness");
    expect(t(text).urgency).toBe("emergency");
  });
  it("an inhaler question without a failing treatment stays below emergency", () => {
    expect(t("how often should I replace my asthma inhaler?").urgency).toBe("routine");
  });
});

describe("safety floor emergency tier (Manchester Triage System: severe pain, acute onset, new loss of function)", () => {
  it.each([
    ["sudden severe pain in my left side", "emergency"],
    ["worst pain of my life in my leg", "emergency"],
    ["excruciating pain in my knee since this morning", "urgent"],
    ["big toe swollen, red and agony to touch", "urgent"],
    ["突然浑身没力气 越来越严重", "urgent"],
    ["what's the worst food for blood sugar?", "routine"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
  it("lifts a message the rules read only as urgent", () => {
    const r = t("sudden severe pain and my calf is swollen");
    expect(r.urgency).toBe("emergency");
    expect(r.flags.map((f) => f.code)).toContain("sudden-severe-symptom");
  });
});

describe("time-critical diagnosis labels (ESI level 1–2 / NHS 999 conditions)", () => {
  it.each([
    "Suspected STEMI, 58M",
    "?tension pneumothorax after a fall",
    "likely intussusception in a 10 month old",
    "suspected SAH",
    "upper GI bleed, Hb 68",
    "my son is in DKA again",
    "疑似宫外孕，血压偏低",
    "考虑肠套叠，10个月",
  ])("%s → emergency", (text) => {
    expect(t(text).urgency).toBe("emergency");
  });
  it.each([
    "what is DKA and how is it different from HHS?",
    "非酮症高渗性昏迷是怎么回事",
    "I had DKA two years ago",
    "does diabetes increase the risk of myocardial infarction?",
    "孕妇先兆子痫有什么症状",
    "我妈去年做了阑尾炎手术",
    "心梗之前一般会有什么征兆",
    "Can you get ketoacidosis on dapagliflozin with normal sugars?",
    "the mi band on my wrist says 80",
  ])("%s stays routine", (text) => {
    expect(t(text).urgency).toBe("routine");
  });
  it.each([
    ["Suspected ruptured AAA, 80M", "emergency"],
    ["my eardrum ruptured last year", "routine"],
    ["ruptured achilles tendon, can't walk", "urgent"],
  ])("ruptured / perforated / torsion: %s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
});

describe("cross-system combinations", () => {
  it.each([
    ["had my baby 5 days ago and suddenly passing big clots, feel dizzy", "bleeding-with-shock"],
    ["出血很多，头晕眼前发黑", "bleeding-with-shock"],
    ["indigestion-like discomfort for an hour with nausea, breathlessness and a grey, sweaty look", "acs-autonomic"],
    ["出冷汗，胸口不舒服，气短", "acs-autonomic"],
  ])("%s → %s (emergency)", (text, code) => {
    expect(codes(text)).toContain(code);
    expect(t(text).urgency).toBe("emergency");
  });
  it.each([
    "my finger bleeds a lot when I test, and I feel a bit dizzy when I stand up",
    "sweaty and breathless after the gym",
    "night sweats and heartburn this week",
  ])("%s: not the shock or heart-attack picture", (text) => {
    expect(codes(text)).not.toContain("bleeding-with-shock");
    expect(codes(text)).not.toContain("acs-autonomic");
  });
});

describe("DVT (NICE NG158): same-day alone, emergency with a provoking factor or PE signs", () => {
  it.each([
    ["one calf is swollen and sore for two days, no breathing problems", "urgent"],
    ["my calf is swollen, red and hot since I got out of hospital last week", "emergency"],
    ["坐了十几个钟头飞机 回来左小腿又红又肿又痛", "emergency"],
    ["left calf swollen and painful and now I'm breathless", "emergency"],
    ["both ankles a bit swollen in the evening", "routine"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
});

describe("eye: new floaters same day, a curtain is an emergency (RCOphth; NHS detached retina)", () => {
  it.each([
    ["loads of new floaters in my right eye and some flashing lights", "urgent"],
    ["一只眼睛突然好多黑影飘，还有闪光", "urgent"],
    ["flashes and a dark curtain coming across my vision", "emergency"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
});

describe("look-alikes and Chinese forms", () => {
  it.each([
    ["全身起风团很痒，嘴唇不肿，呼吸正常", "routine"],
    ["吃了海鲜嗓子发紧，舌头肿起来了", "emergency"],
    ["why would someone vomit blood? reading about it for my nursing course", "routine"],
    ["为什么会吐血？", "routine"],
    ["低血糖会引起抽搐吗？", "routine"],
    ["我爸吐血了", "emergency"],
    ["i used to self harm as a teenager but i'm ok now, does diabetes affect mood?", "routine"],
    ["i used to self harm and started again last night", "emergency"],
    ["吃了新药后全身起水泡、脱皮，嘴里都烂了", "emergency"],
    ["孩子发烧一直昏昏欲睡", "emergency"],
    ["我儿子平时嗜睡吗？", "routine"],
    ["she is 30 weeks pregnant with bad tummy pain", "emergency"],
    ["my husband keeled over in the garden", "emergency"],
    ["妈妈晕死过去了", "emergency"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
  it("recurrent nightly lows in Chinese are urgent (ADA §6)", () => {
    expect(t("这周每天半夜都低血糖，3.4左右，打胰岛素的").urgency).toBe("urgent");
    expect(t("昨天低血糖3.4，吃了糖就好了").urgency).toBe("routine");
  });
  it("an accidental extra insulin or sulfonylurea dose is urgent; metformin goes to its own row", () => {
    expect(codes("不小心把早上的格列美脲吃了两次")).toContain("accidental-extra-dose");
    expect(codes("took my metformin twice")).not.toContain("accidental-extra-dose");
    expect(codes("how much insulin should I take twice a day?")).not.toContain("accidental-extra-dose");
  });
});

describe("typo and toneless-pinyin repair", () => {
  it.each([
    ["chset pain", "chest pain"],
    ["brething hard", "breathing hard"],
    ["siezure", "seizure"],
    ["chuan bu shang qi", "喘不上气"],
    ["zui wai le", "嘴歪 le"],
  ])("%s → %s", (input, out) => {
    expect(repairForMatch(input)).toBe(out);
  });
  it.each(["i play chess", "a threat to health", "fizzy drinks", "stoke the fire", "tu dou"])(
    "%s is left alone (a substitution or a real word is never repaired)",
    (input) => {
      expect(repairForMatch(input)).toBe(input);
    },
  );
  it("repairs feed the rules: a typo'd chest pain and pinyin breathlessness are emergencies", () => {
    expect(t("chset pain and cant catch breath").urgency).toBe("emergency");
    expect(t("chuan bu shang qi, zui chun fa zi").urgency).toBe("emergency");
  });
});

describe("second pass: whole-word allergens, CO pattern, Chinese colloquial forms", () => {
  it.each([
    ["been vomiting since this morning", "urgent"],
    ["whole family has headache and dizziness, boiler's been acting up", "emergency"],
    ["my family all have a cold, is the heater bad for it?", "routine"],
    ["喘不上来了", "emergency"],
    ["我爸半身不遂了，突然的", "emergency"],
    ["一边身子突然不能动", "emergency"],
    ["拉了好多血", "emergency"],
    ["肚子疼，一按就疼得更厉害，硬得像木板", "emergency"],
    ["憋得慌，脸色发青", "emergency"],
    ["my lips and tongue are tingling and swelling after a kiwi", "emergency"],
    ["the baby's lips went blue for a few seconds", "emergency"],
  ])("%s → %s", (text, urgency) => {
    expect(t(text).urgency).toBe(urgency);
  });
  it("'been' is not a bee sting", () => {
    expect(codes("been vomiting since this morning")).not.toContain("allergy-systemic");
  });
});

describe("look-alikes written after the first report-half totals (own probes, not report cases)", () => {
  it.each([
    "my dad was in hospital with DKA last month, now home and fine",
    "how long is recovery after appendicitis surgery?",
    "SGLT2 inhibitors and euglycemic ketoacidosis explained",
    "I was treated for an ectopic pregnancy in March",
    "he had a pneumothorax as a teenager",
    "达格列净引起酮症酸中毒的几率大吗",
    "my period is heavy with clots and I feel a bit dizzy sometimes, is that anaemia?",
    "月经量多有血块，偶尔头晕，要紧吗",
    "I feel grey and tired all the time and a bit breathless on stairs",
  ])("%s is not an emergency", (text) => {
    expect(t(text).urgency).not.toBe("emergency");
  });
  it("a sudden severe pain that has gone stays below the emergency tier", () => {
    expect(codes("had sudden severe cramps last night, gone now")).not.toContain("sudden-severe-symptom");
  });
});

describe("Chinese catalogue patterns that spliced HAN_GAP into a plain string (never matching) now match", () => {
  it.each([
    ["孩子张口困难 连吞咽口水都疼", "emergency", "epiglottitis-airway"],
    ["鼻血 这周好几次了", "urgent", "new-bleeding"],
  ] as const)("%s → %s (%s)", (text, urgency, code) => {
    const r = triage({ text, now: new Date("2026-12-02T10:00:00Z") });
    expect(r.urgency).toBe(urgency);
    expect(r.flags.map((f) => f.code)).toContain(code);
  });
});
