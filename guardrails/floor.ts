/**
 * The safety floor (issue 12): a message that reports a new, worsening or severe symptom that
 * no catalogue row recognises is at least `urgent` with a clinician responder — never a
 * routine automatic reply. Education and data questions ("what is…", "is it normal",
 * 怎么回事, 能吃吗), past events already assessed, stable long-standing and mild symptoms stay
 * routine. Over-triage is the price of the floor; `glycopilot eval triage` measures it.
 */
import type { Flag } from "../core/domain.js";
import { CAT_SRC } from "./catalogue.js";
import { isAsserted, isHypothetical, presentTurnBetween } from "./text/context.js";
import { clauseAt, sentences } from "./text/segment.js";

export const FLOOR_CODE = "unrecognized-acute-symptom";
const SIGN_999_SRC =
  "NHS: when to call 999 (unconscious or hard to wake, blue or grey lips or skin, severe difficulty breathing, bleeding that will not stop, a floppy or unresponsive child)";
const SIGN_SRC =
  "NICE NG51 (sepsis: high and moderate-to-high risk criteria); NICE NG143 (fever in under-5s: red and amber features); NHS: call 999 if someone is drowsy, hard to wake, blue or grey";
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

/**
 * Symptom vocabulary of the floor, any body system, from public symptom lists rather than from
 * cases: the NHS "Health A to Z" symptom pages and ICD-10 chapter R ("Symptoms, signs and abnormal
 * clinical findings": R00–R09 circulatory/respiratory, R10–R19 digestive, R20–R23 skin, R25–R29
 * nervous/musculoskeletal, R30–R39 urinary, R40–R46 cognition/speech, R50–R69 general), in lay
 * English and Chinese. A word here only makes a message a candidate: the floor also needs an
 * acuity cue and an asserted, present report.
 */
const SYMPTOM_EN =
  "pain\\w*|ruptur\\w*|aches?|aching|\\w+aches?|hurts?|hurting|sore(?:ness)?|swell\\w*|swollen|bleed\\w*|blood|rash\\w*|(?<!hay )fevers?|feverish|vomit\\w*|throwing up|diarrh\\w*|dizz\\w*|numb\\w*|tingl\\w*|pins and needles|weak\\w*|faint\\w*|cough\\w*|breathless\\w*|dyspn\\w*|breathing|short(?:ness)? of breath|wheez\\w*|headaches?|migraines?|lumps?|bruis\\w*|burn(?:s|ing)?|cramp\\w*|discharge|infect\\w*|palpitations?|blurr\\w*|vision|confus\\w*|tremor\\w*|shak\\w*|nause\\w*|jaundice|yellow (?:skin|eyes)|limp\\w*|spasms?|stiff\\w*|pus|ulcers?|wounds?|blisters?|spots|tender\\w*|throbbing|pressure|tight\\w*|agitat\\w*|hallucinat\\w*|panic\\w*|hives|welts|hoarse\\w*|swallowing|twitch\\w*|vertigo|spinning|seizures?|fits|(?:having|had|has) a fit|convuls\\w*|drows\\w*|lethargic|floppy|unresponsive|collaps\\w*|sweat\\w*|clammy|chills|rigou?rs|shiver\\w*|constipat\\w*|bloat\\w*|distend\\w*|nosebleeds?|tinnitus|ringing in (?:my|his|her|the) ears?|injur\\w*|can'?t (?:pee|wee|urinate|pass urine|poo)|(?:not|isn'?t|hasn'?t been|won'?t) (?:eating|drinking|feeding|peeing|weeing)";
const SYMPTOM_ZH =
  "疼|痛|肿|出血|流血|鼻血|便血|尿血|皮疹|疹子|发烧|发热|高烧|呕吐|吐了|想吐|恶心|拉肚子|腹泻|头晕|眩晕|天旋地转|晕|发麻|麻木|手麻|脚麻|无力|没力气|没劲|咳嗽|咳|气喘|喘|气短|胀|痒|抽筋|抽搐|肿块|包块|有个包|长了个包|发黄|看不清|视力|模糊|重影|心慌|心悸|伤口|溃疡|化脓|水泡|憋|闷|失眠|幻觉|恐慌|吞咽|咽东西|嘶哑|耳鸣|犯困|嗜睡|糊涂|便秘|出汗|冷汗|发冷|发抖|手抖|脖子硬|尿不出|拉不出|不吃奶|吃不下|喝不下|没精神|蔫";
const SYMPTOM = new RegExp(`\\b(?:${SYMPTOM_EN})\\b|${SYMPTOM_ZH}`, "g");
const SYMPTOM_TEST = new RegExp(SYMPTOM.source);
/**
 * Acuity cues (NHS 111 / Manchester Triage System discriminators): sudden onset, severe or
 * worsening, a new loss of function ("can't get out of bed", 站不起来), distress in a child
 * (inconsolable crying, NICE NG143), unable to keep fluids down, and "since N hours" for a symptom
 * that is never trivial when new (RECENT below).
 */
const ACUTE =
  /\b(?:severe\w*|sudden\w*|suddenly|worse|worsening|getting worse|spreading|unbearable|terrible|horrible|excruciating|worst|intense|agoni[sz]ing|can'?t (?:walk|sleep|move|stand|eat|see|bear|put weight|breathe|think|cope|take it|get (?:out of bed|up|comfortable)|lie (?:down|flat|still)|sit (?:up|still)|swallow|talk|speak|open (?:his|her|my|their) (?:eyes?|mouth)|lift|keep (?:anything|food|water|fluids|drinks|it) down|stop (?:vomiting|shaking|crying|coughing|bleeding|scratching))|(?:cannot|unable to|couldn'?t) (?:walk|stand|move|get up|get out of bed|swallow|talk|speak|see|breathe|keep (?:anything|food|water|fluids) down)|won'?t (?:stop|go away|settle|wake|eat|drink|feed)|really (?:bad|painful|sore|swollen|high|unwell|ill|poorly)|very (?:bad|painful|swollen|unwell|ill|poorly)|so (?:bad|painful|swollen)|much worse|a lot worse|far worse|new(?:ly)?|keeps? getting|getting (?:more|bigger|redder|larger|harder|faster)|more and more|more (?:painful|swollen|frequent)|by the (?:hour|minute)|badly|swelling up|swollen up|swelled up|blown up|high fever|out of nowhere|all of a sudden|extreme\w*|crippling|inconsolabl\w*|screaming|crying (?:in|with) pain|won'?t stop crying|rapidly|keeps? (?:vomiting|throwing up|fainting|passing out)|non-?stop|every few minutes)\b|一天比一天|突然|剧烈|剧痛|很厉害|厉害|受不了|越来越|加重|加剧|严重|难以忍受|止不住|新出现|新长|不停|疼死|痛死|钻心|撕心裂肺|一下子|更(?:厉害|严重|重了|疼|痛|难受)|站不起来|起不来|下不了床|走不了路?|不能走|动不了|吃什么吐什么|喝水都吐|一直(?:哭|吐|疼|痛|拉|烧)|哭闹不止|哭个不停|(?:疼|痛)得睡不着/g;
/**
 * Onset in minutes or hours ("for 40 minutes", "started 2 hours ago", 半小时了, 一个多小时了): a
 * symptom that began within the day is acute (Manchester Triage System "acute onset"; NHS 111).
 */
const HOURS_ONSET =
  /\b(?:for (?:the )?(?:last |past |about |around |over |nearly |almost )?(?:\d+|a few|few|several|an?|one|two|three|four|five|six|twelve) (?:minutes?|mins?|hours?|hrs?)|(?:\d+|a few|few|several|an?|one|two|three|half an?) (?:minutes?|mins?|hours?|hrs?) ago|(?:started|began|came on) (?:about |around )?(?:\d+|an?|half an?) (?:minutes?|mins?|hours?) ago|since (?:lunch|breakfast|dinner|he woke|she woke|i woke|waking)|last known well)\b|(?:半|[一二两三四五六七八九十几\d]+)个?多?(?:小时|钟头)(?:了|前|左右)|[一二两三四五六七八九十几\d]+多?分钟(?:了|前)/;
/** A cue about a reading or a habit, not the symptom: "my sugars are getting worse", 血糖越来越高. */
const TOPIC =
  /\b(?:sugars?|glucose|readings?|numbers?|levels?|control|a1c|hba1c|weight|blood pressure|bp|memory|eyesight over|sleep|mood|diet|appetite|eating habits|handwriting|cholesterol|kidney function)\b|血糖|糖化|血压|体重|指标|记性|睡眠|胃口|视力下降/g;
const ASSESSED =
  /\b(?:saw|seen|see(?:ing)?) (?:by )?(?:the |my |a )?(?:doctor|gp|nurse|specialist|consultant|er|a&e|urgent care)|was seen|went to (?:the )?(?:er|a&e|hospital|emergency|clinic|urgent care|doctor)|(?:doctor|gp|they|hospital|er) (?:said|told|checked|diagnosed|examined)|already (?:checked|treated|seen|assessed)|(?:看过|看了|去过|检查过|查过)(?:医生|急诊|医院|门诊)?|医生(?:说|讲|看过|检查)|已经(?:看过|处理|治疗)|复查过|(?:健康|体格)?检查(?:说|发现|出)|体检(?:说|发现|查出)|诊断(?:为|出)/;
const NO_CHANGE =
  /\b(?:no (?:recent )?change|not changed|hasn'?t changed|unchanged|nothing new|same as (?:always|usual|before))\b|(?:最近)?没有?(?:什么)?变化|没变|跟以前一样|和以前一样/;
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
  /\b(?:(?<!hay )fever\w*|vomit\w*|throwing up|hives|welts|bleed\w*|blood\b|swell\w*|swollen|weak\w*|numb\w*|dizz\w*|faint\w*|confus\w*|breathless\w*|short(?:ness)? of breath|wheez\w*|headaches?|palpitations?|drows\w*|lethargic|jaundice|pain\w*|chills|shiver\w*|rigors?|collaps\w*|rash)\b|发烧|发热|高烧|呕吐|吐了|出血|流血|肿|无力|没劲|麻木|发麻|头晕|晕|气短|喘不|头痛|头疼|心慌|嗜睡|黄疸|疼|痛|寒战|发抖|皮疹|想吐|起疙瘩|风团|红疹/g;

function kindOf(word: string): string {
  if (/fever|发烧|发热|高烧|chill|shiver|rigor|寒战|发抖/.test(word)) return "fever";
  if (/vomit|throwing|呕吐|吐了|想吐/.test(word)) return "vomit";
  if (/bleed|blood|出血|流血/.test(word)) return "bleed";
  if (/swell|swollen|肿/.test(word)) return "swelling";
  if (/weak|numb|无力|没劲|麻/.test(word)) return "weakness";
  if (/dizz|faint|collaps|头晕|晕/.test(word)) return "dizzy";
  if (/confus|drows|letharg|嗜睡/.test(word)) return "confusion";
  if (/breath|wheez|气短|喘/.test(word)) return "breath";
  if (/headache|头痛|头疼/.test(word)) return "headache";
  if (/palpitation|心慌/.test(word)) return "palpitations";
  if (/rash|hives|welts|皮疹|疙瘩|风团|红疹/.test(word)) return "rash";
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

/**
 * Signs that are acute by themselves, whatever the symptom: reduced consciousness, poor perfusion,
 * respiratory distress, a child not feeding or not passing urine (NICE NG51 sepsis high/moderate
 * risk; NICE NG143 red and amber features; NHS "call 999": drowsy, hard to wake, blue or grey, cold
 * and clammy). Reported now, any one is at least urgent.
 */
const ACUTE_SIGN =
  /\b(?:(?:very |really |so )?drowsy|hard to wake|difficult to wake|(?:can'?t|won'?t|couldn'?t) (?:wake|rouse)|not making sense|not (?:himself|herself) at all|floppy|unresponsive|(?:lips?|face|skin|fingers?|tongue) (?:is |are |look |looks |went |turning |turned |gone )*(?:blue|bluish|blueish|grey|gray|purple|mottled|blotchy)|blotchy|mottled|cold (?:and clammy|sweat)|clammy|grunting|can'?t swallow (?:his|her|my|their)? ?(?:own )?(?:saliva|spit)|noisy breathing|breathing (?:is )?(?:really |very |so )?(?:fast|quick|rapid|noisy|hard|heavy|laboured|labored|shallow)|(?:ribs|chest|tummy) (?:is |are )?sucking in|stopped (?:feeding|eating and drinking|drinking)|not (?:feeding|drinking) at all|no wet (?:nappy|nappies|diaper|diapers)|(?:hardly|barely) (?:passed|passing) (?:any )?urine|(?:hasn'?t|haven'?t|not) (?:peed|weed|passed urine|urinated) (?:for|since|in)|black(?:,)? (?:and )?(?:tarry|sticky) (?:poo|stools?)|tarry|jaw (?:is )?locked|lockjaw|knocked out|(?:a )?fit (?:for the first time|with (?:her|his) fever)|first (?:ever )?(?:fit|seizure)|keeps? being sick|vomiting everything|(?:can'?t|cannot|unable to|couldn'?t) (?:lift|raise|move|feel|grip|hold) (?:my|his|her|their|the|one)? ?(?:left |right )?(?:arm|leg|hand|side|face|cup|fork|pen)s?|(?:leg|legs|knee|knees) (?:keeps? |kept )?giv(?:ing|es) way|(?:face|mouth|smile) (?:looks |is |went )?(?:lopsided|crooked|droopy|drooping)|(?:can'?t|cannot|can barely|struggling to) (?:catch (?:my|his|her|their) breath|breathe|talk in sentences|finish a sentence)|gasping|wheezing badly|(?:passed|blacked|blacking|passing) out|fainted|collapsed|keeled over|(?:talking|speaking) (?:nonsense|gibberish)|(?:doesn'?t|does not|didn'?t) (?:know|recogni[sz]e) (?:who|where|me|us)|(?:swallowed|drank|ate) (?:some|a|all|the|lots of|a lot of|a whole|several|\d+)[^.]{0,25}(?:pills|tablets|capsules|bleach|cleaner|antifreeze|battery|batteries|magnets?|poison|weed ?killer|pesticide)|bleeding (?:a lot|heavily|badly|everywhere)|(?:won'?t|doesn'?t|does not) stop bleeding|soaking (?:a|through)|skin (?:is )?(?:white|charred|black) and (?:peeling|leathery)|can'?t see (?:out of|with|anything)|(?:swallowed|drank|ate|got into|has eaten|has swallowed)[^.]{0,30}(?:pills|tablets|medicine|meds|bleach|cleaner|antifreeze|battery|batteries|magnets?|poison|pesticide|dishwasher|detergent|liquitabs?|pods?)|(?:baby|babies|fetal|foetal) (?:has |hasn'?t |has not )?(?:not |hardly |barely )?(?:moved|moving|kicked|kicking)|(?:waters?|water) (?:has |have )?(?:just )?broken|waters broke|(?:chest|breastbone|sternum) (?:is |feels |has been )?(?:really |very |so |a bit )?(?:tight|heavy|burning|hurting|painful|sore|squeezed|pressure)|(?:tightness|heaviness|pressure|burning|pain|discomfort) (?:in|across|on|over) (?:my|his|her|the) chest)\b|抬不起来|拿不住|拿不稳|不听使唤|张不开|说不清|说话不清|说胡话|不认人|不认识人|听不懂话|喘不过气|喘不上气|透不过气|上不来气|呼吸(?:有)?(?:哨音|声音|困难)|憋(?:得)?(?:紫|青|通红)|晕倒|倒地|昏倒|晕过去|晕厥|误(?:吃|服|喝)|吞了|(?:喝|吃)了(?:农药|消毒液|洗洁精|百草枯|老鼠药)|流了(?:好多|很多)血|血(?:止不住|流不止)|起了?(?:好多)?大泡|皮(?:都)?掉了|看不见|什么都看不(?:见|到|清)|胎动(?:少|减少|明显减少|没了)|破水|羊水破|(?:孩子|宝宝|小孩|儿子|女儿)[^，。,]{0,8}(?:吃|喝|吞)了[^，。,]{0,8}(?:药|农药|消毒液|洗衣液|电池|磁铁)|吃了(?:一整板|一整瓶|一整盒|好多|很多|大量)[^，。,]{0,6}药|叫不醒|叫不太醒|喊不醒|迷迷糊糊|精神(?:很|特别|非常)?差|蔫蔫的|(?:嘴唇|脸|脸色|手指|皮肤)(?:发|变|青|都)?(?:紫|青|灰)|发青|发紫|冷汗|湿冷|皮肤发花|呼吸(?:很|特别|非常)?(?:快|急|费力)|喘气有声音|咽不下口水|(?:不|没)(?:怎么)?吃奶|几乎没尿|没有?尿|(?:一直|一整天)?感觉不到胎动|眼前发黑|脸色(?:很|特别|发)?(?:白|苍白)|牙关紧|张不开嘴|吃什么吐什么/g;

/**
 * The NHS "call 999" subset of the acute signs (NHS: when to call 999 — unconscious or hard to
 * wake, blue or grey lips or skin, severe difficulty breathing, bleeding that will not stop, a
 * floppy or unresponsive baby or child): reported now, any one is an emergency.
 */
const SIGN_999 =
  /\b(?:hard to wake|difficult to wake|(?:can'?t|won'?t|couldn'?t) (?:wake|rouse)|unresponsive|floppy|(?:lips?|face|skin|tongue) (?:is |are |look |looks |went |turning |turned |gone )*(?:blue|bluish|blueish|grey|gray)|(?:can'?t|cannot|can barely) (?:breathe|talk in sentences|finish a sentence)|gasping|(?:won'?t|doesn'?t|does not) stop bleeding)\b|叫不醒|喊不醒|(?:嘴唇|脸|脸色)(?:发|变|都)?(?:紫|青|灰)|憋(?:得)?(?:紫|青)|血(?:止不住|流不止)/;

const SIGN_999_G = new RegExp(SIGN_999.source, "g");

/** Positions of `re` in `st` (a fresh global copy, so callers never share lastIndex). */
const all = (re: RegExp, st: string) => [...st.matchAll(re)];

/**
 * A denied cue: "not getting worse", "isn't severe", 不严重, 没有加重. Only a negator right before
 * the cue counts — 腿没力气越来越严重 is a worsening weakness, not a denial.
 */
function cueNegated(text: string, at: number): boolean {
  const clause = clauseAt(text, at);
  const before = text.slice(clause.start, at);
  return (
    /\b(?:no|not|never|isn'?t|hasn'?t|wasn'?t|aren'?t|doesn'?t|without|nor)\b(?:\s+\w+){0,2}\s*$/.test(before) ||
    /(?:没有?|不|未|无|并不)$/.test(before)
  );
}

/**
 * The acuity cues of one sentence that qualify a symptom: not negated ("not getting worse"),
 * not about a reading or habit (the nearest thing named before the cue is a symptom, not
 * "sugars" or 血压), and "new" only as "new pain / new lump …".
 */
function acuityCues(text: string, start: number, st: string): RegExpMatchArray[] {
  const plain = st.replace(NOT_WORSE, (m) => " ".repeat(m.length));
  const topics = all(TOPIC, st).map((m) => (m.index ?? 0) + m[0].length);
  const symptoms = all(SYMPTOM, st).map((m) => (m.index ?? 0) + m[0].length);
  return [...plain.matchAll(ACUTE)].filter((m) => {
    const at = m.index ?? 0;
    if (
      /^new(?:ly)?$/.test(m[0]) &&
      !/^new(?:ly)? (?:\w+ )?(?:pain|lump|rash|swelling|symptom|headache|numbness|weakness|bleeding)/.test(st.slice(at))
    )
      return false;
    if (cueNegated(text, start + at) || isHypothetical(text, start + at)) return false;
    const topic = Math.max(-1, ...topics.filter((p) => p <= at));
    const symptom = Math.max(-1, ...symptoms.filter((p) => p <= at));
    return !(topic > symptom && at - topic < 30);
  });
}

/** A sentence that speaks of the present: not already assessed, not resolved, not long-standing unless it is worse. */
function presentSentence(st: string): boolean {
  if (ASSESSED.test(st) || RESOLVED.test(st.replace(/\bsince last (?:night|week)\b/g, ""))) return false;
  const chronic = CHRONIC.exec(st);
  // "known COPD for years, now …", 有糖尿病多年 今天突然…: the background stops at a present-tense turn.
  if (chronic && presentTurnBetween(st, chronic.index + chronic[0].length, st.length)) return true;
  // "…worse on the stairs, no change recently": a stated absence of change keeps it long-standing.
  if (chronic && NO_CHANGE.test(st)) return false;
  return !(chronic && !WORSENING.test(st.replace(NOT_WORSE, "")));
}

const SEVERE_TIER = /sudden|severe|worst|unbearable|excruciating|突然|剧烈|受不了|剧痛/;

/**
 * The floor's flag when the text reports a new, worsening or severe symptom. The symptom and its
 * acuity cue are combined across the sentences of one message ("my 6-year-old has had tummy ache
 * since yesterday. Now he can't stand up straight"): lay vignettes put the severity in a later
 * sentence than the symptom.
 */
export function safetyFloor(text: string): Flag[] {
  const parts = sentences(text);
  for (const s of parts) {
    if (!presentSentence(s.text)) continue;
    for (const m of s.text.matchAll(SIGN_999_G))
      if (isAsserted(text, s.start + m.index) && !cueNegated(text, s.start + m.index))
        return [{ code: SEVERE_FLOOR_CODE, evidence: s.text.trim(), source: SIGN_999_SRC, urgency: "emergency" }];
  }
  const several = multiSymptom(text);
  if (several && !parts.some((s) => extremeIn(s.text) && isAssertedSentence(text, s.start, s.text)))
    return [{ code: FLOOR_CODE, evidence: several.trim(), source: CAT_SRC.generic, urgency: "urgent" }];
  // Cues are read only when some sentence names a symptom (the common message names none).
  const anySymptom = parts.some((s) => SYMPTOM_TEST.test(s.text));
  const cues = parts.map((s) => (anySymptom && presentSentence(s.text) ? acuityCues(text, s.start, s.text) : []));
  let urgent: Flag | undefined;
  for (const [i, s] of parts.entries()) {
    const st = s.text;
    if (!presentSentence(st)) continue;
    for (const sym of st.matchAll(SYMPTOM)) {
      const at = s.start + sym.index;
      if (!isAsserted(text, at)) continue;
      const mildSym = MILD.test(st.slice(Math.max(0, sym.index - 15), sym.index + sym[0].length + 8));
      const here = (cues[i] ?? []).find(
        (m) => !(mildSym || MILD.test(st.slice(Math.max(0, (m.index ?? 0) - 12), m.index))) || SEVERE_TIER.test(m[0]),
      );
      const recent = !here && !mildSym && ((SERIOUS_WHEN_NEW.test(sym[0]) && RECENT.test(st)) || HOURS_ONSET.test(st));
      if (here || recent) {
        if (extremeIn(st) && !mildSym)
          return [{ code: SEVERE_FLOOR_CODE, evidence: st.trim(), source: SEVERE_FLOOR_SRC, urgency: "emergency" }];
        urgent ??= { code: FLOOR_CODE, evidence: st.trim(), source: CAT_SRC.generic, urgency: "urgent" };
        continue;
      }
      if (mildSym) continue;
      // The cue in another sentence of the same message.
      const j = cues.findIndex(
        (c, k) => k !== i && c.some((m) => !MILD.test(parts[k]?.text.slice(Math.max(0, (m.index ?? 0) - 12), m.index) ?? "")),
      );
      const other = parts[j];
      if (!other) continue;
      if (extremeIn(other.text) && !MILD.test(other.text))
        return [
          {
            code: SEVERE_FLOOR_CODE,
            evidence: `${st.trim()} ${other.text.trim()}`,
            source: SEVERE_FLOOR_SRC,
            urgency: "emergency",
          },
        ];
      urgent ??= { code: FLOOR_CODE, evidence: `${st.trim()} ${other.text.trim()}`, source: CAT_SRC.generic, urgency: "urgent" };
    }
  }
  if (urgent) return [urgent];
  for (const s of parts) {
    if (!presentSentence(s.text)) continue;
    for (const m of s.text.matchAll(ACUTE_SIGN))
      if (isAsserted(text, s.start + m.index) && !cueNegated(text, s.start + m.index))
        return [{ code: FLOOR_CODE, evidence: s.text.trim(), source: SIGN_SRC, urgency: "urgent" }];
  }
  return [];
}
