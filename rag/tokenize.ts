/**
 * Tokenization shared by BM25 and the offline embedder, so lexical and hashed-dense
 * features agree on what a "term" is. English: lowercase, stopwords, light suffix stemming.
 * Chinese: jieba word segmentation with punctuation and function words dropped.
 */
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

// The jieba dictionary load takes ~0.3 s: create it once, lazily, on the first Chinese text.
let jieba: Jieba | undefined;
function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const EN_STOP = new Set(
  (
    "a an and are as at be been being but by can could did do does doing for from had has have having how i if in " +
    "into is it its itself me my of on or our so such than that the their them then there these they this those to " +
    "too was we were what when where which while who whom why will with would you your yours about above after " +
    "again against all am any because before below between both down during each few further here just more most " +
    "no nor not now off once only other out over own same should some very up under until s t don shall may might " +
    "must also get gets got do's what's"
  ).split(" "),
);

// Function words and question particles; medical words (血糖, 胰岛素…) are never here.
const ZH_STOP = new Set(
  "的 了 是 在 和 与 及 或 我 你 他 她 它 我们 你们 他们 有 吗 呢 吧 啊 呀 么 什么 怎么 怎么办 如何 为什么 哪些 这 那 这个 那个 一个 就 都 也 还 要 会 能 可以 应该 被 把 对 从 到 给 让 很 更 最 请问 您好 你好 谢谢".split(
    " ",
  ),
);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUNS = /[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+/g;
const WORD = /[\p{L}\p{N}]+(?:[.'-][\p{L}\p{N}]+)*/gu;

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** Light English stemmer (S-stemmer plus -ing/-ed): cheap, predictable, symmetric for query and document. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("ly") && w.length > 5) w = w.slice(0, -2);
  return w;
}

function englishTokens(text: string, out: string[]): void {
  for (const m of text.toLowerCase().matchAll(WORD)) {
    // Dots survive only inside numbers ("7.5" mg), so "e.g." and "first-line" collapse to one term.
    const raw = m[0]
      .replace(/'s$/, "")
      .replace(/['-]/g, "")
      .replace(/(?<!\d)\.|\.(?!\d)/g, "");
    if (raw === "" || EN_STOP.has(raw)) continue;
    if (raw.length === 1 && !/\d/.test(raw)) continue;
    out.push(stem(raw));
  }
}

function chineseTokens(run: string, out: string[]): void {
  for (const w of getJieba().cut(run, true)) {
    if (!CJK.test(w) || ZH_STOP.has(w)) continue;
    out.push(w);
  }
}

/** Terms for BM25 and the offline embedder, in text order (duplicates kept: they carry tf). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  if (!hasCjk(text)) {
    englishTokens(text, out);
    return out;
  }
  for (const m of text.matchAll(CJK_RUNS)) {
    if (CJK.test(m[0])) chineseTokens(m[0], out);
    else englishTokens(m[0], out);
  }
  return out;
}

/** Overlapping character bigrams of the CJK runs: robust to segmentation mistakes and synonyms sharing characters. */
export function cjkBigrams(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+/g)) {
    const run = m[0];
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}
