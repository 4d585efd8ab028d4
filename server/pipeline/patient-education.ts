/**
 * Education answers for patients: the retrieved patient-education passages in the patient's
 * language, condensed to the few sentences that share the question's topic words, each cited,
 * with every sentence that carries a dose or a prescription dropped. No passage in the
 * language, or none on the topic, is a reason to hold — never a reason to answer in another
 * language or from a clinician document.
 */
import type { Passage } from "../../core/domain.js";
import { checkAudience } from "../../guardrails/audience.js";
import { localizedContact } from "../../guardrails/replies.js";
import { sentences } from "../../guardrails/text/segment.js";
import { hasCjk, tokenize } from "../../rag/tokenize.js";
import type { PatientAnswerInput, PatientAnswerOutcome } from "./patient-answer.js";

/** Words that say nothing about the topic of a diabetes question. */
const GENERIC = new Set(
  "diabetes diabete diabetic type blood sugar glucose go goe going get gett got keep since start people person doctor patient normal good bad thing know tell question problem ok okay treatment treatments treat treated cause causes caused symptom symptoms sign signs diagnose diagnosis diagnosed prevent prevention risk risks affected affect many much common manage management care what how why when which who 治疗 治 原因 引起 症状 表现 诊断 预防 风险 办法 方法 怎么 怎样 如何 什么 为什么 能不能 糖尿病 糖尿病人 糖尿病患者 患者 病人 医生 问题 情况 东西 知道 血糖 一下 一般 正常 平时 有没有 是不是 需要 注意 注意事项 影响 可以 多吃 能吃 吃 喝 会不会 怎么回事 回事".split(
    " ",
  ),
);

const MAX_SENTENCES = 3;
/** Added to a leaflet's score: less than one topic word, so a passage that says more still wins. */
const LEAFLET_BONUS = 0.5;
const MAX_CHARS = { en: 650, zh: 260 } as const;

/** Sentences a patient may receive: no dosing directive, no prescription, no doses at all. */
function safeSentence(s: string): boolean {
  if (checkAudience(s, "patient").length > 0) return false;
  if (/\b\d+(?:\.\d+)?\s*(?:mg|mcg|units?|iu|ml)\b|\d+\s*(?:毫克|单位|微克)/i.test(s)) return false;
  if (/\b(?:your doctor may prescribe you|you should (?:take|start|stop))\b/i.test(s)) return false;
  return s.trim().length >= 12;
}

interface Scored {
  passage: Passage;
  score: number;
  sentences: { text: string; score: number; index: number }[];
}

function terms(text: string): Set<string> {
  return new Set(tokenize(text).filter((w) => w.length > 1 && !/^\d/.test(w)));
}

/**
 * A question term found in a text: as a token, or — Chinese — as a substring, or through one of
 * its character bigrams (高纤维 ~ 膳食纤维), since segmentation differs between question and passage.
 */
function found(term: string, tokens: Set<string>, text: string): boolean {
  for (const t of variants(term)) if (foundExact(t, tokens, text)) return true;
  return false;
}

/**
 * Everyday words a leaflet says differently (饭后 / 餐后, "avoid" / "limit"): a question and
 * the sentence that answers it should not miss each other over a synonym. Stemmed forms.
 */
const EQUIVALENT: readonly (readonly string[])[] = [
  ["饭前", "餐前"],
  ["饭后", "餐后"],
  ["吃饭", "进餐", "用餐", "随餐"],
  ["food", "eat", "diet", "meal"],
  ["avoid", "limit"],
  ["low", "hypoglycemia", "hypoglycaemia"],
  ["低血糖", "血糖低"],
];
const VARIANTS = new Map<string, readonly string[]>(EQUIVALENT.flatMap((g) => g.map((w) => [w, g] as const)));
const variants = (term: string): readonly string[] => VARIANTS.get(term) ?? [term];

function foundExact(term: string, tokens: Set<string>, text: string): boolean {
  if (tokens.has(term)) return true;
  if (!hasCjk(term)) return false;
  if (text.includes(term)) return true;
  if (term.length < 3) return false;
  for (let i = 0; i + 1 < term.length; i++) {
    const bi = term.slice(i, i + 2);
    if (!GENERIC.has(bi) && text.includes(bi)) return true;
  }
  return false;
}

/** A question asking what to do (not what it is or why). */
const ACTION_QUESTION =
  /\b(?:what (?:should|do|can|must) (?:i|we|you|he|she|they) do|what to do|how (?:do|should|can) (?:i|we) (?:treat|handle|deal with|manage))\b|怎么办|怎么处理|如何处理|该怎么做|怎么做|如何应对/i;
/** A leaflet section about what to do. */
const ACTION_SECTION = /\b(?:treat(?:ing|ment)?|what to do|handl(?:e|ing)|manag(?:e|ing))\b|处理|怎么办|怎么做|应对/i;

/** The section heading of a chunk whose first line is "Title — Leaflet > Section" ("" when none). */
function sectionOf(text: string): string {
  const first = text.split("\n", 1)[0] ?? "";
  if (!first.includes(" — ")) return "";
  const i = first.lastIndexOf(" > ");
  return i >= 0 ? first.slice(i + 3) : "";
}

const DIAL = /(拨打|call|dial|ring)(\s*)(120|911|999|112|000|119|110|995|15)(?!\d)/gi;

/** A leaflet written for one country quotes its number; the patient is told the clinic country's. */
function localNumber(sentence: string, n: string | undefined): string {
  return n ? sentence.replace(DIAL, (_m, verb: string, sp: string) => `${verb}${sp}${n}`) : sentence;
}

/** A sentence that opens by pointing back ("They are most common when…", "这些反应…") means nothing alone. */
const ANAPHORIC = /^(?:they|these|those|this|that|it|such|both)\b|^(?:这些|这种|这类|它们|它|此类|此|这)/i;

/**
 * The sentence as a patient can read it alone: an anaphoric one gets the sentence before it in
 * its passage (when that one is safe), otherwise it is not used.
 */
function withAntecedent(s: { text: string; index: number }, all: { text: string; index: number }[]): string | undefined {
  if (!ANAPHORIC.test(s.text)) return s.text;
  const prev = all.find((x) => x.index === s.index - 1);
  if (!prev || ANAPHORIC.test(prev.text) || !safeSentence(prev.text)) return undefined;
  const sep = hasCjk(prev.text) ? "" : " ";
  return `${prev.text}${/[.。!?！？]$/.test(prev.text) ? "" : hasCjk(prev.text) ? "。" : "."}${sep}${s.text}`;
}

/** An education answer condensed from the passages in the reply language, or why there is none. */
export function educationAnswer(input: PatientAnswerInput, lang: "zh" | "en"): PatientAnswerOutcome {
  const inLang = input.passages.filter((p) => (lang === "zh" ? hasCjk(p.text) : !hasCjk(p.text)));
  if (!inLang.length) return { ok: false, code: "no-passage-in-language" };
  const q = terms(input.text);
  const focus = new Set([...q].filter((w) => !GENERIC.has(w)));
  const want = focus.size ? focus : q;
  if (!want.size) return { ok: false, code: "no-relevant-passage" };
  const asksWhatToDo = ACTION_QUESTION.test(input.text);
  const scored: Scored[] = inLang.map((p) => {
    const title = terms(p.citation.title);
    const header = p.citation.title.slice(0, 12);
    // The chunk's section heading ("Title — Leaflet > Treating a low when you are awake") is the
    // context of its sentences: a topic word in the heading counts, at half weight, for each.
    const section = sectionOf(p.text);
    const sectionTerms = terms(section);
    const inSection = [...want].filter((w) => found(w, sectionTerms, section));
    // "What should I do if…" is answered from the section on what to do, not the one on signs.
    const actionBonus = asksWhatToDo && ACTION_SECTION.test(section) ? 2 : 0;
    // In a leaflet on the question's topic, its what-to-do section answers even in sentences that
    // do not repeat the topic word ("take 15 g of sugar" under "Treating a low").
    const onTopic = [...want].some((w) => found(w, title, p.citation.title));
    const body = sentences(p.text)
      .filter((s) => !s.text.trim().startsWith(header) && !/ — .*(?: > |$)/.test(s.text.trim().split("\n")[0] ?? ""))
      .map((s, index) => {
        const st = terms(s.text);
        const own = [...want].filter((w) => found(w, st, s.text));
        const fromSection = inSection.filter((w) => !own.includes(w)).length * 0.5;
        const base = own.length + fromSection;
        const hit = base > 0 || (actionBonus && onTopic) ? base + actionBonus : 0;
        return {
          text: s.text
            .replace(/^[#\s*-]+/, "")
            .replace(/[；;，,、\s]+$/, "")
            .trim(),
          score: hit,
          index,
        };
      })
      .filter((s) => s.text && !/^#/.test(s.text));
    const titleHits = [...want].filter((w) => found(w, title, p.citation.title)).length;
    const best = body.reduce((m, s) => Math.max(m, s.score), 0);
    // The clinic's own leaflets (`education:` sources) win a tie with the broad corpus.
    const leaflet = p.citation.sourceId.startsWith("education:") ? LEAFLET_BONUS : 0;
    return { passage: p, score: best + titleHits * 0.75 + p.score + leaflet, sentences: body };
  });
  scored.sort((a, b) => b.score - a.score);
  const top = scored[0];
  if (!top) return { ok: false, code: "no-relevant-passage" };
  // Relevance: the top passage must share a topic word with the question in its title or in one sentence.
  const topicHits = Math.max(0, ...top.sentences.map((s) => s.score));
  const titleHit = [...want].some((w) => found(w, terms(top.passage.citation.title), top.passage.citation.title));
  // One topic word is enough for a one-word topic; longer questions need two (or the title).
  const needed = want.size >= 3 ? 2 : 1;
  if (!(topicHits >= needed || (titleHit && topicHits >= 1))) return { ok: false, code: "no-relevant-passage" };

  // The question's aspect: its topic words the top passage's title does not already cover
  // ("metformin" is the leaflet; "before or after meals" is what was asked). When there is one,
  // only sentences that speak to it are an answer — a leaflet on the right drug that never
  // says what was asked is not (the message is held for a person instead).
  // Only words some retrieved passage uses count: a word no leaflet has ("goes", a mis-split
  // 上应) is noise, not an aspect.
  const said = (w: string) => scored.some((sp) => sp.sentences.some((x) => found(w, terms(x.text), x.text)));
  const aspect = [...want].filter((w) => !found(w, terms(top.passage.citation.title), top.passage.citation.title) && said(w));
  const aspectHits = (text: string) => {
    const st = terms(text);
    return aspect.filter((w) => found(w, st, text)).length;
  };
  const onAspect = (text: string) => aspect.length === 0 || aspectHits(text) > 0;
  if (!top.sentences.some((s) => s.score > 0 && onAspect(s.text) && safeSentence(s.text)))
    return { ok: false, code: "no-relevant-passage" };

  const picked: { text: string; chunkId: string }[] = [];
  let chars = 0;
  // What the top passage is about (its title's question words, e.g. the drug): a sentence from
  // another passage must be about it too — a GLP-1 leaflet's "diarrhoea" is not metformin's.
  const subject = [...want].filter(
    (w) => !aspect.includes(w) && found(w, terms(top.passage.citation.title), top.passage.citation.title),
  );
  const sameSubject = (sp: Scored, text: string) =>
    sp === top ||
    subject.every((w) => found(w, terms(sp.passage.citation.title), sp.passage.citation.title) || found(w, terms(text), text));
  for (const sp of scored.slice(0, 2)) {
    if (sp !== top && sp.score < top.score * 0.6) break;
    const ranked = sp.sentences
      .filter((s) => s.score > 0 && onAspect(s.text) && sameSubject(sp, s.text) && safeSentence(s.text))
      .sort((a, b) => aspectHits(b.text) - aspectHits(a.text) || b.score - a.score || a.index - b.index);
    for (const r of ranked) {
      const text = withAntecedent(r, sp.sentences);
      if (text === undefined) continue;
      if (picked.length >= MAX_SENTENCES || chars + text.length > MAX_CHARS[lang]) break;
      if (picked.some((x) => x.text === text || x.text.includes(r.text))) continue;
      picked.push({ text: localNumber(text, input.emergencyNumber), chunkId: sp.passage.citation.chunkId });
      chars += text.length;
    }
  }
  if (!picked.length) return { ok: false, code: "no-relevant-passage" };
  // Numbered by document: two sections of one leaflet are one source to the patient.
  const citationOf = (chunkId: string) => inLang.find((p) => p.citation.chunkId === chunkId)?.citation;
  const docOf = (chunkId: string) => {
    const c = citationOf(chunkId);
    return c ? `${c.title}${c.url ? ` — ${c.url}` : ""}` : chunkId;
  };
  const used = [...new Set(picked.map((p) => docOf(p.chunkId)))];
  const cites = used.map((doc, i) => `[${i + 1}] ${doc}`);
  const contact = localizedContact(lang, input.clinicContact);
  const lead = lang === "zh" ? "根据患者教育资料：" : "From patient-education material:";
  const footer =
    lang === "zh"
      ? `以上是一般性健康知识，不针对您个人的用药或剂量；如需调整治疗或症状持续、加重，请联系门诊（${contact}）。`
      : `This is general information, not advice about your own medicines or doses. If you think your treatment needs to change, or symptoms last or get worse, contact the clinic (${contact}).`;
  const sourceLabel = lang === "zh" ? "来源" : "Sources";
  const body = picked.map(
    (p) => `• ${p.text}${p.text.match(/[.。!?！？]$/) ? "" : lang === "zh" ? "。" : "."} [${used.indexOf(docOf(p.chunkId)) + 1}]`,
  );
  const reply = [lead, ...body, footer, `${sourceLabel}: ${cites.join("; ")}`].join("\n");
  const confidence = Math.max(0.3, Math.min(0.9, 0.4 + 0.15 * topicHits));
  return {
    ok: true,
    kind: "education",
    lang,
    body: {
      labTests: [],
      examinations: [],
      medications: [],
      recommendations: picked.map((p) => ({ text: p.text, citations: [p.chunkId] })),
      reply,
      confidence,
    },
  };
}
