/** The guideline engine's output: what the guidelines expect for one patient, each item with its source. */
import type { MedicationAction, Severity } from "../../core/domain.js";
import type { GuidelineSource } from "./sources.js";
import type { OutLang } from "./terms.js";

export type ItemKind = "lab" | "exam" | "med" | "rec";

export interface PlanMed {
  /** Formulary id, or "finerenone" (not in the formulary yet). */
  drugId: string;
  name: string;
  action: MedicationAction;
  dose: string;
  frequency: string;
  route?: string;
}

export interface PlanItem {
  code: string;
  kind: ItemKind;
  /** Lab/exam/drug name, or the sentence of a recommendation. */
  text: string;
  reason?: string;
  source: GuidelineSource;
  med?: PlanMed;
}

/** Which draft medications an expectation or avoidance is about. */
export interface DrugMatch {
  drugs?: readonly string[];
  classes?: readonly string[];
  /** Any glucose-lowering drug (every formulary class except cardio-renal ones). */
  glucoseLowering?: boolean;
}

/** Something a draft must contain; its absence is an omission finding. */
export interface Expectation {
  code: string;
  severity: Severity;
  kind: ItemKind;
  drug?: DrugMatch & { actions: readonly MedicationAction[] };
  /** Lab/exam/recommendation wording that satisfies it (English and Chinese). */
  terms?: RegExp;
  item: string;
  message: string;
  source: GuidelineSource;
}

/** Something a draft must not contain; its presence is a contradiction finding. */
export interface Avoidance {
  code: string;
  severity: Severity;
  drug: DrugMatch;
  /** Actions that contradict; "stop" never does. */
  actions: readonly MedicationAction[];
  /** A daily dose above this (mg) contradicts, whatever the action. */
  maxDaily?: number;
  message: string;
  source: GuidelineSource;
}

export interface GlycaemicTarget {
  /** HbA1c goal in %, or null when HbA1c should not drive treatment (very complex health). */
  a1c: number | null;
  text: string;
  source: GuidelineSource;
}

export interface GuidelinePlan {
  lang: OutLang;
  target: GlycaemicTarget;
  items: PlanItem[];
  expect: Expectation[];
  avoid: Avoidance[];
  /** Reasons the case needs a clinician now (pregnancy on contraindicated drugs…). */
  escalate: string[];
}

/** Actions that keep a drug going. */
export const KEEPS: readonly MedicationAction[] = ["start", "continue", "increase", "change", "decrease"];
export const ADDS: readonly MedicationAction[] = ["start", "continue", "increase", "change"];
