/**
 * Personal names for PHI redaction, in English and Chinese. Three kinds of evidence:
 * - a cue (我叫/姓名/患者：/先生/女士, "my name is", "patient:", Dr./Mr./Mrs. — also before bare
 *   initials: "Mr. E", "Dr K.");
 * - the gazetteers (guardrails/data/names): a run of capitalised words with at least one listed,
 *   unambiguous name ("Mary Wang has…", "Siobhan O'Brien"), a Chinese surname with given-name
 *   characters that jieba reads as a name or an unseen word ("张伟血糖高", "欧阳娜娜");
 * - name position for a single word: a possessive ("Tom's sugar"), a person's verb ("Grace
 *   called"), a greeting or a relative ("Thanks, Olivia", "my son Dylan").
 * Names that are also everyday words (Will, May, Mark, Grace, Hope, Bill, Brown) count only in
 * name position; 谢谢, 麻醉, 医生, 您好 are never names. A name found once is redacted at every
 * later mention (spreadNames), also across the messages of one conversation (see phi.ts).
 */
import { findDrug, mentionedDrugs } from "./meds/formulary.js";
import {
  famousInContext,
  isEponym,
  isGivenName,
  isOrgWord,
  isPinyinGiven,
  isSurname,
  isZhGivenChar,
  nameShaped,
  orgPhraseIn,
  PINYIN_ENGLISH,
  PINYIN_SURNAMES,
  strength,
  ZH_COMPOUND,
  ZH_NOT_NAMES,
  zhSurnameLen,
} from "./phi-gazetteer.js";
import { type TaggedWord, tagWords } from "./text/segment.js";

export interface Span {
  start: number;
  end: number;
  type: string;
}

const surnameLen = zhSurnameLen;
const NAME_TAG = /^(?:nr|nrfg|nrt|x)$/;

const ZH_CUE =
  /我叫|我是|我姓|名叫|叫做|姓名\s*[:：]?\s*|患者\s*[:：]\s*|病人\s*[:：]\s*|联系人\s*[:：]?\s*|[，,]\s*叫|女儿|儿子|老公|老婆|丈夫|妻子|爱人|转告|告诉|通知/g;
/** Weak cues: a name is taken only if jieba agrees it is one (strict mode). */
const ZH_WEAK_CUE =
  /(?:患者|病人|病患|家属)\s*|(?:爸|妈|爷爷|奶奶|外公|外婆|老公|老婆|丈夫|妻子|爱人|儿子|女儿|孩子|朋友|哥|姐|弟|妹|父亲|母亲)(?:名字)?叫\s*|名字(?:是|叫)\s*|(?<![\p{Script=Han}])(?:他|她)(?:的名字)?叫\s*/gu;

/** A Han name standing alone before sex or age: "张伟 男 62岁", "陈建国，男，70岁". */
const ZH_DEMOGRAPHIC = /(?<![\p{Script=Han}])(\p{Script=Han}{2,4})(?=[\s，,、]*(?:[男女](?:性)?(?:[\s，,、]|$)|\d{1,3}\s*岁))/gu;

/**
 * "Zhang Wei, 62F", "Mary Johnson (DOB …)", "John Smith 58 yo male" at the start of a sentence,
 * a field ("present illness: Zhang Wei, 62F") or a list item.
 */
const EN_DEMOGRAPHIC =
  /(?:^|[\n.;!?:]\s*|^\s*[-*•]\s+)(?:(?:Pt|PT|Patient|Mr|Mrs|Ms|Dr)\.?:?\s+)?([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})(?=\s*[,(]?\s*(?:\d{1,3}\s*(?:[MFmf]\b|y\/?o\b|yrs?\b|years?\b|-year)|(?<=,\s*)\d{1,3}\s*,(?!\d)|(?:[Mm]ale|[Ff]emale|[Mm]an|[Ww]oman)\b|[Aa]ged?\s*:?\s*\d|(?:DOB|[Dd]ob|D\.O\.B)\b|[Bb]orn\b))/g;

const DRUG_OR_TERM = (w: string) => findDrug(w) !== undefined;

const ZH_TITLE =
  /(先生|女士|小姐|太太|医生|大夫|护士|老师|阿姨|叔叔|主任|奶奶|爷爷|大爷|大妈|大娘|大叔|大姐|阿婆|伯伯|师傅|教授|院长|经理|局长|处长|科长|厂长|校长|书记|老板|总(?![是共计量体胆数额结和之而算的总])|(?:哥|姐|叔|姨|婶|伯|嫂)(?![哥姐叔姨婶伯嫂妹们夫]))/g;

/** Roles that end in a title word: the character before it is not a surname (班主任, 副主任). */
const ZH_ROLE_WORDS = /^(?:班主任|科主任|副主任|系主任|车主任|副教授|副院长|老师傅|师老师|护士长|牙医生|兽医生|村医生|校医生)/;

const ZH_TITLE_END = new RegExp(`(?:${ZH_TITLE.source.slice(1, -1)})$`);

/** Given-name characters at the start of `s`, at most `max`. */
function givenRun(s: string, max = 2): number {
  let n = 0;
  while (n < max && n < s.length && isZhGivenChar(s[n] as string)) n++;
  return n;
}

/** What follows a person's name in a patient message: 说, 的, 今天, 血糖, 打, 吃, 问… */
const ZH_ACTS = /^[说问的今昨最血空餐打吃用服在是有也还已都怀测做去来想要糖能会得]/;

/** One-character verbs and prepositions jieba's HMM may glue to the name after them. */
const ZH_LEAD_VERB = new Set([..."帮给跟和叫让请找问替对向被把与同陪带送"]);
/** Taking, buying or eating right before: 吃了, 服用, 喝, 打, 注射, 买, 开了. */
const ZH_TAKEN = /(?:吃了?|服了?|服用|喝了?|打了?|注射|买了?|开了|用了|含服|口服)$/;

/** Compound surnames that are also everyday words (东方 "east", 百里, 第五, 西门 "west gate"). */
const COMPOUND_WORDS = new Set(["东方", "东门", "西门", "南门", "百里", "第五", "公羊", "南宫", "单于"]);

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
    // 我妈叫赵桂兰: jieba cuts 赵 + 桂兰; a surname alone, then given-name characters, after the cue.
    const g = words[1];
    if (w && w.word.length === sl && g && /^\p{Script=Han}{1,2}$/u.test(g.word) && givenRun(g.word) === g.word.length) {
      const name = w.word + g.word;
      if (!ZH_NOT_NAMES.has(name) && !DRUG_OR_TERM(name)) return { start: at, end: at + name.length, type: "NAME" };
    }
    if (!w || !NAME_TAG.test(w.tag) || w.word.length < sl + 1 || w.word.length > 4) return undefined;
    if (DRUG_OR_TERM(w.word) || ZH_NOT_NAMES.has(w.word)) return undefined;
    return { start: at, end: at + w.word.length, type: "NAME" };
  }
  // 老公查出糖尿病: a verb after the cue, not a person called 查出.
  if (/^(?:v|vn|d|p|c|ad)$/.test(words[0]?.tag ?? "") && (words[0]?.word.length ?? 0) >= 2) return undefined;
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
    if (NAME_TAG.test(w.tag) || (len === sl && w.word.length <= 2)) len += w.word.length;
    else break;
  }
  if (len <= sl) len = Math.min(head.length, sl + 2);
  return { start: at, end: at + len, type: "NAME" };
}

/**
 * Chinese names with no cue: jieba cuts the text, and a word that starts with a surname is a
 * name when (a) it is a word jieba has never seen (tag x, where unseen names land: 张伟, 刘洋)
 * followed by given-name characters, (b) it is the surname alone and the next word is given-name
 * characters jieba reads as a name (王 + 秀英), or (c) jieba's dictionary knows it as a person's
 * name and the rest are given-name characters — minus the everyday words of ZH_NOT_NAMES.
 * A compound surname (欧阳, 司马) needs no given-name check: it is rare outside names.
 */
export function zhBareNames(text: string, words: TaggedWord[] = tagWords(text)): Span[] {
  if (!/\p{Script=Han}/u.test(text)) return [];
  const out: Span[] = [];
  let drugs: { start: number; end: number }[] | undefined;
  let pos = 0;
  for (let i = 0; i < words.length; i++) {
    const tok = words[i] as { word: string; tag: string };
    let start = text.indexOf(tok.word, pos);
    if (start < 0) break;
    pos = start + tok.word.length;
    if (!/^\p{Script=Han}+$/u.test(tok.word)) continue;
    let w = tok;
    // jieba's HMM glues a one-character verb to an unseen name: 帮罗志祥 = 帮 + 罗志祥.
    if (w.tag === "x" && w.word.length >= 2 && ZH_LEAD_VERB.has(w.word[0] as string) && surnameLen(w.word.slice(1)) > 0) {
      w = { word: w.word.slice(1), tag: "x" };
      start += 1;
    }
    const sl = surnameLen(text.slice(start, start + 2));
    if (sl === 0) continue;
    // 王先生, 陈医生: the title rule takes the surname and leaves the title readable.
    if (ZH_TITLE_END.test(w.word)) continue;
    // 吃了甘康, 服用…: what follows taking or buying is a medicine or a food, not a person.
    if (ZH_TAKEN.test(text.slice(Math.max(0, start - 3), start))) continue;
    const compound = sl === 2 && !COMPOUND_WORDS.has(w.word.slice(0, 2));
    const next = words[i + 1];
    let len = 0;
    if (
      w.word.length > sl &&
      (w.tag === "x" || /^(?:nr|nrfg|nrt)$/.test(w.tag) || (compound && /^(?:ns|nz)$/.test(w.tag) && w.word.length <= 4))
    ) {
      const rest = w.word.slice(sl);
      // Three or four characters that jieba's dictionary holds as a person (潘长江) are a name as they stand.
      // — when it opens a clause (这段时间 is 这 + 段时间, not a person called 段时间).
      const prevTok = words[i - 1];
      const opens =
        !/\p{Script=Han}/u.test(text[start - 1] ?? "") ||
        ZH_LEAD_VERB.has(text[start - 1] as string) ||
        (prevTok !== undefined && /^(?:t|v)$/.test(prevTok.tag) && prevTok.word.length >= 2 && start === pos - w.word.length);
      const acts = ZH_ACTS.test(text.slice(start + w.word.length, start + w.word.length + 1));
      const known = w.tag !== "x" && ((w.word.length >= 3 && opens && acts) || compound) && rest.length <= 2;
      const g = compound || known ? Math.min(rest.length, 2) : givenRun(rest);
      // Two characters jieba's dictionary calls a person are as often a word (文明, 祝福, 阳光):
      // bare, they count only where a person would stand — opening a clause, before what they did.
      if (w.tag !== "x" && !compound && w.word.length === 2 && !(opens && ZH_ACTS.test(text.slice(start + 2, start + 3))))
        continue;
      // An unseen word may run on past the name (吴敏用 = 吴敏 + 用); a dictionary name may not.
      if (g >= 1 && (w.tag === "x" || g === rest.length) && w.word.length - sl <= (w.tag === "x" ? 3 : 2)) len = sl + g;
    } else if (w.word.length === sl && next && /^\p{Script=Han}{1,3}$/u.test(next.word) && NAME_TAG.test(next.tag)) {
      const g = givenRun(next.word);
      // 上官网查: the surname's second character and what follows are a word (官网), not 上官 + a name.
      const glued = tagWords(w.word.slice(1) + next.word.slice(0, 1))[0];
      const word = glued !== undefined && glued.word.length >= 2 && !/^(?:nr|nrfg|nrt|x)$/.test(glued.tag);
      // A compound surname vouches for what follows only if that reads as a given name (上官网查 does not).
      if ((compound && !word && (g >= 1 || /^nr/.test(next.tag))) || (g === next.word.length && g <= 2))
        len = sl + Math.min(next.word.length, 2);
      // An unseen word after the surname may run on past the name: 王 + 超问 = 王超 + 问.
      else if (next.tag === "x" && g >= 1) len = sl + g;
    }
    if (len === 0) continue;
    // 欧阳明 + 辉: jieba may leave the last given-name character of a compound-surname name alone.
    if (
      sl === 2 &&
      len === 3 &&
      start + len === pos &&
      next?.word.length === 1 &&
      isZhGivenChar(next.word) &&
      !/\p{Script=Han}/u.test(text[start + 4] ?? "")
    )
      len = 4;
    const name = text.slice(start, start + len);
    // 谢谢您 is 谢谢 + 您: no given name holds a pronoun or a particle.
    if (/[您你我他她它们的了吗呢吧啊呀么]/.test(name.slice(sl)) || [...ZH_NOT_NAMES].some((x) => name.startsWith(x))) continue;
    if (ZH_NOT_NAMES.has(w.word) || DRUG_OR_TERM(name)) continue;
    // Inside a drug's name: 吃欧唐静 (欧唐静 is empagliflozin), not a person called 唐静.
    drugs ??= mentionedDrugs(text.toLowerCase());
    if (drugs.some((d) => d.start < start + len && d.end > start)) continue;
    out.push({ start, end: start + len, type: "NAME" });
  }
  return out;
}

/**
 * A given name jieba cut off its surname: 看下田宇航 is 看下田 + 宇航 to jieba, which tags 宇航 as
 * a person. A two-character word tagged as a name, both given-name characters, after a word that
 * ends in a one-character surname, is that surname's given name.
 */
function zhSplitNames(text: string, words: TaggedWord[]): Span[] {
  if (!/\p{Script=Han}/u.test(text)) return [];
  const out: Span[] = [];
  let pos = 0;
  let prevEnd = -1;
  let prev: { word: string; tag: string } | undefined;
  for (const w of words) {
    const start = text.indexOf(w.word, pos);
    if (start < 0) break;
    pos = start + w.word.length;
    if (
      prev &&
      prevEnd === start &&
      /^nr/.test(w.tag) &&
      w.word.length === 2 &&
      givenRun(w.word) === 2 &&
      !ZH_NOT_GIVEN.test(w.word) &&
      prev.word.length >= 2 &&
      /^\p{Script=Han}+$/u.test(prev.word) &&
      surnameLen(prev.word.slice(-1)) === 1 &&
      !/^nr/.test(prev.tag)
    )
      out.push({ start: start - 1, end: start + 2, type: "NAME" });
    prev = w;
    prevEnd = pos;
  }
  return out;
}

/**
 * A three-character Han run standing on its own — between spaces, punctuation, digits or Latin
 * letters, as a name stands in a clinician's note ("赵建华 空腹 9.1", "黎明霞 凌晨血糖") — that is a
 * surname and two given-name characters and not one dictionary word.
 */
function zhStandaloneNames(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/(?<![\p{Script=Han}])\p{Script=Han}{3}(?![\p{Script=Han}])/gu)) {
    const cand = m[0];
    if (surnameLen(cand) !== 1 || givenRun(cand.slice(1)) !== 2 || ZH_NOT_GIVEN.test(cand.slice(1))) continue;
    if (ZH_NOT_NAMES.has(cand.slice(0, 2)) || ZH_NOT_NAMES.has(cand) || DRUG_OR_TERM(cand)) continue;
    // 艾迪生(Addison)病: a transliterated eponym, its original in brackets.
    const orig = /^\s*[(（]\s*(\p{Lu}\p{Ll}+)/u.exec(text.slice(m.index + 3));
    if ((orig?.[1] && isEponym(orig[1])) || /^(?:\s*[(（][^)）]*[)）])?\s*(?:病|综合征)/u.test(text.slice(m.index + 3))) continue;
    const tags = tagWords(cand);
    if (tags.length === 1 && !/^(?:nr|nrfg|nrt|x)$/.test(tags[0]?.tag ?? "")) continue;
    if (tags.some((t) => t.word.length >= 2 && !/^(?:nr|nrfg|nrt|x|n|nz|ns)/.test(t.tag))) continue;
    out.push({ start: m.index, end: m.index + 3, type: "NAME" });
  }
  return out;
}

/**
 * What follows a patient's name that opens a message or clause: a reading, a time word, a verb
 * of reporting, 的 + a personal noun, or sex / age after a comma ("高峰今天空腹7.1", "胡歌 血糖 5.8",
 * "卢小红，妊娠24周", "谭咏麟的身份证…").
 */
const ZH_PERSON_NEXT =
  /^\s*(?:HbA1c|A1c|FBG|BG|eGFR|BMI|TIR|GDM|T[12]DM|血糖|空腹|餐后|糖化|血压|肌酐|尿酸|尿酮|酮体|体重|今天|昨天|昨晚|今早|早上|晚上|最近|今年|这周|上周|这两天|凌晨|中午|下午|晚上|睡前|饭前|饭后|夜里|半夜|说|问|告诉|讲|表示|提到|反映|打电话|来电|自述|出生|怀孕|妊娠|住在|住院|电话|身份证|医保|[，,]\s*(?:身份证|医保|电话|手机|就诊卡|就诊号|住院号|病历号|门诊号)|的\s*(?:血糖|糖化|空腹|血压|体重|肌酐|尿酸|身份证|电话|手机|妈妈|爸爸|母亲|父亲|女儿|儿子|老公|老婆|丈夫|妻子|家属|孩子|化验单|检查|病历|胰岛素|动态血糖)|[，,]\s*(?:[男女][，,\s]|\d{1,3}\s*岁|妊娠|怀孕|[12]型|糖尿病))/;
const ZH_READING_NEXT = /^\s*(?:血糖|空腹|餐后|糖化|血压|肌酐|尿酸|尿酮|酮体|体重)/;
/** What a person did or said lately: 最近, 今天, 说, 来电 (not a reading). */
const ZH_TALK_NEXT = /^\s*(?:最近|今天|昨天|昨晚|今早|这两天|说|问|自述|来电|打电话)/;
/** 的 and what only a person has: 的血糖, 的胰岛素, 的妈妈 (not 的检查 or 的时候). */
const ZH_OWNED_NEXT =
  /^\s*的\s*(?:血糖|糖化|空腹|血压|体重|肌酐|身份证|电话|手机|妈妈|爸爸|母亲|父亲|女儿|儿子|老公|老婆|丈夫|妻子|孩子|化验单|病历|胰岛素|动态血糖)/;
/** Characters no given name holds: pronouns, particles, common verbs and function words. */
const ZH_NOT_GIVEN =
  /[您你我他她它们的了吗呢吧啊呀么是在有和与或不也都就还要会能这那个些么什怎哪每各该从到对把被给让比很太最更再又才已经没无非多少几点时候天年月日号周次岁使于血尿肾胰糖压]/;
/** Pronouns, particles and function words: never inside a given name, whatever the form of address. */
const ZH_FUNCTION_CHARS =
  /[您你我他她它们的了吗呢吧啊呀么是在有和与或不也都就还要会能这那个些什怎哪每各该从到对把被给让比很太最更再又才已经没无非]/;
const ZH_HAS_TITLE = new RegExp(`${ZH_TITLE.source}|[哥姐叔婶姨伯爷奶婆公]`);
/** Where a name may open: the start of a clause, or after a word that introduces a person (患者, 跟, 通知). */
const ZH_OPEN = /(?:^|[\s，,。！？!?；;：:、@（(“"]|患者|病人|病患|家属|跟|和|给|帮|让|请|通知|告诉|转告|看了|看下|查下|问下)$/u;

/** Cue-less Chinese names in name position: opening a clause and followed by what a patient's name is. */
function zhPositionNames(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/\p{Script=Han}{2,}/gu)) {
    // The run may begin with the word that opens the name: 患者高明远, 跟李明说.
    // 请看下田雨萱的化验单, 帮忙查一下王芳的: asking to look someone up.
    const lead =
      /^(?:(?:请|麻烦)?(?:帮忙|帮我)?(?:看|查|问)一?下|患者|病人|病患|家属|跟|和|给|帮|让|请|通知|告诉|转告|看了)/.exec(
        m[0],
      )?.[0] ?? "";
    const at = m.index + lead.length;
    if (!ZH_OPEN.test(text.slice(Math.max(0, at - 2), at))) continue;
    const run = m[0].slice(lead.length);
    const sl = surnameLen(run);
    if (sl === 0) continue;
    for (let len = Math.min(sl + 2, run.length); len >= sl + 1; len--) {
      const cand = run.slice(0, len);
      // 王先生说: the title rule takes the surname and leaves the title readable.
      if (ZH_NOT_GIVEN.test(cand.slice(sl)) || ZH_HAS_TITLE.test(cand) || DRUG_OR_TERM(cand)) continue;
      const after = text.slice(at + len);
      if (!ZH_PERSON_NEXT.test(after)) continue;
      // A word that is also a name (高峰, 朱红, 金星) needs more than a reading after it: 高峰血糖 is "peak glucose".
      if (ZH_NOT_NAMES.has(cand) && ZH_READING_NEXT.test(after)) continue;
      // One dictionary word that is not a person (白天, 黄金, 常规) is that word, not a name.
      const tags = tagWords(cand);
      // 文静的胰岛素泵: a word that is also a given name, owning a person's things, is that person.
      // 高洁最近…: opening the message, before what a person did lately, likewise.
      const owned =
        (ZH_OWNED_NEXT.test(after) || (ZH_TALK_NEXT.test(after) && at === 0)) &&
        givenRun(cand.slice(sl)) === cand.length - sl &&
        !ZH_NOT_NAMES.has(cand);
      if (
        tags.length === 1 &&
        !/^(?:nr|nrfg|nrt|x|nz)$/.test(tags[0]?.tag ?? "") &&
        !(owned && /^(?:n|a)$/.test(tags[0]?.tag ?? ""))
      )
        break;
      // 麻醉前, 谢谢你: an everyday word, then more — not a surname and a given name.
      const head = tags[0];
      if (head && head.word.length > sl && head.word.length < cand.length && !/^(?:nr|nrfg|nrt|x|nz)$/.test(head.tag)) continue;
      // 麻醉前 (jieba calls 麻醉 a person): no given name ends in a place, time or function word.
      if (tags.slice(1).some((t) => /^(?:f|t|m|p|u|c|r|y)/.test(t.tag))) continue;
      if (tags.some((t) => t.word.length >= 2 && /^(?:v|vn|d|p|c|u|r|m|t|f|q|y|a|ad|an|l|i)/.test(t.tag) && !/^n/.test(t.tag)))
        break;
      out.push({ start: at, end: at + len, type: "NAME" });
      break;
    }
  }
  // 志强你好, 晓燕您好: a given name alone, greeted at the head of a message.
  for (const m of text.matchAll(/(?<![\p{Script=Han}])(\p{Script=Han}{2})(?=[，,\s]*[你您]好)/gu)) {
    const name = m[1] ?? "";
    if ([...name].every((c) => isZhGivenChar(c)) && !ZH_NOT_NAMES.has(name))
      out.push({ start: m.index, end: m.index + 2, type: "NAME" });
  }
  return out;
}

/** What may follow a name joined by 和/跟/与/及/同: another conjunct, 都/也/一起, a verb of meeting or speech. */
const ZH_CONJ_NEXT =
  /^\s*(?:[，,、]|[和跟与及]|都|也|一起|一样|一块|同岁|同事|是|见面|碰面|聊|谈|商量|讲|说|告诉|问|打电话|视频|今天|昨天|最近|血糖|空腹|餐后|糖化|的(?:血糖|糖化|化验|情况|病|药))/;
/** Who or when may stand before the conjunction: a pronoun, a kin word, a time word, or a clause start. */
const ZH_CONJ_BEFORE =
  /(?:^|[\s，,。！？!?；;：:、]|[我你他她咱]|我们|他们|她们|[爸妈爷奶公婆夫妻儿女哥姐弟妹]|孩子|同事|朋友|邻居|家人|老伴|周[一二三四五六日天]|昨天|今天|上周|上次|下午|上午|晚上)$/u;

/**
 * A full name after a conjunction in mid-sentence: 他与高建国是同事, 周五和赵一曼见面, 我和何大山讲了 —
 * a surname and one or two characters that are not function words, not one dictionary word, and
 * followed by what a conjunct person is followed by.
 */
function zhConjoinedNames(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/[和跟与及同](?=\p{Script=Han})/gu)) {
    if (!ZH_CONJ_BEFORE.test(text.slice(Math.max(0, m.index - 3), m.index))) continue;
    const at = m.index + 1;
    const run = /^\p{Script=Han}+/u.exec(text.slice(at, at + 8))?.[0] ?? "";
    const sl = surnameLen(run);
    if (sl === 0) continue;
    for (let len = Math.min(sl + 2, run.length); len >= sl + 1; len--) {
      const cand = run.slice(0, len);
      if (ZH_FUNCTION_CHARS.test(cand.slice(sl)) || ZH_HAS_TITLE.test(cand) || DRUG_OR_TERM(cand) || ZH_NOT_NAMES.has(cand))
        continue;
      if (!ZH_CONJ_NEXT.test(text.slice(at + len))) continue;
      const tags = tagWords(cand);
      // 和高血压都…, 跟方便面: one dictionary word that is not a person is that word.
      // 高 + 建国 (or 高建国 read as a place): a surname and given-name characters only still name a
      // person when jieba reads them as a place or cuts the given name off as a word.
      const allGiven = givenRun(cand.slice(sl)) === len - sl;
      if (tags.length === 1 && !/^(?:nr|nrfg|nrt|x|nz)$/.test(tags[0]?.tag ?? "") && !(allGiven && tags[0]?.tag === "ns")) break;
      const given = allGiven && (tags.length === 1 || tags[0]?.word.length === sl);
      if (!given && tags.some((t) => t.word.length >= 2 && /^(?:v|vn|d|p|c|u|r|m|t|f|q|y|a|ad|an|l|i)/.test(t.tag))) break;
      out.push({ start: at, end: at + len, type: "NAME" });
      break;
    }
  }
  return out;
}

/**
 * Uyghur, Kazakh, Tibetan and Mongolian names in Chinese transcription: parts such as 买买提, 阿不都,
 * 古丽, 热合曼, 扎西, 次仁, 卓玛, 格桑, 巴特尔, and two transcribed parts joined by a middle dot
 * (阿依古丽·买买提). The parts are transcriptions, rare in ordinary Chinese.
 */
const ZH_MINORITY_PARTS =
  "阿里木江 阿力木江 阿不力孜 艾合买提 热汗古丽 拉姆 卓嘎 白玛 强巴 丹增 仁青 洛桑 益西 买买提 艾买提 阿不都 阿卜杜 阿布都 热合曼 艾力 艾尼 依明 吐尔逊 吐逊 努尔 玉素甫 吾斯曼 阿依 古丽 娜尔 帕提 迪丽 热依拉 热娜 阿力木 阿迪力 艾克拜尔 买合木提 麦麦提 伊力哈木 克里木 热西提 扎西 次仁 卓玛 格桑 梅朵 顿珠 多吉 央金 德吉 旺堆 旺姆 平措 曲珍 罗布 边巴 索朗 拉巴 达瓦 巴桑 普布 巴特尔 阿木古楞 其其格 图雅 斯琴 乌日娜 额尔敦 朝鲁 孟和 苏和 那日苏 宝音 吉日嘎拉".split(
    " ",
  );
const ZH_MINORITY = new RegExp(`(?:${ZH_MINORITY_PARTS.join("|")})(?:·?(?:${ZH_MINORITY_PARTS.join("|")}))*`, "gu");
const ZH_DOTTED = /\p{Script=Han}{2,6}·\p{Script=Han}{2,6}/gu;

function zhMinorityNames(text: string): Span[] {
  const out: Span[] = [];
  let drugs: { start: number; end: number }[] | undefined;
  for (const m of text.matchAll(ZH_MINORITY)) {
    // 普罗布考 (probucol) holds 罗布: a transcription inside a drug's name is the drug.
    drugs ??= mentionedDrugs(text.toLowerCase());
    if (drugs.some((d) => d.start < m.index + m[0].length && d.end > m.index)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, type: "NAME" });
  }
  for (const m of text.matchAll(ZH_DOTTED)) {
    // 阿依古丽·买买提 — but not the clause before it: 患者阿依古丽·买买提 keeps 患者 readable.
    let start = m.index;
    const cue = /^(?:患者|病人|我叫|我是|姓名|家属)/.exec(m[0]);
    if (cue) start += cue[0].length;
    out.push({ start, end: m.index + m[0].length, type: "NAME" });
  }
  return out;
}

/** 老王 / 小李: the surname after 老 or 小 — when jieba keeps the pair as one word (not 小时, 小于, 老师…). */
const ZH_FAMILIAR_NOT = new Set([
  "小时",
  "小于",
  "老师",
  "小米",
  "小麦",
  "小康",
  "小姐",
  "老年",
  "老化",
  "小便",
  "老公",
  "小心",
  "小孩",
  "老人",
  "小儿",
  "老家",
  "小吃",
]);
function zhFamiliar(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/(?<![\p{Script=Han}])[老小](\p{Script=Han})/gu)) {
    const pair = m[0];
    if (ZH_FAMILIAR_NOT.has(pair) || surnameLen(m[1] ?? "") !== 1) continue;
    const words = tagWords(text.slice(m.index, m.index + 6));
    // jieba keeps 老王 as one word, or cuts 小 + 李 / 小 + 李刚 (the surname opening a name word).
    const split =
      words[0]?.word === pair[0] && words[1]?.word.startsWith(m[1] ?? "") && /^(?:nr|nrfg|nrt|x)$/.test(words[1]?.tag ?? "");
    if (words[0]?.word !== pair && !split) continue;
    // 小李子 is a plum, not little Li: the surname opens an everyday word.
    if ([...ZH_NOT_NAMES].some((w) => w.length >= 2 && text.startsWith(w, m.index + 1))) continue;
    // The whole form of address is redacted: 老王 / 小李 identify as much as the surname.
    out.push({ start: m.index, end: m.index + 2, type: "NAME" });
  }
  // 小芳 / 阿强 / 阿珍: a nickname of 小 or 阿 and one given-name character, standing where a person
  // stands — after a self-introduction, or opening a clause before what a person did or has.
  for (const m of text.matchAll(/([小阿])(\p{Script=Han})/gu)) {
    const pair = m[0];
    const c = m[2] ?? "";
    if (ZH_FAMILIAR_NOT.has(pair) || ZH_NICK_NOT.has(pair) || !isZhGivenChar(c) || ZH_NOT_GIVEN.test(c)) continue;
    // 小明明 / 阿强哥: the character after may double the name or be a kin word; a third Han character
    // that makes a word with the pair (小康家庭, 阿胶糕) is not a nickname.
    const after = text.slice(m.index + 2);
    const before = text.slice(Math.max(0, m.index - 4), m.index);
    const introduced = /(?:我叫|我是|叫做|名叫|叫|是)\s*$/.test(before);
    const acts = ZH_PERSON_NEXT.test(after) || ZH_NICK_NEXT.test(after);
    const opens = !/\p{Script=Han}/u.test(text[m.index - 1] ?? "") || /[和跟与及同给帮让]$/.test(before);
    if (!(introduced && /^(?:[，,。！!？?\s、]|$)/.test(after)) && !(opens && acts)) continue;
    if (DRUG_OR_TERM(text.slice(m.index, m.index + 4))) continue;
    // 小红书, 阿司匹: the pair opens a longer dictionary word.
    const w3 = tagWords(text.slice(m.index, m.index + 3))[0];
    if (w3 && w3.word.length === 3 && !/^nr/.test(w3.tag)) continue;
    out.push({ start: m.index, end: m.index + 2, type: "NAME" });
  }
  return out;
}

/** Pairs of 小/阿 and a given-name character that are words: 小红书, 阿婆, 阿胶, 小明星… */
const ZH_NICK_NOT = new Set([
  "小学",
  "小区",
  "小组",
  "小型",
  "小说",
  "小腿",
  "小肠",
  "小便",
  "小数",
  "小雪",
  "小寒",
  "小暑",
  "小满",
  "小年",
  "阿胶",
  "阿婆",
  "阿姨",
  "阿公",
  "阿伯",
  "阿叔",
  "阿哥",
  "阿妹",
  "阿爸",
  "阿妈",
  "小宝",
]);
/** What follows a nickname in a message about that person (beyond ZH_PERSON_NEXT): 昨晚, 低到, 一直. */
const ZH_NICK_NEXT = /^\s*(?:昨晚|前天|一直|低到|又|也|还|刚|打了|吃了|测了|告诉|讲|说|问|觉得|[，,]\s*(?:你|您)好)/;

const EN_CUE =
  /\b(?:my name is|my name's|name\s*:|patient\s*(?:name)?\s*[:,]?|pt\.?\s*[:,]?|signed,?|regards,?|contact\s*:)\s+|\b(?:name|patient(?: name)?|pt|contact)\s*[:,]\s*/gi;
/** Cues that also introduce things ("also called PCOS", "it's Lantus", "I'm Worried"): a listed name only. */
const EN_WEAK_CUE = /\b(?:i am|i['’]m|this is|it['’]s|it is|named|called)\s+/gi;
const EN_TITLE = /\b(?:dr|mr|mrs|ms|miss|mx|prof|nurse|sister)\.?\s+/gi;
/** Bare initials after a title: "Mr. E", "Mrs S.", "Dr K.", "Mr. A. K." */
const INITIALS = /^\p{Lu}\.?(?:\s?\p{Lu}\.?)?(?![\p{L}\d])/u;

const WORD = "\\p{Lu}[\\p{L}'’]*(?:-\\p{L}[\\p{L}'’]*)*";
// A word may also follow a lower-case Arabic article: the Zahra of "al-Zahra".
const CAP_WORD = new RegExp(
  `(?:(?<![\\p{L}\\d'’-])|(?<=(?<!\\p{L})(?:al|el|ad|ar|as|ash|at|az|an|ul)-))${WORD}(?![\\p{L}\\d])`,
  "gu",
);

function enNameAt(text: string, at: number, maxWords: number): Span | undefined {
  const m = new RegExp(`^(${WORD})(?:\\s+(${WORD}))?(?:\\s+(${WORD}))?`, "u").exec(text.slice(at));
  if (!m) return undefined;
  const words = [m[1], m[2], m[3]].filter((w): w is string => w !== undefined).slice(0, maxWords);
  const kept: string[] = [];
  for (const w of words) {
    const bare = w.replace(/['’]s?$/, "");
    // All-capital words are abbreviations (PCOS, BNP, DASH), not names.
    if (strength(bare) === "stop" || DRUG_OR_TERM(bare) || bare.length < 2 || bare === bare.toUpperCase()) break;
    kept.push(w);
  }
  if (kept.length === 0) return undefined;
  const last = kept[kept.length - 1] as string;
  let len = text.slice(at).indexOf(last) + last.length;
  // "Johnson's" keeps the possessive outside the placeholder.
  const tail = /['’]s?$/.exec(text.slice(at, at + len));
  if (tail) len -= tail[0].length;
  return { start: at, end: at + len, type: "NAME" };
}

interface Tok {
  start: number;
  end: number;
  word: string;
  possessive: boolean;
}

function capWords(text: string): Tok[] {
  const out: Tok[] = [];
  for (const m of text.matchAll(CAP_WORD)) {
    let word = m[0];
    let possessive = false;
    const p = /['’]s?$/u.exec(word);
    if (p && word.length - p[0].length >= 1 && !/^(?:O|D|L)['’]$/.test(word.slice(0, 2))) {
      word = word.slice(0, -p[0].length);
      possessive = true;
    }
    // All-capital words are abbreviations (BP, CGM, HbA1c's "HbA"), not names.
    if (word.length >= 2 && word === word.toUpperCase()) continue;
    out.push({ start: m.index, end: m.index + word.length, word, possessive });
  }
  return out;
}

/** Nouns an eponym's possessive stands before: Addison's disease, Graves' disease, Cushing's syndrome. */
const EPONYM_NOUN =
  /^\s*(?:disease|syndrome|disorder|thyroiditis|sign|test|law|ulcer|sarcoma|lymphoma|palsy|phenomenon|reaction|criteria|classification|scale|score|formula|equation|method|procedure|operation|maneuver|manoeuvre|triad|tumou?r|neuropathy|neuroma|foot|arthropathy|contracture|cyst|nodes?|anaemia|anemia|encephalopathy|dementia|dystrophy|ataxia|paralysis|fracture|ratio|area|lens|solution|day|eve|wort)\b/i;
/** What a person does in a message about them: "Grace called", "Tom says", "Will has been…". */
const PERSON_VERB =
  /^\s+(?:says|said|reports|reported|asked|asks|wants|wanted|called|phoned|rang|texted|emailed|messaged|missed|forgot|feels|felt|complains|complained|thinks|told|woke|fainted|collapsed|injects|injected|ate|drank|mentioned|came in|checked|checks|tested|measured|hit|needs|needed)\b/;
/** The verbs that make even an unlisted capitalised word a person: "Xochitl said", not "Get tested". */
const REPORT_VERB =
  /^\s+(?:says|said|reports|reported|asked|asks|phoned|rang|texted|emailed|messaged|missed|forgot|complained|told|fainted|collapsed)\b/;
const AND_KIN =
  /^\s+and\s+(?:his|her|their)\s+(?:wife|husband|partner|son|daughter|mum|mom|mother|dad|father|sister|brother|carer)\b/;
const COPULA_VERB =
  /^\s+(?:is|was|has|had|takes|took|uses|used|started|stopped|got|gets|went|came|can't|cannot|won't|did|does|will|would|should|could)\b/;
/** Personal nouns an unlisted possessive name stands before: "Xochitl's sugar", "Tamsin's mum". */
const PERSONAL_NOUN =
  /^\s*(?:blood sugar|sugars?|glucose|a1c|hba1c|readings?|levels?|mum|mom|mother|dad|father|wife|husband|son|daughter|brother|sister|carer|phone|number|appointment|insulin|dose|meds|medication|feet|foot|eyes?|kidneys?|bp|egfr|ketones)\b/i;
/** Contacting someone: "Called Mark Brown back", "ring Siew Ling Tan" — a listed name must follow. */
const CONTACT = /\b(?:called|call|phoned|phone|rang|ring|texted|emailed|saw|seen|visited|tell|ask)\s+$/i;
const GREETING = /(?:\b(?:hi|hello|hey|dear|thanks|thank you|cheers|bye|morning|evening)\b,?\s+)$/i;
const RELATION =
  /(?:\b(?:my|our|his|her|their)\s+(?:son|daughter|wife|husband|mum|mom|mother|dad|father|brother|sister|friend|neighbou?r|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|partner|carer|caregiver|nephew|niece|aunt|uncle|cousin|boy|girl|baby|child|kid)\s+|\b(?:spoke|talked|speaking|chatted|met)\s+(?:to|with)\s+|\b(?:message|note|call|email|text|referral|reply|response|update|voicemail|letter)\s+(?:from|for|to)\s+|(?:^|[.;:!?]\s*)(?:wife|husband|son|daughter|mother|father|mum|mom|dad|brother|sister|partner|carer)\s+)$/i;

/** Vietnamese middle names (tên đệm): Văn, Thị, Đức, Ngọc… and their unaccented spellings. */
const VN_MIDDLE =
  /^(?:Văn|Van|Thị|Thi|Đình|Dinh|Hữu|Huu|Đức|Duc|Quang|Ngọc|Ngoc|Minh|Thanh|Xuân|Xuan|Hoàng|Hoang|Công|Cong|Thu|Kim)$/u;
/** A reading right after a run of capitalised words: "A1c 10.2", "BP 160/100", "fasting 7.9", "glucose 16". */
const READING_AFTER =
  /^\s*[,:]?\s*(?:HbA1c|A1c|a1c|BG|BGL|FBG|FPG|BP|eGFR|BMI|glucose|fasting|sugar|ketones|weight)\s*(?:[:=]|is|was|of)?\s*\d/;
/** Capitalised words that open clinic-note lines before a reading and are not names. */
const NOTE_WORDS = new Set(
  "Post Pre Meal Meals Lunch Dinner Breakfast Supper Fasting Random Bedtime Average Mean Latest Last Current Target Home Office Repeat Recent Baseline Usual Overnight Capillary Venous Serum Plasma Finger Prick Sensor Pump Daily Weekly Monthly Initial Final Peak Nadir Lowest Highest".split(
    " ",
  ),
);
/** "(my son, 12)": a bracket after a name saying whose relative the person is. */
const KIN_BRACKET =
  /^\s*\((?:my|our|his|her|their)\s+(?:son|daughter|wife|husband|mum|mom|mother|dad|father|brother|sister|friend|partner|grandson|granddaughter|grandma|grandpa|nephew|niece)\b/i;
/** A companion or conjunct in mid-sentence: "went with", "X and", "Y &". */
const COMPANION = /(?<=[\p{Ll}\d,]\s?)\s*\b(?:with|and|&|or)\s+$/u;

/** Lower-case particles between the capitalised words of one name (van der, de la, bin, al-). */
const NAME_PARTICLES =
  /^ (?:(?:van|von|der|den|de|del|dela|delos|della|degli|di|da|do|dos|das|du|des|la|las|los|le|bin|binti|bint|ibn|ben|abu|al|el|ter|ten|zu|y|e) )+$|^ (?:(?:bin|ibn|abu|van|de) )?(?:al|el|ad|ar|as|ash|at|az|an|ul)-$/;

const CAP_PARTICLE =
  /^(?:Al|El|Bin|Ibn|Abu|Bint|Binti|Van|Von|Der|Den|De|Del|Della|Da|Di|Dos|Das|Du|Le|La|Ter|Ten|Ó|Ní|Nic|Uí|Mac)$/;
/** Irish patronymic particles, one or two letters, inside a name: Dermot Ó Ceallaigh, Siobhán Ní Bhriain. */
const IRISH_PARTICLE = /^(?:Ó|Ní|Uí)$/;
/** What follows a run naming a product, a plan or an institution: "Jenny Craig diet", "Kaiser Permanente pharmacy". */
const ORG_NOUN =
  /^\s+(?:diet|plan|program|programme|clinic|hospital|pharmacy|foundation|institute|center|centre|university|college|insurance|pharmaceuticals?|brand|products?|store|supermarket|chocolates?|biscuits?|tea)\b/i;

/** "Li Na", "Wang Xiuying", "Ouyang Fang Fang": a pinyin surname, then one or two pinyin given names. */
function pinyinName(words: string[]): boolean {
  if (words.length < 2 || words.length > 3) return false;
  const [sur, ...given] = words;
  return PINYIN_SURNAMES.has((sur ?? "").toLowerCase()) && given.every((g) => isPinyinGiven(g));
}

/** English names with no cue word: runs of capitalised words, and single words in name position. */
export function enBareNames(text: string): Span[] {
  const toks = capWords(text);
  const out: Span[] = [];
  const afterWord = (t: Tok) => text.slice(t.end + (t.possessive ? (text.slice(t.end).match(/^['’]s?/)?.[0].length ?? 0) : 0));
  let i = 0;
  while (i < toks.length) {
    // A run: consecutive capitalised words separated by one space (no possessive inside).
    let j = i;
    while (
      j + 1 < toks.length &&
      !(toks[j] as Tok).possessive &&
      (/^ $/.test(text.slice((toks[j] as Tok).end, (toks[j + 1] as Tok).start)) ||
        // van der Berg, von Hohenberg, García de la Cruz, bin Khalid, al-Rashid: particles inside a name.
        ((j > i || strength((toks[j] as Tok).word) !== "stop") &&
          NAME_PARTICLES.test(text.slice((toks[j] as Tok).end, (toks[j + 1] as Tok).start))))
    )
      j++;
    const run = toks.slice(i, j + 1);
    i = j + 1;
    // Split at words that are never names; judge each piece.
    let piece: Tok[] = [];
    const judge = () => {
      if (piece.length >= 2 && piece.length <= 4) {
        const s = piece.map((t) => strength(t.word));
        const strong = s.filter((x) => x === "strong").length;
        const unknown = s.filter((x) => x === "unknown").length;
        const first = piece[0] as Tok;
        const last = piece.at(-1) as Tok;
        // Unlisted names of any origin: a run that opens a sentence and goes on as a person does.
        const opens = /(?:^|[.!?\n:;]\s*|^\s*[-*•]\s+)$/.test(text.slice(0, first.start));
        const acts =
          opens &&
          s.every((x) => x !== "weak") &&
          (last.possessive ? PERSONAL_NOUN.test(afterWord(last)) : REPORT_VERB.test(afterWord(last)));
        // One unlisted word may complete a name that opens with a listed one (Mary Xiong), not
        // precede it: "Advantage Plans", "Stroke Scale" are headings.
        const eponym = EPONYM_NOUN.test(afterWord(last)); // Lou Gehrig's disease
        // Brands, plans and institutions named after people: not a patient, and none of their words is one.
        const pieceText = text.slice(first.start, last.end);
        if (
          orgPhraseIn(pieceText) ||
          piece.some((t) => isOrgWord(t.word)) ||
          (!last.possessive && ORG_NOUN.test(afterWord(last)))
        ) {
          piece = [];
          return;
        }
        const pinyin = pinyinName(piece.map((t) => t.word));
        const before = text.slice(Math.max(0, first.start - 40), first.start);
        // "Spoke with Giorgos Papadopoulos", "Thanks, Rashida Begum": the cue says who follows.
        const cued = (GREETING.test(before) || RELATION.test(before)) && s[0] !== "weak";
        const contacted = CONTACT.test(before) && strong + s.filter((x) => x === "weak").length >= 1;
        // Mark Brown, Hye-jin Park: a given name then a surname, both also everyday words.
        const korean = (w: string) => /^\p{Lu}\p{Ll}{1,3}-\p{Ll}{2,4}$/u.test(w);
        const givenSurname =
          piece.length === 2 &&
          ((((isGivenName(first.word) && !isSurname(first.word)) || korean(first.word)) && isSurname(last.word)) ||
            (isSurname(first.word) && korean(last.word)));
        // Unlisted names that open a sentence and go on as a person: "Giorgos Papadopoulos has…"
        // (not "is": "Original Medicare is…").
        const opensAsPerson =
          opens &&
          unknown === piece.length &&
          (/^\s+(?:has|had|takes|took|went|came|got)\b/.test(afterWord(last)) ||
            // "Siosaia Tupou A1c 10.2", "Somchai Wongsawat BP 160/100": a clinic-note line, a reading after the name.
            (!last.possessive &&
              READING_AFTER.test(afterWord(last)) &&
              piece.every((t) => t.word.length >= 3 && !NOTE_WORDS.has(t.word) && !DRUG_OR_TERM(t.word))));
        const listed = (strong >= 1 && unknown <= 1) || (strong >= 1 && unknown === 2 && piece.length === 3);
        // Noura Al Mansoori, Matteo De Luca: a capitalised particle between two names marks a full name.
        const particled =
          piece.length >= 3 &&
          piece.slice(1, -1).some((t) => CAP_PARTICLE.test(t.word)) &&
          s[0] !== "weak" &&
          s.at(-1) !== "weak" &&
          !eponym;
        if ((listed || acts || cued || contacted || givenSurname || opensAsPerson || particled || pinyin) && !eponym) {
          out.push({ start: (piece[0] as Tok).start, end: (piece.at(-1) as Tok).end, type: "NAME" });
          piece = [];
          return;
        }
      }
      for (const t of piece) single(t);
      piece = [];
    };
    const single = (t: Tok) => {
      const s = strength(t.word);
      // St John's wort, St. Louis: saints and places.
      if (s === "stop" || t.word.length < 2 || /\bSt\.?\s$/.test(text.slice(0, t.start))) return;
      // Parkinson's, Hashimoto's, Hershey's: a disease or a brand, not a person.
      if (isOrgWord(t.word) || (t.possessive && isEponym(t.word))) return;
      const after = afterWord(t);
      const before = text.slice(Math.max(0, t.start - 40), t.start);
      const listedGiven = s === "strong" || (s === "weak" && isGivenName(t.word));
      let ok = false;
      if (t.possessive) ok = !EPONYM_NOUN.test(after) && (listedGiven || (s === "unknown" && PERSONAL_NOUN.test(after)));
      else if (PERSON_VERB.test(after))
        ok = listedGiven || (s === "unknown" && REPORT_VERB.test(after) && /(?:^|[.!?\n]\s*)$/.test(before));
      else if (COPULA_VERB.test(after)) ok = listedGiven;
      // "Siddharth and his wife Kavya": someone's spouse or child follows a person.
      else if (AND_KIN.test(after)) ok = s !== "weak" || isGivenName(t.word);
      if (!ok && (GREETING.test(before) || RELATION.test(before))) ok = s !== "weak" || isGivenName(t.word);
      // "call Sinead back", "ring Obinna": a listed, unambiguous name after a verb of contacting.
      if (
        !ok &&
        CONTACT.test(before) &&
        (s === "strong" || (s === "unknown" && /^\s+(?:to|back|if|whether|about)\b/.test(after)))
      )
        ok = true;
      // "I went with Priya", "Tom and Aisha both…", "my neighbour and Kowalski": a listed,
      // unambiguous name as a companion or conjunct in mid-sentence.
      // Not "the Hunt and Hess Scale": an eponym's noun or another capitalised word after it.
      if (
        !ok &&
        COMPANION.test(before) &&
        s === "strong" &&
        !t.possessive &&
        !EPONYM_NOUN.test(after) &&
        !/^\s+\p{Lu}/u.test(after)
      )
        ok = true;
      // "Bobby (my son, 12, type 1)": a bracket saying whose relative follows a person's name.
      if (!ok && KIN_BRACKET.test(after)) ok = true;
      if (ok) out.push({ start: t.start, end: t.end, type: "NAME" });
    };
    for (const t of run) {
      // Nguyễn Văn An, Trần Thị Ba: after a Vietnamese middle name, a short given name (An, Ba) belongs to it.
      const vnGiven = piece.length >= 2 && VN_MIDDLE.test((piece.at(-1) as Tok).word) && /^\p{Lu}\p{Ll}{1,3}$/u.test(t.word);
      if (vnGiven) {
        piece.push(t);
        continue;
      }
      if (strength(t.word) === "stop" || (t.word.length < 2 && !(piece.length > 0 && IRISH_PARTICLE.test(t.word)))) {
        judge();
        continue;
      }
      piece.push(t);
    }
    judge();
  }
  return out;
}

export function findNames(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(ZH_CUE)) {
    const at = m.index + m[0].length;
    // 老公和周一鸣: after a kin word, 和/跟/与 is a conjunction (zhConjoinedNames reads the name after it).
    if (
      !/^(?:我叫|我是|我姓|名叫|叫做|姓名)/.test(m[0]) &&
      /^[和跟与及同]/.test(text.slice(at)) &&
      surnameLen(text.slice(at + 1)) > 0
    )
      continue;
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
    const rest = text.slice(m.index + name.length);
    // 金星 女 52岁: with an explicit sex and an age after it, a word that is also a name is that person.
    const sexAge = /^[\s，,、]*[男女]性?[\s，,、]*\d{1,3}\s*岁/.test(rest) && name.length === 2 && surnameLen(name) === 1;
    if (surnameLen(name) === 0 || name.length <= surnameLen(name) || DRUG_OR_TERM(name) || (ZH_NOT_NAMES.has(name) && !sexAge))
      continue;
    // 黄河 男 59岁: before an explicit sex, a two-character word jieba knows as a place or thing is a name too.
    const sexed = /^[\s，,、]*[男女]/.test(rest) && name.length === 2 && surnameLen(name) === 1;
    const tags = tagWords(name);
    const ok = (w: TaggedWord) =>
      NAME_TAG.test(w.tag) ||
      w.word.length === 1 ||
      (sexed && /^(?:ns|nz)$/.test(w.tag)) ||
      (sexAge && /^(?:n|a|an|ns|nz|t|m)$/.test(w.tag));
    if (!tags.every(ok)) continue;
    out.push({ start: m.index, end: m.index + name.length, type: "NAME" });
  }
  for (const m of text.matchAll(EN_DEMOGRAPHIC)) {
    const name = m[1] ?? "";
    const at = m.index + m[0].indexOf(name);
    const s = enNameAt(text, at, 3);
    if (s && s.end - s.start >= name.length - 1) out.push(s);
  }
  for (const m of text.matchAll(ZH_TITLE)) {
    // 班主任, 科主任, 副教授: words that end in a title are roles, not a surname before it.
    if (ZH_ROLE_WORDS.test(text.slice(Math.max(0, m.index - 1), m.index + m[0].length))) continue;
    // 王先生 / 张女士 / 陈医生: the surname (and a given name if present) before the title.
    const before = text.slice(Math.max(0, m.index - 4), m.index);
    const han = /\p{Script=Han}{1,4}$/u.exec(before)?.[0] ?? "";
    for (let k = Math.min(4, han.length); k >= 1; k--) {
      const cand = han.slice(han.length - k);
      const sl = surnameLen(cand);
      const prev = text[m.index - k - 1] ?? "";
      // A lone surname must stand apart ("，王先生", "找陈医生"), not be the tail of a word (平时医生, 谢谢医生).
      const loneOk =
        prev === "" ||
        !/\p{Script=Han}/u.test(prev) ||
        /[是叫姓找请问的和跟给对位老小]/.test(prev) ||
        // 谢谢陈大夫: thanks, then the clinician (but 谢谢医生 is thanks alone).
        (text.slice(Math.max(0, m.index - k - 2), m.index - k) === "谢谢" && cand !== "谢");
      // 高峰先生, 金星阿姨: a word that is also a name is a person before a form of address.
      const address = !/^(?:医生|大夫|护士|老师|主任|教授|院长|师傅)$/.test(m[0]);
      // 武则天阿姨: before a form of address, a full name standing apart may hold any given characters.
      // 武则天阿姨 (天 is seldom a given-name character) — only pronouns and particles are ruled out here.
      const freeGiven = address && k - sl === 2 && !ZH_FUNCTION_CHARS.test(cand.slice(sl)) && !/\p{Script=Han}/u.test(prev);
      const givenOk =
        k > sl && k - sl <= 2 && (givenRun(cand.slice(sl)) === k - sl || freeGiven) && (address || !ZH_NOT_NAMES.has(cand));
      // 向医生请教, 跟护士说: a preposition before a profession, not a surname.
      if (k === sl && sl === 1 && !address && /[向和跟对给于与同把被让请为]/.test(cand) && !/\p{Script=Han}/u.test(prev))
        continue;
      if (sl > 0 && ((k === sl && loneOk) || (givenOk && (loneOk || tagWords(cand).some((w) => /^nr/.test(w.tag)))))) {
        out.push({ start: m.index - k, end: m.index, type: "NAME" });
        break;
      }
    }
  }
  for (const m of text.matchAll(EN_CUE)) {
    const at = m.index + m[0].length;
    const s = enNameAt(text, at, 3);
    if (s) out.push(s);
    else {
      // "Pt A.M., 45F", "Patient J.R.": initials after the cue, as after a title.
      const ini = /^\p{Lu}\.(?:\s?\p{Lu}\.?)?(?![\p{L}\d])/u.exec(text.slice(at));
      // Not a country: "Contact: U.S. Food and Drug Administration".
      if (ini && !/^(?:U\.\s?S|U\.\s?K|E\.\s?U)\b/.test(ini[0]))
        out.push({ start: at, end: at + ini[0].replace(/\.$/, "").length, type: "NAME" });
    }
  }
  for (const m of text.matchAll(EN_WEAK_CUE)) {
    const s = enNameAt(text, m.index + m[0].length, 3);
    if (!s) continue;
    const words = text.slice(s.start, s.end).split(/\s+/);
    // A self-introduction ("This is Li Hua", "I'm Giorgos Papadopoulos") with a full-name shape
    // (two or more capitalised words) is a name even when neither word is on a list.
    const selfIntro = /^(?:i am|i['’]m|this is)\s/i.test(m[0]) && words.length >= 2;
    const listed =
      selfIntro || words.some((w) => strength(w) === "strong") || (words.length === 1 && isGivenName(words[0] as string));
    if (listed && !EPONYM_NOUN.test(text.slice(s.end).replace(/^['’]s?/, ""))) out.push(s);
  }
  for (const m of text.matchAll(EN_TITLE)) {
    const at = m.index + m[0].length;
    // "Ms. van der Merwe", "Dr de Souza", "Mr al-Amin": the particles belong to the surname.
    const particle = /^(?:(?:van|von|der|den|de|del|della|di|da|du|des|le|la|ter|ten|bin|ibn|ben|abu)\s+)+|^(?:al|el)-/.exec(
      text.slice(at),
    );
    const sp = particle ? enNameAt(text, at + particle[0].length, 1) : undefined;
    if (sp) {
      out.push({ start: at, end: sp.end, type: "NAME" });
      continue;
    }
    const s = enNameAt(text, at, 2);
    if (s) out.push(s);
    else {
      // "Mr Can Yıldız", "Dr Will Morgan": after a title, a given name that is also a word, then a surname.
      const word = /^(\p{Lu}\p{Ll}+)\s+(\p{Lu}[\p{Ll}'’-]+)/u.exec(text.slice(at));
      if (
        word?.[1] &&
        word[2] &&
        strength(word[1]) === "stop" &&
        strength(word[2]) !== "stop" &&
        !DRUG_OR_TERM(word[2]) &&
        word[1].length >= 3
      ) {
        out.push({ start: at, end: at + word[0].length, type: "NAME" });
        continue;
      }
      const ini = INITIALS.exec(text.slice(at));
      // "Mr. I think" is a pronoun, not an initial.
      if (ini && !/^I(?!\.)/.test(ini[0])) {
        // "Mr. J. Harrington", "Dr J. K. Rowling-Smythe": the surname after the initials belongs to them.
        const gap = /^\s+/.exec(text.slice(at + ini[0].length))?.[0].length ?? 0;
        const sur = gap > 0 && /\.\s*$/.test(ini[0]) ? enNameAt(text, at + ini[0].length + gap, 1) : undefined;
        out.push({ start: at, end: sur ? sur.end : at + ini[0].length, type: "NAME" });
      }
    }
  }
  // One jieba pass over the whole text serves both readers of it.
  const words = /\p{Script=Han}/u.test(text) ? tagWords(text) : [];
  out.push(
    ...zhBareNames(text, words),
    ...zhFamiliar(text),
    ...zhConjoinedNames(text),
    ...zhPositionNames(text),
    ...zhMinorityNames(text),
    ...enBareNames(text),
  );
  out.push(...enLowerNames(text), ...zhSplitNames(text, words), ...zhStandaloneNames(text), ...enSignature(text));
  out.push(...bracketedNames(text, out));
  // "Ma. Cristina Villanueva-Santos": the Filipino abbreviation of Maria before a name belongs to it;
  // "Rodrigo Bautista Jr.": the generational suffix keeps its full stop.
  for (const sp of out) {
    if (sp.type !== "NAME") continue;
    if (/\b(?:Jr|Sr)$/.test(text.slice(sp.start, sp.end)) && text[sp.end] === ".") sp.end += 1;
    const ma = /(?:^|[^\p{L}])(Ma\.\s+)$/u.exec(text.slice(Math.max(0, sp.start - 6), sp.start));
    if (ma?.[1]) sp.start -= ma[1].length;
  }
  // 武则天是哪个朝代的皇帝？ / "Did Thomas Edison have diabetes? He invented…": a famous person in a
  // sentence about history or fame is not the patient (phi-gazetteer.ts famousInContext).
  const kept = out.filter((s) => !(s.type === "NAME" && famousInContext(text, s.start, s.end)));
  return [...kept, ...spreadNames(text, kept)];
}

/**
 * A name in brackets right after a found name is the same person's other name: "Mr Hashimoto
 * (Kenji)", "Zhang Wei (Wei)", "Chan Tai Man (陈大文)".
 */
function bracketedNames(text: string, found: Span[]): Span[] {
  const out: Span[] = [];
  for (const f of found) {
    if (f.type !== "NAME") continue;
    const m = /^\s*[(（]\s*((?:\p{Lu}[\p{Ll}'’-]+)(?:\s+\p{Lu}[\p{Ll}'’-]+)?|\p{Script=Han}{2,4})\s*[)）]/u.exec(
      text.slice(f.end),
    );
    if (!m?.[1]) continue;
    const inner = m[1];
    if (
      /\p{Script=Han}/u.test(inner)
        ? surnameLen(inner) === 0
        : inner.split(/\s+/).some((w) => strength(w) === "stop" || DRUG_OR_TERM(w) || isEponym(w) || isOrgWord(w))
    )
      continue;
    // 艾迪生(Addison)病, Graves (Basedow) disease: the eponym of a disease, not a second name.
    if (/^\s*(?:病|综合征|disease|syndrome)/i.test(text.slice(f.end + m[0].length))) continue;
    const start = f.end + m[0].indexOf(inner);
    out.push({ start, end: start + inner.length, type: "NAME" });
  }
  return out;
}

/**
 * A signature at the end of a message after a dash: "Sent from my iPhone - Gregory",
 * "BG 4.8 this morning. — Ingrid Halvorsen". One or two capitalised words, not a stop word or a drug.
 */
function enSignature(text: string): Span[] {
  const m = /(?:^|\s)[-–—~]+\s*(\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)\s*[.!]?\s*$/u.exec(text);
  if (!m?.[1]) return [];
  const words = m[1].split(/\s+/);
  if (words.some((w) => strength(w) === "stop" || DRUG_OR_TERM(w) || isOrgWord(w))) return [];
  // "- Hooray", "- Lantus": one unlisted word is an exclamation or a thing; a listed name or two words sign.
  if (words.length === 1 && strength(words[0] as string) !== "strong") return [];
  const start = m.index + m[0].indexOf(m[1]);
  return [{ start, end: start + m[1].length, type: "NAME" }];
}

/** Title case for a lower-case name word: o'connor → O'Connor, mcdonald → McDonald, mei → Mei. */
function titleName(w: string): string {
  const up = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);
  return w
    .split("-")
    .map((p) =>
      up(p)
        .replace(/^(O|D)['’](\p{Ll})/u, (_, a: string, b: string) => `${a}'${b.toUpperCase()}`)
        .replace(/^Mc(\p{Ll})/u, (_, b: string) => `Mc${b.toUpperCase()}`),
    )
    .join("-");
}

/** Cues before a lower-case name in chat: "i'm sarah", "it's kevin", "my husband dave", "thanks priya". */
const LOWER_CUE =
  /(?:\b(?:my name is|my name's|i am|i['’]m|im|this is|it['’]s|its|hi|hello|hey|dear|thanks|thank you|cheers|please tell|please ask|can you tell|can you ask|tell|ask|remind)|\b(?:my|our)\s+(?:son|daughter|wife|husband|mum|mom|mother|dad|father|brother|sister|friend|grandson|granddaughter|grandma|grandpa|partner|boy|girl|baby|child|kid))[,\s]+$/i;
/** What a lower-case name is followed by: a person's verb or "here"/"again" in a self-introduction. */
const LOWER_NEXT =
  /^\s+(?:here|again|says|said|asked|asks|called|rang|wants|took|takes|is|was|has|had|forgot|missed|feels|felt|woke|fainted|collapsed)\b/;

/**
 * Names typed in lower case, as people do in chat: "hi this is sarah", "my husband dave took…",
 * "it's kevin o'connor again", "mei ling's glucose", "wang lei says". A word counts when its
 * title case is a listed given name that is not also an everyday word (or a pinyin surname with a
 * pinyin given name), and the context says person: a cue before it, a person's verb after it, or a
 * possessive before a personal noun ("priya's sugar"). A listed surname or a name-shaped word
 * (o'connor, mcdonald) after it belongs to it.
 */
export function enLowerNames(text: string): Span[] {
  if (!/[a-z]/.test(text)) return [];
  const out: Span[] = [];
  const toks = [...text.matchAll(/(?<![\p{L}\d'’-])\p{Ll}[\p{Ll}'’-]*(?![\p{L}\d])/gu)];
  for (let i = 0; i < toks.length; i++) {
    const m = toks[i] as RegExpMatchArray & { index: number };
    let word = m[0];
    const poss = /['’]s?$/.exec(word);
    if (poss && !/^(?:o|d)['’]/.test(word)) word = word.slice(0, -poss[0].length);
    if (word.length < 3) continue;
    const title = titleName(word);
    const pinyinSur = PINYIN_SURNAMES.has(word) && !PINYIN_ENGLISH.has(word);
    let given = strength(title) === "strong" && isGivenName(title);
    const next0 = toks[i + 1]?.[0].replace(/['’]s?$/, "") ?? "";
    // mei ling, xiao hong: a pinyin syllable before a listed given name is the first half of it.
    if (
      !given &&
      !pinyinSur &&
      isPinyinGiven(word) &&
      next0.length >= 3 &&
      isPinyinGiven(next0) &&
      strength(titleName(next0)) === "strong" &&
      isGivenName(titleName(next0))
    )
      given = true;
    const cueBefore = LOWER_CUE.test(text.slice(Math.max(0, m.index - 40), m.index));
    // "i'm aditi sharma": after a cue, an unlisted first word before a listed surname.
    const nextSur = next0.length >= 3 && isSurname(titleName(next0)) && strength(titleName(next0)) === "strong";
    if (!given && !pinyinSur && !(cueBefore && nextSur && strength(title) !== "stop" && !DRUG_OR_TERM(word))) continue;
    // A second word: a surname (o'connor, nair), or the pinyin given name after a pinyin surname.
    let end = m.index + word.length;
    let possessive = poss !== null && word.length < m[0].length;
    const next = toks[i + 1] as (RegExpMatchArray & { index: number }) | undefined;
    let second = false;
    if (!possessive && next && /^ $/.test(text.slice(end, next.index))) {
      const nw = next[0].replace(/['’]s?$/, "");
      const nt = titleName(nw);
      const ok = pinyinSur
        ? isPinyinGiven(nw) && strength(nt) !== "stop"
        : nw.length >= 3 &&
          (nameShaped(nt) ||
            // "my name is oliver brown": after a cue, a surname that is also a word (brown, white) belongs to the name.
            (isSurname(nt) && (strength(nt) === "strong" || (cueBefore && strength(nt) === "weak"))) ||
            (isPinyinGiven(word) && isPinyinGiven(nw)));
      if (ok) {
        second = true;
        end = next.index + nw.length;
        possessive = nw.length < next[0].length;
      }
    }
    if (pinyinSur && !second) continue;
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(end + (possessive ? (/^['’]s?/.exec(text.slice(end))?.[0].length ?? 0) : 0));
    // "i'm jet lagged", "it's sugar free": after i'm / this is, a name ends the clause ("i'm sarah,").
    const cue = LOWER_CUE.exec(before);
    const selfIntro = cue !== null && /^(?:i am|i['’]m|im|this is|it['’]s|its)\b/i.test(cue[0].trim());
    const closes = /^(?:\s*(?:[,.!?;:)\-–—]|$)|\s+(?:here|again|and|from|calling|speaking|writing|my|i|im|i['’]m)\b)/i.test(
      after,
    );
    const person =
      (cue !== null && (!selfIntro || closes || second)) ||
      (possessive ? PERSONAL_NOUN.test(after) : LOWER_NEXT.test(after) && (second || /(?:^|[.!?,;]\s*)$/.test(before)));
    if (!person) continue;
    out.push({ start: m.index, end, type: "NAME" });
    if (second) i++;
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The words of found names worth searching for again: Chinese full names (≥ 2 characters; a lone
 * surname from 王先生 is too common a character), English names and their parts (≥ 3 letters,
 * not everyday words: "Mark Brown" spreads "Mark Brown", not "Brown" into "brown rice").
 */
export function nameTerms(text: string, found: Span[]): Set<string> {
  const terms = new Set<string>();
  for (const f of found) {
    if (f.type !== "NAME") continue;
    const name = text.slice(f.start, f.end);
    if (/\p{Script=Han}/u.test(name)) {
      if (name.length >= 2 && !ZH_COMPOUND.includes(name)) terms.add(name);
    } else {
      if (name.replace(/[\s.]/g, "").length >= 3) terms.add(name);
      // Only listed parts spread: an unlisted one ("Scale" of "Hess Scale") may be a plain word.
      for (const part of name.split(/\s+/)) if (part.length >= 3 && strength(part) === "strong") terms.add(part);
    }
  }
  return terms;
}

/** Every mention of `terms` in `text` that no span in `found` covers yet. */
export function spreadTerms(text: string, terms: Iterable<string>, found: Span[]): Span[] {
  const out: Span[] = [];
  for (const term of terms) {
    const han = /\p{Script=Han}/u.test(term);
    const re = han ? new RegExp(escapeRe(term), "gu") : new RegExp(`(?<![\\p{L}])${escapeRe(term)}(?![\\p{L}])`, "gu");
    for (const m of text.matchAll(re)) {
      if ([...found, ...out].some((f) => m.index < f.end && m.index + term.length > f.start)) continue;
      out.push({ start: m.index, end: m.index + term.length, type: "NAME" });
    }
  }
  return out;
}

/**
 * A name found once identifies the person wherever else it appears: "Patient: Zhang Wei …
 * Zhang Wei's daughter", 患者张伟…张伟说.
 */
export function spreadNames(text: string, found: Span[]): Span[] {
  return spreadTerms(text, nameTerms(text, found), found);
}
