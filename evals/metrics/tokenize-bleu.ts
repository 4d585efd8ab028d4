/**
 * sacrebleu's tokenizers ported to TypeScript so our BLEU numbers are comparable with
 * published ones (the paper reports sacrebleu-style BLEU-4). Each regex mirrors
 * sacrebleu 2.x `tokenizers/tokenizer_*.py`; departures from JS/Python regex semantics are
 * noted where they matter.
 */

export type BleuTokenizer = "13a" | "none" | "char" | "intl" | "zh";

/**
 * Python's `str.split()` with no argument splits on Unicode whitespace, which is a different set
 * from JS `\s` (Python includes U+001C–U+001F and U+0085; JS includes U+FEFF). Tokens must
 * match sacrebleu's, so we spell Python's set out.
 */
const PY_WS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_WS_RUN = new RegExp(`[${PY_WS}]+`, "u");
const PY_WS_TRAIL = new RegExp(`[${PY_WS}]+$`, "u");
const PY_WS_LEAD = new RegExp(`^[${PY_WS}]+`, "u");

/** `s.split()` in Python: whitespace runs separate, empty strings dropped. */
export function pySplit(s: string): string[] {
  return s.split(PY_WS_RUN).filter((t) => t.length > 0);
}
export function pyRstrip(s: string): string {
  return s.replace(PY_WS_TRAIL, "");
}
export function pyStrip(s: string): string {
  return s.replace(PY_WS_LEAD, "").replace(PY_WS_TRAIL, "");
}

// TokenizerRegexp: the language-dependent part of mteval-v13a.
const RE_13A: ReadonlyArray<readonly [RegExp, string]> = [
  // ranges {-~, [-`, space-&, (-+, :-@ and / — every ASCII punctuation except ' , . -
  [/([{-~[-` -&(-+:-@/])/g, " $1 "],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/g, "$1 $2 "],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/g, " $1 $2"],
  // dash when preceded by a digit
  [/([0-9])(-)/g, "$1 $2 "],
];

function regexpTokenize(line: string): string {
  let out = line;
  for (const [re, repl] of RE_13A) out = out.replace(re, repl);
  return pySplit(out).join(" ");
}

export function tokenize13a(line: string): string {
  let s = line.replaceAll("<skipped>", "").replaceAll("-\n", "").replaceAll("\n", " ");
  if (s.includes("&")) {
    s = s.replaceAll("&quot;", '"').replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
  }
  return regexpTokenize(` ${s} `);
}

// tokenizer_intl (mteval-v14 international): Unicode punctuation/symbol classes.
const RE_INTL: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, "$1 $2 "],
  [/(\p{P})(\P{N})/gu, " $1 $2"],
  [/(\p{S})/gu, " $1 "],
];

export function tokenizeIntl(line: string): string {
  let out = line;
  for (const [re, repl] of RE_INTL) out = out.replace(re, repl);
  return pySplit(out).join(" ");
}

/** tokenizer_char: every code point is a token (whitespace vanishes in the later split). */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(" ");
}

/**
 * sacrebleu's `_UCODE_RANGES` compared as Python strings. Two entries were written as
 * '\u20000' and '\u2f800', which Python reads as a 4-hex escape plus a literal digit, so the
 * string comparison `start <= ch <= end` really covers U+2001–U+2A6D and U+2F81–U+2FA1 (and not
 * CJK Extension B). We reproduce that so Chinese BLEU matches sacrebleu's exactly.
 */
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // '\u20000'..'\u2a6d6' as string comparison
  [0x2f81, 0x2fa1], // '\u2f800'..'\u2fa1d' as string comparison
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

export function isSacrebleuChineseChar(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  // A supplementary-plane character compares greater than every range end above.
  return ZH_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/** tokenizer_zh: isolate each Chinese character, then 13a's regex part on the rest. */
export function tokenizeZh(line: string): string {
  let chars = "";
  for (const ch of pyStrip(line)) chars += isSacrebleuChineseChar(ch) ? ` ${ch} ` : ch;
  return regexpTokenize(chars);
}

export function bleuTokenize(line: string, tokenizer: BleuTokenizer): string {
  switch (tokenizer) {
    case "13a":
      return tokenize13a(line);
    case "none":
      return line;
    case "char":
      return tokenizeChar(line);
    case "intl":
      return tokenizeIntl(line);
    case "zh":
      return tokenizeZh(line);
  }
}
