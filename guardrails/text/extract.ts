/**
 * Clinical measurements in free text, with units: glucose (mg/dL, mmol/L, meter "LO"/"HI",
 * 测不出来), HbA1c (% or mmol/mol), ketones (blood mmol/L, urine "2+"/"++"), eGFR, blood
 * pressure, temperature. A number is typed by the unit after it, else by the nearest cue word
 * before it in the same sentence ("glucose 250", 血糖18, "ketones 3.4").
 * Glucose with no unit: values ≤ 35 are read as mmol/L, larger ones as mg/dL (no plausible
 * mg/dL reading is ≤ 35 and no plausible mmol/L reading is > 35).
 */
import { sentences } from "./segment.js";
import { parseZhNumber, ZH_NUMBER_RE } from "./zh-numerals.js";

export const MGDL_PER_MMOL = 18.016;

export type MeasureKind =
  | "glucose"
  | "hba1c"
  | "ketone"
  | "urine-ketone"
  | "egfr"
  | "bp"
  | "temperature"
  | "spo2"
  | "heart-rate"
  | "potassium"
  | "sodium"
  | "resp-rate"
  | "other";

export interface Measurement {
  kind: MeasureKind;
  value: number;
  /** "mg/dL" | "mmol/L" | "%" | "mmol/mol" | "+" | "mL/min" | "mmHg" | "C" | "F" | "bpm" | "" */
  unit: string;
  /** Glucose only: the value in mg/dL (for display; thresholds compare in the original unit). */
  mgdl?: number;
  /** Meter out-of-range reading. */
  flag?: "LO" | "HI";
  /** Diastolic value for "bp". */
  value2?: number;
  start: number;
  end: number;
  text: string;
}

const CUES: [MeasureKind, RegExp][] = [
  ["hba1c", /hba1c|a1c|糖化血红蛋白|糖化/g],
  ["urine-ketone", /urine ketones?|尿酮体?|ketostix/g],
  ["ketone", /ketones?|血酮|酮体|β-?羟丁酸|bhb/g],
  ["egfr", /egfr|gfr|肾小球滤过率/g],
  ["bp", /blood pressure|\bbp\b|血压/g],
  ["temperature", /temperature|\btemp\b|fever of|体温|温度|发烧|发热/g],
  [
    "spo2",
    /spo2|sp02|\bsao2\b|o2 sat\w*|oxygen (?:sat\w*|levels?|is)|\bsats?\b|saturation|pulse ?ox\w*|血氧(?:饱和度)?|氧饱和度|指脉氧/g,
  ],
  ["resp-rate", /resp(?:iratory|\.)? ?rate|\brr\b|\bresps?\b|breathing rate|呼吸频率|呼吸(?=\s*\d)/g],
  ["heart-rate", /heart ?rate|pulse(?: rate)?|\bhr\b|心率|脉搏|心跳/g],
  ["potassium", /potassium|\bk\+?(?=\s*[:=]?\s*\d)|血钾|钾/g],
  ["sodium", /sodium|\bna\+?(?=\s*[:=]?\s*\d)|血钠|钠/g],
  [
    "other",
    // Every analyte or quantity that is not glucose: a number bound to one of these is never a glucose reading.
    /ldl|hdl|cholesterol|triglycerides?|\btg\b|\btc\b|creatinine|\bcr\b|\bscr\b|chloride|calcium|\bca\b|magnesium|phosph\w*|bicarb\w*|\bhco3\b|urea|\bbun\b|uric acid|urate|bilirubin|\bbili\b|albumin|\balb\b|protein|\balt\b|\bast\b|\bggt\b|\balp\b|alkaline phosphatase|amylase|lipase|lactate|troponin|\bbnp\b|nt-?probnp|\bcrp\b|\besr\b|procalcitonin|\bwbc\b|white (?:cell|count)|neutrophils?|lymphocytes?|platelets?|\bplt\b|h(?:a)?emoglobin(?! a1c)|\bhgb\b|\bhb\b(?!a1c)|h(?:a)?ematocrit|\bmcv\b|ferritin|\biron\b|b12|folate|vitamin|\btsh\b|\bft4\b|\bft3\b|\bt4\b|\bt3\b|cortisol|insulin level|c-?peptide|psa|\binr\b|d-?dimer|fibrinogen|\bpth\b|testosterone|oestradiol|estradiol|\bhcg\b|lh\b|fsh\b|prolactin|ammonia|ketoacid|osmolality|\bph\b|\bpco2\b|\bpo2\b|weight|weigh|height|\bbmi\b|waist|uacr|\bacr\b|microalbumin|\bpcr\b|ige|tumou?r marker|cea|afp|ca-?125|胆固醇|甘油三酯|低密度|高密度|肌酐|尿素氮?|尿酸|血钙|血镁|胆红素|白蛋白|蛋白|转氨酶|谷丙|谷草|淀粉酶|脂肪酶|乳酸|肌钙蛋白|血红蛋白|白细胞|血小板|红细胞|中性粒|淋巴|铁蛋白|维生素|甲功|促甲状腺|游离|皮质醇|c肽|胰岛素水平|前列腺|凝血|d-?二聚体|体重|身高|腰围|尿蛋白|尿微量白蛋白|微量白蛋白|尿白蛋白|肿瘤标志物/g,
  ],
  [
    "glucose",
    /glucose|sugars?|\bcbg\b|\bbms?\b|capillary (?:blood )?glucose|\bbg\b|\bbs\b|\bbgl\b|\bsmbg\b|\bmeter\b|\bcgm\b|dexcom|libre|\blows? (?:of|around|about|in the)|\bhypo (?:of|at)|\bhighs? of|血糖|指尖|低血糖|高血糖/g,
  ],
  [
    // Weak glucose cues: they make a number a glucose reading only when no other analyte is named in its clause.
    "glucose-weak" as MeasureKind,
    /readings?|fasting|\bfbg\b|\bfpg\b|before (?:breakfast|bed|meals?)|after (?:meals?|eating|breakfast|lunch|dinner)|空腹|餐后|睡前|测了?一?下?|\b(?:my|a|an) (?=\d+(?:\.\d+)? (?:this|last|before|after|at|overnight|in the|today|tonight|yesterday))|(?:now|rechecked|recheck|back up|came up|went up|went down|dropped|down) (?:to |at |is |it's |it is )?(?=\d)|现在|降到|升到/g,
  ],
];

const NOT_A_READING =
  /^\s*(?:-?\s*(?:years?|yrs?|y\/o|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seconds?|times|kg|lbs?|pounds?|cm|g\b|grams?|units?|u\b|iu\b|mg\b(?!\/)|mcg|ml|tablets?|pills?|caps|am\b|pm\b|o'?clock|:\d)|岁|年|个?月|周|天|小时|分钟|次|公斤|斤|克|片|粒|单位|点钟|号|层|楼|万|千|亿|两(?!个)|碗|杯|口|瓶|盒|支|型|期|级|类|代|床|室|项|条|种|个|位|倍|\/\d)/i;

interface Num {
  value: number;
  start: number;
  end: number;
}

/** A Chinese numeral is a reading only when it cannot be an ordinary word: it has 十/百 or a
 * decimal (十二点三, 二点八, 二十多), or it directly follows a reading cue (血糖二, 尿酮体两个加号).
 * Clock times (晚上十点) and "一点" (a little) are not readings. */
const ZH_CUE_BEFORE =
  /(?:血糖|空腹|餐后|睡前|显示|测[了的得出]?|血酮|酮体|尿酮体?|糖化)(?:是|为|才|只有|有|在|到了?|了|就|都|只|一直|还是|还|总是|老是|经常|基本|大概|大约|差不多|维持在|保持在|:|：|\s)*$/;
const ZH_TIME_BEFORE = /(?:早上|早晨|晚上|上午|下午|中午|凌晨|半夜|夜里|夜间|傍晚|每天|今天|昨天|明天)\s*$/;

function zhNumbers(text: string): Num[] {
  const out: Num[] = [];
  for (const m of text.matchAll(ZH_NUMBER_RE)) {
    const tok = m[0];
    const before = text.slice(Math.max(0, m.index - 8), m.index);
    const after = text.slice(m.index + tok.length, m.index + tok.length + 3);
    const shaped = /[十百]/.test(tok) || /点./.test(tok);
    // 血糖一直高 / 一点都不降 / 两天没测: a bare digit after a cue must stand alone as the reading.
    if (!shaped && (!ZH_CUE_BEFORE.test(before) || !/^(?:$|[\s，。,.!?！？;；、)]|mmol|mg|了|左右|个?加号|个?\+|\+)/.test(after)))
      continue;
    if (ZH_TIME_BEFORE.test(before) || /^点(?:钟|整)/.test(after)) continue;
    // 十五六 / 七八: a spoken range — the lower end is the reading.
    const range = /^([一二三四五六七八九]?十)?([一二三四五六七八九])[一二三四五六七八九]$/.exec(tok);
    const value = range ? parseZhNumber(`${range[1] ?? ""}${range[2]}`) : parseZhNumber(tok);
    if (value === undefined) continue;
    out.push({ value, start: m.index, end: m.index + tok.length });
  }
  return out;
}

/** Start (within the sentence) of the clause holding offset `at`. */
function clauseStartIn(sentence: string, at: number): number {
  const head = sentence.slice(0, at);
  const m = /.*(?:[,，、;；]|\s(?:but|and|however|while|whereas)\s|但是|但|而且|另外)/s.exec(head);
  return m ? m[0].length : 0;
}

function numbers(text: string): Num[] {
  const out: Num[] = [];
  for (const m of text.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)(?:点(几|多|半|\d))?(?![\d])/g)) {
    let value = Number(m[1]);
    if (m[2] === "几" || m[2] === "多") value += 0.5;
    else if (m[2] === "半") value += 0.5;
    else if (m[2] !== undefined) value += Number(m[2]) / 10;
    out.push({ value, start: m.index, end: m.index + m[0].length });
  }
  return [...out, ...zhNumbers(text)].sort((a, b) => a.start - b.start);
}

/** Dates inside a sentence ("2024-05-10", "03/05/1962", "1962.3.5"): their pieces are not readings. */
const DATE_SHAPE = /\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}/g;

function nearestCue(sentence: string, at: number, clauseStart = 0): MeasureKind | undefined {
  let best: { kind: MeasureKind; pos: number } | undefined;
  let otherInClause: { kind: MeasureKind; pos: number } | undefined;
  for (const [kind, re] of CUES) {
    for (const m of sentence.matchAll(re)) {
      const pos = m.index + m[0].length;
      const reach = kind === ("glucose-weak" as MeasureKind) ? 12 : 40;
      if (pos <= at && at - pos <= reach && (!best || pos > best.pos)) best = { kind, pos };
      if (kind !== "glucose" && kind !== ("glucose-weak" as MeasureKind) && m.index >= clauseStart && pos <= at)
        if (!otherInClause || pos > otherInClause.pos) otherInClause = { kind, pos };
    }
  }
  // "temperature is now 39", "creatinine before breakfast 1.2": a weak glucose word loses to a named analyte.
  if (best?.kind === ("glucose-weak" as MeasureKind)) return otherInClause?.kind ?? "glucose";
  return best?.kind;
}

/** Counters and reference numbers: "(test 1)", "type 2", "stage 3", "level 2", "#34", "第3次", a list's "1.". */
const REFERENCE_BEFORE =
  /(?:#|№|\bno\.?|\bnumber|\bnum|\broom|\bbed|\bward|\bticket|\bcase|\btype|\bstage|\bgrade|\blevel|\bclass|\bstep|\btest|\btrial|\bquestion|\bq|\bitem|\bpart|\bphase|\bversion|\bv|\bvisit|\bround|\bcycle|\bday|\bweek|\bchapter|\bpage|\bline|\boption|\bpatient|\bsubject|\bid|\bcode|\bcohort|\barm|\btier|\blot|\bbatch|\bmsg|\bmessage|\bfloor|\bbus|\broute|\bgate|\bseat|\bext|\bx|\bage[ds]?|第|编号|床号|房间|门诊)\s*[:：]?\s*$/i;

/** Every measurement found in (normalised, lower-case) text. */
export function extractMeasurements(text: string): Measurement[] {
  const out: Measurement[] = [];
  for (const s of sentences(text)) {
    const st = s.text;
    // Blood pressure "140/90" is taken first so neither half is read as glucose.
    const bpSpans: [number, number][] = [];
    for (const m of st.matchAll(/(?<![\d/])(\d{2,3})\s*\/\s*(\d{2,3})(?![\d/])/g)) {
      bpSpans.push([m.index, m.index + m[0].length]);
      const sys = Number(m[1]);
      const dia = Number(m[2]);
      // "34/40" is a gestation (weeks of forty), and no blood pressure has a systolic under 40.
      if ((dia === 40 && sys <= 42) || sys < 40) continue;
      const cue = nearestCue(st, m.index);
      if (
        cue === "bp" ||
        /mmhg/.test(st.slice(m.index + m[0].length, m.index + m[0].length + 8)) ||
        (sys >= 80 && sys <= 250 && dia >= 40 && dia <= 150 && sys > dia && !/insulin|胰岛素|mix|预混/.test(st))
      ) {
        out.push({
          kind: "bp",
          value: sys,
          value2: dia,
          unit: "mmHg",
          start: s.start + m.index,
          end: s.start + m.index + m[0].length,
          text: m[0],
        });
      }
    }
    for (const m of st.matchAll(/(?:\b(hi|lo)\b|测不出来?|测不到|显示\s*(hi|lo|high|low))/gi)) {
      const raw = (m[1] ?? m[2] ?? "").toLowerCase();
      const meterContext = /meter|glucose|sugar|reading|\bbg\b|\bbs\b|\bcgm\b|dexcom|libre|血糖|显示|says|shows|reads/.test(st);
      if (!meterContext) continue;
      // "hi" alone is also a greeting: require a meter verb/word right before it or 测不出来.
      if (m[1] !== undefined) {
        const before = st.slice(Math.max(0, m.index - 25), m.index);
        const after = st.slice(m.index, m.index + 25);
        if (
          !/(says|shows|reads|read|reading|显示|is|was|got|just|meter|:)\s*$/.test(before) &&
          !/on the meter|on my meter/.test(after)
        )
          continue;
      }
      const flag: "LO" | "HI" = raw.startsWith("l") || (raw === "" && /低|lo\b/.test(st)) ? "LO" : "HI";
      out.push({
        kind: "glucose",
        value: Number.NaN,
        unit: "",
        flag,
        start: s.start + m.index,
        end: s.start + m.index + m[0].length,
        text: m[0],
      });
    }
    const dateSpans = [...st.matchAll(DATE_SHAPE)].map((m): [number, number] => [m.index, m.index + m[0].length]);
    const hasMg = /\d\s*mg\s*\/\s*dl/i.test(st);
    const hasMmol = /\d\s*mmol\s*\/?\s*l(?!\w)/i.test(st);
    const sentenceUnit: "mg/dL" | "mmol/L" | undefined = hasMg && !hasMmol ? "mg/dL" : hasMmol && !hasMg ? "mmol/L" : undefined;
    for (const n of numbers(st)) {
      if (bpSpans.some(([a, b]) => n.start >= a && n.end <= b)) continue;
      const after = st.slice(n.end, n.end + 14);
      const raw = st.slice(n.start, n.end);
      const abs = { start: s.start + n.start, end: s.start + n.end };
      if (/^\s*(?:\+|个?加号|个\s*\+)/.test(after)) {
        // "2+" / 两个加号 is a urine-ketone strip grade; "600+" after a glucose cue is a reading of at least 600.
        const cue = nearestCue(st, n.start);
        if (cue === "urine-ketone" || (cue === "ketone" && n.value <= 4)) {
          out.push({ kind: "urine-ketone", value: n.value, unit: "+", ...abs, text: raw });
          continue;
        }
        if (cue !== "glucose") continue;
      }
      const cueHere = nearestCue(st, n.start, clauseStartIn(st, n.start));
      if (
        cueHere === "spo2" ||
        (/^\s*%/.test(after) && n.value >= 50 && n.value <= 100 && /oxygen|spo2|sats?\b|saturation|血氧|氧饱和/.test(st))
      ) {
        if (n.value >= 50 && n.value <= 100 && cueHere !== "other")
          out.push({ kind: "spo2", value: n.value, unit: "%", ...abs, text: raw });
        continue;
      }
      if (cueHere === "potassium" || cueHere === "sodium") {
        const plausible = cueHere === "potassium" ? n.value >= 1 && n.value <= 10 : n.value >= 100 && n.value <= 180;
        if (plausible) out.push({ kind: cueHere, value: n.value, unit: "mmol/L", ...abs, text: raw });
        continue;
      }
      if (cueHere === "resp-rate" || /^\s*(?:breaths?\s*(?:per|a|\/)\s*m|\/min)/.test(after)) {
        if (n.value >= 4 && n.value <= 90) out.push({ kind: "resp-rate", value: n.value, unit: "/min", ...abs, text: raw });
        continue;
      }
      if (cueHere === "heart-rate" || /^\s*(?:bpm|beats? (?:per|a) min\w*|次\s*\/\s*分|次每分)/.test(after)) {
        if (n.value >= 20 && n.value <= 250) out.push({ kind: "heart-rate", value: n.value, unit: "bpm", ...abs, text: raw });
        continue;
      }
      if (/^\s*%/.test(after)) {
        if (cueHere === "other") continue;
        out.push({ kind: "hba1c", value: n.value, unit: "%", ...abs, text: raw });
        continue;
      }
      if (/^\s*mmol\s*\/\s*mol/.test(after)) {
        out.push({ kind: "hba1c", value: n.value, unit: "mmol/mol", ...abs, text: raw });
        continue;
      }
      if (/^\s*(?:°\s*[cf]|℃|度|c\b|f\b)/.test(after) || nearestCue(st, n.start) === "temperature") {
        const f = /^\s*(?:°\s*f|f\b)/.test(after) || n.value > 50;
        // A bare letter is a unit only in a body-temperature range: "62F" is a 62-year-old woman, "38.5c" a fever.
        const bareLetter = /^\s*[cf]\b/.test(after);
        const plausible = f ? n.value >= 90 && n.value <= 110 : n.value >= 30 && n.value <= 45;
        if (plausible) out.push({ kind: "temperature", value: n.value, unit: f ? "F" : "C", ...abs, text: raw });
        else if (bareLetter) continue;
        continue;
      }
      if (/^\s*mg\s*\/\s*g/.test(after)) continue;
      if (NOT_A_READING.test(after)) continue;
      // A year or a date piece ("2019", "2024-05-10") is not a reading; a range ("280-300", "3.2-3.5") is two.
      if (/^\d{4}$/.test(raw) || dateSpans.some(([a, b]) => n.start >= a && n.end <= b)) continue;
      if (/^\/\d/.test(after) || /\/$/.test(st.slice(Math.max(0, n.start - 1), n.start))) continue;
      // Reference numbers are not readings: "#34", "No. 12", "room 21", "bed 5", "第3次", "(test 1)", "type 2".
      if (REFERENCE_BEFORE.test(st.slice(Math.max(0, n.start - 12), n.start))) continue;
      // A list number at the start of a sentence ("1. …", "2) …") or a bare counter in brackets ("(1)").
      if (/^\s*[.)、]\s/.test(after) && st.slice(0, n.start).trim() === "") continue;
      if (/\(\s*$/.test(st.slice(Math.max(0, n.start - 2), n.start)) && /^\s*\)/.test(after)) continue;
      // A bare one-decimal number in the body-temperature range with no analyte named ("the baby is 38.5").
      if (cueHere === undefined && /^\d{2}\.\d$/.test(raw) && n.value >= 35 && n.value < 43 && !/mmol|mg/.test(after)) {
        out.push({ kind: "temperature", value: n.value, unit: "C", ...abs, text: raw });
        continue;
      }
      const unitMmol = /^\s*mmol\s*\/?\s*l/.test(after);
      const unitMg = /^\s*mg\s*\/\s*dl/.test(after);
      const cue = cueHere;
      if (cue === "ketone" || cue === "urine-ketone") {
        out.push({
          kind: cue === "urine-ketone" && !unitMmol ? "urine-ketone" : "ketone",
          value: n.value,
          unit: cue === "urine-ketone" && !unitMmol ? "+" : "mmol/L",
          ...abs,
          text: raw,
        });
      } else if (cue === "egfr") {
        out.push({ kind: "egfr", value: n.value, unit: "mL/min", ...abs, text: raw });
      } else if (cue === "hba1c") {
        out.push({ kind: "hba1c", value: n.value, unit: n.value > 20 ? "mmol/mol" : "%", ...abs, text: raw });
      } else if (cue === "glucose" || ((unitMmol || unitMg) && cue !== "other")) {
        // A unitless number takes the unit the same sentence states elsewhere ("53 mg/dL … now 112");
        // only with no unit at all does its size decide (≤ 35 → mmol/L).
        const unit = unitMg ? "mg/dL" : unitMmol ? "mmol/L" : (sentenceUnit ?? (n.value <= 35 ? "mmol/L" : "mg/dL"));
        if (n.value <= 0 || n.value > 2000) continue;
        const mgdl = unit === "mmol/L" ? n.value * MGDL_PER_MMOL : n.value;
        out.push({ kind: "glucose", value: n.value, unit, mgdl, ...abs, text: raw });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Glucose thresholds, compared in the unit the reading came in (so 3.0 mmol/L and 54 mg/dL are exact). */
export function glucoseBelow(m: Measurement, mgdl: number, mmol: number): boolean {
  if (m.flag) return m.flag === "LO";
  return m.unit === "mmol/L" ? m.value < mmol : m.value < mgdl;
}
export function glucoseAtLeast(m: Measurement, mgdl: number, mmol: number): boolean {
  if (m.flag) return m.flag === "HI";
  return m.unit === "mmol/L" ? m.value >= mmol : m.value >= mgdl;
}
export function glucoseAbove(m: Measurement, mgdl: number, mmol: number): boolean {
  if (m.flag) return m.flag === "HI";
  return m.unit === "mmol/L" ? m.value > mmol : m.value > mgdl;
}
