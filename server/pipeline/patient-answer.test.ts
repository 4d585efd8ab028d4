import { describe, expect, it } from "vitest";
import type { Passage, PatientContext, Triage } from "../../core/domain.js";
import { checkAudience } from "../../guardrails/audience.js";
import { patientAnswer, patientAnswerDraft, replyLang } from "./patient-answer.js";
import { placeA1c, placeGlucose, TARGETS, targetsFor } from "./patient-targets.js";

const adult: PatientContext = {
  age: 52,
  sex: "male",
  diagnoses: ["type 2 diabetes"],
  labs: [],
  medications: [
    { name: "metformin", dose: "1000 mg", frequency: "twice daily" },
    { name: "insulin glargine", dose: "20 units", frequency: "nightly" },
  ],
  allergies: [],
  recentEvents: [],
};
const routine: Triage = { urgency: "routine", responder: "bot", flags: [], complexity: [], escalate: false, injection: false };

const passage = (chunkId: string, title: string, text: string, score = 0.7): Passage => ({
  text,
  score,
  citation: { sourceId: chunkId.split("#")[0] ?? chunkId, chunkId, title, url: "https://example.org/x", version: "1" },
  kind: "education",
  audience: "patient",
});
const METFORMIN_EN = passage(
  "education:metformin-en#1",
  "Metformin: what to expect (patient education)",
  "Metformin: what to expect (patient education) — Common side effects\nThe most common side effects of metformin are stomach problems: diarrhoea, nausea and a metallic taste. They usually settle within a few weeks. Take 500 mg twice daily with meals.",
);
const METFORMIN_ZH = passage(
  "education:metformin-zh#1",
  "二甲双胍的常见问题（患者教育）",
  "二甲双胍的常见问题（患者教育） — 常见副作用\n二甲双胍最常见的副作用是胃肠道反应：腹泻、恶心、胃部不适。这些反应一般几周内会逐渐减轻。每次吃2片。",
);

describe("targetsFor (ADA §6 / §13 / §15)", () => {
  it.each([
    [{ ...adult, age: 64 }, "adult"],
    [{ ...adult, age: 65 }, "older-healthy"],
    [{ ...adult, age: 65, diagnoses: ["type 2 diabetes", "heart failure"] }, "older-complex"],
    [{ ...adult, age: 70, diagnoses: ["type 2 diabetes", "hypoglycemia 2025"] }, "older-complex"],
    [{ ...adult, age: 50, recentEvents: ["hypoglycemia 2025-12"] }, "adult-hypoglycemia-risk"],
    [{ ...adult, age: 50, recentEvents: ["hypoglycemia 2025-12"], medications: [{ name: "metformin" }] }, "adult"],
    [{ ...adult, age: 30, pregnancy: true }, "pregnancy"],
  ] as const)("%# → %s", (p, profile) => {
    expect(targetsFor(p as PatientContext).profile).toBe(profile);
  });

  it.each([
    // premeal 80–130 mg/dL: 10 % bands at each end
    [79, "fasting", "below"],
    [80, "fasting", "low-end"],
    [100, "fasting", "within"],
    [125, "fasting", "top"],
    [130, "fasting", "top"],
    [131, "fasting", "above"],
    [179, "after-meal", "top"],
    [180, "after-meal", "top"],
    [181, "after-meal", "above"],
  ] as const)("%s mg/dL %s → %s", (mgdl, ctx, pos) => {
    expect(placeGlucose(mgdl, ctx, TARGETS.adult).position).toBe(pos);
  });

  it.each([
    [6.4, "adult", "within"],
    [6.9, "adult", "top"],
    [7.0, "adult", "above"],
    [7.5, "older-healthy", "top"],
    [7.6, "older-healthy", "above"],
    [7.9, "older-complex", "top"],
    [8.0, "older-complex", "above"],
  ] as const)("HbA1c %s%% (%s) → %s", (pct, profile, pos) => {
    expect(placeA1c(pct, TARGETS[profile])).toBe(pos);
  });
});

describe("patientAnswer: readings against the patient's own targets", () => {
  it("7.2 mmol/L fasting is at the top of the range, says when to tell the clinic, cites ADA §6 — and never repeats the insulin dose", () => {
    const r = patientAnswer({ text: "is a fasting sugar of 7.2 ok?", lang: "en", patient: adult, passages: [], triage: routine });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const reply = r.body.reply ?? "";
    expect(reply).toMatch(/7\.2 mmol\/L.*top of your target range/);
    expect(reply).toMatch(/Tell the clinic/);
    expect(reply).toMatch(/ADA Standards of Care.*§6/);
    expect(reply).not.toMatch(/20 units|glargine/i);
    expect(checkAudience(reply, "patient")).toEqual([]);
    expect(r.body.medications).toEqual([]);
  });

  it("Chinese in, Chinese out: 空腹血糖7.2 gets a Chinese answer in mmol/L with the Chinese clinic contact", () => {
    const r = patientAnswer({ text: "空腹血糖7.2正常吗？", lang: "zh", patient: adult, passages: [], triage: routine });
    expect(r.ok && r.lang).toBe("zh");
    const reply = r.ok ? (r.body.reply ?? "") : "";
    expect(reply).toMatch(/空腹血糖7\.2毫摩尔\/升在您目标范围的上限/);
    expect(reply).toMatch(/门诊电话/);
    expect(reply).not.toMatch(/appointment card|Tell the clinic|fasting|target/);
  });

  it("an older adult with lows is judged against the §13 complex range (90–150 mg/dL fasting)", () => {
    const older = { ...adult, age: 72, diagnoses: ["type 2 diabetes", "history of hypoglycemia"] };
    const r = patientAnswer({
      text: "My fasting sugar is 7.8 most mornings, ok?",
      lang: "en",
      patient: older,
      passages: [],
      triage: routine,
    });
    expect(r.ok && r.body.reply).toMatch(/within your target range before meals \(5–8\.3 mmol\/L\)/);
    expect(r.ok && r.body.reply).toMatch(/§13/);
  });

  it.each([
    ["My sugar is 3.6 and I feel fine", "reading-needs-person"],
    ["fasting 250 mg/dL this morning", "reading-needs-person"],
    ["sugar 14.1 before lunch", "reading-needs-person"],
    ["Should I take more insulin, my sugar is 12", "medication-decision"],
    ["How many units should I inject tonight?", "medication-decision"],
    ["Can I stop metformin because of the diarrhoea?", "medication-decision"],
    ["晚上胰岛素要不要加量？", "medication-decision"],
    ["二甲双胍漏服了一次要补吃吗", "medication-decision"],
    ["I forgot my evening metformin dose, what should I do?", "medication-decision"],
    ["missed my insulin last night", "medication-decision"],
  ])("%s → held (%s)", (text, code) => {
    const r = patientAnswer({
      text,
      lang: /[\u4e00-\u9fff]/.test(text) ? "zh" : "en",
      patient: adult,
      passages: [METFORMIN_EN],
      triage: routine,
    });
    expect(r).toEqual({ ok: false, code });
  });

  it("any triage flag or complexity declines: the triage paths stay in charge", () => {
    const flagged: Triage = {
      ...routine,
      flags: [{ code: "hypo-level1", evidence: "3.5", source: "ADA §6", urgency: "routine" }],
    };
    expect(patientAnswer({ text: "sugar 7.2 fasting", lang: "en", passages: [], triage: flagged })).toEqual({
      ok: false,
      code: "red-flag",
    });
    const complex: Triage = { ...routine, complexity: [{ code: "egfr-lt-30", reason: "eGFR < 30" }] };
    expect(patientAnswer({ text: "sugar 7.2 fasting", lang: "en", passages: [], triage: complex })).toEqual({
      ok: false,
      code: "red-flag",
    });
  });

  it("an explicit unit without a cue word is still a reading", () => {
    const r = patientAnswer({
      text: "I got 168 mg/dL two hours after dinner. Normal?",
      lang: "en",
      passages: [],
      triage: routine,
    });
    expect(r.ok && r.body.reply).toMatch(/168 mg\/dL.*within your after-meal target/);
  });
});

describe("patientAnswer: education from retrieved patient passages", () => {
  it("answers from the passage, cites it, and drops the sentence that carries a dose", () => {
    const r = patientAnswer({
      text: "Is diarrhoea a side effect of metformin?",
      lang: "en",
      passages: [METFORMIN_EN],
      triage: routine,
    });
    expect(r.ok && r.kind).toBe("education");
    if (!r.ok) return;
    expect(r.body.reply).toMatch(/diarrhoea/);
    expect(r.body.reply).not.toMatch(/500 mg|twice daily/);
    expect(r.body.reply).toMatch(/Sources: \[1\] Metformin: what to expect/);
    expect(r.body.recommendations.every((x) => x.citations.includes("education:metformin-en#1"))).toBe(true);
    // The chunk's own "Title — Section" header is not an answer sentence.
    expect(r.body.reply).not.toMatch(/• Metformin: what to expect/);
  });

  it("a Chinese question is answered only from Chinese passages; with none it is held", () => {
    const zh = patientAnswer({
      text: "二甲双胍会引起腹泻吗？",
      lang: "zh",
      passages: [METFORMIN_EN, METFORMIN_ZH],
      triage: routine,
    });
    expect(zh.ok && zh.body.reply).toMatch(/腹泻/);
    expect(zh.ok && zh.body.reply).not.toMatch(/diarrhoea|每次吃2片/);
    expect(patientAnswer({ text: "二甲双胍会引起腹泻吗？", lang: "zh", passages: [METFORMIN_EN], triage: routine })).toEqual({
      ok: false,
      code: "no-passage-in-language",
    });
  });

  it("a leaflet's emergency number becomes the clinic country's", () => {
    const hypo = passage(
      "education:hypoglycemia-zh#3",
      "低血糖的识别与处理（患者教育）",
      "低血糖的识别与处理（患者教育） — 什么时候必须马上求助\n患者晕倒、叫不醒、抽搐时，家属应立即拨打120急救电话。",
    );
    const q = { text: "低血糖晕倒了家属怎么办？", lang: "zh" as const, passages: [hypo], triage: routine };
    const us = patientAnswer({ ...q, emergencyNumber: "911" });
    expect(us.ok && us.body.reply).toMatch(/拨打911/);
    expect(us.ok && us.body.reply).not.toMatch(/120/);
    const cn = patientAnswer(q);
    expect(cn.ok && cn.body.reply).toMatch(/拨打120/);
  });

  it("an unrelated passage is not an answer", () => {
    const foot = passage(
      "education:feet-en#1",
      "Foot care with diabetes",
      "Look at both feet every day, including between the toes.",
    );
    expect(patientAnswer({ text: "Is nausea normal on semaglutide?", lang: "en", passages: [foot], triage: routine })).toEqual({
      ok: false,
      code: "no-relevant-passage",
    });
  });

  it("answers the aspect asked (饭后 ~ 餐后), not just any sentence about the drug; a leaflet that never says it is no answer", () => {
    const zh = passage(
      "education:metformin-zh#2",
      "二甲双胍的常见问题（患者教育）",
      "二甲双胍的常见问题（患者教育） — 概述\n二甲双胍是一种口服降糖药，主要通过减少肝脏产生葡萄糖来降低血糖。长期服用二甲双胍可能使维生素B12水平降低。随餐或餐后服用二甲双胍可以减少胃肠道不适。",
    );
    const r = patientAnswer({ text: "二甲双胍饭前吃还是饭后吃？", lang: "zh", passages: [zh], triage: routine });
    expect(r.ok && r.body.reply).toMatch(/餐后服用/);
    expect(r.ok && r.body.reply).not.toMatch(/维生素B12|肝脏/);
    const noAspect = passage(
      "education:metformin-zh#3",
      "二甲双胍的常见问题（患者教育）",
      "二甲双胍的常见问题（患者教育） — 概述\n二甲双胍是一种口服降糖药。长期服用二甲双胍可能使维生素B12水平降低。",
    );
    const sideEffects = passage(
      "education:metformin-zh#4",
      "二甲双胍的常见问题（患者教育）",
      "二甲双胍的常见问题（患者教育） — 副作用\n二甲双胍最常见的副作用是腹泻。",
    );
    // 腹泻 is a word the passages use, so it is the aspect: a sentence without it is not an answer.
    expect(
      patientAnswer({ text: "二甲双胍会引起腹泻吗？", lang: "zh", passages: [noAspect, sideEffects], triage: routine }),
    ).toMatchObject({
      ok: true,
      body: { recommendations: [{ citations: ["education:metformin-zh#4"] }] },
    });
  });

  it("a sentence that points back ('They…', '这些反应…') is given with the sentence before it, never alone", () => {
    const en = patientAnswer({
      text: "Do metformin stomach problems settle?",
      lang: "en",
      passages: [METFORMIN_EN],
      triage: routine,
    });
    expect(en.ok && en.body.reply).toMatch(
      /• The most common side effects of metformin are stomach problems[^\n]*\. They usually settle within a few weeks\./,
    );
    expect(en.ok && en.body.reply).not.toMatch(/• They usually settle/);
    const zh = patientAnswer({ text: "二甲双胍的胃肠道反应会减轻吗", lang: "zh", passages: [METFORMIN_ZH], triage: routine });
    expect(zh.ok && zh.body.reply).toMatch(/• 二甲双胍最常见的副作用是胃肠道反应[^\n]*。这些反应一般几周内会逐渐减轻。/);
    expect(zh.ok && zh.body.reply).not.toMatch(/• 这些反应/);
  });

  it("a report, not a question, is for a person: 'still a bit shaky though' is not matched against leaflets", () => {
    const still = passage(
      "medquad:ckd#1",
      "Kidney Failure: Eat Right to Feel Right on Hemodialysis",
      "Kidney Failure: Eat Right to Feel Right on Hemodialysis — overview\nEven though you are on hemodialysis, your kidneys may still be able to remove some fluid.",
    );
    for (const text of ["still a bit shaky though", "今天还是有点头晕", "feeling tired and thirsty all week"])
      expect(patientAnswer({ text, lang: "mixed", passages: [still, METFORMIN_EN, METFORMIN_ZH], triage: routine })).toEqual({
        ok: false,
        code: "not-a-question",
      });
    // Questions without a question mark are still questions.
    for (const text of ["what are the side effects of metformin", "二甲双胍会引起腹泻吗", "tell me about metformin side effects"])
      expect(patientAnswer({ text, lang: "mixed", passages: [METFORMIN_EN, METFORMIN_ZH], triage: routine }).ok).toBe(true);
  });

  it("two sections of one leaflet are one numbered source", () => {
    const b12 = passage(
      "education:metformin-en#3",
      "Metformin: what to expect (patient education)",
      "Metformin: what to expect (patient education) — Vitamin B12\nUsing metformin for many years can lower vitamin B12 levels, which can cause numbness or tingling in the feet.",
    );
    const r = patientAnswer({
      text: "does metformin cause diarrhoea or low vitamin B12?",
      lang: "en",
      passages: [METFORMIN_EN, b12],
      triage: routine,
    });
    expect(r.ok && r.body.reply).toMatch(/diarrhoea[\s\S]*B12|B12[\s\S]*diarrhoea/);
    expect(r.ok && r.body.reply).toMatch(
      /Sources: \[1\] Metformin: what to expect \(patient education\) — https:\/\/example.org\/x$/,
    );
    expect(r.ok && r.body.reply).not.toMatch(/\[2\]/);
  });

  it("a second passage's sentence must be about the same subject (a GLP-1 leaflet's diarrhoea is not metformin's)", () => {
    const glp1 = passage(
      "education:glp1-en#1",
      "GLP-1 receptor agonists (patient education)",
      "GLP-1 receptor agonists (patient education) — Side effects\nThe most common side effects are nausea, vomiting and diarrhoea.",
      0.69,
    );
    const r = patientAnswer({
      text: "Is diarrhoea a side effect of metformin?",
      lang: "en",
      passages: [METFORMIN_EN, glp1],
      triage: routine,
    });
    expect(r.ok && r.body.reply).toMatch(/side effects of metformin/);
    expect(r.ok && r.body.reply).not.toMatch(/vomiting/);
  });

  it("'what should I do' is answered from the leaflet's what-to-do section, not its signs (EN and ZH)", () => {
    const T = "Low blood sugar (hypoglycaemia): signs and what to do (patient education)";
    const signs = passage(
      `education:hypo-en#1`,
      T,
      `${T} — Low blood sugar > Signs\nSevere lows can cause confusion or passing out.`,
      0.8,
    );
    const treat = passage(
      `education:hypo-en#2`,
      T,
      `${T} — Low blood sugar > Treating a low when you are awake\nIf you can swallow, take about 15 grams of fast-acting sugar such as juice. Check again after 15 minutes.`,
      0.7,
    );
    const en = patientAnswer({
      text: "What should I do if my blood sugar goes low?",
      lang: "en",
      passages: [signs, treat],
      triage: routine,
    });
    expect(en.ok && en.body.recommendations[0]?.text).toMatch(/15 grams of fast-acting sugar/);
    const signsAsked = patientAnswer({
      text: "What are the signs of low blood sugar?",
      lang: "en",
      passages: [signs, treat],
      triage: routine,
    });
    expect(signsAsked.ok && signsAsked.body.recommendations[0]?.text).toMatch(/confusion/);
    const TZ = "低血糖的识别与处理（患者教育）";
    const prevent = passage(
      `education:hypo-zh#4`,
      TZ,
      `${TZ} — 低血糖 > 预防低血糖\n按时进餐，随身携带糖块。如果一周内多次出现低血糖，请联系医生。`,
      0.8,
    );
    const handle = passage(
      `education:hypo-zh#2`,
      TZ,
      `${TZ} — 低血糖 > 自己可以怎么处理\n如果神志清楚、能吞咽：立即吃15克左右的快速升糖食物，例如半杯果汁。15分钟后再测血糖。`,
      0.7,
    );
    const zh = patientAnswer({ text: "低血糖了怎么办？", lang: "zh", passages: [prevent, handle], triage: routine });
    expect(zh.ok && zh.body.recommendations[0]?.text).toMatch(/快速升糖食物/);
  });

  it("the clinic's leaflet wins a tie with the broad corpus", () => {
    const leaflet = passage(
      "education:feet-en#2",
      "Foot care (patient education)",
      "Check your feet every day for cuts, blisters or redness.",
      0.6,
    );
    const medquad = passage("medquad:1#p1", "Diabetic foot problems", "Check the feet for cuts and blisters when you can.", 0.7);
    const r = patientAnswer({
      text: "How should I check my feet for cuts?",
      lang: "en",
      passages: [medquad, leaflet],
      triage: routine,
    });
    expect(r.ok && r.body.recommendations[0]?.citations).toEqual(["education:feet-en#2"]);
  });

  it("the draft is labelled patient-answer with its kind, and carries no medication items", () => {
    const d = patientAnswerDraft({
      message: { text: "Is diarrhoea a side effect of metformin?" },
      lang: "en",
      passages: [METFORMIN_EN],
      triage: routine,
    });
    expect(d).toMatchObject({ mode: "patient-answer", provider: "patient-answer", model: "education-passages", medications: [] });
  });

  it.each([
    ["zh", "hello", "zh"],
    ["en", "HbA1c 7.2%正常吗", "zh"],
    ["mixed", "我的HbA1c是7.2%", "zh"],
    ["mixed", "HbA1c is 7.2 ok", "en"],
  ] as const)("reply language: %s / %s → %s", (lang, text, out) => {
    expect(replyLang(lang, text)).toBe(out);
  });
});
