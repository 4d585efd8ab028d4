/**
 * FHIR R4 intake: a Bundle (Patient, Condition, Observation, MedicationRequest, plus
 * AllergyIntolerance / Encounter / Procedure when present) → PatientContext with normalized
 * units (glucose mg/dL, HbA1c %, eGFR mL/min/1.73m², creatinine mg/dL). Age is computed
 * against the `now` passed in, so the function is pure and testable.
 */
import { type Lab, type Medication, PatientContext } from "../core/domain.js";
import { AppError } from "../core/errors.js";
import { drugName } from "./cases.js";

type Resource = Record<string, unknown> & { resourceType?: string };
interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
interface Concept {
  coding?: Coding[];
  text?: string;
}
interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}

/** LOINC codes → canonical lab name. */
const LOINC: Record<string, string> = {
  "4548-4": "HbA1c",
  "17856-6": "HbA1c",
  "4549-2": "HbA1c",
  "59261-8": "HbA1c",
  "2339-0": "Glucose",
  "2345-7": "Glucose",
  "1558-6": "Fasting glucose",
  "15074-8": "Glucose",
  "14749-6": "Glucose",
  "14771-0": "Fasting glucose",
  "33914-3": "eGFR",
  "48642-3": "eGFR",
  "48643-1": "eGFR",
  "62238-1": "eGFR",
  "98979-8": "eGFR",
  "38483-4": "Creatinine",
  "2160-0": "Creatinine",
  "14682-9": "Creatinine",
  "18262-6": "LDL",
  "2085-9": "HDL",
  "2571-8": "Triglycerides",
  "2093-3": "Total cholesterol",
  "14959-1": "Microalbumin/creatinine ratio",
  "8480-6": "Systolic BP",
  "8462-4": "Diastolic BP",
  "39156-5": "BMI",
  "29463-7": "Body weight",
  "2947-0": "Sodium",
  "6298-4": "Potassium",
  "6299-2": "Urea nitrogen",
};

const lower = (s: string | undefined) => (s ?? "").toLowerCase().replace(/\s+/g, "");

/** Convert a value to the canonical unit of its lab; unknown units are kept as given. */
export function normalizeLab(name: string, value: number, unit: string): { value: number; unit: string } {
  const u = lower(unit);
  if (name === "HbA1c") {
    // IFCC mmol/mol → NGSP %: % = 0.09148 × mmol/mol + 2.152 (NGSP/IFCC master equation).
    if (u === "mmol/mol") return { value: round(0.09148 * value + 2.152, 1), unit: "%" };
    return { value, unit: "%" };
  }
  if (name.endsWith("lucose")) {
    if (u === "mmol/l") return { value: round(value * 18.016, 0), unit: "mg/dL" };
    return { value, unit: "mg/dL" };
  }
  if (name === "eGFR") return { value, unit: "mL/min/1.73m2" };
  if (name === "Creatinine" && (u === "umol/l" || u === "µmol/l")) return { value: round(value / 88.42, 2), unit: "mg/dL" };
  if ((name === "LDL" || name === "HDL" || name === "Total cholesterol") && u === "mmol/l")
    return { value: round(value * 38.67, 0), unit: "mg/dL" };
  if (name === "Triglycerides" && u === "mmol/l") return { value: round(value * 88.57, 0), unit: "mg/dL" };
  return { value, unit };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function conceptText(c: Concept | undefined): string {
  return (c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? "").trim();
}

function isoDate(r: Resource, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = r[k];
    if (typeof v === "string") return v;
    if (v && typeof v === "object" && typeof (v as { start?: unknown }).start === "string") return (v as { start: string }).start;
  }
  return undefined;
}

/** Full years between birthDate and now. */
export function ageAt(birthDate: string, now: Date): number {
  const b = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  const m = now.getUTCMonth() - b.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < b.getUTCDate())) age--;
  return Math.max(0, age);
}

function statusCode(c: unknown): string | undefined {
  return (c as Concept | undefined)?.coding?.[0]?.code;
}

export interface FhirIntakeOptions {
  now: Date;
  /** Most recent values kept per lab (older ones only feed trends). @defaultValue 10 */
  perLab?: number;
}

export function patientFromFhirBundle(bundle: unknown, opts: FhirIntakeOptions): PatientContext {
  const b = bundle as { resourceType?: string; entry?: { resource?: Resource }[] };
  if (b?.resourceType !== "Bundle" || !Array.isArray(b.entry))
    throw new AppError("BAD_REQUEST", "expected a FHIR Bundle with entries");
  const res = b.entry.map((e) => e.resource).filter((r): r is Resource => !!r && typeof r === "object");
  const of = (t: string) => res.filter((r) => r.resourceType === t);
  const patient = of("Patient")[0];
  if (!patient) throw new AppError("BAD_REQUEST", "the Bundle has no Patient resource");
  const birth = typeof patient.birthDate === "string" ? patient.birthDate : undefined;
  if (!birth) throw new AppError("BAD_REQUEST", "Patient.birthDate is required to compute age");
  const g = patient.gender;
  const sex = g === "male" || g === "female" || g === "other" ? g : "unknown";
  const nowIso = opts.now.toISOString();

  const activeConditions = of("Condition").filter((c) => {
    const st = statusCode(c.clinicalStatus);
    const onset = isoDate(c, "onsetDateTime", "onsetPeriod", "recordedDate");
    if (onset && onset > nowIso) return false;
    return st ? ["active", "recurrence", "relapse"].includes(st) : !c.abatementDateTime;
  });
  const diagnoses = [
    ...new Set(
      activeConditions.map((c) => conceptText(c.code as Concept).replace(/\s*\((disorder|finding)\)$/, "")).filter(Boolean),
    ),
  ];

  const labs: Lab[] = [];
  const perName = new Map<string, Lab[]>();
  const addLab = (name: string, q: Quantity, at: string | undefined) => {
    if (typeof q.value !== "number" || !Number.isFinite(q.value)) return;
    const n = normalizeLab(name, q.value, q.unit ?? q.code ?? "");
    const list = perName.get(name) ?? [];
    list.push({ name, value: n.value, unit: n.unit, ...(at ? { at } : {}) });
    perName.set(name, list);
  };
  for (const o of of("Observation")) {
    if (o.status === "entered-in-error" || o.status === "cancelled") continue;
    const at = isoDate(o, "effectiveDateTime", "effectivePeriod", "issued");
    if (at && at > nowIso) continue;
    const code = (o.code as Concept | undefined)?.coding?.find((c) => c.code && LOINC[c.code])?.code;
    if (o.valueQuantity && code) addLab(LOINC[code] as string, o.valueQuantity as Quantity, at);
    for (const comp of (o.component as { code?: Concept; valueQuantity?: Quantity }[] | undefined) ?? []) {
      const cc = comp.code?.coding?.find((c) => c.code && LOINC[c.code])?.code;
      if (cc && comp.valueQuantity) addLab(LOINC[cc] as string, comp.valueQuantity, at);
    }
  }
  const perLab = opts.perLab ?? 10;
  let egfr: number | undefined;
  for (const [name, list] of perName) {
    list.sort((x, y) => (x.at ?? "").localeCompare(y.at ?? ""));
    labs.push(...list.slice(-perLab));
    if (name === "eGFR") egfr = list[list.length - 1]?.value ?? undefined;
  }

  const medications: Medication[] = of("MedicationRequest")
    .filter((m) => m.status === "active" || m.status === "on-hold")
    .map((m) => {
      const name = drugName(conceptText(m.medicationCodeableConcept as Concept) || "unknown medication");
      const dosage = (m.dosageInstruction as { text?: string; route?: Concept }[] | undefined)?.[0];
      const route = conceptText(dosage?.route);
      return {
        name,
        ...(dosage?.text ? { frequency: dosage.text.slice(0, 60) } : {}),
        ...(route ? { route: route.slice(0, 40) } : {}),
      };
    });

  const allergies = of("AllergyIntolerance")
    .map((a) => conceptText(a.code as Concept))
    .filter(Boolean);
  const text = (r: Resource) => conceptText(r.code as Concept);
  const dialysis = [...activeConditions, ...of("Procedure")].some((r) => /dialysis/i.test(text(r)));
  const pregnancy = activeConditions.some((c) => /pregnan/i.test(text(c)) && !/miscarriage|blighted/i.test(text(c)));

  // Hospital stays and emergencies in the last 3 months feed the complexity router.
  const since = new Date(opts.now.getTime() - 90 * 86_400_000).toISOString();
  const recentEvents: string[] = [];
  for (const e of of("Encounter")) {
    const start = isoDate(e, "period");
    const cls = (e.class as Coding | undefined)?.code;
    if (start && start >= since && start <= nowIso && (cls === "IMP" || cls === "EMER")) {
      recentEvents.push(`${cls === "IMP" ? "hospital stay" : "emergency visit"} ${start.slice(0, 7)}`);
    }
  }
  for (const c of of("Condition")) {
    const onset = isoDate(c, "onsetDateTime", "recordedDate");
    if (onset && onset >= since && onset <= nowIso && /ketoacidosis|hyperosmolar/i.test(text(c)))
      recentEvents.push(`${text(c)} ${onset.slice(0, 7)}`);
  }

  return PatientContext.parse({
    ref: typeof patient.id === "string" ? patient.id : undefined,
    age: ageAt(birth, opts.now),
    sex,
    diagnoses: diagnoses.slice(0, 50),
    labs: labs.slice(-200),
    medications: medications.slice(0, 60),
    allergies: allergies.slice(0, 50),
    ...(egfr !== undefined ? { egfr } : {}),
    ...(pregnancy ? { pregnancy } : {}),
    ...(dialysis ? { dialysis } : {}),
    recentEvents: recentEvents.slice(0, 50),
  });
}
