/**
 * Red flags about what the patient is doing rather than feeling: pregnancy with a diabetes
 * medication question (ADA §15) and self-directed dose changes beyond the titration bounds
 * (ADA §9: insulin +2 units per 3 days up, 10–20 % down).
 */
import type { Flag } from "../core/domain.js";
import { isInsulin, isSulfonylurea, mentionedDrugs } from "./meds/formulary.js";
import { SRC } from "./sources.js";
import { isAsserted, isHistory, isNegated } from "./text/context.js";
import { clauseAt, sentences } from "./text/segment.js";

const PREGNANT = /pregnan\w*|expecting a baby|怀孕|怀上|孕\d+周|孕期|妊娠|产检|有喜了/g;
const MED_WORDS = /medication|medicine|\bmeds\b|pills?|tablets?|\bdrugs?\b|insulin|\bdose|prescri\w*|药|胰岛素|打针/;

export function pregnancyFlag(text: string, patientPregnant: boolean): Flag[] {
  const medQuestion = MED_WORDS.test(text) || mentionedDrugs(text).length > 0;
  if (!medQuestion) return [];
  for (const m of text.matchAll(PREGNANT)) {
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    // "might be / could be pregnant" counts (possibly pregnant); "not pregnant" and "if I get pregnant" do not.
    const possibly = /might be|may be|could be|think i'?m|maybe|可能/.test(before);
    if (possibly ? !isNegated(text, m.index) : isAsserted(text, m.index)) {
      return [
        { code: "pregnancy-medication", evidence: clauseAt(text, m.index).text.trim(), source: SRC.ada15, urgency: "urgent" },
      ];
    }
  }
  if (patientPregnant)
    return [
      {
        code: "pregnancy-medication",
        evidence: "pregnant (patient record) with a medication question",
        source: SRC.ada15,
        urgency: "urgent",
      },
    ];
  return [];
}

const EN_SELF =
  /\b(?:i(?:'m| am)? (?:going to|gonna|want to|wanna|plan to|planning to|thinking of|thinking about|decided to|will)|i'll|i'?d like to|can i|could i|should i|may i|is it ok(?:ay)? (?:if i|to)|i (?:have |just |already |'ve )?(?:stopped|quit|skipped|doubled|halved|increased|decreased|reduced|cut|upped|raised|lowered|took an extra|took extra|took double|took more|took less)|(?:^|[,;]\s*|\b(?:and|so|then|bc|because|just|already|he|she|they|he'?s|she'?s|has|have|mom|mum|dad|mother|father|husband|wife|son|daughter|grandma|grandpa)\s+)(?:stopped|skipped|quit|doubled|halved|upped|tripled) (?:my|his|her|their|the|all)\b)\b/g;
/** Change verbs by stem, so every inflection counts: increase/increasing/increased, halve/halving… */
const EN_CHANGE =
  /doubl|tripl|increas|\brais|\bup\b|upped|upping|bump|decreas|reduc|lower|\bcut\b|cutting|halv|\bhalf\b|\bstop|\bskip|\bquit|extra|\bmore\b|\bless\b|take (?:two|both|2)\b|make up for|come off|go off|coming off|going off|adjust/;
const ZH_SELF =
  /(?:我|自己|自行|私自|擅自)[^，。,？?！!]{0,12}?(?:加倍|翻倍|加了一倍|加到|加至|增加到|减到|减至|减少到|减半|减量|加量|停了|停掉|停药|不打了|不吃了|少打|多打|多吃|少吃|加了|减了|加(?!班|油|上|入|餐|强)|减(?!肥|重)|停)/g;
const DOSE_WORDS = /insulin|\bdose|medication|\bmeds\b|pills?|tablets?|shots?|units?|药|胰岛素|针|单位/;
const INSULIN_WORDS =
  /insulin|units?|胰岛素|单位|lantus|novolog|humalog|basal|bolus|glargine|levemir|tresiba|toujeo|长效|短效|诺和|甘精|门冬|地特|德谷/;

const NOT_A_DOSE_CHANGE =
  /风险|概率|几率|可能性|免疫力|抵抗力|听说|据说|\brisk\b|chance of|immunity|i (?:heard|read)|is it true|does .{1,30} (?:increase|raise|lower|reduce)/;

/** Within ADA §9 bounds: insulin up by ≤ 2 units, or down by ≤ 20 %. Unknown magnitude is not "within". */
function withinBounds(sentence: string): boolean {
  if (!INSULIN_WORDS.test(sentence)) return false;
  const ft =
    /(?:from|从)\s*(\d+(?:\.\d+)?)\s*(?:units?|u|iu|单位|个单位)?\s*(?:to|加到|增加到|加至|减到|减少到|减至|降到|调到|改到|到)\s*(\d+(?:\.\d+)?)/.exec(
      sentence,
    );
  if (ft) {
    const from = Number(ft[1]);
    const to = Number(ft[2]);
    if (to > from) return to - from <= 2;
    return from > 0 && (from - to) / from <= 0.2;
  }
  const by = /(?:by|加|增加|多打)\s*(\d+(?:\.\d+)?)\s*(?:units?|u|iu|个?单位)/.exec(sentence);
  if (by && /increas|\brais|\bup\b|bump|加|多/.test(sentence)) return Number(by[1]) <= 2;
  return false;
}

export function selfDoseFlag(text: string): Flag[] {
  const hasDrug = (s: string) => DOSE_WORDS.test(s) || mentionedDrugs(s).length > 0;
  for (const s of sentences(text)) {
    const st = s.text;
    if (!hasDrug(st)) continue;
    let hit: RegExpMatchArray | undefined;
    for (const m of st.matchAll(EN_SELF)) {
      // A change the doctor made or ordered is not self-directed.
      if (/\b(?:doctor|dr|doc|nurse|endo\w*|gp|physician|prescriber)\b[^.]{0,25}$/.test(st.slice(0, m.index + m[0].length)))
        continue;
      const rest = st.slice(m.index, m.index + m[0].length + 50);
      if (EN_CHANGE.test(rest)) {
        hit = m;
        break;
      }
    }
    hit ??= st.matchAll(ZH_SELF).next().value ?? undefined;
    if (!hit) continue;
    const at = s.start + (hit.index ?? 0);
    if (isHistory(text, at) || isNegated(text, at)) continue;
    // "增加糖尿病的风险", "increase my immunity", "I heard statins…": risk and hearsay, not a dose change.
    if (NOT_A_DOSE_CHANGE.test(st) && !/\d\s*(?:units?|u\b|iu|mg|单位|片|粒)/.test(st)) continue;
    if (withinBounds(st)) continue;
    return [{ code: "self-dose-change", evidence: st.trim(), source: SRC.ada9, urgency: "urgent" }];
  }
  return [];
}

/** A dose taken twice or too much by mistake (not a plan): "accidentally took my gliclazide twice", 多打了一针. */
const EXTRA_DOSE =
  /\b(?:took|taken|injected|gave|given|had|used)\b[^.]{0,40}\b(?:twice|two doses|double|an extra|again by mistake|too much|the wrong (?:dose|pen|insulin))\b|\b(?:by mistake|accidentally|accidently|mistakenly)\b[^.]{0,40}\b(?:took|taken|injected|gave|double\w*|twice|extra)\b|(?:吃|打|注射)了?(?:两|2)次|多(?:吃|打|注射)了|重复(?:吃|打|注射)|(?:吃|打)重了|(?:不小心|误)[^，。,；;]{0,12}(?:吃|打|注射)/;

/**
 * Insulin or a sulfonylurea taken twice or in excess by mistake: hypoglycaemia may follow over the
 * next hours, so a clinician advises today (ADA Standards of Care §6 — insulin and sulfonylureas
 * carry the hypoglycaemia risk; Schmitt-Thompson-style "medication question: extra dose" protocol).
 */
export function extraDoseFlag(text: string): Flag[] {
  for (const s of sentences(text)) {
    const st = s.text;
    const m = EXTRA_DOSE.exec(st);
    if (!m) continue;
    const risky = /insulin|胰岛素/.test(st) || mentionedDrugs(st).some((d) => isInsulin(d.drug) || isSulfonylurea(d.drug));
    if (!risky) continue;
    const at = s.start + m.index;
    if (isHistory(text, at) || isNegated(text, at) || !isAsserted(text, at)) continue;
    return [
      {
        code: "accidental-extra-dose",
        evidence: st.trim(),
        source: `${SRC.ada6}; Schmitt-Thompson-style telephone triage (medication question: extra dose)`,
        urgency: "urgent",
      },
    ];
  }
  return [];
}
