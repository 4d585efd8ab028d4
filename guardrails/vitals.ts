/**
 * Vital signs a patient reports (SpO2, heart rate, blood pressure, temperature) as red flags.
 * Thresholds follow NEWS2's single-parameter red scores and the named guidelines; readings
 * come from the analyte-aware extractor, so a number is a vital sign only when it is bound to
 * its term or unit ("SpO2 92%", "pulse 140", "BP 190/125", "38.5°C").
 */
import type { Flag } from "../core/domain.js";
import { CAT_SRC } from "./catalogue.js";
import type { Subjects } from "./redflags.js";
import { isAsserted } from "./text/context.js";
import type { Measurement } from "./text/extract.js";
import { clauseAt } from "./text/segment.js";

export const VITAL_SRC = {
  spo2: CAT_SRC.ng138,
  hr: CAT_SRC.news2,
  bp: `${CAT_SRC.htn}; ${CAT_SRC.news2}`,
  temp: `${CAT_SRC.ng143}; ${CAT_SRC.news2}`,
  rr: `${CAT_SRC.sepsis} (respiratory rate ≥ 25 high risk, 21–24 moderate); ${CAT_SRC.ng143} (children: > 60 red, > 40 amber); ${CAT_SRC.news2}`,
  news2: "RCP NEWS2 (2017): aggregate ≥ 7 → emergency response, 5–6 → urgent response",
} as const;

const NEW_CONFUSION =
  /confus\w*|disorient\w*|drows\w*|not making sense|gcs (?:of )?(?:[3-9]|1[0-4])\b|意识模糊|神志不清|迷糊|嗜睡/;

/**
 * The NEWS2 aggregate of the parameters the message states (RCP 2017, SpO2 scale 1, air assumed):
 * respiratory rate, SpO2, systolic BP, pulse, consciousness (new confusion) and temperature. A
 * parameter the message does not give scores 0, so the sum is a lower bound.
 */
function news2(text: string, ms: Measurement[]): number {
  const first = (k: Measurement["kind"]) => ms.find((m) => m.kind === k);
  const band = (v: number | undefined, bands: [number, number, number][]) =>
    v === undefined ? 0 : (bands.find(([lo, hi]) => v >= lo && v <= hi)?.[2] ?? 0);
  const rr = first("resp-rate")?.value;
  const spo2 = first("spo2")?.value;
  const sbp = first("bp")?.value;
  const hr = first("heart-rate")?.value;
  const t = first("temperature");
  const c = t ? toC(t) : undefined;
  const inf = Number.POSITIVE_INFINITY;
  return (
    band(rr, [
      [0, 8, 3],
      [9, 11, 1],
      [21, 24, 2],
      [25, inf, 3],
    ]) +
    band(spo2, [
      [0, 91, 3],
      [92, 93, 2],
      [94, 95, 1],
    ]) +
    band(sbp, [
      [0, 90, 3],
      [91, 100, 2],
      [101, 110, 1],
      [220, inf, 3],
    ]) +
    band(hr, [
      [0, 40, 3],
      [41, 50, 1],
      [91, 110, 1],
      [111, 130, 2],
      [131, inf, 3],
    ]) +
    band(c, [
      [0, 35, 3],
      [35.1, 36, 1],
      [38.1, 39, 1],
      [39.1, inf, 2],
    ]) +
    (assertedIn(text, NEW_CONFUSION) ? 3 : 0)
  );
}

const HTN_SYMPTOMS =
  /headache|chest|vision|blurr\w*|confus\w*|short(?:ness)? of breath|breathless|weak\w*|numb\w*|nosebleed|seizure|vomit\w*|头痛|头疼|胸痛|胸闷|看不清|视物模糊|意识|气短|喘|无力|麻木|呕吐/;
const PREECLAMPSIA_SYMPTOMS =
  /headache|vision|visual|blurr\w*|flashing|ruq|right upper quadrant|epigastr\w*|under (?:the|my|her) ribs|plt|platelets?|confus\w*|seizure|头痛|头疼|视物模糊|看不清|眼花|冒金星|上腹痛|右上腹|血小板/;
/** Signs of poor perfusion (NEWS2 / NICE NG51: new confusion, mottled or cold skin, drowsiness). */
const LOW_BP_SYMPTOMS =
  /dizz\w*|faint\w*|light-?headed|confus\w*|collaps\w*|pass(?:ed)? out|clammy|drows\w*|cool (?:peripher\w*|skin|hands|extremities)|cold (?:and clammy|peripher\w*|extremities)|mottled|sweaty|grey|gray|头晕|晕|眼前发黑|意识|迷糊|冷汗|湿冷|嗜睡|淡漠|四肢(?:冰凉|发凉|冰冷)|皮肤发花/;
/** What a racing or very slow heart must not come with (ESC 2021 syncope / tachyarrhythmia red flags). */
const ARRHYTHMIA_SYMPTOMS = new RegExp(
  `${LOW_BP_SYMPTOMS.source}|chest|short(?:ness)? of breath|breathless|can'?t breathe|胸痛|胸闷|气短|喘不`,
);

/** A symptom of the pattern is reported, not denied ("no headache, chest pain or weakness") nor past. */
const assertedIn = (text: string, re: RegExp) =>
  [...text.matchAll(new RegExp(re.source, "g"))].some((m) => isAsserted(text, m.index));

const toC = (m: Measurement) => (m.unit === "F" ? ((m.value - 32) * 5) / 9 : m.value);

export function vitalFlags(text: string, measures: Measurement[], subjects: Subjects): Flag[] {
  const flags: Flag[] = [];
  const ev = (m: Measurement) => clauseAt(text, m.start).text.trim();
  const asserted = measures.filter((m) => isAsserted(text, m.start));

  const spo2 = asserted.filter((m) => m.kind === "spo2").sort((a, b) => a.value - b.value)[0];
  if (spo2 && spo2.value <= 94)
    flags.push({
      code: "low-oxygen-saturation",
      evidence: ev(spo2),
      source: VITAL_SRC.spo2,
      urgency: spo2.value <= 92 ? "emergency" : "urgent",
    });

  const hr = asserted.find((m) => m.kind === "heart-rate" && (m.value >= 131 || m.value <= 40));
  // A red-score rate is urgent alone and an emergency with dizziness, fainting, chest pain or breathlessness.
  if (hr)
    flags.push({
      code: "abnormal-heart-rate",
      evidence: ev(hr),
      source: `${VITAL_SRC.hr}; ${CAT_SRC.esc}`,
      urgency: assertedIn(text, ARRHYTHMIA_SYMPTOMS) ? "emergency" : "urgent",
    });
  const pulse = asserted.find((m) => m.kind === "heart-rate")?.value;

  for (const bp of asserted.filter((m) => m.kind === "bp")) {
    const dia = bp.value2 ?? 0;
    // Pregnancy: severe hypertension ≥ 160/110 needs admission (NICE NG133); with headache, visual
    // disturbance, epigastric/RUQ pain or a low platelet count it is severe pre-eclampsia.
    if (subjects.pregnant && (bp.value >= 160 || dia >= 110) && bp.value < 180 && dia < 120) {
      flags.push({
        code: "severe-hypertension-pregnancy",
        evidence: ev(bp),
        source: "NICE NG133 (hypertension in pregnancy: severe ≥ 160/110 → admit; severe pre-eclampsia features)",
        urgency: assertedIn(text, PREECLAMPSIA_SYMPTOMS) ? "emergency" : "urgent",
      });
      break;
    }
    if (bp.value >= 180 || dia >= 120) {
      flags.push({
        code: "severe-hypertension",
        evidence: ev(bp),
        source: VITAL_SRC.bp,
        urgency: assertedIn(text, HTN_SYMPTOMS) ? "emergency" : "urgent",
      });
      break;
    }
    if (bp.value <= 90) {
      // Shock: a systolic ≤ 90 with a pulse ≥ 100 (shock index ≥ 1) or with poor perfusion, or a systolic
      // ≤ 80 on its own (NEWS2 red score; NICE NG51 high-risk criteria: systolic ≤ 90, heart rate > 130).
      const shock = bp.value <= 80 || (pulse !== undefined && pulse >= 100) || assertedIn(text, LOW_BP_SYMPTOMS);
      flags.push({
        code: "hypotension",
        evidence: ev(bp),
        source: `${VITAL_SRC.bp}; ${CAT_SRC.sepsis}`,
        urgency: shock ? "emergency" : "urgent",
      });
      break;
    }
  }

  const temp = asserted.filter((m) => m.kind === "temperature").sort((a, b) => toC(b) - toC(a))[0];
  if (temp) {
    const c = toC(temp);
    if (subjects.infant && c >= 38)
      flags.push({ code: "fever-infant-under-3-months", evidence: ev(temp), source: CAT_SRC.ng143, urgency: "emergency" });
    else if (c <= 35) flags.push({ code: "hypothermia", evidence: ev(temp), source: VITAL_SRC.temp, urgency: "emergency" });
    else if (c >= 40) flags.push({ code: "extreme-temperature", evidence: ev(temp), source: VITAL_SRC.temp, urgency: "urgent" });
  }

  // Respiratory rate: NICE NG51 high risk ≥ 25/min (NEWS2 red score ≥ 25), moderate 21–24; children by age
  // (NICE NG143 traffic light: > 60 any age red; > 50 at 6–12 months, > 40 over 12 months amber).
  const rr = asserted.filter((m) => m.kind === "resp-rate").sort((a, b) => b.value - a.value)[0];
  if (rr) {
    const child = subjects.child === true || subjects.infant === true;
    const urgency = child
      ? rr.value > 60 || rr.value <= 8
        ? "emergency"
        : rr.value > 40
          ? "urgent"
          : undefined
      : rr.value >= 25 || rr.value <= 8
        ? "emergency"
        : rr.value >= 21
          ? "urgent"
          : undefined;
    if (urgency) flags.push({ code: "abnormal-respiratory-rate", evidence: ev(rr), source: VITAL_SRC.rr, urgency });
  }
  const news = news2(text, asserted);
  if (news >= 5)
    flags.push({
      code: "news2-aggregate",
      evidence: `NEWS2 ${news}`,
      source: VITAL_SRC.news2,
      urgency: news >= 7 ? "emergency" : "urgent",
    });

  // Potassium and sodium from a lab the patient quotes (UK Kidney Association 2020 hyperkalaemia; NICE CKS hyponatraemia).
  const k = asserted.find((m) => m.kind === "potassium" && (m.value >= 6.0 || m.value <= 2.5));
  if (k)
    flags.push({
      code: "potassium-critical",
      evidence: ev(k),
      source: "UK Kidney Association 2020 (hyperkalaemia ≥ 6.5 mmol/L severe); hypokalaemia ≤ 2.5 severe",
      urgency: k.value >= 6.5 || k.value <= 2.5 ? "emergency" : "urgent",
    });
  const na = asserted.find((m) => m.kind === "sodium" && (m.value <= 125 || m.value >= 155));
  if (na)
    flags.push({
      code: "sodium-critical",
      evidence: ev(na),
      source: "NICE CKS hyponatraemia / hypernatraemia (severe: ≤ 125 or ≥ 155 mmol/L)",
      urgency: na.value <= 120 || na.value >= 160 ? "emergency" : "urgent",
    });
  return flags;
}
