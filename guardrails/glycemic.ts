/**
 * Glucose and ketone red flags (RULES.md): level 1/2 hypoglycemia (ADA §6), DKA pattern and
 * euglycemic DKA on SGLT2 inhibitors, HHS (Umpierrez 2024) and sick-day hyperglycemia.
 * Thresholds are compared in the reading's own unit so 54 mg/dL and 3.0 mmol/L are exact.
 */
import type { Flag } from "../core/domain.js";
import { SRC } from "./sources.js";
import { isAsserted, isNegated } from "./text/context.js";
import { glucoseAbove, glucoseAtLeast, glucoseBelow, type Measurement } from "./text/extract.js";
import { clauseAt } from "./text/segment.js";

export interface GlycemicContext {
  onSglt2: boolean;
  onInsulinOrSu: boolean;
  elderly: boolean;
  /** Type 1 diabetes (text or record): vomiting or deep/fast breathing is DKA until shown otherwise. */
  type1?: boolean;
}

const SYMPTOMS =
  /shak\w*|trembl\w*|sweat\w*|clammy|dizz\w*|light-?headed|confus\w*|faint\w*|weak\b|weakness|palpitation\w*|heart (?:is )?racing|blurr\w*|feel (?:awful|terrible|bad|sick|strange|weird)|not feeling well|手抖|发抖|在抖|抖个?不停|哆嗦|出汗|冷汗|心慌|心悸|头晕|很晕|眩晕|难受|乏力|没力气|无力|眼花|饿得慌/g;
/**
 * Evidence the low is over: a "now"/"after treating" statement or the reading coming back up.
 * Feeling fine alone is not resolution — a 38 mg/dL reading with "I feel okay" is an
 * unresolved, asymptomatic Level 2 low (ADA §6: emergency when unresolved).
 */
const RESOLVED =
  /fine now|better now|ok now|okay now|feel(?:ing)? (?:ok|okay|fine|better|normal) now|(?:ok|okay|fine|better|normal) after (?:eating|drinking|juice|candy|glucose|sugar|treating|a snack)|(?:ate|drank|had|took) (?:some |a |the )?(?:candy|juice|sugar|glucose|snack|tablets?)[^.]{0,40}(?:fine|better|ok|okay|normal)|recovered|back to normal|came back up|back up to|went up to|好了|恢复了?|正常了|缓过来|没事了|升上来了|上来了/;
const UNRESOLVED = /still|won'?t (?:come|go) up|not coming up|keeps? dropping|还是|仍然|依然|升不上来|上不来|一直低|还在降/;
const RECURRENT =
  /every (?:night|day|morning)|most nights|almost every|again and again|keep (?:having|getting)|keeps happening|repeated\w*|recurr\w*|several times|many times|frequent\w*|often|lots of lows|a lot of lows|\bagain\b|\blows\b|twice|(?:2|3|two|three) times|老是|经常|反复|总是|频繁|好几次|天天|每晚|每天晚上|每天(?:半夜|夜里|早上|凌晨)?都|每(?:个)?(?:晚|夜)|几乎每天|连续(?:几|两|三|\d)(?:天|晚|次)|又低|又低血糖|几次|第[二三四五六七八九十\d]+次|(?:两|三|几|\d)次了/;
const DKA_SYMPTOMS =
  /vomit\w*|throw(?:ing)? up|threw up|puk(?:e|ed|ing)\b|being sick|can'?t keep (?:anything|fluids|food|water|liquids|it) down|abdominal pain|stomach (?:pain|ache|hurts)|(?:belly|tummy) (?:pain|ache|hurts)|my stomach hurts|breathing (?:really |very |so )?(?:fast|rapid|deep|heavy|hard)|rapid breathing|deep breathing|kussmaul|fruity breath|呕吐|吐了|一直吐|老是吐|吐个不停|(?<![想要吞谈])吐(?:得|出来|过)|(?:一直|老是|总是|还在|又|都|就|还|直)吐|吃什么吐什么|(?:吃|喝)[^，。,\s]{0,4}(?:都|就)吐|肚子(?:疼|痛)|腹痛|胃(?:疼|痛)|呼吸(?:很|特别|非常|好)?(?:快|急|深|急促)|喘粗气|烂苹果味/g;
const VOMIT_OR_BREATH = /vomit|throw|threw|sick|keep|breath|kussmaul|呕吐|吐|呼吸|喘/;
const HIGH_WORDS =
  /(?:sugars?|glucose) (?:is |are |was |were |been )?(?:very |really |so |super |extremely )?(?:high|through the roof|sky.?high)|high (?:blood )?sugars?|血糖(?:很|特别|非常|太|偏|超|好|极)?高/g;
const ILL =
  /\bflu\b|fever|febrile|a cold\b|the cold\b|caught a cold|\bsick\b|\bill\b|unwell|infection|diarrh\w*|stomach bug|gastro\w*|covid|pneumonia|\buti\b|感冒|发烧|发热|拉肚子|腹泻|生病|(?<!糖尿|尿|心脏|肾|高血压|慢性)病了|感染|肺炎|新冠|嗓子疼|咳嗽|着凉|nause\w*|feel(?:ing)? sick|恶心|想吐/g;
const PERSISTENT =
  /\b(?:for|over|the (?:last|past)) (?:\d+|two|three|four|five|six|seven|several|a few|many) (?:days|weeks)\b|all (?:week|day)|every (?:day|reading|morning)|keeps? (?:being|going|staying)|won'?t come down|not coming down|even with|despite|连续|一直|好几天|这几天|几天了|(?:两|三|四|五|几|\d+)天(?:了|都|一直)?|降不下来|都在/;
const KETONE_WORDS =
  /(?:large|moderate|high) (?:urine |blood )?ketones|ketones (?:are |were )?(?:large|moderate|high)|酮体.{0,3}(?:阳性|很高|偏高)|尿酮.{0,2}阳性/g;

const LOW_WORDS =
  /低血糖|血糖(?:值)?(?:很|特别|非常|太|偏|有点|有些|比较|又|老是|经常|总是)?低|(?:sugars?|glucose|bg|bs) (?:is |are |was |were |been |keeps? |keep |going |gone |went )?(?:very |really |so |too |dangerously )?(?:low|dropping|crashing)|\blow (?:blood )?sugars?\b|\b(?:had|having|have had|keep (?:having|getting)|been having|been getting|getting|got|went|going|gone|goes) (?:a |another |some |more |several |many |lots of |frequent |repeated |bad )?(?:lows?|hypos?)\b|\blows? (?:every|most|again|at night|overnight)|\bhypo(?:s|ing)? (?:again|every)/g;

function firstAsserted(text: string, re: RegExp, negationOnly = false): RegExpMatchArray | undefined {
  for (const m of text.matchAll(re)) if (negationOnly ? !isNegated(text, m.index ?? 0) : isAsserted(text, m.index ?? 0)) return m;
  return undefined;
}

const evidenceOf = (text: string, at: number) => clauseAt(text, at).text.trim();

export function glycemicFlags(text: string, measures: Measurement[], ctx: GlycemicContext): Flag[] {
  const flags: Flag[] = [];
  const glucose = measures.filter((m) => m.kind === "glucose" && isAsserted(text, m.start));
  const lows = glucose.filter((g) => glucoseBelow(g, 70, 3.9));
  const level2 = lows.find((g) => glucoseBelow(g, 54, 3.0));
  const level1 = lows.find((g) => !glucoseBelow(g, 54, 3.0));
  if (level2 || level1) {
    const low = (level2 ?? level1) as Measurement;
    const later = glucose.filter((g) => g.start > low.start);
    const resolvedByReading = later.length > 0 && later.every((g) => !glucoseBelow(g, 70, 3.9));
    const resolved = resolvedByReading || RESOLVED.test(text.slice(low.start));
    const unresolved = UNRESOLVED.test(text.slice(low.start)) || later.some((g) => glucoseBelow(g, 70, 3.9));
    const symptomatic = firstAsserted(text, SYMPTOMS, true) !== undefined;
    if (level2) {
      const emergency = symptomatic || unresolved || !resolved;
      flags.push({
        code: "hypo-level2",
        evidence: evidenceOf(text, low.start),
        source: SRC.ada6,
        urgency: emergency ? "emergency" : "urgent",
      });
    } else {
      // A level 1 low whose symptoms persist ("still shaking" after the reading) has not answered
      // the 15–15 rule's first treatment (ADA §6: recheck after 15 min, repeat while still low).
      const persisting = unresolved && symptomatic;
      const urgent = RECURRENT.test(text) || ctx.elderly || persisting;
      flags.push({
        code: "hypo-level1",
        evidence: evidenceOf(text, low.start),
        source: SRC.ada6,
        urgency: urgent ? "urgent" : "routine",
      });
    }
  }

  // A low named without a number ("又低血糖了", "keep having lows"): level unknown, so only the
  // level-1 escalators apply (recurrent, elderly); level 3 signs are caught by keyword rules.
  if (!level1 && !level2) {
    const word = firstAsserted(text, LOW_WORDS);
    if (word) {
      const urgent = RECURRENT.test(text) || ctx.elderly;
      flags.push({
        code: "hypo-level1",
        evidence: evidenceOf(text, word.index ?? 0),
        source: SRC.ada6,
        urgency: urgent ? "urgent" : "routine",
      });
    }
  }

  const hhs = glucose.find((g) => glucoseAtLeast(g, 600, 33.3));
  if (hhs) flags.push({ code: "hhs", evidence: evidenceOf(text, hhs.start), source: SRC.dka, urgency: "emergency" });

  const ketone = measures.find((m) => m.kind === "ketone" && m.value >= 3.0 && isAsserted(text, m.start));
  const urine = measures.find((m) => m.kind === "urine-ketone" && m.value >= 2 && isAsserted(text, m.start));
  const plus = firstAsserted(text, /(?:尿酮体?|urine ketones?|ketones?)\s*[:：]?\s*(\+{2,4})/g);
  const ketoneWords = firstAsserted(text, KETONE_WORDS);
  const ketoneHit = ketone ?? urine;
  if (ketoneHit || plus || ketoneWords) {
    const at = ketoneHit?.start ?? plus?.index ?? ketoneWords?.index ?? 0;
    flags.push({ code: "dka-pattern", evidence: evidenceOf(text, at), source: SRC.dka, urgency: "emergency" });
  }

  const sym = firstAsserted(text, DKA_SYMPTOMS);
  const highReading = glucose.find((g) => glucoseAtLeast(g, 200, 11.1));
  const highWords = firstAsserted(text, HIGH_WORDS);
  // No reading below the DKA threshold was given, and the picture itself is DKA: two of
  // vomiting / abdominal pain / deep-fast breathing, or vomiting or such breathing in type 1.
  const kinds = new Set(
    [...text.matchAll(DKA_SYMPTOMS)]
      .filter((m) => isAsserted(text, m.index ?? 0))
      .map((m) =>
        /breath|kussmaul|fruity|呼吸|喘|烂苹果/.test(m[0]) ? "breath" : /pain|ache|hurt|疼|痛/.test(m[0]) ? "pain" : "vomit",
      ),
  );
  const noLowReading = !glucose.some((g) => !glucoseAtLeast(g, 200, 11.1));
  const dkaPicture = noLowReading && (kinds.size >= 2 || (ctx.type1 === true && (kinds.has("vomit") || kinds.has("breath"))));
  if (sym && !flags.some((f) => f.code === "dka-pattern")) {
    if (highReading || highWords || dkaPicture) {
      flags.push({ code: "dka-pattern", evidence: evidenceOf(text, sym.index ?? 0), source: SRC.dka, urgency: "emergency" });
    } else if (ctx.onSglt2) {
      flags.push({
        code: "euglycemic-dka-sglt2",
        evidence: evidenceOf(text, sym.index ?? 0),
        source: SRC.dka,
        urgency: "emergency",
      });
    } else if (VOMIT_OR_BREATH.test(sym[0])) {
      // Vomiting or fast breathing below the DKA glucose threshold: a sick day that needs a nurse today.
      flags.push({
        code: "sick-day-symptoms",
        evidence: evidenceOf(text, sym.index ?? 0),
        source: SRC.sickDay,
        urgency: "urgent",
      });
    }
  } else if (ctx.onSglt2 && ketone === undefined) {
    const k = measures.find((m) => m.kind === "ketone" && m.value >= 1.5 && isAsserted(text, m.start));
    if (k) flags.push({ code: "euglycemic-dka-sglt2", evidence: evidenceOf(text, k.start), source: SRC.dka, urgency: "urgent" });
  }
  // Raised blood ketones below the emergency level: 1.6–2.9 mmol/L is a high risk of DKA (contact the
  // team now); 0.6–1.5 with illness or nausea is a sick day that needs a nurse today.
  const raised = measures.find((m) => m.kind === "ketone" && m.value >= 0.6 && m.value < 3.0 && isAsserted(text, m.start));
  if (raised && !flags.some((f) => f.urgency === "emergency" || f.code === "euglycemic-dka-sglt2")) {
    const illNow = firstAsserted(text, ILL);
    if (raised.value >= 1.5 || illNow || sym) {
      flags.push({
        code: "raised-ketones",
        evidence: evidenceOf(text, raised.start),
        source: `${SRC.sickDay}; Diabetes UK / JBDS sick-day rules (blood ketones 0.6–1.5 recheck in 2 h, 1.6–2.9 contact the team, ≥ 3.0 A&E)`,
        urgency: "urgent",
      });
    }
  }

  const ill =
    firstAsserted(text, ILL) ??
    measures.find((m) => m.kind === "temperature" && (m.unit === "F" ? m.value >= 100.4 : m.value >= 38));
  const high240 = glucose.find((g) => glucoseAbove(g, 240, 13.3));
  if (ill && high240 && !flags.some((f) => f.urgency === "emergency")) {
    flags.push({
      code: "sick-day-hyperglycemia",
      evidence: evidenceOf(text, high240.start),
      source: SRC.sickDay,
      urgency: "urgent",
    });
  }
  // Persistent hyperglycaemia: > 250 mg/dL (13.9 mmol/L) for days despite the usual treatment — the
  // sick-day guidance's "call your care team" threshold, also without illness.
  const persistent = glucose.find((g) => glucoseAbove(g, 250, 13.9));
  if (persistent && PERSISTENT.test(text) && !flags.some((f) => f.urgency === "emergency" || f.urgency === "urgent")) {
    flags.push({
      code: "persistent-hyperglycemia",
      evidence: evidenceOf(text, persistent.start),
      source: `${SRC.sickDay} (glucose > 250 mg/dL / 13.9 mmol/L on repeated readings: contact the care team)`,
      urgency: "urgent",
    });
  }
  // Project threshold, not a RULES.md row: ≥ 400 mg/dL (22.2 mmol/L) without illness still needs a ketone check today.
  const severe = glucose.find((g) => glucoseAtLeast(g, 400, 22.2));
  if (severe && !flags.some((f) => f.urgency === "emergency" || f.code === "sick-day-hyperglycemia")) {
    flags.push({
      code: "severe-hyperglycemia",
      evidence: evidenceOf(text, severe.start),
      source: `${SRC.sickDay} (project threshold ≥ 400 mg/dL)`,
      urgency: "urgent",
    });
  }
  return flags;
}
