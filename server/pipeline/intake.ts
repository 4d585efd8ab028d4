/**
 * Step 1, intake: find the patient context (given with a consultation, or the registered
 * patient behind a follow-up message) and normalize lab units so every check reads one scale.
 */
import type { InboundMessage, Lab, PatientContext } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { recall } from "../conversations/memory.js";
import { initialState, type PipelineDeps, type PipelineState } from "./types.js";

const MGDL_PER_MMOL = 18.016;

/** Glucose → mg/dL, HbA1c → %, per the units in RULES.md; other labs pass through. */
export function normalizeLab(lab: Lab): Lab {
  const name = lab.name.toLowerCase();
  const unit = lab.unit.toLowerCase().replace(/\s+/g, "");
  if (lab.value === null) return lab;
  if (/(glucose|sugar|glu|血糖|fpg|fbg|2hpg|空腹)/.test(name) && unit === "mmol/l") {
    return { ...lab, value: Math.round(lab.value * MGDL_PER_MMOL), unit: "mg/dL" };
  }
  if (/(a1c|hba1c|糖化)/.test(name) && unit === "mmol/mol") {
    // IFCC → NGSP master equation.
    return { ...lab, value: Math.round((lab.value * 0.09148 + 2.152) * 10) / 10, unit: "%" };
  }
  return lab;
}

export function normalizePatient(p: PatientContext): PatientContext {
  const labs = p.labs.map(normalizeLab);
  const egfrLab = labs.find((l) => /egfr|肾小球滤过率/i.test(l.name) && l.value !== null);
  return { ...p, labs, egfr: p.egfr ?? egfrLab?.value ?? undefined };
}

/** The text the guardrails read: for a consultation the complaint and history, for a message its text. */
export function messageText(m: InboundMessage): string {
  if (m.kind === "message" || !m.patient) return m.text;
  return [m.patient.chiefComplaint, m.patient.presentIllness, m.text].filter(Boolean).join("\n");
}

export async function intake(message: InboundMessage, deps: PipelineDeps): Promise<PipelineState> {
  // The pre-check stored at intake (with the memory it read); without one (or one that no longer
  // opens, e.g. sealed with a retired key), recall and pre-check here.
  const stored = await deps.results.getPrecheck(message.id).catch(() => null);
  const recalled = stored ? undefined : await recall(deps.results, message, deps.clock());
  let patient = message.patient;
  if (!patient && message.sender.role === "patient") {
    patient = (await deps.results.getPatient(message.sender.ref)) ?? undefined;
    if (!patient) throw new AppError("UNKNOWN_PATIENT", "the sender is not linked to a patient record");
  }
  // A Slack thread follow-up is about the thread's consultation's patient.
  const from = stored?.memory.patientFrom;
  if (!patient) patient = from ? (await deps.results.getMessage(from))?.patient : recalled?.patient;
  const normalized = patient ? normalizePatient(patient) : undefined;
  const state: PipelineState = {
    ...initialState(message),
    ...(normalized ? { patient: normalized } : {}),
    ...(stored ? { stored } : {}),
    ...(recalled ? { recalled } : {}),
  };
  await deps.audit.append({
    kind: "intake",
    caseId: message.id,
    traceId: message.traceId,
    payload: {
      kind: message.kind,
      channel: message.channel,
      lang: message.lang,
      audience: state.audience,
      patientKnown: Boolean(normalized),
      patientFromThread: Boolean(!message.patient && message.sender.role !== "patient" && normalized),
      labs: normalized?.labs.length ?? 0,
      medications: normalized?.medications.length ?? 0,
    },
  });
  return state;
}
