/**
 * Training data from reviews, in LLaMA-Factory's formats. SFT (alpaca): approved and edited
 * cases as {instruction, input, output}, output = what the reviewer let go out. DPO (pairwise,
 * `ranking: true`): edited cases, and rejected cases where the reviewer wrote what should have
 * been said, as {instruction, input, chosen, rejected}, chosen = the reviewer's text, rejected
 * = the model's. Every text field goes through guardrails `redact` on the way out.
 */
import { InboundMessage, type PatientContext, PipelineResult, type Redacted } from "../../core/domain.js";
import { renderDraftText } from "../pipeline/render.js";
import { messageAad, openJson, patientAad } from "../stores/phi-crypto.js";
import type { SqlClient } from "../stores/sql.js";
import { caseRedactor, redactedPatientText } from "./view.js";

export const CONSULT_INSTRUCTION =
  "You are an endocrinologist. Based on the patient's information, recommend the laboratory tests, examinations, medications and treatment recommendations for this diabetes consultation.";
export const MESSAGE_INSTRUCTION =
  "You are a diabetes care assistant answering a patient's message. Reply plainly and briefly, give no dosing directives, and say when to seek care.";

export interface ReviewedCase {
  caseId: string;
  status: "approved" | "edited" | "rejected";
  edits: string | null;
  message: InboundMessage;
  result: PipelineResult;
  patient: PatientContext | null;
}

export interface SftRecord {
  instruction: string;
  input: string;
  output: string;
}
export interface DpoRecord {
  instruction: string;
  input: string;
  chosen: string;
  rejected: string;
}

export async function loadReviewedCases(db: SqlClient, kind?: "consultation" | "message"): Promise<ReviewedCase[]> {
  const r = await db.query<{
    id: string;
    status: ReviewedCase["status"];
    edits: string | null;
    body: unknown;
    result: unknown;
    context: unknown;
    patient_ref: string | null;
    mid: string;
  }>(
    `SELECT rc.id, m.id AS mid, rc.status, rc.edits, m.body, r.result, p.context, p.ref AS patient_ref
       FROM review_cases rc JOIN messages m ON m.id = rc.message_id JOIN results r ON r.id = rc.message_id
       LEFT JOIN patients p ON m.sender_role = 'patient' AND p.ref = m.sender_ref
      WHERE rc.status IN ('approved','edited','rejected') ${kind ? "AND m.kind = $1" : ""}
      ORDER BY rc.decided_at, rc.id`,
    kind ? [kind] : [],
  );
  return r.rows.map((x) => {
    const message = InboundMessage.parse(openJson(db.phi, messageAad(x.mid), x.body));
    const context = x.patient_ref ? openJson<PatientContext>(db.phi, patientAad(x.patient_ref), x.context) : null;
    return {
      caseId: x.id,
      status: x.status,
      edits: x.edits,
      message,
      result: PipelineResult.parse(x.result),
      patient: message.patient ?? context ?? null,
    };
  });
}

/** The model's own answer for a case (not a safety-net or a reviewer's text); null when there was none. */
export function modelText(c: ReviewedCase): string | null {
  const d = c.result.draft;
  if (!d || d.mode === "safety-net") return null;
  if (c.message.kind === "message") return d.reply ?? null;
  return renderDraftText(d, c.message.lang) || null;
}

function scrubberFor(c: ReviewedCase) {
  return caseRedactor(
    [c.message.text, c.patient?.chiefComplaint, c.patient?.presentIllness, c.edits],
    [c.patient?.ref, c.message.sender.role === "patient" ? c.message.sender.ref : undefined],
  );
}

function prompt(c: ReviewedCase, red: (s: string) => Redacted): { instruction: string; input: string } {
  const context = redactedPatientText(c.patient, red);
  const input =
    c.message.kind === "consultation"
      ? `${context}${c.message.text ? `\nQuestion: ${red(c.message.text)}` : ""}`
      : `Patient message: ${red(c.message.text)}${context ? `\nPatient context:\n${context}` : ""}`;
  return { instruction: c.message.kind === "consultation" ? CONSULT_INSTRUCTION : MESSAGE_INSTRUCTION, input: red(input) };
}

export function sftRecords(cases: readonly ReviewedCase[]): SftRecord[] {
  const out: SftRecord[] = [];
  for (const c of cases) {
    const output = c.status === "approved" ? modelText(c) : c.status === "edited" ? c.edits : null;
    if (!output) continue;
    const red = scrubberFor(c);
    out.push({ ...prompt(c, red), output: red(output) });
  }
  return out;
}

export function dpoRecords(cases: readonly ReviewedCase[]): DpoRecord[] {
  const out: DpoRecord[] = [];
  for (const c of cases) {
    if (c.status === "approved" || !c.edits) continue;
    const rejected = modelText(c);
    if (!rejected) continue;
    const red = scrubberFor(c);
    const chosen = red(c.edits);
    const rej = red(rejected);
    if (chosen.trim() === rej.trim()) continue;
    out.push({ ...prompt(c, red), chosen, rejected: rej });
  }
  return out;
}
