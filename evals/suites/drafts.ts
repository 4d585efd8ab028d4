/**
 * The "drafts" eval suite: the case-based recommender (server/pipeline/case-based.ts) on held-out
 * Synthea encounters. Each target is a patient-year with at least one earlier year: the
 * recommender sees only the patient's record before that year plus the k most similar cases of
 * OTHER patients (leave-one-patient-out), and predicts that year's labs and medications.
 * Scored by set precision/recall (labs by name, medications by generic name) and by corpus
 * BLEU-4 / ROUGE between the rendered prediction and the rendered real orders (same plain-text
 * form). Ablation: self-informed only, peer-informed only, both, and a carry-forward baseline
 * (repeat last year's orders). Also reports how much of the gold is even present in the
 * consult prompt under each personalization switch ("prompt coverage"): that measures the
 * information a model would get, not what a model would do with it.
 */
import { readFile } from "node:fs/promises";
import type { DraftBody, PatientContext, SimilarCase } from "../../core/domain.js";
import type { Llm } from "../../core/ports.js";
import { casesFromSynthea, SYNTHEA_CASES_FILE, type SyntheaPatient } from "../../rag/cases.js";
import { encodeCase, featuresFromPatient } from "../../rag/similar.js";
import { caseBasedDraft, drugKey, isDiabetesCareDrug, splitDrugLabel, vitalExam } from "../../server/pipeline/case-based.js";
import { buildConsultPrompt, type PersonalizeOptions } from "../../server/pipeline/prompt.js";
import { corpusBleu } from "../metrics/bleu.js";
import { score as rouge } from "../metrics/rouge.js";
import { averagedSetPrf, normalizeItem } from "../metrics/sets.js";
import type { EvalResult } from "../result.js";
import { registerSuite, type SuiteContext } from "../suites.js";
import { runGuidelineSet } from "./guideline-set.js";
import { NoModelConfigured, requireModel } from "./model.js";

export interface Target {
  caseId: string;
  patientId: string;
  year: number;
  /** The record as it stood before the visit year. */
  patient: PatientContext;
  goldLabs: string[];
  /** Full RxNorm display labels (with strength). */
  goldMeds: string[];
  previous: { labs: string[]; meds: string[] };
}

interface PoolCase {
  patientId: string;
  vector: number[];
  similar: Omit<SimilarCase, "similarity">;
}

export const DRAFTS_K = 10;

/** Medications active in a year, by the same rule as rag/cases.ts, keeping the display label (strength). */
function medsInYear(p: SyntheaPatient, year: number): string[] {
  const y = String(year);
  return [
    ...new Set(
      p.medications
        .filter((m) => m.authoredOn.slice(0, 4) <= y && (m.status === "active" || m.authoredOn.startsWith(y)))
        .map((m) => m.display),
    ),
  ].sort();
}

const labsOnly = (names: readonly string[]) => names.filter((n) => !vitalExam(n));

/** The patient's record before 1 January of `year`: three years of dated observations, conditions then active, medications then. */
export function recordBefore(p: SyntheaPatient, year: number): PatientContext {
  const start = `${year}-01-01`;
  const from = `${year - 3}-01-01`;
  const labs = p.observations
    .filter((o) => o.effective < start && o.effective >= from && o.value !== null)
    .slice(-200)
    .map((o) => ({ name: o.name, value: o.value, unit: o.unit, at: o.effective.slice(0, 10) }));
  const egfr = labs.filter((l) => l.name === "eGFR").at(-1)?.value ?? undefined;
  const diagnoses = [
    ...new Set(
      p.conditions
        .filter((c) => c.onset && c.onset < start && (!c.abatement || c.abatement >= start))
        .map((c) => c.display.replace(/\s*\((disorder|finding)\)$/, "")),
    ),
  ].slice(0, 50);
  const medications = medsInYear(p, year - 1).map((label) => {
    const d = splitDrugLabel(label);
    return { name: d.name, ...(d.dose ? { dose: d.dose } : {}), ...(d.route ? { route: d.route } : {}) };
  });
  const sex = p.gender === "male" || p.gender === "female" ? p.gender : "unknown";
  return {
    age: year - Number(p.birthDate.slice(0, 4)),
    sex,
    diagnoses,
    labs,
    medications,
    allergies: [],
    recentEvents: [],
    department: "endocrinology",
    ...(egfr === undefined || egfr === null ? {} : { egfr }),
  };
}

export function buildDataset(patients: readonly SyntheaPatient[]): { pool: PoolCase[]; targets: Target[] } {
  const byId = new Map(patients.map((p) => [p.patient_id.slice(0, 8), p]));
  const pool: PoolCase[] = [];
  const targets: Target[] = [];
  const cases = casesFromSynthea(patients);
  for (const c of cases) {
    const [, pid = "", y = "0"] = c.caseId.split(":");
    const p = byId.get(pid);
    if (!p) continue;
    const year = Number(y);
    const meds = medsInYear(p, year);
    pool.push({
      patientId: pid,
      vector: encodeCase(c.features),
      similar: { caseId: c.caseId, summary: c.summary, labTests: c.labTests, medications: meds },
    });
    const prev = cases.filter((o) => o.caseId.startsWith(`synthea:${pid}:`) && Number(o.caseId.split(":")[2]) < year).at(-1);
    if (!prev) continue;
    targets.push({
      caseId: c.caseId,
      patientId: pid,
      year,
      patient: recordBefore(p, year),
      goldLabs: labsOnly(c.labTests),
      goldMeds: meds,
      previous: { labs: labsOnly(prev.labTests), meds: medsInYear(p, Number(prev.caseId.split(":")[2])) },
    });
  }
  return { pool, targets };
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

/** Top-k similar cases of other patients (cosine over the rag/similar.ts feature vectors, as Chroma would rank them). */
export function neighbours(t: Target, pool: readonly PoolCase[], k = DRAFTS_K): SimilarCase[] {
  const v = encodeCase(featuresFromPatient(t.patient, new Date(`${t.year}-01-01T00:00:00Z`)));
  return pool
    .filter((c) => c.patientId !== t.patientId)
    .map((c) => ({ ...c.similar, similarity: dot(v, c.vector) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

interface Prediction {
  labs: string[];
  meds: string[];
}

const medText = (label: string) => {
  const d = splitDrugLabel(label);
  return normalizeItem([d.name, d.dose].filter(Boolean).join(" "));
};

/** The one plain-text form both prediction and real orders are rendered in before BLEU/ROUGE. */
export function renderOrders(labs: readonly string[], meds: readonly string[]): string {
  const l = [...new Set(labs.map(normalizeItem))].sort();
  const m = [...new Set(meds.map(medText))].sort();
  return `lab tests: ${l.join("; ") || "none"} . medications: ${m.join("; ") || "none"}`;
}

function fromDraft(d: DraftBody): Prediction {
  return { labs: d.labTests.map((l) => l.name), meds: d.medications.map((m) => [m.name, m.dose].filter(Boolean).join(" ")) };
}

export interface VariantScores {
  labPrecision: number;
  labRecall: number;
  labF1: number;
  medPrecision: number;
  medRecall: number;
  medF1: number;
  diabetesMedRecall: number;
  /** Over drugs new this year (not in last year's list): were they proposed, and were proposed new drugs right? */
  startPrecision: number;
  startRecall: number;
  bleu4: number;
  rouge1: number;
  rouge2: number;
  rougeL: number;
}

export function scoreVariant(targets: readonly Target[], preds: readonly Prediction[]): VariantScores {
  const labs = averagedSetPrf(targets.map((t, i) => ({ gold: t.goldLabs, predicted: preds[i]?.labs ?? [] })));
  const meds = averagedSetPrf(
    targets.map((t, i) => ({ gold: t.goldMeds.map(drugKey), predicted: (preds[i]?.meds ?? []).map(drugKey) })),
  );
  const dm = averagedSetPrf(
    targets.map((t, i) => ({
      gold: t.goldMeds.filter(isDiabetesCareDrug).map(drugKey),
      predicted: (preds[i]?.meds ?? []).map(drugKey),
    })),
  );
  const starts = averagedSetPrf(
    targets.map((t, i) => {
      const before = new Set(t.previous.meds.map(drugKey));
      return {
        gold: t.goldMeds.map(drugKey).filter((k) => !before.has(k)),
        predicted: (preds[i]?.meds ?? []).map(drugKey).filter((k) => !before.has(k)),
      };
    }),
  );
  const hyps = preds.map((p) => renderOrders(p.labs, p.meds));
  const refs = targets.map((t) => renderOrders(t.goldLabs, t.goldMeds));
  const r = { rouge1: 0, rouge2: 0, rougeL: 0 };
  hyps.forEach((h, i) => {
    const s = rouge(refs[i] ?? "", h, ["rouge1", "rouge2", "rougeL"]);
    r.rouge1 += s.rouge1?.fmeasure ?? 0;
    r.rouge2 += s.rouge2?.fmeasure ?? 0;
    r.rougeL += s.rougeL?.fmeasure ?? 0;
  });
  const pct = (x: number) => (targets.length ? (100 * x) / targets.length : 0);
  return {
    labPrecision: labs.micro.precision,
    labRecall: labs.micro.recall,
    labF1: labs.micro.f1,
    medPrecision: meds.micro.precision,
    medRecall: meds.micro.recall,
    medF1: meds.micro.f1,
    diabetesMedRecall: dm.micro.recall,
    startPrecision: starts.micro.precision,
    startRecall: starts.micro.recall,
    bleu4: corpusBleu(hyps, [refs]).score,
    rouge1: pct(r.rouge1),
    rouge2: pct(r.rouge2),
    rougeL: pct(r.rougeL),
  };
}

/** Share of gold items (labs by name, medications by generic name) whose name appears in the prompt text. */
function coverage(prompt: string, t: Target): { labs: number; meds: number } {
  const text = prompt.toLowerCase();
  const hit = (xs: string[]) => (xs.length ? xs.filter((x) => text.includes(x)).length / xs.length : 1);
  return { labs: hit(t.goldLabs.map(normalizeItem)), meds: hit([...new Set(t.goldMeds.map(drugKey))]) };
}

const VARIANTS = {
  caseBased: { selfInformed: true, peerInformed: true },
  peerOnly: { selfInformed: false, peerInformed: true },
  selfOnly: { selfInformed: true, peerInformed: false },
} as const;
const PROMPTS: Record<string, PersonalizeOptions> = {
  plain: { selfInformed: false, peerInformed: false },
  self: { selfInformed: true, peerInformed: false },
  peer: { selfInformed: false, peerInformed: true },
  selfPeer: { selfInformed: true, peerInformed: true },
};

export async function runDraftsSuite(ctx: SuiteContext): Promise<EvalResult> {
  const patients = JSON.parse(await readFile(ctx.dataFile ?? SYNTHEA_CASES_FILE, "utf8")) as SyntheaPatient[];
  const { pool, targets } = buildDataset(patients);
  const tick = ctx.progress(targets.length);
  const preds: Record<string, Prediction[]> = { caseBased: [], peerOnly: [], selfOnly: [], carryForward: [] };
  const cover: Record<string, { labs: number; meds: number }> = Object.fromEntries(
    Object.keys(PROMPTS).map((k) => [k, { labs: 0, meds: 0 }]),
  );
  let similaritySum = 0;
  for (const t of targets) {
    const similar = neighbours(t, pool);
    similaritySum += similar.reduce((a, c) => a + c.similarity, 0) / Math.max(1, similar.length);
    for (const [name, options] of Object.entries(VARIANTS)) {
      preds[name]?.push(
        fromDraft(caseBasedDraft({ patient: t.patient, similar, passages: [], options: { ...options, k: DRAFTS_K } })),
      );
    }
    preds.carryForward?.push({ labs: t.previous.labs, meds: t.previous.meds });
    for (const [name, options] of Object.entries(PROMPTS)) {
      const built = buildConsultPrompt({
        lang: "en",
        patient: t.patient,
        passages: [],
        similar,
        options: { ...options, peerK: DRAFTS_K },
      });
      const c = coverage(built.prompt, t);
      const acc = cover[name] as { labs: number; meds: number };
      acc.labs += c.labs / targets.length;
      acc.meds += c.meds / targets.length;
    }
    tick();
  }
  const variants = Object.fromEntries(Object.entries(preds).map(([name, p]) => [name, scoreVariant(targets, p)]));
  const metrics: Record<string, number> = { ...(variants.caseBased as VariantScores) } as unknown as Record<string, number>;
  for (const [name, s] of Object.entries(variants)) {
    if (name === "caseBased") continue;
    for (const [m, v] of Object.entries(s)) metrics[`${name}.${m}`] = v;
  }
  for (const [name, c] of Object.entries(cover)) {
    metrics[`promptCoverage.${name}.labs`] = c.labs;
    metrics[`promptCoverage.${name}.meds`] = c.meds;
  }
  metrics.targets = targets.length;
  return {
    suite: "drafts",
    createdAt: new Date().toISOString(),
    metrics,
    safety: [],
    higherIsBetter: {},
    details: {
      setting:
        "case-based recommender (no model), Synthea patient-years, leave-one-patient-out, k=10; labs by name, medications by generic name; BLEU/ROUGE on rendered order lists",
      patients: new Set(targets.map((t) => t.patientId)).size,
      targets: targets.length,
      pool: pool.length,
      meanNeighbourSimilarity: targets.length ? similaritySum / targets.length : 0,
      variants,
      promptCoverage: cover,
    },
  };
}

export function registerDraftsSuite(): void {
  registerSuite("drafts", runDraftsSuite, {
    describe:
      "Case-based drafts on held-out Synthea patient-years (leave-one-patient-out): set P/R, BLEU-4, ROUGE; self/peer ablation",
  });
  // `glycopilot eval drafts --set guideline`: the guideline vignettes (engine, case-based, and the configured model).
  registerSuite(
    "drafts-guideline",
    async (ctx) => {
      let llm: Llm | undefined;
      let noModelReason: string | undefined;
      try {
        llm = await requireModel("drafts --set guideline");
      } catch (e) {
        if (!(e instanceof NoModelConfigured)) throw e;
        noModelReason = "no model host configured (set OLLAMA_HOST to score a model)";
      }
      return runGuidelineSet(ctx, { ...(llm ? { llm } : {}), ...(noModelReason ? { noModelReason } : {}) });
    },
    { describe: "Guideline vignettes (ADA/KDIGO): must-include coverage, must-not violations, unflagged violations, Chinese answered" },
  );
}
