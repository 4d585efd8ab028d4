/**
 * Reviewers correct a case's urgency and responder (issue 12, item 4). The correction is
 * stored beside the case, the case's queue priority follows it, and an audit event records
 * before and after (codes only). `glycopilot export triage-sft|triage-dpo` turns corrections
 * into training pairs for the model's triage prompt (the seed study's DPO step).
 */
import { z } from "zod";
import { InboundMessage, Responder, Urgency } from "../../core/domain.js";
import { AppError } from "../../core/errors.js";
import { redact } from "../../guardrails/index.js";
import { MODEL_TRIAGE_INSTRUCTION } from "../pipeline/model-triage.js";
import type { Services } from "../services.js";
import { messageAad, openJson } from "../stores/phi-crypto.js";
import type { SqlClient } from "../stores/sql.js";
import type { ReviewSql } from "./store.js";

export const TriageCorrectionInput = z.object({ urgency: Urgency, responder: Responder });
export type TriageCorrectionInput = z.infer<typeof TriageCorrectionInput>;

export interface TriageCorrection {
  caseId: string;
  before: { urgency: Urgency; responder: Responder };
  after: { urgency: Urgency; responder: Responder };
  reviewer: string;
}

export async function correctTriage(
  services: Services,
  sql: ReviewSql,
  input: { caseId: string; reviewer: string } & TriageCorrectionInput,
): Promise<TriageCorrection> {
  const rc = await sql.get(input.caseId);
  if (!rc) throw new AppError("NOT_FOUND", "no such review case");
  const triage = rc.result?.triage;
  if (!triage) throw new AppError("CONFLICT", "this case has no triage to correct");
  const before = { urgency: triage.urgency, responder: triage.responder };
  const after = { urgency: input.urgency, responder: input.responder };
  await services.db.query(
    `INSERT INTO triage_corrections (case_id, message_id, reviewer, before_urgency, before_responder, urgency, responder)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [rc.id, rc.messageId, input.reviewer, before.urgency, before.responder, after.urgency, after.responder],
  );
  // The queue follows the reviewer: the case is listed (and paged) at the corrected urgency.
  await services.db.query("UPDATE review_cases SET priority = $2 WHERE id = $1", [rc.id, after.urgency]);
  await services.audit.append({
    kind: "triage-corrected",
    caseId: rc.messageId,
    payload: { caseId: rc.id, reviewer: input.reviewer, before, after },
  });
  return { caseId: rc.id, before, after, reviewer: input.reviewer };
}

export interface TriageSftRecord {
  instruction: string;
  input: string;
  output: string;
}
export interface TriageDpoRecord extends Omit<TriageSftRecord, "output"> {
  chosen: string;
  rejected: string;
}

interface CorrectionRow {
  body: unknown;
  message_id: string;
  before_urgency: string;
  before_responder: string;
  urgency: string;
  responder: string;
}

const answer = (urgency: string, responder: string) => JSON.stringify({ urgency, responder });

/** The latest correction per case, with the message (decrypted, then redacted on the way out). */
async function loadCorrections(db: SqlClient): Promise<Array<{ text: string; before: string; after: string }>> {
  const r = await db.query<CorrectionRow>(
    `SELECT DISTINCT ON (tc.case_id) tc.message_id, tc.before_urgency, tc.before_responder, tc.urgency, tc.responder,
            m.body
       FROM triage_corrections tc JOIN messages m ON m.id = tc.message_id
      ORDER BY tc.case_id, tc.created_at DESC, tc.id DESC`,
  );
  return r.rows.map((x) => {
    const message = InboundMessage.parse(openJson(db.phi, messageAad(x.message_id), x.body));
    return {
      text: redact(message.text).redacted,
      before: answer(x.before_urgency, x.before_responder),
      after: answer(x.urgency, x.responder),
    };
  });
}

/** SFT: the message → the reviewer's urgency and responder (alpaca format). */
export async function triageSftRecords(db: SqlClient): Promise<TriageSftRecord[]> {
  return (await loadCorrections(db)).map((c) => ({ instruction: MODEL_TRIAGE_INSTRUCTION, input: c.text, output: c.after }));
}

/** DPO: chosen = the reviewer's triage, rejected = the one the case carried (pairs that differ only). */
export async function triageDpoRecords(db: SqlClient): Promise<TriageDpoRecord[]> {
  return (await loadCorrections(db))
    .filter((c) => c.before !== c.after)
    .map((c) => ({ instruction: MODEL_TRIAGE_INSTRUCTION, input: c.text, chosen: c.after, rejected: c.before }));
}
