/**
 * Lenient conversion of a plain object (CLI input, dataset line) into a PatientContext:
 * unknown fields dropped, medication strings turned into {name}, conditions → diagnoses.
 * Returns undefined when there is nothing usable, so callers fail closed on bad input.
 */
import { PatientContext } from "../core/domain.js";

export function patientFromPlain(p: unknown): PatientContext | undefined {
  if (!p || typeof p !== "object") return undefined;
  const o = p as Record<string, unknown>;
  const meds = Array.isArray(o.medications) ? o.medications : [];
  const candidate = {
    ...o,
    age: typeof o.age === "number" ? Math.round(o.age) : 0,
    sex: typeof o.sex === "string" && ["male", "female", "other", "unknown"].includes(o.sex) ? o.sex : "unknown",
    diagnoses: [...(Array.isArray(o.diagnoses) ? o.diagnoses : []), ...(Array.isArray(o.conditions) ? o.conditions : [])],
    medications: meds.map((m) => (typeof m === "string" ? { name: m } : m)),
  };
  const r = PatientContext.safeParse(candidate);
  return r.success ? r.data : undefined;
}
