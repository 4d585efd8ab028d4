/**
 * Keyword red flags from RULES.md "Patient-message red flags": level 3 hypoglycemia and the
 * non-diabetes emergencies (chest pain, stroke signs, sudden vision loss, suicidal ideation,
 * shortness of breath at rest), plus the diabetic-foot rule. Each rule is data: a pattern in
 * English and Chinese, its urgency and its source; `scanKeywordFlags` applies the shared
 * negation / history / hypothetical filters.
 */
import type { Flag, Urgency } from "../core/domain.js";
import { SRC } from "./sources.js";
import { isAsserted, isNegated } from "./text/context.js";
import { clauseAt } from "./text/segment.js";

export interface KeywordRule {
  code: string;
  urgency: Urgency;
  source: string;
  re: RegExp;
  /** Rejects a match given the clause text after/around it (look-alikes such as "confused about"). */
  reject?: (clause: string, match: string, before: string) => boolean;
  /** Suicidal ideation only honours negation: "if this goes on I'll kill myself" must still fire. */
  negationOnly?: boolean;
}

export const KEYWORD_RULES: KeywordRule[] = [
  {
    code: "hypo-level3",
    urgency: "emergency",
    source: SRC.ada6,
    re: /passed out|pass(?:es|ing)? out|fainted|fainting|blacked out|collapsed|unconscious|unresponsive|not responding|seizures?|seizing|convuls\w*|not waking up|won'?t wake|can'?t wake|cannot wake|couldn'?t wake|hard to wake|confused|confusion|disoriented|not making sense|can'?t answer|cannot answer|needed (?:help|glucagon|someone)|(?:gave|give|given|had to give) (?:me |him |her )?glucagon|glucagon (?:shot|injection|given)|晕倒|昏倒|昏迷|昏过去|晕过去|叫不醒|喊不醒|意识不清|神志不清|意识模糊|不省人事|抽搐|迷迷糊糊|糊涂|胡言乱语|晕厥|叫了没反应|没有?反应了|帮我?.{0,3}(?:喂|喝|吃).{0,3}糖|喂了?.{0,3}糖水|(?:打|用)了胰高血糖素/g,
    reject: (_c, m, before) =>
      (/^confus/.test(m) && /\b(?:i'?m|i am|am|a bit|little|so|very|getting)\s*$/.test(before)) || /搞|弄$/.test(before),
  },
  {
    code: "chest-pain",
    urgency: "emergency",
    source: SRC.emergency,
    re: /chest (?:pain|pressure|tightness|discomfort|hurts|is tight|feels tight)|pain in (?:my|his|her|the) chest|crushing (?:chest )?pain|tight chest|heart attack|胸痛|胸口.{0,3}(?:痛|疼|闷|压|紧)|胸闷|心绞痛|心口.{0,2}(?:痛|疼)|胸部.{0,3}(?:痛|疼|压)/g,
  },
  {
    code: "stroke-signs",
    urgency: "emergency",
    source: SRC.emergency,
    re: /face (?:is )?(?:drooping|droops|droopy|drooped)|droop\w* (?:face|mouth|smile)|one side of (?:my|his|her) face|slurred speech|speech (?:is |was )?slurred|slurring|(?:can'?t|cannot|unable to) (?:speak|talk|get (?:the )?words out)|(?:arm|leg|side) (?:is |went |feels |suddenly |has gone )*(?:weak|numb|limp|dead)|weakness (?:in|of|on) (?:his|her|my|one|the) (?:arm|leg|side)|(?:having|has|had|is having) a stroke|stroke symptoms|嘴歪|口角歪|脸歪|嘴角歪|口眼歪斜|面瘫|说话不清|口齿不清|说话含糊|含糊不清|(?:手|右手|左手)拿不住|说不出话|言语不清|舌头发硬|(?:胳膊|手臂|一侧|半边|半身|左边|右边|左侧|右侧|左手|右手|左腿|右腿)[^，。,]{0,6}(?:没力气|无力|没劲|麻木|不能动|动不了|抬不起)|中风|脑卒中|卒中/g,
  },
  {
    code: "vision-loss",
    urgency: "emergency",
    source: SRC.emergency,
    re: /(?:sudden(?:ly)?|all of a sudden)[^.]{0,30}(?:can'?t|cannot|couldn'?t|unable to) see|(?:sudden(?:ly)?|all of a sudden)[^.]{0,20}(?:vision loss|loss of vision|lost (?:my |the )?vision|went blind|blind)|(?:lost|losing) (?:my |the )?(?:vision|sight) (?:suddenly|all of a sudden|in one eye)|curtain (?:over|across) (?:my )?(?:eye|vision)|突然[^，。,]{0,8}(?:看不见|看不清|失明|视力丧失|什么都看不到|眼前一黑)|一只眼[^，。,]{0,4}(?:看不见|失明)/g,
  },
  {
    code: "suicidal-ideation",
    urgency: "emergency",
    source: SRC.emergency,
    negationOnly: true,
    re: /(?:kill|hurt|harm|cut) myself|suicid\w*|end (?:my life|it all)|don'?t want to (?:live|be alive|be here|wake up)|want to die|wanna die|wish i (?:was|were) dead|better off dead|no reason to live|take all (?:of )?my (?:insulin|pills|tablets|meds)|overdose on purpose|自杀|不想活|活着没意思|想死|轻生|结束生命|活着太累|割腕|一了百了|不如死了|跳楼/g,
  },
  {
    code: "dyspnea-at-rest",
    urgency: "emergency",
    source: SRC.emergency,
    re: /(?:can'?t|cannot|couldn'?t|struggling to|hard to|difficulty|trouble) (?:breathe|breathing|catch (?:my|his|her) breath)|short(?:ness)? of breath|breathless|gasping for air|喘不上气|喘不过气|呼吸困难|上不来气|憋气|气短/g,
    reject: (clause, m) => {
      if (/walk|stairs|exercis|running|run\b|jog|climb|gym|走路|爬楼|运动|跑步|上楼|干活/.test(clause)) return true;
      // "short of breath"/气短 are at-rest only when the message says so; "can't breathe" is enough on its own.
      if (/short|breathless|气短/.test(m))
        return !/at rest|resting|sitting|lying|even when|doing nothing|while still|in bed|躺着|坐着|不动|休息|静息/.test(clause);
      return false;
    },
  },
];

/** First asserted match of each keyword rule. `text` is normalised (lower-case). */
export function scanKeywordFlags(text: string): Flag[] {
  const flags: Flag[] = [];
  for (const rule of KEYWORD_RULES) {
    for (const m of text.matchAll(rule.re)) {
      const clause = clauseAt(text, m.index);
      const before = text.slice(clause.start, m.index);
      if (rule.reject?.(clause.text, m[0], before)) continue;
      const ok = rule.negationOnly ? !isNegated(text, m.index) : isAsserted(text, m.index);
      if (!ok) continue;
      flags.push({ code: rule.code, evidence: clause.text.trim(), source: rule.source, urgency: rule.urgency });
      break;
    }
  }
  return flags;
}

const FOOT = /\bfoot\b|\bfeet\b|\btoes?\b|\bheel\b|\bsole\b|\bankle\b|脚|足部|足底|双足|左足|右足|趾/;
const FOOT_CRITICAL =
  /black|gangren\w*|dead tissue|necro\w*|(?:cold|pale|blue)(?: and |, ?)(?:pale|cold|blue)|turn(?:ed|ing)? (?:black|blue|purple)|发黑|变黑|坏疽|坏死|冰凉|发凉.{0,3}发白|苍白|发紫/;
const FOOT_INFECTED =
  /pus|oozing|leaking|discharge|spreading|red streak|foul smell|smells|fever|化脓|流脓|脓|蔓延|发臭|臭|发烧|发热/;
const FOOT_PROBLEM =
  /ulcer|wound|sore\b|cut\b|blister|infect\w*|swollen|swelling|\bred(?:ness)?\b|not healing|won'?t heal|crack\w*|bleeding|伤口|溃疡|水泡|水疱|破了|破皮|红肿|肿|不愈合|长不好|感染|裂口|流血/;

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
    if (prob && isAsserted(text, at(prob)) && isAsserted(text, m.index)) {
      return [{ code: "foot-problem", evidence: around.trim(), source: SRC.foot, urgency: "urgent" }];
    }
  }
  return [];
}
