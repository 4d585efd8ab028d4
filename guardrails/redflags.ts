/**
 * Keyword red flags from RULES.md "Patient-message red flags": level 3 hypoglycemia and the
 * non-diabetes emergencies (chest pain, stroke signs, sudden vision loss, suicidal ideation,
 * shortness of breath at rest), plus the diabetic-foot rule. Each rule is data: a pattern in
 * English and Chinese, its urgency and its source; `scanKeywordFlags` applies the shared
 * negation / history / hypothetical filters.
 */
import type { Flag, Urgency } from "../core/domain.js";
import { type BodySystem, CATALOGUE, type CatalogueRule, type Subject } from "./catalogue.js";
import { SRC } from "./sources.js";
import { isAsserted, isHistory, isNegated, presentTurnBetween } from "./text/context.js";
import { clauseAt, sentenceAt } from "./text/segment.js";

export interface KeywordRule extends CatalogueRule {
  code: string;
  urgency: Urgency;
  source: string;
  re: RegExp;
  system: BodySystem;
  /** Rejects a match given the clause text after/around it (look-alikes such as "confused about"). */
  reject?: (clause: string, match: string, before: string, sentence: string) => boolean;
  /** Suicidal ideation only honours negation: "if this goes on I'll kill myself" must still fire. */
  negationOnly?: boolean;
}

/** The RULES.md keyword red flags (level 3 hypoglycemia and the non-diabetes emergencies it names). */
export const CORE_RULES: KeywordRule[] = [
  {
    code: "hypo-level3",
    system: "metabolic",
    urgency: "emergency",
    source: SRC.ada6,
    re: /passed out|pass(?:es|ing)? out|fainted|fainting|blacked out|collapsed|unconscious|unresponsive|not responding|seizures?|seizing|convuls\w*|not waking up|won'?t wake|can'?t wake|cannot wake|couldn'?t wake|hard to wake|confused|confusion|disoriented|not making sense|talking (?:gibberish|nonsense)|gibberish|acting (?:drunk|strange|weird|odd)|out of it|incoherent|delirious|syncop\w*|barely (?:rousable|arousable|responsive|conscious)|(?:can'?t|cannot|hard to|difficult to) (?:rouse|arouse)|can'?t answer|cannot answer|(?:can'?t|cannot|unable to|won'?t) (?:swallow|drink|take) (?:the |his |her |any )?(?:juice|sugar|glucose|gel|sweets|anything)|needed (?:help|glucagon|someone)|(?:gave|give|given|had to give|used|had to use|needed) (?:me |him |her |them )?(?:the |a |his |her |my )?(?:glucagon|baqsimi|gvoke)|(?:glucagon|baqsimi|gvoke) (?:pen|kit|shot|injection|spray|given)|found (?:me|him|her|them) (?:on the floor|unconscious|collapsed|passed out|unresponsive|slumped)|keeled over|out cold|dropped (?:to the (?:floor|ground)|like a stone)|晕倒|昏倒|昏迷|昏过去|晕过去|晕死过去|昏死过去|没(?:有)?知觉|人事不省|叫不醒|喊不醒|人(?:有点|有些)?迷糊|迷糊了|说胡话|反应迟钝|叫不太醒|叫不大醒|喊不太醒|意识不清|神志不清|意识模糊|不省人事|抽搐|迷迷糊糊|糊涂|胡言乱语|晕厥|叫了没反应|没有?反应了|(?:叫|喊|拍|推|摇)[^，。,\s]{0,3}(?:也|都)?(?:没有?|不)(?:任何)?(?:反应|答应|醒|理人?)|(?:人|他|她)[^，。,\s]{0,2}(?:没有?|毫无)(?:任何)?反应|叫不应|喊不应|不认人|不认识人了?|喂不进|口吐白沫|翻白眼|抽筋|四肢抽动|浑身抽|帮我?.{0,3}(?:喂|喝|吃).{0,3}糖|喂了?.{0,3}糖水|(?:打|用)了胰高血糖素/g,
    reject: (clause, m, before) =>
      (/^(?:confus|out of it)/.test(m) &&
        /\b(?:i'?m|i am|am|a bit|bit|little|so|very|really|kinda|getting|feel|feeling)\s*$/.test(before)) ||
      /搞|弄$/.test(before) ||
      // 抽筋 is a seizure in lay speech only without a body part: 腿抽筋 / 小腿抽筋 is a cramp.
      (m === "抽筋" && /腿|脚|足|手指|手|脚趾|胃|肚|肌肉/.test(clause)),
  },
  {
    code: "chest-pain",
    system: "cardiac",
    urgency: "emergency",
    source: `${SRC.emergency}; NHS: heart attack — call 999; AHA/ACC 2021 chest pain guideline`,
    re: /chest (?:pain|pressure|tightness|discomfort|hurts|is tight|feels tight|heaviness|ache|feels (?:heavy|crushed|squeezed))|(?:pain|ache|aching|pressure|discomfort|tightness|heaviness) (?:in|across|on|over|around|behind) (?:(?:my|his|her|the) )?(?:upper )?(?:back and )?(?:chest|breastbone|sternum)|(?:elephant|weight|someone|something heavy) (?:is )?(?:sitting |standing )?on (?:my|his|her|the) chest|crushing (?:chest )?pain|tight chest|heart attack|chest ?(?:好|很|有点|特别)?(?:闷|痛|疼|紧|压)|胸痛|胸口.{0,3}(?:痛|疼|闷|压|紧)|胸闷|心绞痛|胸骨后[^，。,]{0,6}(?:痛|疼|压)|压榨样(?:疼痛|痛)|心口.{0,2}(?:痛|疼)|胸部.{0,3}(?:痛|疼|压)/g,
  },
  {
    code: "stroke-signs",
    system: "neuro",
    urgency: "emergency",
    source: `${SRC.emergency}; AHA/ASA BE-FAST stroke recognition`,
    re: /face (?:is )?(?:drooping|droops|droopy|drooped)|droop\w* (?:face|mouth|smile)|one side of (?:my|his|her) face|slurred speech|speech (?:is |was )?slurred|slurring|(?:can'?t|cannot|unable to) (?:speak|talk|get (?:the )?words out)|(?:arm|leg|side) (?:is |went |feels |suddenly |has gone )*(?:weak|numb|limp|dead)|weakness (?:in|of|on) (?:his|her|my|one|the) (?:arm|leg|side)|(?:having|has|had|is having) a stroke|stroke symptoms|嘴歪|口角歪|脸歪|嘴角歪|口眼歪斜|面瘫|说话不清|口齿不清|说话含糊|含糊不清|(?:手|右手|左手)拿不住|说不出话|言语不清|舌头发硬|(?:胳膊|手臂|一侧|半边|半身|左边|右边|左侧|右侧|左手|右手|左腿|右腿)[^，。,]{0,6}(?:没力气|无力|没劲|麻木|不能动|动不了|抬不起)|中风|脑卒中|卒中|半身不遂|偏瘫|(?:一边|半边|一侧)身子[^，。,]{0,4}(?:不能动|动不了|没力|无力|麻)/g,
  },
  {
    code: "vision-loss",
    system: "eye",
    urgency: "emergency",
    source: `${SRC.emergency}; NHS: sudden loss of vision — go to A&E`,
    re: /(?:sudden(?:ly)?|all of a sudden)[^.]{0,30}(?:can'?t|cannot|couldn'?t|unable to) see|(?:sudden(?:ly)?|all of a sudden)[^.]{0,20}(?:vision loss|loss of vision|lost (?:my |the )?vision|went blind|blind)|(?:lost|losing) (?:my |the )?(?:vision|sight) (?:suddenly|all of a sudden|in one eye)|(?:lost|losing) (?:all )?(?:(?:my|the|his|her) )?(?:vision|sight)\b(?![^.]{0,40}(?:gradual|slowly|over (?:the )?(?:years|months)))|went blind|blind in (?:one|my|his|her|the) (?:\w+ )?eye|vision (?:went|has gone|is) (?:black|dark)|curtain (?:over|across) (?:my )?(?:eye|vision)|突然[^，。,]{0,8}(?:看不见|看不清|失明|视力丧失|什么都看不到|眼前一黑)|(?:一只眼|一边眼|左眼|右眼)[^，。,]{0,4}(?:看不见|看不到|失明|黑了|什么都看不)/g,
  },
  {
    code: "suicidal-ideation",
    system: "mental-health",
    urgency: "emergency",
    source: `${SRC.emergency}; NICE NG225 (self-harm) / NHS mental health crisis`,
    negationOnly: true,
    // 想死你了 / 想死我了 is "miss you so much", not ideation.
    reject: (clause, m) => m === "想死" && /想死(?:你|您|他|她|它|我了)/.test(clause),
    re: /(?:kill|hurt|harm|cut) myself|suicid\w*|end (?:my life|it all)|don'?t want to (?:live|be alive|be here|wake up)|want to die|wanna die|wish i (?:was|were) dead|better off dead|no reason to live|(?:kill|hurt|harm|cut) (?:him|her|them)sel(?:f|ves)|end (?:his|her|their) life|take (?:my|his|her|their) own life|take all (?:of )?(?:my|his|her) (?:insulin|pills|tablets|meds|pens)|(?:insulin|pills|tablets|meds|pens) (?:all )?(?:at once|in one go)|(?:a|the) whole (?:bottle|box|pack) of (?:pills|tablets|meds|insulin)|no point (?:in )?living|nothing (?:left )?to live for|giving up on (?:everything|life)|tired of (?:living|life)|(?:can'?t|cannot) go on (?:anymore|like this)|want (?:it all|everything) to end|overdos\w*[^.]{0,30}on purpose|intentional(?:ly)? overdos\w*|(?:thinking (?:about|of)|want(?:s|ed)? to|going to|gonna|plan(?:s|ning)? to|tried to|might) (?:overdos\w*|take (?:all|every)|inject (?:all|every))|自杀|不想活|活着没意思|想死|撑不下去|活不下去|活够了|不想再活|胰岛素[^，。,]{0,8}(?:全部?|一次|所有)[^，。,]{0,3}(?:打|注射)(?:了|掉|光|完|进去)|(?:整盒|整瓶|一整瓶|一整盒|一整板)[^，。,]{0,6}(?:全|都)?(?:吃|吞)(?:了|掉|光|完|下去)|一次(?:性)?[^，。,]{0,6}(?:全|都)(?:吃|吞)(?:了|掉|光|完|下去)|把[^，。,]{0,4}(?:药|安眠药)[^，。,]{0,2}全(?:吃|吞)(?:了|掉|光)|轻生|结束生命|活着太累|割腕|一了百了|不如死了|跳楼|(?:天台|楼顶|楼上|桥上|窗台|阳台)[^。]{0,12}(?:跳下去|往下跳)|(?:要|想|准备)跳下去/g,
  },
  {
    code: "dyspnea-at-rest",
    system: "respiratory",
    urgency: "emergency",
    source: `${SRC.emergency}; NHS: call 999 for severe difficulty breathing`,
    re: /(?:can'?t|cannot|couldn'?t|struggling to|hard to|difficulty|trouble) (?:breathe|breathing|catch (?:my |his |her |a |your )?breath)|short(?:ness)? of breath|breathless|gasping for air|喘不上气|喘不过气|喘不上来|喘不过来|透不过气|呼吸(?:很|特别|非常|有点)?困难|上不来气|憋气|气短/g,
    reject: (clause, m) => {
      if (/walk|stairs|exercis|running|run\b|jog|climb|gym|走路|爬楼|运动|跑步|上楼|干活/.test(clause)) return true;
      // "short of breath"/气短 are at-rest only when the message says so; "can't breathe" is enough on its own.
      if (/short|breathless|气短/.test(m))
        return !/at rest|resting|sitting|lying|even when|doing nothing|while still|in bed|躺着|坐着|不动|休息|静息/.test(clause);
      return false;
    },
  },
];

/** Every keyword rule: the RULES.md core and the organ-system catalogue, scanned alike. */
export const KEYWORD_RULES: KeywordRule[] = [...CORE_RULES, ...CATALOGUE];

/** Whom the message is about, for catalogue rows that apply to one group only. */
export type Subjects = Partial<Record<Subject, boolean>>;

const ASSESSED_BEFORE =
  /(?:去|到|上)(?:了)?医院(?:仔细)?(?:检查|看|做)(?:了|过)|(?:检查|看)(?:过|了)(?:医生)?(?:说|以后|后)|医生开了|已经(?:看过|住院|在医院|治疗)|住院(?:了|治疗|期间|后)|因[^，。,]{0,8}住院|做了(?:ct|核磁|mri|检查)|\b(?:was|were|got|been) (?:checked|seen|admitted|assessed|treated|examined) (?:at|in|by)\b|(?:doctors?|they) (?:checked|ran tests|did (?:a |an )?(?:ct|scan|ecg))|(?:is|was) (?:in|admitted to) (?:the )?hospital/;
const LONG_STANDING =
  /一年来|这一年|近一年|多年|好几年|几年来|(?:一|两|三|几|好几)个月来|老毛病|\bfor (?:many |several |a few |the (?:last|past) )?(?:years|months)\b|\bon and off for\b|\bchronic\b/;

/**
 * A past episode that was assessed and has resolved ("went to A&E last month with palpitations, ECG
 * normal, all fine since"; 上个月胸口疼去医院做了心电图 都没问题): the message asks about it, it does not
 * report it. Any sign that it is back or still there ("again", 又, 还在) keeps the rule.
 */
const WENT_FOR_CARE =
  /\bwent to (?:the )?(?:a&e|er|ed|hospital|emergency|urgent care|gp|doctor)|\b(?:was|were|got|been) (?:checked|seen|admitted|assessed|treated|examined)\b|(?:去|到|上)(?:了)?(?:医院|急诊)|看过医生|住院/;
const RESOLVED =
  /\b(?:all fine|been fine|fine since|fine ever since|no problems? since|all clear|nothing (?:was )?found|(?:ecg|ekg|tests?|scans?|bloods|blood tests|angiogram|results?|everything) (?:was |were |came back |all )*(?:normal|fine|clear|ok|okay|negative))\b|都没(?:有)?问题|没(?:有|什么)?问题|一切正常|都正常|结果正常|没事了|已经好了|好了/;
const PAST_EPISODE =
  /\blast (?:week|month|year)\b|\b(?:\d+|a|one|two|three|a few|few|several) (?:weeks?|months?|years?) ago\b|上(?:个)?(?:月|周|星期|礼拜)|(?:几|一|两|三|\d+)(?:个)?(?:星期|周|月|年)前|去年/;
const BACK_AGAIN = /\b(?:again|still|back|returned|worse|since then i|keeps? happening)\b|又|还在|还是|再次|复发|加重/;

function resolvedPastEpisode(text: string): boolean {
  return WENT_FOR_CARE.test(text) && RESOLVED.test(text) && PAST_EPISODE.test(text) && !BACK_AGAIN.test(text);
}

/**
 * A background marker (assessed, long-standing) in the sentence applies to the finding at `rel`
 * unless it comes before it with a present-tense turn between ("known COPD for years, now severe
 * breathlessness at rest"; 有糖尿病多年 今天突然说话不清).
 */
function backgroundReaches(sentence: string, re: RegExp, rel: number): boolean {
  for (const b of sentence.matchAll(new RegExp(re.source, "g"))) {
    const end = b.index + b[0].length;
    if (end <= rel && presentTurnBetween(sentence, end, rel)) continue;
    return true;
  }
  return false;
}

/** Some asserted (not negated, not past-history) match of `re` anywhere in the text. */
function assertedSomewhere(text: string, re: RegExp): boolean {
  for (const m of text.matchAll(re)) if (!isNegated(text, m.index) && !isHistory(text, m.index)) return true;
  return false;
}

/**
 * First asserted match of each keyword rule. `text` is normalised (lower-case). A rule with
 * `needs` fires only when each of its co-findings is asserted somewhere in the message; one
 * with `who` only when the message or record is about that group.
 */
export function scanKeywordFlags(text: string, subjects: Subjects = {}): Flag[] {
  const flags: Flag[] = [];
  for (const rule of KEYWORD_RULES) {
    if (rule.who && !subjects[rule.who]) continue;
    for (const m of text.matchAll(rule.re)) {
      const clause = clauseAt(text, m.index);
      const before = text.slice(clause.start, m.index);
      if (rule.reject?.(clause.text, m[0], before, sentenceAt(text, m.index)?.text ?? clause.text)) continue;
      const ok = rule.negationOnly ? !isNegated(text, m.index) : isAsserted(text, m.index);
      if (!ok) continue;
      if (rule.needs && !rule.needs.every((re) => assertedSomewhere(text, re))) continue;
      // Already assessed ("去医院检查了", "was admitted") or long-standing ("一年来", "for years"): a human
      // still answers today, but it is not a call for emergency services. Crisis rules never step down.
      const piece = sentenceAt(text, m.index) ?? { text, start: 0 };
      const stepDown =
        rule.urgency === "emergency" &&
        !rule.negationOnly &&
        (backgroundReaches(piece.text, ASSESSED_BEFORE, m.index - piece.start) ||
          backgroundReaches(piece.text, LONG_STANDING, m.index - piece.start));
      if (!rule.negationOnly && resolvedPastEpisode(text)) break;
      flags.push({
        code: rule.code,
        evidence: clause.text.trim(),
        source: rule.source,
        urgency: stepDown ? "urgent" : rule.urgency,
      });
      break;
    }
  }
  return flags;
}

const FOOT =
  /\bfoot\b|\bfeet\b|\btoes?\b|\btoenails?\b|\bingrown\b|\bheels?\b|\bsoles?\b|\bankles?\b|脚|足部|足底|足跟|双足|左足|右足|趾/;
const FOOT_CRITICAL =
  /black|gangren\w*|dead tissue|necro\w*|\bpale\b|(?:ice|icy|freezing|stone)[ -]?cold|\bcold\b[^.]{0,20}\b(?:white|blue|grey|gray|purple|mottled)\b|\b(?:white|blue|grey|gray|purple|mottled)\b[^.]{0,20}\bcold\b|turn(?:ed|ing)? (?:black|blue|purple)|发黑|变黑|黑了|黑色|黑紫|紫黑|坏疽|坏死|冰凉|冰冷|发凉.{0,3}发白|发白.{0,3}发凉|苍白|发紫|青紫/;
// NICE NG19 / RULES.md: pus, spreading redness, fever (oozing without pus is an active foot problem: urgent).
const FOOT_INFECTED =
  /pus|spreading|red (?:streak|line)s?|foul smell|smell\w*|stink\w*|getting (?:bigger|worse|redder)|(?:warm|hot) to (?:the )?touch|fever|化脓|流脓|脓|蔓延|发臭|臭|异味|有味|越来越(?:大|红|肿|严重)|扩大|(?:红|肿)了?一大片|一大片红|往上(?:走|蔓延|发展|延伸)|发烧|发热/;
const FOOT_PROBLEM =
  /ulcer|wound|sore\b|cut\b|blister|infect\w*|swollen|swelling|\bred(?:ness)?\b|ingrown|not healing|won'?t heal|crack\w*|bleeding|伤口|溃疡|水泡|水疱|破了|破皮|红肿|肿|不愈合|长不好|没好|感染|裂口|裂(?:了|开)|口子|流血|出血|甲沟炎|嵌甲/;

/** Diabetic foot (NICE NG19): critical signs → emergency; any other active foot problem → urgent. */
export function scanFoot(text: string): Flag[] {
  for (const m of text.matchAll(new RegExp(FOOT.source, "g"))) {
    const clause = clauseAt(text, m.index);
    // The foot and its problem may sit in neighbouring clauses ("the sore on my toe is leaking pus, and I have a fever").
    const around = text.slice(Math.max(0, clause.start - 40), Math.min(text.length, clause.end + 60));
    const crit = FOOT_CRITICAL.exec(around);
    const prob = FOOT_PROBLEM.exec(around);
    const infected = FOOT_INFECTED.exec(around);
    const at = (r: RegExpExecArray | null) => (r ? Math.max(0, clause.start - 40) + r.index : -1);
    if (crit && isAsserted(text, at(crit)))
      return [{ code: "foot-emergency", evidence: around.trim(), source: SRC.foot, urgency: "emergency" }];
    if (
      infected &&
      (prob || /化脓|流脓|脓/.test(infected[0])) &&
      isAsserted(text, at(infected)) &&
      (!prob || isAsserted(text, at(prob)))
    ) {
      return [{ code: "foot-emergency", evidence: around.trim(), source: SRC.foot, urgency: "emergency" }];
    }
    // A mild sprain ("twisted my ankle a little, can walk on it", 崴了脚 有点肿 能走路) is self-care, not a foot problem.
    const mildSprain =
      /twist\w*|sprain\w*|rolled|turned (?:my|his|her) ankle|崴|扭/.test(around) &&
      /can (?:still )?walk|able to walk|a little|a bit|slight\w*|mild\w*|能走|有点|轻微|一点/.test(around) &&
      !/ulcer|wound|cut|blister|bleed\w*|black|伤口|溃疡|水泡|破|流血|发黑/.test(around);
    // Swelling of both feet/ankles with no wound is oedema (pregnancy, heart, kidneys, drugs), not a foot problem.
    const oedema =
      /(?:feet|ankles) and (?:feet|ankles)|both (?:feet|ankles|legs)|swollen ankles|ankle swelling|swelling (?:of|in) (?:her|his|my|the|both) (?:feet|ankles)|双脚|双足|两只脚|两条腿|脚踝(?:都)?(?:有点)?肿|脚(?:和|跟)脚踝/.test(
        around,
      ) && !/ulcer|wound|cut|blister|sore\b|red|black|伤口|溃疡|水泡|破|红|发黑/.test(around);
    if (prob && !mildSprain && !oedema && isAsserted(text, at(prob)) && isAsserted(text, m.index)) {
      return [{ code: "foot-problem", evidence: around.trim(), source: SRC.foot, urgency: "urgent" }];
    }
  }
  return [];
}
