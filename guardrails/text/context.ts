/**
 * Whether a matched red-flag phrase is asserted now, about a real person: negated
 * ("no chest pain", 没有胸痛), past history ("had DKA two years ago", 三年前得过),
 * hypothetical or educational ("how do I treat a low next time", 酮症酸中毒有什么症状)
 * phrases must not fire; third-party reports ("my mother passed out", 我妈晕倒了) must.
 * All functions take the normalised (lower-case) text and the match offset.
 */
import { clauseAt, clauses, cutWords, sentenceAt } from "./segment.js";
import { parseZhNumber, ZH_NUMBER_RE } from "./zh-numerals.js";

const EN_NEGATION =
  /\b(?:no|not|never|without|denies|denied|deny|none|nor|free of|negative for|don'?t have|doesn'?t have|didn'?t have|haven'?t had|hasn'?t had|no sign of|no signs of|isn'?t|wasn'?t|aren'?t)\b[^.]*$/;
const ZH_NEGATORS = new Set(["没有", "没", "无", "不是", "未", "否认", "并没有", "并无", "不", "没什么", "没啥", "未见", "排除"]);

/** The head of a negated list: "no lip, tongue or throat swelling", "with no chest pain, breathlessness, dizziness or fainting". */
const EN_LIST_HEAD = /^\s*(?:and |with |but |, )?(?:no|not|without|denies|denied|negative for|nil|free of|never)\b/;
const EN_LIST_BREAK =
  /\b(?:i|i'?m|i'?ve|he|she|they|we|my|his|her|their|now|but|since|started|began|begun|came|comes|has|have|had|is|was|are|were|got|feel|feels|felt|today|yesterday|ago|then|suddenly|also)\b|\d/;

/** A match inside a comma list whose head is negated, and the list ends with "or"/"nor" (so it is one list). */
function inNegatedList(text: string, at: number): boolean {
  const sentence = sentenceAt(text, at);
  if (!sentence) return false;
  const items = clauses(sentence.text).map((c) => ({ ...c, start: c.start + sentence.start, end: c.end + sentence.start }));
  const j = items.findIndex((c) => at >= c.start && at < c.end);
  if (j <= 0) return false;
  const listy = (s: string) => s.trim().split(/\s+/).length <= 5 && !EN_LIST_BREAK.test(s);
  let i = j;
  while (i > 0 && listy(text.slice(items[i]?.start ?? 0, items[i]?.end ?? 0))) {
    const prev = items[i - 1];
    if (!prev) return false;
    const head = text.slice(prev.start, prev.end);
    if (EN_LIST_HEAD.test(head) || /\b(?:no|without|denies)\b/.test(head.trim().split(/\s+/).slice(0, 3).join(" "))) {
      // The list must close with "or"/"nor" somewhere from the match's item to the end of the run.
      for (let k = j; k < items.length; k++) {
        const seg = text.slice(items[k]?.start ?? 0, items[k]?.end ?? 0);
        if (/\b(?:or|nor)\b/.test(seg)) return true;
        if (!listy(seg)) break;
      }
      return false;
    }
    i--;
  }
  return false;
}

/** 无发热、呕吐、肢体无力或视物模糊: a Chinese negator heads a 、-list that runs up to the match. */
const ZH_LIST_NEG = /(?:没有|无|否认|未见|未|不伴|没)([^，。,；;！？!?\s]{0,24})$/;

/** Negated if a negator precedes the match in the same clause (English: ≤ 6 words; Chinese: ≤ 4 jieba words). */
export function isNegated(text: string, at: number): boolean {
  if (inNegatedList(text, at)) return true;
  const clause = clauseAt(text, at);
  const before = text.slice(clause.start, at);
  const words = before.trim().split(/\s+/).slice(-6).join(" ");
  if (EN_NEGATION.test(words)) return true;
  if (!/\p{Script=Han}/u.test(before)) return false;
  const list = ZH_LIST_NEG.exec(before);
  if (list && /[、和或及]/.test(list[1] ?? "") && !/但|却|现在|突然|后来/.test(list[1] ?? "")) return true;
  const toks = cutWords(before).filter((w) => w.trim() !== "");
  return toks.slice(-4).some((w) => ZH_NEGATORS.has(w));
}

const HISTORY =
  /\b(?:(?:\d+|a|one|two|three|four|five|six|several|a few|few|many)\s+(?:years?|months?)\s+ago|years ago|last year|back in|in (?:19|20)\d\d|used to|history of|hx of|previously|in the past|once had|when i was (?:a )?(?:kid|child|young)|as a child)\b|(?:\d+|[一二三四五六七八九十两几]+)年前|去年|前年|以前|曾经|曾|得过|有过|过一次|病史|既往|小时候|年轻时/;

/**
 * A present-tense turn: the background before it (a history of hypertension, diabetes for 15 years,
 * 既往高血压) does not reach the finding after it ("…presents with crushing chest pain", 今天突然胸痛).
 * Clinical vignettes put the comorbidities and the presenting complaint in one clause.
 */
export const PRESENT_TURN =
  /\b(?:now|presents?|presenting|presented|today|tonight|this (?:morning|afternoon|evening)|currently|again|(?:has |have )?developed|developing|is having|are having|came in with|brought in with|suddenly|but)\b|今天|今日|现在|目前|突然|突发|刚才|刚刚|又|今晨|今早|本次|此次|这次/;

/** Whether a present-tense turn sits between a background marker ending at `from` and the finding at `to`. */
export function presentTurnBetween(text: string, from: number, to: number): boolean {
  return from <= to && PRESENT_TURN.test(text.slice(from, to));
}

/**
 * Past history in the same clause ("I had DKA two years ago"; 三年前得过酮症酸中毒) — unless the
 * history sits before the finding with a present-tense turn between them ("with a history of
 * hypertension presents with chest pain"; "previously had a stroke and now has weakness").
 */
export function isHistory(text: string, at: number): boolean {
  const clause = clauseAt(text, at);
  const rel = at - clause.start;
  for (const m of clause.text.matchAll(new RegExp(HISTORY.source, "g"))) {
    const end = m.index + m[0].length;
    if (end <= rel && presentTurnBetween(clause.text, end, rel)) continue;
    return true;
  }
  return false;
}

// 以后 is "in future" at the head of a clause or before a modal (以后会/要/再…), but "after" in
// 吃了花生以后喉咙肿了 ("after eating peanuts my throat swelled"), which is not hypothetical.
const HYPOTHETICAL_BEFORE =
  /\b(?:if|whenever|in case|what if|suppose|supposing|should i ever|next time|in future|in the future)\b|如果|万一|要是|假如|假设|^\s*(?:我|你|他|她|咱们?|我们)?以后|以后(?=(?:如果|万一|要是)|[^，。,；;]{0,3}(?:会|要|再|还|可能|该|怎么))|下次|将来|的话/;
const EDUCATION =
  /\b(?:what (?:are|is) (?:the )?(?:signs?|symptoms?|side effects?|causes?|risks?)|(?<!\b(?:showing|shows|show|has|have|having|had|with|got|displaying|developed|developing) (?:some |the |all the |early |clear |obvious )?)(?:signs?|symptoms?) of|side effects?|how (?:do|can|should|would|to) (?:i |we |you |one |people )?(?:treat|handle|manage|prevent|recognize|recognise|tell|know|check|avoid|use|give|inject|store|get)|what (?:should|do|would) (?:i|we|you) do if|is it true|i read|i heard|i've read|does .{1,30} cause|can .{1,20} cause|what does .{1,30} mean|tips for|learn about|explain|can (?:you|one|people|someone|anyone|a person) (?:get|develop|have)|is it possible to (?:get|develop|have))\b|(?:有|会有)?(?:什么|哪些)(?:征兆|前兆|信号|表现)|有什么症状|什么症状|有哪些症状|是什么|是真的吗|听说|会不会|怎么预防|如何预防|怎么办的|副作用|了解一下|有哪些|科普|怎么判断|什么表现|表现是什么|容易[^，。,]{0,8}吗|正常范围|正常值|标准是多少|(?:想|先)?(?:提前)?(?:学|了解|知道)一下|提前学|(?:应该|要)怎么急救|急救(?:方法|措施|知识)/;

/** A question about a term, not a person: "what is type 1 diabetes?", "非酮症高渗性昏迷是怎么回事". */
const DEFINITIONAL_EN =
  /^\s*(?:(?:so|and|also|ok|okay|hi|hello|doctor|dr)[, ]+)?(?:what(?:'s| is| are| does| do| causes?)|whats|why (?:do|does|is|are|would|might|can|could|will)|how (?:does|do|is|are|common|serious|dangerous|long does)|can you (?:explain|tell me (?:about|what))|tell me about|is (?:a |an )?[a-z0-9' -]{2,40} (?:always|ever|usually|a sign|dangerous|serious|curable|contagious|hereditary|genetic|common|preventable|reversible|the same as)|does [a-z0-9' -]{2,40} (?:always|usually) mean|(?:i'?d|i would) like to (?:learn|know) (?:about|what|how)|what (?:number|level|reading|value|figure)s? (?:counts?|is considered|are considered|is classed|means?))\b/;
const DEFINITIONAL_ZH =
  /(?:是什么|是怎么回事|怎么回事|什么意思|是什么病|是啥|啥意思|怎么治疗|如何治疗|怎么治|能治好吗|能根治吗|会遗传吗|严重吗|危险吗|有什么危害|有哪些危害|的原因是什么|是怎么引起的|怎么引起|为什么会|指的是什么|和[^，。,？?]{1,12}(?:有什么)?区别|是不是[^，。,？?]{0,14}(?:的)?(?:表现|症状|征兆|前兆|信号)(?:吗|呢)?|想(?:提前)?(?:学|了解|知道)一下|科普一下)\s*[？?。.!！]*\s*$/;
const PERSONAL_OR_NOW =
  /\b(?:i|i'?m|i'?ve|me|my|mine|we|our|us|he|she|him|his|her|hers|they|them|their|mom|mum|dad|son|daughter|husband|wife|baby|child|kid|grandma|grandpa|granny|gran|nan|nana|grandad|granddad|grandmother|grandfather|brother|sister|friend|partner|boyfriend|girlfriend|fianc[eé]e?|flatmate|roommate|housemate|colleague|coworker|co-worker|neighbou?r|uncle|aunt|auntie|cousin|nephew|niece|father|mother|toddler|newborn|now|today|tonight|yesterday|this morning|suddenly|just|currently|right now)\b|我|咱|俺|他|她|妈|爸|老公|老婆|孩子|宝宝|儿子|女儿|爷爷|奶奶|外公|外婆|姥姥|姥爷|老伴|婆婆|公公|丈夫|妻子|爱人|媳妇|女婿|哥哥|弟弟|姐姐|妹妹|朋友|同事|室友|邻居|叔叔|阿姨|舅舅|姑姑|岳父|岳母|家人|孙子|孙女|闺女|老人家|患儿|现在|今天|昨天|刚才|刚刚|突然|一直|目前|正在|这几天|最近/;

/**
 * A Chinese question led by its question word or asking whether one thing causes another:
 * 为什么会吐血？ 低血糖会引起抽搐吗？ 什么是酮症酸中毒？
 */
const DEFINITIONAL_ZH_LEAD =
  /^(?:请问|想问一下|想问|医生)?[，,\s]*(?:为什么(?:会)?|为啥(?:会)?|怎么会|什么是|什么叫|哪些(?:人|情况))|会(?:引起|导致|造成|诱发|引发)[^，。,；;]{1,16}(?:吗|么|嘛)\s*[？?。.!！]*\s*$/;

/**
 * A trailing 严重吗 / 怎么回事 / 是什么 asks about a term only when what precedes it is one bare term
 * ("非酮症高渗性昏迷是怎么回事"); after a report of findings — several clauses, a number, a 了 — it is a
 * worried question about that report ("胸口像压了块大石头 喘不过气 出冷汗 严重吗").
 */
function zhTermQuestion(s: string): boolean {
  const m = DEFINITIONAL_ZH.exec(s);
  if (!m) return false;
  const head = s.slice(0, m.index).trim();
  return clauses(head).length <= 1 && !/\d|了|着|得|[，,、\s]/.test(head);
}

export function isDefinitional(sentence: string): boolean {
  const s = sentence.trim();
  if (PERSONAL_OR_NOW.test(s)) return false;
  return DEFINITIONAL_EN.test(s) || zhTermQuestion(s) || DEFINITIONAL_ZH_LEAD.test(s);
}

/** Hypothetical or educational framing of the clause/sentence around the match. */
export function isHypothetical(text: string, at: number): boolean {
  const clause = clauseAt(text, at);
  if (HYPOTHETICAL_BEFORE.test(text.slice(clause.start, at + 1))) return true;
  if (EDUCATION.test(clause.text)) return true;
  const sentence = sentenceAt(text, at);
  return sentence !== undefined && isDefinitional(sentence.text);
}

const ELDERLY =
  /grandma|grandpa|grandmother|grandfather|elderly|\bold (?:man|woman|lady)\b|奶奶|爷爷|外婆|外公|姥姥|姥爷|老人|老太太|老爷子|老年/;

/** An elderly subject named in the text, or an explicit age ≥ 65 ("84-year-old", 82岁). */
export function mentionsElderly(text: string): boolean {
  if (ELDERLY.test(text)) return true;
  for (const m of text.matchAll(
    /(\d{2,3})(?:\s*-?\s*(?:years?|yrs?)[\s-]*old|\s*(?:yo|y\/o|yrs?)\b|\s*周?岁)|\bage[ds]?\s*:?\s*(\d{2,3})\b/g,
  ))
    if (Number(m[1] ?? m[2]) >= 65) return true;
  // 八十五了 / 七十多岁 / 今年八十: ages in Chinese numerals.
  for (const m of text.matchAll(ZH_NUMBER_RE)) {
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 3);
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    if (!/^(?:周?岁|多?了|高龄)/.test(after) && !/今年$/.test(before)) continue;
    const v = parseZhNumber(m[0]);
    if (v !== undefined && v >= 65 && v <= 120) return true;
  }
  return false;
}

/** True when the match is asserted as a current fact: not negated, not past history, not hypothetical. */
export function isAsserted(text: string, at: number): boolean {
  return !isNegated(text, at) && !isHistory(text, at) && !isHypothetical(text, at);
}
