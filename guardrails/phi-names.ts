/**
 * Personal names for PHI redaction. Names are only taken after a context cue (我是/我叫/
 * 姓名/患者/先生/女士, "my name is", "patient:", Dr./Mr./Mrs.) because bare capitalised
 * words and two-character Chinese words are far too often drugs, places or symptoms.
 * Chinese names are cut with jieba and must start with a common surname.
 */
import { findDrug } from "./meds/formulary.js";
import { tagWords } from "./text/segment.js";

export interface Span {
  start: number;
  end: number;
  type: string;
}

const COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "端木", "司徒", "长孙"];
const SURNAMES = new Set(
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝".split(
    "",
  ),
);

function surnameLen(s: string): number {
  if (COMPOUND.some((c) => s.startsWith(c))) return 2;
  return SURNAMES.has(s[0] ?? "") ? 1 : 0;
}

const ZH_CUE =
  /我叫|我是|我姓|名叫|叫做|姓名\s*[:：]?\s*|患者\s*[:：]\s*|病人\s*[:：]\s*|联系人\s*[:：]?\s*|[，,]\s*叫|女儿|儿子|老公|老婆|丈夫|妻子|爱人/g;
/** Weak cues: a name is taken only if jieba agrees it is one (strict mode). */
const ZH_WEAK_CUE =
  /(?:患者|病人|病患|家属)\s*|(?:爸|妈|爷爷|奶奶|外公|外婆|老公|老婆|丈夫|妻子|爱人|儿子|女儿|孩子|朋友|哥|姐|弟|妹|父亲|母亲)(?:名字)?叫\s*|名字(?:是|叫)\s*/g;

/** A Han name standing alone before sex or age: "张伟 男 62岁", "陈建国，男，70岁". */
const ZH_DEMOGRAPHIC = /(?<![\p{Script=Han}])(\p{Script=Han}{2,4})(?=[\s，,、]*(?:[男女](?:性)?(?:[\s，,、]|$)|\d{1,3}\s*岁))/gu;

/**
 * "Zhang Wei, 62F", "Mary Johnson (DOB …)", "John Smith 58 yo male" at the start of a sentence,
 * a field ("present illness: Zhang Wei, 62F") or a list item.
 */
const EN_DEMOGRAPHIC =
  /(?:^|[\n.;!?:]\s*|^\s*[-*•]\s+)(?:(?:Pt|PT|Patient|Mr|Mrs|Ms|Dr)\.?:?\s+)?([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})(?=\s*[,(]?\s*(?:\d{1,3}\s*(?:[MFmf]\b|y\/?o\b|yrs?\b|years?\b|-year)|(?:[Mm]ale|[Ff]emale|[Mm]an|[Ww]oman)\b|[Aa]ged?\s*:?\s*\d|(?:DOB|[Dd]ob|D\.O\.B)\b|[Bb]orn\b))/g;

const DRUG_OR_TERM = (w: string) => findDrug(w) !== undefined;

const ZH_TITLE = /(先生|女士|小姐|太太|医生|大夫|护士|老师|阿姨|叔叔|主任)/g;

/**
 * Chinese full name right after `at`, using jieba to find where the name ends. `strict` (for
 * weak cues such as 患者 without a colon, or 我爸叫) takes only a word jieba itself reads as a
 * name (nr*) or as unknown (x, where unseen names land), so 患者应该 / 患者高血压 stay text.
 */
function zhNameAt(text: string, at: number, strict = false): Span | undefined {
  const rest = text.slice(at, at + 12);
  const sl = surnameLen(rest);
  if (sl === 0) return undefined;
  const head = /^\p{Script=Han}+/u.exec(rest)?.[0] ?? "";
  if (head.length < 2) return undefined;
  const words = tagWords(head);
  if (strict) {
    const w = words[0];
    if (!w || !/^(?:nr|nrfg|nrt|x)$/.test(w.tag) || w.word.length < sl + 1 || w.word.length > 4) return undefined;
    if (DRUG_OR_TERM(w.word)) return undefined;
    return { start: at, end: at + w.word.length, type: "NAME" };
  }
  let len = 0;
  for (const w of words) {
    if (len === 0) {
      len = w.word.length;
      if (len > 4) return undefined;
      if (len >= 2 && !/^(?:nr|nrfg|nrt|x|n)$/.test(w.tag) && len >= sl + 1) break;
      continue;
    }
    if (len >= 3 || len + w.word.length > 4) break;
    // A one-character surname split from its given name ("周" + "志强").
    if (/^(?:nr|nrfg|x)$/.test(w.tag) || (len === sl && w.word.length <= 2)) len += w.word.length;
    else break;
  }
  if (len <= sl) len = Math.min(head.length, sl + 2);
  return { start: at, end: at + len, type: "NAME" };
}

const EN_CUE =
  /\b(?:my name is|my name's|i am|i'm|this is|it'?s|it is|named|called|name\s*:|patient\s*(?:name)?\s*[:,]?|pt\.?\s*[:,]?|signed,?|regards,?|contact\s*:)\s+|\b(?:name|patient(?: name)?|pt|contact)\s*[:,]\s*/gi;
const EN_TITLE = /\b(?:dr|mr|mrs|ms|miss|prof)\.?\s+/gi;
const NOT_NAMES = new Set([
  "Type",
  "Diabetic",
  "Pregnant",
  "On",
  "Taking",
  "Not",
  "Very",
  "So",
  "A",
  "The",
  "Feeling",
  "Having",
  "Still",
  "Worried",
  "Here",
  "Just",
  "Also",
  "Now",
  "Currently",
  "Using",
  "Metformin",
  "Insulin",
  "Sorry",
  "Back",
  "Going",
  "Trying",
  "Writing",
  "Male",
  "Female",
  "Dr",
  "Mr",
  "Mrs",
  "Ms",
  "Patient",
  "Pt",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
  "January",
  "February",
  "March",
  "April",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
  "Today",
  "Tonight",
  "Yesterday",
  "Fine",
  "Ok",
  "Okay",
  "Me",
  "My",
  "Is",
  "In",
  "At",
  "Reports",
  "Says",
]);

function enNameAt(text: string, at: number, maxWords: number): Span | undefined {
  const m = /^([A-Z][A-Za-z'’-]+)(?:\s+([A-Z][A-Za-z'’-]+))?(?:\s+([A-Z][A-Za-z'’-]+))?/.exec(text.slice(at));
  if (!m) return undefined;
  const words = [m[1], m[2], m[3]].filter((w): w is string => w !== undefined).slice(0, maxWords);
  const kept: string[] = [];
  for (const w of words) {
    if (NOT_NAMES.has(w) || DRUG_OR_TERM(w)) break;
    kept.push(w);
  }
  if (kept.length === 0) return undefined;
  const last = kept[kept.length - 1] as string;
  let len = text.slice(at).indexOf(last) + last.length;
  // "Johnson's" keeps the possessive outside the placeholder.
  const tail = /['’]s$/.exec(text.slice(at, at + len));
  if (tail) len -= 2;
  return { start: at, end: at + len, type: "NAME" };
}

export function findNames(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(ZH_CUE)) {
    const at = m.index + m[0].length;
    const s = zhNameAt(text, at);
    if (s) out.push(s);
    // 我姓黄: a surname alone is still identifying.
    else if (m[0] === "我姓" && surnameLen(text.slice(at)) > 0)
      out.push({ start: at, end: at + surnameLen(text.slice(at)), type: "NAME" });
  }
  for (const m of text.matchAll(ZH_WEAK_CUE)) {
    const s = zhNameAt(text, m.index + m[0].length, true);
    if (s) out.push(s);
  }
  for (const m of text.matchAll(ZH_DEMOGRAPHIC)) {
    const name = m[1] ?? "";
    if (surnameLen(name) === 0 || name.length <= surnameLen(name) || DRUG_OR_TERM(name)) continue;
    if (!tagWords(name).every((w) => /^(?:nr|nrfg|nrt|x)$/.test(w.tag) || w.word.length === 1)) continue;
    out.push({ start: m.index, end: m.index + name.length, type: "NAME" });
  }
  for (const m of text.matchAll(EN_DEMOGRAPHIC)) {
    const name = m[1] ?? "";
    const at = m.index + m[0].indexOf(name);
    const s = enNameAt(text, at, 3);
    if (s && s.end - s.start >= name.length - 1) out.push(s);
  }
  for (const m of text.matchAll(ZH_TITLE)) {
    // 王先生 / 张女士 / 陈医生: the surname (and a given name if present) before the title.
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    const han = /\p{Script=Han}{1,3}$/u.exec(before)?.[0] ?? "";
    for (let k = Math.min(3, han.length); k >= 1; k--) {
      const cand = han.slice(han.length - k);
      const prev = text[m.index - k - 1] ?? "";
      // A lone surname must stand apart ("，王先生", "找陈医生"), not be the tail of a word (平时医生).
      const loneOk = prev === "" || !/\p{Script=Han}/u.test(prev) || /[是叫姓找请问的和跟给对位]/.test(prev);
      if (
        surnameLen(cand) > 0 &&
        ((k === 1 && loneOk) || (k > 1 && (k === surnameLen(cand) || tagWords(cand).some((w) => /^nr/.test(w.tag)))))
      ) {
        out.push({ start: m.index - k, end: m.index, type: "NAME" });
        break;
      }
    }
  }
  for (const m of text.matchAll(EN_CUE)) {
    const s = enNameAt(text, m.index + m[0].length, 3);
    if (s) out.push(s);
  }
  for (const m of text.matchAll(EN_TITLE)) {
    const s = enNameAt(text, m.index + m[0].length, 2);
    if (s) out.push(s);
  }
  return [...out, ...spreadNames(text, out)];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A name found once (after a cue) identifies the person wherever else it appears: "Patient:
 * Zhang Wei … Zhang Wei's daughter", 患者张伟…张伟说. Chinese full names (≥ 2 characters; a
 * lone surname from 王先生 is too common a character) and English names and their parts
 * (≥ 3 letters, capitalised, whole words) are searched again.
 */
export function spreadNames(text: string, found: Span[]): Span[] {
  const terms = new Set<string>();
  for (const f of found) {
    if (f.type !== "NAME") continue;
    const name = text.slice(f.start, f.end);
    if (/\p{Script=Han}/u.test(name)) {
      if (name.length >= 2) terms.add(name);
    } else {
      if (name.length >= 3) terms.add(name);
      for (const part of name.split(/\s+/)) if (part.length >= 3 && !NOT_NAMES.has(part)) terms.add(part);
    }
  }
  const out: Span[] = [];
  for (const term of terms) {
    const han = /\p{Script=Han}/u.test(term);
    const re = han ? new RegExp(escapeRe(term), "gu") : new RegExp(`(?<![A-Za-z])${escapeRe(term)}(?![A-Za-z])`, "g");
    for (const m of text.matchAll(re)) {
      if (found.some((f) => m.index < f.end && m.index + term.length > f.start)) continue;
      out.push({ start: m.index, end: m.index + term.length, type: "NAME" });
    }
  }
  return out;
}
