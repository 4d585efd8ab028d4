/**
 * The safety floor (issue 12): a message that reports a new, worsening or severe symptom that
 * no catalogue row recognises is at least `urgent` with a clinician responder — never a
 * routine automatic reply. Education and data questions ("what is…", "is it normal",
 * 怎么回事, 能吃吗), past events already assessed, stable long-standing and mild symptoms stay
 * routine. Over-triage is the price of the floor; `glycopilot eval triage` measures it.
 */
import type { Flag } from "../core/domain.js";
import { CAT_SRC } from "./catalogue.js";
import { isAsserted } from "./text/context.js";
import { sentences } from "./text/segment.js";

export const FLOOR_CODE = "unrecognized-acute-symptom";
/** The floor's emergency tier: a sudden, severe symptom or a sudden loss of function, any body system. */
export const SEVERE_FLOOR_CODE = "sudden-severe-symptom";
const SEVERE_FLOOR_SRC =
  "Manchester Triage System discriminators: severe pain, acute onset, new loss of function (orange, very urgent); NHS: call 999 for sudden severe pain or sudden loss of function";

/**
 * Extreme wording: sudden with severe, "worst ever", 10/10, or a sudden inability (walk, stand, speak,
 * see, swallow). Severity words alone ("severe", "agony to touch", 很厉害) stay at the urgent floor.
 */
const EXTREME_SEVERITY =
  /\b(?:worst (?:\w+ )?(?:pain|headache|ache)?\s*(?:ever|of my life|i'?ve (?:ever )?had)|(?:10|ten) ?(?:\/|out of) ?(?:10|ten)|writhing|doubled over|screaming (?:in|with) pain)\b|疼得(?:打滚|直不起腰|满头大汗)|痛得(?:打滚|直不起腰|满头大汗)|从来没(?:有)?这么(?:疼|痛)|撕心裂肺/;
const SUDDEN_WORD =
  /\b(?:sudden\w*|all of a sudden|out of nowhere|came on in (?:seconds|a second|an instant))\b|突然|一下子|猛地/;
const SEVERE_WORD =
  /\b(?:severe\w*|terrible|horrible|intense|extreme\w*|excruciating|agoni[sz]ing|agony|unbearable|crushing|tearing|ripping)\b|剧烈|剧痛|受不了|难以忍受|钻心/;
const SUDDEN_LOSS =
  /\b(?:can'?t|cannot|couldn'?t|unable to|no longer able to) (?:walk|stand|move (?:my|his|her|their)? ?(?:arm|leg|legs|arms|side|face)|speak|talk|see|swallow|feel (?:my|his|her) (?:arm|leg|legs|face|side))\b|(?:走不了路|站不起来|站不稳|动不了|说不出话|看不见|咽不下|没有?知觉)/;

/** The sentence's first symptom word is asserted (not negated, past or hypothetical). */
function isAssertedSentence(text: string, start: number, sentence: string): boolean {
  for (const m of sentence.matchAll(SYMPTOM)) if (isAsserted(text, start + m.index)) return true;
  return false;
}

/** Over by the time of writing: "gone now", "settled", 已经好了. */
const RESOLVED =
  /\b(?:gone now|(?:it'?s |it has |has )?(?:gone|settled|passed|resolved|eased)(?: off| away)?(?: now)?$|went away|settled down|better now|fine now|ok now|last (?:night|week|month|year))\b|好了|缓解了|没事了|消失了|过去了|已经不(?:疼|痛)/;

function extremeIn(sentence: string): boolean {
  if (RESOLVED.test(sentence)) return false;
  if (EXTREME_SEVERITY.test(sentence)) return true;
  const sudden = SUDDEN_WORD.test(sentence);
  return sudden && (SEVERE_WORD.test(sentence) || SUDDEN_LOSS.test(sentence));
}

const SYMPTOM =
  /\b(?:pain\w*|ruptur\w*|aches?|aching|hurts?|hurting|sore(?:ness)?|swell\w*|swollen|bleed\w*|blood|rash\w*|(?<!hay )fevers?|vomit\w*|diarrh\w*|dizz\w*|numb\w*|tingl\w*|weak\w*|faint\w*|cough\w*|breathless\w*|wheez\w*|headaches?|migraines?|lumps?|bruis\w*|burn(?:s|ing)?|cramp\w*|discharge|infect\w*|palpitations?|blurr\w*|vision|confus\w*|tremor\w*|shak\w*|nause\w*|jaundice|yellow (?:skin|eyes)|limp\w*|spasms?|stiff\w*|pus|ulcers?|wounds?|blisters?|spots|tender\w*|throbbing|pressure|tight\w*|agitat\w*|hallucinat\w*|panic\w*)\b|疼|痛|肿|出血|流血|便血|尿血|皮疹|疹子|发烧|发热|高烧|呕吐|吐了|拉肚子|腹泻|头晕|眩晕|发麻|麻木|无力|没力气|咳嗽|咳|气喘|喘|胀|痒|抽筋|肿块|包块|发黄|看不清|视力|模糊|心慌|心悸|伤口|溃疡|化脓|水泡|憋|闷|失眠|幻觉|恐慌/g;
const ACUTE =
  /\b(?:severe\w*|sudden\w*|suddenly|worse|worsening|getting worse|spreading|unbearable|terrible|horrible|excruciating|worst|intense|agoni[sz]ing|can'?t (?:walk|sleep|move|stand|eat|see|bear|put weight|breathe|think|cope|take it)|won'?t (?:stop|go away|settle)|really bad|very bad|so bad|new(?:ly)?|keeps? getting|getting (?:more|bigger|redder|larger)|more and more|by the (?:hour|minute)|badly|swelling up|swollen up|swelled up|blown up|high fever|out of nowhere|all of a sudden|extreme\w*|killing me|crippling)\b|一天比一天|突然|剧烈|剧痛|很厉害|厉害|受不了|越来越|加重|加剧|严重|难以忍受|止不住|新出现|新长|不停|疼死|痛死|钻心|撕心裂肺|一下子/g;
const ASSESSED =
  /\b(?:saw|seen|see(?:ing)?) (?:by )?(?:the |my |a )?(?:doctor|gp|nurse|specialist|consultant|er|a&e|urgent care)|was seen|went to (?:the )?(?:er|a&e|hospital|emergency|clinic|urgent care|doctor)|(?:doctor|gp|they|hospital|er) (?:said|told|checked|diagnosed|examined)|already (?:checked|treated|seen|assessed)|(?:看过|看了|去过|检查过|查过)(?:医生|急诊|医院|门诊)?|医生(?:说|讲|看过|检查)|已经(?:看过|处理|治疗)|复查过|(?:健康|体格)?检查(?:说|发现|出)|体检(?:说|发现|查出)|诊断(?:为|出)/;
const WORSENING = /worse|worsening|加重|越来越|突然|sudden/;
/** "no worse", 没有加重: a denied change does not make a long-standing symptom acute. */
const NOT_WORSE =
  /\b(?:no|not|isn'?t|hasn'?t got(?:ten)?) (?:any )?worse\b|\bnot worsening\b|没有?加重|不加重|没(?:有)?越来越|没有?变化/g;
const CHRONIC =
  /\b(?:for (?:many |several |a few )?(?:years|months)|for (?:about |around |nearly |over )?(?:a|one|two|\d+) (?:years?)|for ages|chronic\w*|long[- ]?standing|always (?:had|have|get)|on and off for|years now|since (?:childhood|i was)|as usual|same as always|nothing new)\b|多年|好几年|几年了|老毛病|一直都|很多年|好多年|经常这样|跟以前一样|和以前一样/;
/**
 * Recent onset ("since this morning", 今天早上开始) counts only for symptoms that are never trivial
 * when new: numbness, weakness, swelling, bleeding, vision, confusion, severe pain words.
 */
const RECENT =
  /\b(?:since (?:this (?:morning|afternoon|evening)|today|last night|yesterday|an hour|(?:a|one|two|three|\d+) hours?)|(?:an|one|two|a few|\d+) hours? ago|just now|(?:this|since) (?:morning|afternoon))\b|今天(?:早上|上午|下午|晚上)?(?:开始|起)|早上起来|刚才|刚刚|(?:几|一|两|三|\d+)个?小时(?:前|了)/;
const SERIOUS_WHEN_NEW =
  /numb\w*|tingl\w*|weak\w*|swell\w*|swollen|bleed\w*|blood|vision|blurr\w*|confus\w*|faint\w*|limp\w*|purple|black|麻|无力|没力气|肿|出血|流血|看不清|模糊|晕倒/;

const MILD =
  /\b(?:mild\w*|slight\w*|a (?:little|bit|tiny bit)|minor|a touch of|tiny|small)\b|有点|有一点|轻微|稍微|一点点|略微|偶尔/;

/**
 * Symptoms that are never trivial when several arrive together ("fever, headache and vomiting",
 * 发烧 头痛 呕吐); minor complaints (runny nose, sneezing, itch, a mild cough) do not count.
 */
const SERIOUS =
  /\b(?:(?<!hay )fever\w*|vomit\w*|bleed\w*|blood\b|swell\w*|swollen|weak\w*|numb\w*|dizz\w*|faint\w*|confus\w*|breathless\w*|short(?:ness)? of breath|wheez\w*|headaches?|palpitations?|drows\w*|lethargic|jaundice|pain\w*|chills|shiver\w*|rigors?|collaps\w*|rash)\b|发烧|发热|高烧|呕吐|吐了|出血|流血|肿|无力|没劲|麻木|发麻|头晕|晕|气短|喘不|头痛|头疼|心慌|嗜睡|黄疸|疼|痛|寒战|发抖|皮疹/g;

function kindOf(word: string): string {
  if (/fever|发烧|发热|高烧|chill|shiver|rigor|寒战|发抖/.test(word)) return "fever";
  if (/vomit|呕吐|吐了/.test(word)) return "vomit";
  if (/bleed|blood|出血|流血/.test(word)) return "bleed";
  if (/swell|swollen|肿/.test(word)) return "swelling";
  if (/weak|numb|无力|没劲|麻/.test(word)) return "weakness";
  if (/dizz|faint|collaps|头晕|晕/.test(word)) return "dizzy";
  if (/confus|drows|letharg|嗜睡/.test(word)) return "confusion";
  if (/breath|wheez|气短|喘/.test(word)) return "breath";
  if (/headache|头痛|头疼/.test(word)) return "headache";
  if (/palpitation|心慌/.test(word)) return "palpitations";
  if (/rash|皮疹/.test(word)) return "rash";
  if (/jaundice|黄疸/.test(word)) return "jaundice";
  return "pain";
}

/** Three or more different serious symptoms asserted in one message, not mild, not long-standing, not already assessed. */
function multiSymptom(text: string): string | undefined {
  const kinds = new Set<string>();
  let first: number | undefined;
  for (const s of sentences(text)) {
    if (ASSESSED.test(s.text) || CHRONIC.test(s.text)) continue;
    for (const m of s.text.matchAll(SERIOUS)) {
      const at = s.start + m.index;
      if (!isAsserted(text, at)) continue;
      const win = s.text.slice(Math.max(0, m.index - 15), m.index + m[0].length + 5);
      if (MILD.test(win)) continue;
      kinds.add(kindOf(m[0]));
      first ??= at;
    }
  }
  return kinds.size >= 2 && first !== undefined ? text.slice(first, first + 160) : undefined;
}

/** The floor's flag when the text reports a new, worsening or severe symptom in one sentence. */
export function safetyFloor(text: string): Flag[] {
  const several = multiSymptom(text);
  if (several && !sentences(text).some((s) => extremeIn(s.text) && isAssertedSentence(text, s.start, s.text)))
    return [{ code: FLOOR_CODE, evidence: several.trim(), source: CAT_SRC.generic, urgency: "urgent" }];
  for (const s of sentences(text)) {
    const st = s.text;
    if (ASSESSED.test(st) || (CHRONIC.test(st) && !WORSENING.test(st.replace(NOT_WORSE, "")))) continue;
    for (const sym of st.matchAll(SYMPTOM)) {
      const at = s.start + sym.index;
      if (!isAsserted(text, at)) continue;
      const win = st.slice(Math.max(0, sym.index - 40), sym.index + sym[0].length + 40);
      const acute = [...win.matchAll(ACUTE)].find(
        (m) =>
          !/^new(?:ly)?$/.test(m[0]) ||
          /new (?:\w+ )?(?:pain|lump|rash|swelling|symptom|headache|numbness|weakness|bleeding)/.test(win),
      );
      const recent = !acute && SERIOUS_WHEN_NEW.test(sym[0]) && RECENT.test(st);
      if (!acute && !recent) continue;
      const acuteWord = acute?.[0] ?? "";
      // "a little worse", 有点加重: mild wording holds the floor unless the change is sudden or severe.
      if (MILD.test(win) && !/sudden|severe|worst|unbearable|excruciating|突然|剧烈|受不了|剧痛/.test(acuteWord)) continue;
      if (extremeIn(st) && !MILD.test(win))
        return [{ code: SEVERE_FLOOR_CODE, evidence: st.trim(), source: SEVERE_FLOOR_SRC, urgency: "emergency" }];
      return [{ code: FLOOR_CODE, evidence: st.trim(), source: CAT_SRC.generic, urgency: "urgent" }];
    }
  }
  return [];
}
