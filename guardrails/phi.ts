/**
 * PHI redaction. Finds identifiers (names, PRC resident IDs, phones, emails, addresses, dates
 * of birth, MRNs, insurance and social-security numbers) and returns the text with typed
 * placeholders plus the spans in the ORIGINAL text. Clinical numbers (glucose, HbA1c, doses,
 * blood pressure 140/90, lab dates) are never touched: every pattern is either anchored on a
 * label (DOB:, 病历号, 医保卡号) or has a shape no clinical value has (11-digit mobile, checksum ID).
 * Patterns run on a 1:1 folded copy (full-width → ASCII) so offsets stay valid.
 */
import type { Redacted } from "../core/domain.js";
import { findNames, nameTerms, type Span, spreadTerms } from "./phi-names.js";
import { fold } from "./text/normalize.js";

export type PhiType = "NAME" | "PHONE" | "ID" | "EMAIL" | "ADDRESS" | "DOB" | "MRN" | "INSURANCE" | "SSN";

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check digit of a Taiwan national ID (letter code, 1/2 for sex, seven digits, check digit). */
export function twIdValid(id: string): boolean {
  if (!/^[A-Z][12]\d{8}$/.test(id)) return false;
  const code = "ABCDEFGHJKLMNPQRSTUVXYWZIO".indexOf(id[0] as string) + 10;
  const digits = [Math.floor(code / 10), code % 10, ...id.slice(1).split("").map(Number)];
  const w = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1];
  return digits.reduce((sum, d, i) => sum + d * (w[i] as number), 0) % 10 === 0;
}

/** ISO 7064 MOD 11-2 check digit of an 18-digit PRC resident ID. */
export function prcIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (W[i] as number);
  return "10X98765432"[sum % 11] === id[17]?.toUpperCase();
}

const DATE =
  "(?:民[國国]\\s*\\d{1,3}\\s*年\\s*\\d{1,2}\\s*月(?:\\s*\\d{1,2}\\s*[日号])?|\\d{4}[-/.]\\d{1,2}(?:[-/.]\\d{1,2})?|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}|\\d{4}\\s*年\\s*\\d{1,2}\\s*月(?:\\s*\\d{1,2}\\s*[日号])?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}\\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?,?\\s+\\d{4})";

/**
 * What follows an English street: a flat, then city / district / state names, a US state code,
 * a ZIP or a UK postcode (Glasgow G2 4LT).
 */
const ADDRESS_TAIL = `(?:,?\\s*(?:Apt|Apartment|Suite|Unit|#)\\.?\\s*[A-Za-z0-9-]+)?(?:,\\s*(?!(?:And|But|So|Then|My|The|Please|Thanks|Thank|Call|Email|Phone|Tel|DOB|MRN|BP|Glucose|Weight|Since|After|Before|Last|Next|Today)\\b)[A-Z][a-z]+(?:\\s+[A-Z][a-z]+){0,2}){0,3}(?:,?\\s+[A-Z]{2}\\b)?(?:,?\\s+\\d{5,6}(?:-\\d{4})?\\b)?(?:,?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2}\\b)?`;

interface Rule {
  type: PhiType;
  re: RegExp;
  /** Capture group holding the identifier (the label stays readable); 0 = whole match. */
  group: number;
  priority: number;
  check?: (s: string) => boolean;
}

const RULES: Rule[] = [
  { type: "EMAIL", re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, group: 0, priority: 9 },
  {
    type: "DOB",
    re: new RegExp(
      `(?:\\bdob\\b|d\\.o\\.b\\.?|date of birth|birth ?date|born(?: on| in)?|出生日期|出生年月|出生于|出生(?=\\s*[:：]|\\s+\\d)|生日)\\s*[:：是为]?\\s*(${DATE})`,
      "gi",
    ),
    group: 1,
    priority: 8,
  },
  {
    // The date first, the cue after it: "1962年3月5日出生", "1955-11-20生".
    type: "DOB",
    re: new RegExp(`(${DATE})\\s*(?:出生|生人|出世|生(?=[，,。\\s]|$))`, "gi"),
    group: 1,
    priority: 8,
  },
  {
    type: "MRN",
    re: /(?:\bmrn\b|\bhn\b|medical record (?:number|no\.?|#)|record (?:no\.?|number|#)|chart (?:no\.?|number|#)|hospital (?:no\.?|number|#)|病历号|住院号|门诊号|病案号|就诊卡号|就诊号|档案号)\s*(?:no\.?|number)?\s*[:：#]{0,2}\s*(?:是|为)?\s*([A-Za-z0-9][A-Za-z0-9-]{3,})/gi,
    group: 1,
    priority: 8,
  },
  {
    type: "INSURANCE",
    re: /(?:insurance (?:id|number|no\.?|#)|member (?:id|number)|policy (?:number|no\.?|#)|medicare (?:number|no\.?)|医保卡号|医保号|医保卡|社保卡号|社保号|社保卡|医疗保险号|保险单?号)\s*[:：#]?\s*(?:是|为)?\s*([A-Za-z0-9][A-Za-z0-9-]{4,}|\d{4}(?: \d{1,6}){1,4}(?![\d.]))/gi,
    group: 1,
    priority: 8,
  },
  {
    type: "SSN",
    re: /(?:\bssn\b|social security (?:number|no\.?|#))\s*[:：#]?\s*(\d{3}-?\d{2}-?\d{4})|\b(\d{3}-\d{2}-\d{4})\b/gi,
    group: -1,
    priority: 7,
  },
  {
    type: "ID",
    re: /(?:身份证(?:号码|号)?|身分證(?:字號|號碼|號)?|身份證(?:字號|號碼|號)?|id (?:number|no\.?|card)|passport(?: no\.?| number)?|护照(?:号码|号)?|護照(?:號碼|號)?|回乡证(?:号码|号)?|回鄉證|港澳(?:居民)?(?:来往内地)?通行证(?:号码|号)?|台胞证(?:号码|号)?)\s*[:：#]?\s*(?:是|为)?\s*([0-9]{15,17}[0-9Xx]?|[A-Za-z]{1,2}\d{7,10})/gi,
    group: 1,
    priority: 8,
  },
  {
    // NHS number (10 digits, 3-3-4) and Hong Kong identity card after their label.
    type: "ID",
    re: /(?:\bnhs(?: (?:number|no\.?|#))?|chi (?:number|no\.?)|hkid|香港身份证|香港身份證)\s*[:：#]?\s*(?:是|为)?\s*(\d{3}[\s-]?\d{3}[\s-]?\d{4}|[A-Z]{1,2}\d{6}\s?\(?[\dA]\)?)/gi,
    group: 1,
    priority: 8,
  },
  { type: "ID", re: /(?<![0-9])[1-9]\d{16}[\dXx](?![0-9])/g, group: 0, priority: 6, check: prcIdValid },
  // Taiwan national ID: a letter, 1 or 2, eight digits, with its check digit.
  { type: "ID", re: /(?<![A-Za-z0-9])[A-Z][12]\d{8}(?![0-9])/g, group: 0, priority: 6, check: twIdValid },
  {
    // WeChat / LINE / Telegram handles after their label.
    type: "ID",
    re: /(?:微信号?|微信\s*id|wechat(?:\s*id)?|weixin|line\s*id|telegram)\s*[:：]?\s*(?:是|为)?\s*([A-Za-z][A-Za-z0-9_-]{5,19})/gi,
    group: 1,
    priority: 7,
  },
  { type: "ID", re: /(?<![0-9])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9])/g, group: 0, priority: 5 },
  { type: "PHONE", re: /(?<![0-9])(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?![0-9])/g, group: 0, priority: 6 },
  {
    type: "PHONE",
    re: /(?<![0-9])0\d{2,3}[\s-]\d{3,4}[\s-]?\d{4}(?:\s*(?:转|轉|分机|ext\.?|x)\s*\d{1,5})?(?![0-9])/g,
    group: 0,
    priority: 5,
  },
  // Taiwan mobile: 0912-345-678, 0912 345 678.
  { type: "PHONE", re: /(?<![0-9])09\d{2}[\s-]?\d{3}[\s-]?\d{3}(?![0-9])/g, group: 0, priority: 5 },
  { type: "PHONE", re: /(?<![0-9])0\d{2,3}-?\d{7,8}(?![0-9])/g, group: 0, priority: 5 },
  // UK mobile: 07700 900461, 07700-900-461.
  { type: "PHONE", re: /(?<![0-9])07\d{3}[\s-]?\d{3}[\s-]?\d{3}(?![0-9])/g, group: 0, priority: 5 },
  { type: "PHONE", re: /\(\d{3}\)\s?\d{3}[-\s]\d{4}|(?<![0-9/])\d{3}-\d{3}-\d{4}(?![0-9])/g, group: 0, priority: 5 },
  {
    type: "PHONE",
    re: /\+\d[\d\s().-]{6,18}\d/g,
    group: 0,
    priority: 5,
    check: (s) => {
      const n = s.replace(/\D/g, "").length;
      return n >= 8 && n <= 15;
    },
  },
  {
    type: "PHONE",
    re: /(?:phone|tel|mobile|cell|手机号?|电话|联系方式)\s*[:：]?\s*(?:是|为)?\s*(\+?[\d][\d\s-]{6,16}\d(?:\s*(?:转|轉|分机|ext\.?|x)\s*\d{1,5})?)/gi,
    group: 1,
    priority: 7,
  },
  {
    type: "ADDRESS",
    re: new RegExp(
      `\\b\\d{1,6}\\s+(?:[A-Z][a-z]+\\s){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|Terrace|Hwy|Highway|Pkwy|Parkway|Sq|Square|Close|Crescent|Gardens|Grove|Row|Walk)\\b\\.?${ADDRESS_TAIL}`,
      "g",
    ),
    group: 0,
    priority: 6,
  },
  {
    // The street word first: 7 Rue Voltaire, 12 Via Roma, 5 Calle Mayor.
    type: "ADDRESS",
    re: new RegExp(
      `\\b\\d{1,6},?\\s+(?:Rue|Via|Viale|Calle|Avenida|Rua|Avenue|Boulevard|Place|Plaza|Piazza|Chemin)\\s+(?:(?:de|du|des|la|le|del|della|di|da|do)\\s+){0,2}[A-Z][\\p{L}'’-]+(?:\\s+[A-Z][\\p{L}'’-]+){0,3}${ADDRESS_TAIL}`,
      "gu",
    ),
    group: 0,
    priority: 6,
  },
  {
    type: "ADDRESS",
    re: /(?:\p{Script=Han}{2,7}?(?:省|自治区|市|区|县|旗|镇|乡))*\p{Script=Han}{1,5}(?:路|街|大道|大街|巷|胡同)\s*(?:[一二三四五六七八九十\d]+段)?\s*\d+\s*(?:弄\s*\d+\s*)?[号號](?:\d+号楼|\d+栋|\d+幢|\d+单元|\d+楼|\d+层)*(?:\d+室)?|\p{Script=Han}{2,8}(?:小区|花园|公寓|大厦|新村|苑)\d+(?:号楼|栋|幢)(?:\d+单元)?(?:\d+室?)?/gu,
    group: 0,
    priority: 6,
  },
];

function candidates(t: string): (Span & { priority: number })[] {
  const out: (Span & { priority: number })[] = [];
  for (const r of RULES) {
    for (const m of t.matchAll(r.re)) {
      let value: string | undefined;
      if (r.group === -1) value = m[1] ?? m[2];
      else value = m[r.group];
      if (value === undefined) continue;
      if (r.check && !r.check(value.trim())) continue;
      let start = m.index + m[0].lastIndexOf(value);
      // 住在/家住 before a street name belong to the sentence, not to the address.
      const lead =
        r.type === "ADDRESS"
          ? /^\p{Script=Han}{0,4}?(?:住在|家住|住址|地址|位于|搬到|住|在)(?=\p{Script=Han}{2})/u.exec(value)
          : null;
      if (lead) {
        start += lead[0].length;
        value = value.slice(lead[0].length);
      }
      out.push({ start, end: start + value.length, type: r.type, priority: r.priority });
    }
  }
  for (const n of findNames(t)) out.push({ ...n, priority: 4 });
  return out;
}

type Candidate = Span & { priority: number };

/** Overlapping candidates: the higher priority wins, then the longer span. */
function resolve(text: string, cands: Candidate[]): { redacted: Redacted; spans: Span[] } {
  cands.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start));
  const kept: Span[] = [];
  for (const c of cands)
    if (!kept.some((k) => c.start < k.end && c.end > k.start)) kept.push({ start: c.start, end: c.end, type: c.type });
  kept.sort((a, b) => a.start - b.start);
  let out = "";
  let pos = 0;
  for (const s of kept) {
    out += `${text.slice(pos, s.start)}[${s.type}]`;
    pos = s.end;
  }
  out += text.slice(pos);
  // The only place a Redacted is minted: the text has been through every PHI rule above.
  return { redacted: out as Redacted, spans: kept };
}

export function redact(text: string): { redacted: Redacted; spans: { start: number; end: number; type: string }[] } {
  return resolve(text, candidates(fold(text)));
}

/**
 * Redacts the messages of one conversation together: a name found in any of them (after a cue,
 * or from the gazetteers) is redacted in all of them — "我叫欧阳秀英" in the first message
 * makes "欧阳秀英脚上起了水泡" in a later one a name too, with no cue there.
 */
export function redactAll(texts: readonly string[]): { redacted: Redacted; spans: Span[] }[] {
  const folded = texts.map((t) => fold(t));
  const cands = folded.map((t) => candidates(t));
  const terms = new Set<string>();
  folded.forEach((t, i) => {
    for (const term of nameTerms(t, cands[i] ?? [])) terms.add(term);
  });
  return texts.map((text, i) => {
    const own = cands[i] ?? [];
    const more = spreadTerms(folded[i] ?? "", terms, own).map((s) => ({ ...s, priority: 4 }));
    return resolve(text, [...own, ...more]);
  });
}
