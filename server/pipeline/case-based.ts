/**
 * Case-based mode, used when no model host is configured: a recommender that aggregates what
 * was ordered for the k most similar past cases, weighted by similarity (peer-informed), and
 * continues the patient's current therapy and diabetes monitoring labs (self-informed). Drugs
 * outside diabetes care (antibiotics, contraceptives, analgesics…) are dropped unless the
 * patient is on them; a drug the patient is not on needs a larger share of the neighbours
 * before the draft proposes starting it. Items cite the retrieved guideline passages. Labelled "case-based"
 * everywhere it appears; never presented as a model's answer.
 */
import type { DraftBody, DraftMedication, Passage, PatientContext, SimilarCase } from "../../core/domain.js";

export const CASE_BASED_VERSION = "case-based-v2";

export interface CaseBasedOptions {
  /** Use the patient's own record: continue current medications, repeat monitoring labs. Off, the draft knows only the neighbours. @defaultValue true */
  selfInformed?: boolean;
  /** Vote over the similar cases' orders. @defaultValue true */
  peerInformed?: boolean;
  /** Similar cases that vote. @defaultValue 10 */
  k?: number;
  /** Share of the similarity mass an item needs to enter the draft. @defaultValue 0.3 */
  minShare?: number;
  /** Share a drug the patient is not on needs before the draft proposes starting it. @defaultValue 0.5 */
  minStartShare?: number;
}

/** Diabetes care in the broad sense: glucose-lowering drugs and the cardio-renal protection given with them. */
const DIABETES_CARE_DRUG =
  /metformin|insulin|gliptin|gliflozin|glutide|exenatide|tirzepatide|glipizide|glyburide|glibenclamide|glimepiride|gliclazide|glitazone|acarbose|miglitol|glinide|statin|ezetimibe|fenofibrate|pril\b|sartan|thiazide|chlorthalidone|amlodipine|aspirin|clopidogrel|二甲双胍|胰岛素|列汀|列净|鲁肽|格列|他汀|普利|沙坦|阿司匹林|氯吡格雷|氨氯地平/i;
/** Labs that diabetes follow-up monitors (ADA §4/§10/§11): repeated from the patient's own record. */
const MONITORING_LAB =
  /a1c|glucose|血糖|糖化|creatinine|肌酐|egfr|滤过率|urea|bun|尿素|cholesterol|ldl|hdl|triglycerid|胆固醇|甘油三酯|血脂|albumin|microalb|白蛋白|potassium|sodium|钾|钠/i;
/** Vital signs in case records are measurements at the visit, not lab orders: they become examinations. */
const VITALS: ReadonlyArray<{ re: RegExp; exam: string }> = [
  { re: /systolic|diastolic|blood pressure|血压/i, exam: "Blood pressure" },
  { re: /body weight|body height|bmi|body mass|体重|身高/i, exam: "Body weight and BMI" },
];

export const isDiabetesCareDrug = (name: string): boolean => DIABETES_CARE_DRUG.test(name);
export const isMonitoringLab = (name: string): boolean => MONITORING_LAB.test(name);
export const vitalExam = (name: string): string | undefined => VITALS.find((v) => v.re.test(name))?.exam;

export interface DrugLabel {
  name: string;
  dose?: string;
  route?: string;
}

const STRENGTH = /(\d+(?:\.\d+)?)\s*(mg|mcg|µg|g|ml|unt|units?|iu)\b(\s*\/\s*(?:ml|actuat))?/gi;

/** "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet" → metformin hydrochloride, 500 mg, oral. */
export function splitDrugLabel(label: string): DrugLabel {
  const clean = label
    .replace(/\[[^\]]*\]/g, "")
    .replace(/^\s*\d+(?:\.\d+)?\s*(hr|ml|actuat)\s+/i, "")
    .trim();
  const strengths = [...clean.matchAll(STRENGTH)];
  const first = strengths[0];
  const rawName = first ? clean.slice(0, first.index) : clean;
  const name = rawName.replace(/[\s,/]+$/, "").trim() || clean;
  const dose = strengths
    .map((m) => `${m[1]} ${(m[2] ?? "").toLowerCase()}${(m[3] ?? "").replace(/\s+/g, "").toLowerCase()}`)
    .join(" / ");
  const rest = first ? clean.slice((first.index ?? 0) + first[0].length) : "";
  const route = /oral|tablet|capsule/i.test(rest)
    ? "oral"
    : /inject|pen|vial|suspension/i.test(rest)
      ? "subcutaneous"
      : /inhal|actuat/i.test(rest)
        ? "inhaled"
        : undefined;
  return { name, ...(dose ? { dose } : {}), ...(route ? { route } : {}) };
}

/** The matching key of a drug: its first word, lower case ("Metformin hydrochloride" → "metformin"). */
export function drugKey(name: string): string {
  return (
    splitDrugLabel(name)
      .name.toLowerCase()
      .match(/[a-z\u4e00-\u9fff]+/)?.[0] ?? name.toLowerCase()
  ).trim();
}

interface Tally<T> {
  value: T;
  weight: number;
  support: number;
}

function vote<T>(
  cases: readonly SimilarCase[],
  pick: (c: SimilarCase) => ReadonlyArray<{ key: string; value: T }>,
): Map<string, Tally<T>> {
  const out = new Map<string, Tally<T>>();
  for (const c of cases) {
    const w = Math.max(0, c.similarity);
    const seen = new Set<string>();
    for (const { key, value } of pick(c)) {
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const t = out.get(key) ?? { value, weight: 0, support: 0 };
      t.weight += w;
      t.support += 1;
      out.set(key, t);
    }
  }
  return out;
}

/** Passages that mention the item, else the best passage: citations always point at retrieved chunks. */
function citesFor(term: string, passages: readonly Passage[]): string[] {
  const needle = term.toLowerCase();
  const hits = passages.filter((p) => needle.length > 2 && `${p.citation.title} ${p.text}`.toLowerCase().includes(needle));
  const chosen = hits.length ? hits.slice(0, 2) : passages.slice(0, 1);
  return chosen.map((p) => p.citation.chunkId);
}

const labKey = (name: string) => name.trim().toLowerCase();

export function caseBasedDraft(input: {
  patient?: PatientContext;
  similar: readonly SimilarCase[];
  passages: readonly Passage[];
  options?: CaseBasedOptions;
}): DraftBody {
  const o = { selfInformed: true, peerInformed: true, k: 10, minShare: 0.3, minStartShare: 0.5, ...input.options };
  const peers = o.peerInformed ? [...input.similar].sort((a, b) => b.similarity - a.similarity).slice(0, o.k) : [];
  const total = peers.reduce((a, c) => a + Math.max(0, c.similarity), 0);
  const share = (t: { weight: number }) => (total > 0 ? t.weight / total : 0);
  const self = o.selfInformed && input.patient ? input.patient : undefined;
  const current = new Map((self?.medications ?? []).map((m) => [drugKey(m.name), m]));
  const because = (t: Tally<unknown>) =>
    `case-based: ordered for ${t.support}/${peers.length} similar cases (${Math.round(share(t) * 100)}% of similarity)`;

  // Lab tests: the peers' orders (vital signs become examinations) plus the patient's own monitoring labs.
  const labs = new Map<string, { name: string; reason: string }>();
  const exams = new Map<string, string>();
  const labVotes = vote(peers, (c) => c.labTests.map((l) => ({ key: vitalExam(l) ?? labKey(l), value: vitalExam(l) ?? l })));
  for (const [key, t] of labVotes) {
    if (share(t) < o.minShare) continue;
    if (VITALS.some((v) => v.exam === t.value)) exams.set(t.value, because(t));
    else labs.set(key, { name: t.value, reason: because(t) });
  }
  for (const l of self?.labs ?? []) {
    const key = labKey(l.name);
    if (!isMonitoringLab(l.name) || labs.has(key)) continue;
    labs.set(key, { name: l.name, reason: "case-based: repeat monitoring lab from the patient's record" });
  }

  // Medications: peers' drugs keep their most-voted strength; continue what the patient is on, start the rest.
  const meds = new Map<string, DraftMedication>();
  const medVotes = vote(peers, (c) => c.medications.map((m) => ({ key: drugKey(m), value: m })));
  for (const [key, t] of medVotes) {
    if (share(t) < o.minShare) continue;
    const mine = current.get(key);
    if (!mine && (!isDiabetesCareDrug(t.value) || share(t) < o.minStartShare)) continue;
    const d = splitDrugLabel(t.value);
    const dose = mine?.dose ?? d.dose;
    const route = mine?.route ?? d.route;
    meds.set(key, {
      name: mine?.name ?? d.name,
      ...(dose ? { dose } : {}),
      ...(mine?.frequency ? { frequency: mine.frequency } : {}),
      ...(route ? { route } : {}),
      action: mine ? "continue" : "start",
      citations: citesFor(key, input.passages),
    });
  }
  // Medication reconciliation: whatever the patient is on is listed (continue), so a reviewer sees the whole regimen.
  for (const [key, m] of current) {
    if (!self || meds.has(key)) continue;
    meds.set(key, {
      name: m.name,
      ...(m.dose ? { dose: m.dose } : {}),
      ...(m.frequency ? { frequency: m.frequency } : {}),
      ...(m.route ? { route: m.route } : {}),
      action: "continue",
      citations: citesFor(key, input.passages),
    });
  }

  const recommendations = input.passages.slice(0, 3).map((p) => ({
    text: `Case-based: review the guidance in "${p.citation.title}".`,
    citations: [p.citation.chunkId],
  }));
  const meanSimilarity = peers.length ? total / peers.length : 0;
  return {
    labTests: [...labs.values()].map((l) => ({ name: l.name, reason: l.reason, citations: citesFor(l.name, input.passages) })),
    examinations: [...exams].map(([name, reason]) => ({ name, reason, citations: citesFor(name, input.passages) })),
    medications: [...meds.values()],
    recommendations,
    // Case-based drafts never claim more certainty than their neighbours' similarity supports.
    confidence: Math.max(0, Math.min(1, peers.length ? meanSimilarity * 0.8 : self ? 0.3 : 0)),
  };
}
