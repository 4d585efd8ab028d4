/**
 * What the console shows beside the shared case detail (server/review/detail.ts): the triage's
 * responder, the model's second opinion, the latest reviewer correction, a conversation memory
 * if the case record carries one, and, for the queue, a redacted message preview and a
 * pseudonymous patient label. Nothing here shows identity: the label is an HMAC of the patient
 * reference under the server's PHI key, so it is stable for one patient and reveals nothing.
 */
import { createHmac } from "node:crypto";
import type { InboundMessage, PatientContext, Redacted, Responder, Urgency } from "../../core/domain.js";
import type { ReviewCore } from "../review/core.js";
import type { CaseRow } from "../review/store.js";
import { caseRedactor } from "../review/view.js";
import type { Services } from "../services.js";

/** The rule code the console (and the queue's "rule fired" filter) uses for the pre-check's injection flag. */
export const INJECTION_RULE = "prompt-injection";

export interface SecondOpinion {
  direction: "higher" | "lower";
  urgency: Urgency | null;
  evidence: Redacted;
  source: string;
}

export interface CaseExtras {
  responder: Responder | null;
  injection: boolean;
  secondOpinion: SecondOpinion | null;
  correction: { reviewer: string; urgency: string; responder: string; at: string } | null;
  /** Conversation memory, when the case record has one (another module may add it). */
  history: Array<{ from: string | null; at: string | null; text: Redacted }>;
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);

/**
 * A `history` / `memory` field in any of the shapes it may take: a string, an array of strings,
 * an array of turns ({role|from|sender, text|content|summary, at|ts}), or an object holding one
 * of those under `turns` / `items` / `summary`. Anything else is ignored; at most 50 entries.
 */
export function normalizeHistory(
  raw: unknown,
  red: (s: string) => Redacted,
): Array<{ from: string | null; at: string | null; text: Redacted }> {
  const out: Array<{ from: string | null; at: string | null; text: Redacted }> = [];
  const push = (v: unknown) => {
    if (out.length >= 50) return;
    const s = text(v);
    if (s) return void out.push({ from: null, at: null, text: red(s.slice(0, 4000)) });
    const o = obj(v);
    if (!o) return;
    const body = text(o.text) ?? text(o.content) ?? text(o.summary) ?? text(o.message);
    if (!body) return;
    out.push({
      from: text(o.role) ?? text(o.from) ?? text(o.sender) ?? null,
      at: text(o.at) ?? text(o.ts) ?? text(o.receivedAt) ?? null,
      text: red(body.slice(0, 4000)),
    });
  };
  const walk = (v: unknown, depth: number) => {
    if (depth > 2 || v === null || v === undefined) return;
    if (Array.isArray(v)) for (const x of v) push(x);
    else if (typeof v === "string") push(v);
    else {
      const o = obj(v);
      if (!o) return;
      if (o.turns !== undefined || o.items !== undefined) walk(o.turns ?? o.items, depth + 1);
      if (text(o.summary)) push(o.summary);
    }
  };
  walk(raw, 0);
  return out;
}

/** The patient reference a case belongs to: the context's ref, or the patient who sent it. */
export function patientRefOf(m: InboundMessage): string | null {
  return m.patient?.ref ?? (m.sender.role === "patient" ? m.sender.ref : null);
}

/** A stable, non-reversible label for a patient reference ("P-1a2b3c"). */
export function pseudonym(s: Services, ref: string): string {
  const kr = s.db.phi;
  const key = kr.keys.get(kr.currentId) ?? Buffer.from("glycopilot-console-pseudonym");
  return `P-${createHmac("sha256", key).update(`console-patient:${ref}`).digest("hex").slice(0, 6)}`;
}

export async function caseExtras(core: ReviewCore, s: Services, rc: CaseRow, caseRecord: object): Promise<CaseExtras> {
  const sql = core.sql(s);
  const message = await sql.message(rc.messageId);
  const ref = message ? patientRefOf(message) : null;
  const red = caseRedactor(
    [message?.text, message?.patient?.chiefComplaint, message?.patient?.presentIllness],
    [ref ?? undefined, message?.sender.ref],
  );
  const triage = rc.result?.triage ?? null;
  const flag = (triage?.flags ?? []).find((f) => f.code === "model-second-opinion" || f.code === "model-second-opinion-lower");
  const corr = await s.db.query<{ reviewer: string; urgency: string; responder: string; created_at: Date | string }>(
    `SELECT reviewer, urgency, responder, created_at FROM triage_corrections WHERE case_id = $1
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [rc.id],
  );
  const c = corr.rows[0];
  const record = caseRecord as Record<string, unknown>;
  const result = (rc.result ?? {}) as Record<string, unknown>;
  const rawHistory = record.history ?? record.memory ?? result.history ?? result.memory;
  return {
    responder: triage?.responder ?? null,
    injection: triage?.injection === true,
    secondOpinion: flag
      ? {
          direction: flag.code === "model-second-opinion" ? "higher" : "lower",
          urgency: flag.code === "model-second-opinion" ? (flag.urgency ?? null) : null,
          evidence: red(flag.evidence),
          source: flag.source,
        }
      : null,
    correction: c
      ? { reviewer: c.reviewer, urgency: c.urgency, responder: c.responder, at: new Date(c.created_at).toISOString() }
      : null,
    history: normalizeHistory(rawHistory, red),
  };
}

export interface QueueExtras {
  preview: Redacted | null;
  patient: { label: string; summary: string | null } | null;
}

const PREVIEW_CHARS = 140;

/** The redacted, truncated message and the patient label of each listed case. */
export async function queueExtras(core: ReviewCore, s: Services, rows: readonly CaseRow[]): Promise<Map<string, QueueExtras>> {
  const sql = core.sql(s);
  const patients = new Map<string, Promise<PatientContext | null>>();
  const out = new Map<string, QueueExtras>();
  await Promise.all(
    rows.map(async (rc) => {
      const m = await sql.message(rc.messageId).catch(() => null);
      if (!m) return void out.set(rc.id, { preview: null, patient: null });
      const ref = patientRefOf(m);
      let ctx: PatientContext | null = m.patient ?? null;
      if (!ctx && ref && m.sender.role === "patient") {
        if (!patients.has(ref))
          patients.set(
            ref,
            s.results.getPatient(ref).catch(() => null),
          );
        ctx = (await patients.get(ref)) ?? null;
      }
      const red = caseRedactor([m.text], [ref ?? undefined, m.sender.ref]);
      const flat = red(m.text).replace(/\s+/g, " ").trim();
      const preview = (flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat) as Redacted;
      const summary = ctx
        ? [`${ctx.age} ${ctx.sex}`, ctx.diagnoses.slice(0, 2).join(", ")].filter((x) => x.trim()).join(" · ")
        : null;
      out.set(rc.id, {
        preview,
        patient: ref || ctx ? { label: ref ? pseudonym(s, ref) : "—", summary: summary ? red(summary) : null } : null,
      });
    }),
  );
  return out;
}
