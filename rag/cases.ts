/**
 * Past cases for similar-patient search: built from the shipped Synthea extract (one case
 * per patient-year in which HbA1c, glucose or eGFR was measured: the labs measured that year
 * and the medications active then are its "orders"), stored as structured feature vectors
 * (rag/similar.ts) in a Chroma collection. Approved consultations are added with addCase().
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { PatientContext, SimilarCase } from "../core/domain.js";
import type { VectorStore } from "../core/ports.js";
import { type CaseFeatures, encodeCase, featuresFromPatient, fractionalYear, type LabKey, labKey } from "./similar.js";

export const SYNTHEA_CASES_FILE = fileURLToPath(new URL("./corpus/cases/synthea_diabetic_patients_dev.json", import.meta.url));

export interface CaseRecord {
  caseId: string;
  features: CaseFeatures;
  summary: string;
  labTests: string[];
  medications: string[];
}

/** One patient of the shipped Synthea extract (rag/corpus/cases). */
export interface SyntheaPatient {
  patient_id: string;
  gender: string;
  birthDate: string;
  conditions: { display: string; onset: string | null; abatement: string | null }[];
  medications: { display: string; authoredOn: string; status: string }[];
  observations: { name: string; value: number | null; unit: string; effective: string }[];
}

const KEY_LABS = new Set(["HbA1c", "Glucose", "eGFR"]);

/** Drug name without strength and form: "24 HR Metformin hydrochloride 500 MG …" → "Metformin hydrochloride". */
export function drugName(display: string): string {
  const cut = display.replace(/^\d+\s*(HR|ML|ACTUAT)\s+/i, "").split(/\s\d/)[0] ?? display;
  return cut.replace(/\s+(Oral|Injectable|Injection|Tablet|Capsule).*$/i, "").trim();
}

export function casesFromSynthea(patients: readonly SyntheaPatient[]): CaseRecord[] {
  const out: CaseRecord[] = [];
  for (const p of patients) {
    const years = [...new Set(p.observations.filter((o) => KEY_LABS.has(o.name)).map((o) => o.effective.slice(0, 4)))].sort();
    for (const year of years) {
      const end = `${year}-12-31T23:59:59Z`;
      const inYear = p.observations.filter((o) => o.effective.startsWith(year));
      // Trends look back three years so a single visit still has a slope when history exists.
      const window = p.observations.filter((o) => o.effective <= end && Number(o.effective.slice(0, 4)) >= Number(year) - 3);
      const labs: Partial<Record<LabKey, { value: number; t: number }[]>> = {};
      for (const o of window) {
        const key = labKey(o.name);
        if (!key || o.value === null) continue;
        const list = labs[key] ?? [];
        list.push({ value: o.value, t: fractionalYear(new Date(o.effective)) });
        labs[key] = list;
      }
      const conditions = p.conditions
        .filter((c) => c.onset && c.onset <= end && (!c.abatement || c.abatement.slice(0, 4) >= year))
        .map((c) => c.display.replace(/\s*\((disorder|finding)\)$/, ""));
      // Synthea has no stop dates: "active" requests count from their start; stopped ones only in the year written.
      const meds = p.medications
        .filter((m) => m.authoredOn.slice(0, 4) <= year && (m.status === "active" || m.authoredOn.startsWith(year)))
        .map((m) => drugName(m.display));
      const age = Number(year) - Number(p.birthDate.slice(0, 4));
      const sex = p.gender === "male" || p.gender === "female" ? p.gender : "unknown";
      const features: CaseFeatures = { age, sex, conditions, labs, medications: meds };
      const labTests = [...new Set(inYear.map((o) => o.name))].sort();
      const medications = [...new Set(meds)].sort();
      out.push({
        caseId: `synthea:${p.patient_id.slice(0, 8)}:${year}`,
        features,
        summary: summarize(features, year),
        labTests,
        medications,
      });
    }
  }
  return out;
}

function latest(f: CaseFeatures, key: LabKey): number | undefined {
  const pts = f.labs[key];
  if (!pts || pts.length === 0) return undefined;
  return [...pts].sort((a, b) => a.t - b.t)[pts.length - 1]?.value;
}

function summarize(f: CaseFeatures, year: string): string {
  const lab = (k: LabKey, label: string, unit: string) => {
    const v = latest(f, k);
    return v === undefined ? null : `${label} ${v.toFixed(k === "hba1c" ? 1 : 0)}${unit}`;
  };
  const labs = [lab("hba1c", "HbA1c", "%"), lab("glucose", "glucose", " mg/dL"), lab("egfr", "eGFR", "")].filter(Boolean);
  const conds = f.conditions.filter((c) => !/sinusitis|pharyngitis|bronchitis|laceration|sprain|fracture|burn/i.test(c));
  return `${year}: ${f.age}y ${f.sex}; ${conds.slice(0, 6).join(", ") || "no chronic conditions"}; ${labs.join(", ") || "no key labs"}; meds: ${[...new Set(f.medications)].slice(0, 6).join(", ") || "none"}`;
}

export interface CaseIndexOptions {
  store: VectorStore;
  /** @defaultValue "cases" */
  collection?: string;
}

export class CaseIndex {
  private readonly store: VectorStore;
  readonly collection: string;

  constructor(opts: CaseIndexOptions) {
    this.store = opts.store;
    this.collection = opts.collection ?? "cases";
  }

  async add(cases: readonly CaseRecord[]): Promise<void> {
    await this.store.upsert(
      this.collection,
      cases.map((c) => ({
        id: c.caseId,
        vector: encodeCase(c.features),
        document: c.summary,
        // Chroma metadata is scalar-only: the order lists travel as JSON strings.
        metadata: { labTests: JSON.stringify(c.labTests), medications: JSON.stringify(c.medications) },
      })),
    );
  }

  /** Record an approved consultation as a case: the patient's state and what was ordered. */
  async addCase(input: {
    caseId: string;
    patient: PatientContext;
    labTests: string[];
    medications: string[];
    summary?: string;
    now?: Date;
  }): Promise<void> {
    const features = featuresFromPatient(input.patient, input.now);
    const summary =
      input.summary ?? `${input.patient.age}y ${input.patient.sex}; ${input.patient.diagnoses.slice(0, 6).join(", ")}`;
    await this.add([{ caseId: input.caseId, features, summary, labTests: input.labTests, medications: input.medications }]);
  }

  async seedIfEmpty(file = SYNTHEA_CASES_FILE): Promise<number> {
    if ((await this.store.count(this.collection)) > 0) return 0;
    const cases = casesFromSynthea(JSON.parse(await readFile(file, "utf8")) as SyntheaPatient[]);
    await this.add(cases);
    return cases.length;
  }

  async similarCases(patient: PatientContext, k = 10, now?: Date): Promise<SimilarCase[]> {
    const vector = encodeCase(featuresFromPatient(patient, now));
    const hits = await this.store.query(this.collection, vector, k);
    return hits.map((h) => ({
      caseId: h.id,
      similarity: Math.max(-1, Math.min(1, h.score)),
      summary: h.document,
      labTests: parseList(h.metadata.labTests),
      medications: parseList(h.metadata.medications),
    }));
  }
}

function parseList(v: unknown): string[] {
  try {
    const a = JSON.parse(String(v ?? "[]")) as unknown;
    return Array.isArray(a) ? a.map(String) : [];
  } catch {
    return [];
  }
}
