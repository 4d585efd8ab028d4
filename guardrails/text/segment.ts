/**
 * Sentence and clause splitting, plus Chinese word segmentation with jieba.
 * The jieba dictionary is pure data; it is loaded once, lazily, on first use (a few ms) so
 * importing guardrails stays cheap and every function remains deterministic.
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Words of a Chinese (or mixed) string, HMM on so unseen names and terms stay whole. */
export function cutWords(text: string): string[] {
  return segmenter().cut(text, true);
}

export interface TaggedWord {
  word: string;
  tag: string;
}
/** Words with part-of-speech tags ("nr" = person name). */
export function tagWords(text: string): TaggedWord[] {
  return segmenter().tag(text, true);
}

export interface Piece {
  text: string;
  start: number;
  end: number;
}

function splitBy(text: string, re: RegExp): Piece[] {
  const out: Piece[] = [];
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    if (text.slice(start, end).trim()) out.push({ text: text.slice(start, end), start, end });
    start = end;
  }
  if (text.slice(start).trim()) out.push({ text: text.slice(start), start, end: text.length });
  return out;
}

/** Sentences end at . ! ? 。！？ ; ； or a newline (a decimal point is not a sentence end). */
export function sentences(text: string): Piece[] {
  return splitBy(text, /(?<!\d)\.(?!\d)|[!?。！？;；\n]+/g);
}

/**
 * Clauses: sentences further cut at commas and at contrastive conjunctions, which is where
 * negation ("no chest pain, but…") and history ("DKA two years ago, now…") stop applying.
 */
export function clauses(text: string): Piece[] {
  // WeChat-style Chinese writes a space where a comma goes ("突然抽搐 口吐白沫 以前从没这样").
  return splitBy(
    text,
    /(?<!\d)\.(?!\d)|[!?。！？;；\n,，]+|\s(?:but|however|although|though)\s|(?<=\p{Script=Han})\s+(?=\p{Script=Han})|但是|但|不过|可是/gu,
  );
}

/** The sentence containing offset `at`, if any (offsets between sentences belong to none). */
export function sentenceAt(text: string, at: number): Piece | undefined {
  return sentences(text).find((p) => at >= p.start && at < p.end);
}

/** The clause containing offset `at`. */
export function clauseAt(text: string, at: number): Piece {
  for (const c of clauses(text)) if (at >= c.start && at < c.end) return c;
  return { text, start: 0, end: text.length };
}
