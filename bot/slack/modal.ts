/**
 * Slack modals: the /glyco consultation form (patient fields → PatientContext) and the
 * "Reply to patient" form used during a handoff. Parsing is lenient on layout ("HbA1c 8.6 %",
 * "metformin 1000 mg twice daily") and strict on types (zod PatientContext).
 */
import type { types } from "@slack/bolt";
import { PatientContext } from "../../core/domain.js";

export const CONSULT_CALLBACK = "glyco_consult";
export const REPLY_CALLBACK = "glyco_patient_reply";

const input = (
  id: string,
  label: string,
  opts: { multiline?: boolean; optional?: boolean; placeholder?: string } = {},
): types.KnownBlock => ({
  type: "input",
  block_id: id,
  optional: opts.optional ?? false,
  label: { type: "plain_text", text: label },
  element: {
    type: "plain_text_input",
    action_id: "v",
    multiline: opts.multiline ?? false,
    ...(opts.placeholder ? { placeholder: { type: "plain_text", text: opts.placeholder } } : {}),
  },
});

export function consultView(meta: { channel: string; user: string }): types.ModalView {
  const sexes = ["female", "male", "other", "unknown"] as const;
  return {
    type: "modal",
    callback_id: CONSULT_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: { type: "plain_text", text: "GlycoPilot consultation" },
    submit: { type: "plain_text", text: "Ask" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      input("age", "Age (years)", { placeholder: "58" }),
      {
        type: "input",
        block_id: "sex",
        label: { type: "plain_text", text: "Sex" },
        element: {
          type: "static_select",
          action_id: "v",
          options: sexes.map((s) => ({ text: { type: "plain_text", text: s }, value: s })),
        },
      },
      input("diagnoses", "Diagnoses (one per line)", { multiline: true, placeholder: "type 2 diabetes\nhypertension" }),
      input("chief", "Chief complaint", { multiline: true }),
      input("history", "History of present illness", { multiline: true, optional: true }),
      input("labs", "Labs (one per line: name value unit)", {
        multiline: true,
        optional: true,
        placeholder: "HbA1c 8.6 %\nfasting glucose 9.1 mmol/L",
      }),
      input("meds", "Medications (one per line)", {
        multiline: true,
        optional: true,
        placeholder: "metformin 1000 mg twice daily",
      }),
    ],
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

const val = (v: StateValues, id: string) => {
  const e = v[id]?.v;
  return (e?.selected_option?.value ?? e?.value ?? "").trim();
};
const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

export function parseLab(line: string) {
  const m = /^(.+?)\s*[:=]?\s+(-?\d+(?:\.\d+)?)\s*(\S.*)?$/.exec(line);
  if (!m) return null;
  return { name: (m[1] as string).trim(), value: Number(m[2]), unit: (m[3] ?? "").trim() };
}

export function parseMedication(line: string) {
  const m = /^(.+?)\s+(\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|units?|iu|u|ml)\b)\s*(.*)$/i.exec(line);
  if (!m) return { name: line.slice(0, 120) };
  const frequency = (m[3] ?? "").trim();
  return { name: (m[1] as string).trim(), dose: (m[2] as string).trim(), ...(frequency ? { frequency } : {}) };
}

export type ConsultParse =
  | { ok: true; patient: PatientContext; question: string }
  | { ok: false; errors: Record<string, string> };

export function parseConsultSubmission(values: StateValues): ConsultParse {
  const errors: Record<string, string> = {};
  const age = Number(val(values, "age"));
  if (!Number.isInteger(age) || age < 0 || age > 130) errors.age = "Enter the age in whole years (0-130).";
  const labLines = lines(val(values, "labs"));
  const labs = labLines.map(parseLab);
  const bad = labLines.filter((_, i) => labs[i] === null);
  if (bad.length) errors.labs = `Could not read: ${bad.slice(0, 3).join("; ")} (use "name value unit").`;
  if (Object.keys(errors).length) return { ok: false, errors };
  const chief = val(values, "chief");
  const history = val(values, "history");
  const parsed = PatientContext.safeParse({
    age,
    sex: val(values, "sex") || "unknown",
    diagnoses: lines(val(values, "diagnoses")),
    chiefComplaint: chief,
    ...(history ? { presentIllness: history } : {}),
    labs: labs.filter((l) => l !== null),
    medications: lines(val(values, "meds")).map(parseMedication),
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = String(first?.path[0] ?? "chief");
    const block =
      {
        diagnoses: "diagnoses",
        chiefComplaint: "chief",
        presentIllness: "history",
        labs: "labs",
        medications: "meds",
        sex: "sex",
      }[field] ?? "chief";
    return { ok: false, errors: { [block]: first?.message ?? "invalid value" } };
  }
  return { ok: true, patient: parsed.data, question: [chief, history].filter(Boolean).join("\n") };
}

export function replyView(conversationId: string): types.ModalView {
  return {
    type: "modal",
    callback_id: REPLY_CALLBACK,
    private_metadata: conversationId,
    title: { type: "plain_text", text: "Reply to patient" },
    submit: { type: "plain_text", text: "Send" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [input("text", "Message to the patient (sent in WeChat)", { multiline: true })],
  };
}

export const replyText = (values: StateValues) => val(values, "text");
