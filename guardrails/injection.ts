/**
 * Prompt-injection detection for patient messages and retrieved passages. The text is
 * de-obfuscated first (NFKC full-width folding, zero-width removal, leetspeak, letter
 * spacing "i g n o r e", base64 payloads) and then matched against English and Chinese
 * patterns. Detection only flags: it never changes what the pipeline does with the message.
 */
import { normalizeForMatch } from "./text/normalize.js";

const LEET: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
};

/** Variants of the text an attacker may hide instructions in. */
export function deobfuscate(text: string): string[] {
  const base = normalizeForMatch(text);
  const leet = base.replace(/[0134579@$!|]/g, (c) => LEET[c] ?? c);
  // "i g n o r e  p r e v i o u s" → "ignore previous": join runs of single letters.
  const unspaced = (s: string) => s.replace(/\b(?:[a-z][ ._\-*]){2,}[a-z]\b/g, (m) => m.replace(/[ ._\-*]/g, ""));
  const squeezed = base.replace(/[\s._\-*]+/g, "");
  const variants = [base, leet, unspaced(base), unspaced(leet), squeezed];
  for (const m of text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) {
    const decoded = Buffer.from(m[0], "base64").toString("utf8");
    // Only keep decodings that are mostly printable text.
    if (/^[\x20-\x7e\s\u4e00-\u9fff]+$/.test(decoded)) variants.push(normalizeForMatch(decoded));
  }
  return variants;
}

interface Pattern {
  re: RegExp;
  /** Fires only when the same sentence addresses the assistant: "no restrictions" and "扮演…角色" are ordinary prose otherwise. */
  addressed?: boolean;
}

const ADDRESSEE_EN =
  /\byou\b|\byour\b|\byourself\b|\bassistant\b|\bai\b|\bbot\b|\bmodel\b|\bchatbot\b|\bgpt\b|\banswer\b|\brespond\b|\breply\b/;
const ADDRESSEE_ZH = /你|您|助手|机器人|模型|ai|回答|回复|从现在开始|接下来/;

const PATTERNS: Pattern[] = [
  {
    re: /(?:ignore|disregard|forget|override|bypass)\s*(?:all|any|the|your|my|these|those)?\s*(?:previous|prior|above|earlier|preceding|initial|original|system|safety|existing)?\s*(?:instructions?|rules?|prompts?|guidelines?|directions?|directives?|guardrails?|constraints?|polic(?:y|ies)|restrictions?)/,
  },
  { re: /ignore(?:all)?previous|ignoreallinstructions|disregardprevious/ },
  {
    re: /\byou are now\b|\bfrom now on,? you\b|(?:\byou|\bplease|^|[.!?:]\s*)\s*(?:now\s+)?act as (?:a|an|my|if)\b|\bpretend (?:to be|you are|you're|that you)|\bdeveloper mode\b|\bdan mode\b|\byou are dan\b|\bjailbreak/,
  },
  {
    re: /\brole-?play|\bno (?:rules|restrictions|filters|limits)\b|\bwithout (?:any )?(?:rules|restrictions|filters|safety)\b/,
    addressed: true,
  },
  {
    re: /\bsystem prompt\b|\breveal (?:your|the) (?:prompt|instructions|rules)|\bprint (?:your|the) (?:prompt|instructions)|\bnew instructions?\s*:|<\s*\/?\s*system\s*>|\[\s*system\s*\]|###\s*(?:system|instruction)/,
  },
  {
    re: /(?:decode|base64|rot13)[^.\n]{0,40}(?:and|then)?\s*(?:execute|run|follow|do|obey)|(?:execute|follow|obey|run) (?:the )?(?:decoded|following (?:hidden )?instructions)/,
  },
  {
    re: /(?:忽略|无视|忘记|忘掉|不要理会|别管|跳过|绕过|覆盖)[^。！？\n]{0,8}(?:规则|指令|指示|提示词?|设定|限制|要求|约束|安全)/,
  },
  { re: /你现在是|从现在开始你|假装你是|假设你是|角色扮演|系统提示|开发者模式|越狱/ },
  // 扮演 is "plays (a role)" in ordinary prose (胰岛素扮演着重要角色); an instruction tells the assistant to play someone.
  {
    re: /(?:你|您|请)[^。！？\n]{0,6}扮演(?!着)|扮演(?:一个|一名|一位|成)(?![^。！？\n]{0,12}(?:重要|关键|核心|主要)(?:的)?角色)/,
  },
  { re: /没有任何限制|不受(?:任何)?限制/, addressed: true },
  { re: /(?:解码|base64)[^。！？\n]{0,20}(?:执行|运行|照做|遵循)/ },
];

function addressed(v: string, at: number): boolean {
  const start = Math.max(0, v.slice(0, at).search(/[^.!?。！？\n]*$/));
  const endRel = v.slice(at).search(/[.!?。！？\n]/);
  const sentence = v.slice(start, endRel < 0 ? v.length : at + endRel);
  return ADDRESSEE_EN.test(sentence) || ADDRESSEE_ZH.test(sentence);
}

export function detectInjection(text: string): { flagged: boolean; evidence: string[] } {
  const evidence: string[] = [];
  for (const v of deobfuscate(text)) {
    for (const p of PATTERNS) {
      const m = p.re.exec(v);
      if (!m || (p.addressed && !addressed(v, m.index))) continue;
      if (!evidence.includes(m[0])) evidence.push(m[0]);
    }
  }
  return { flagged: evidence.length > 0, evidence };
}
