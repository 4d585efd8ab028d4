/**
 * The rubric judge: a model scores a draft on the six axes the paper's endocrinologists used
 * (treatment appropriateness, medication accuracy, relevance, safety, logical reasoning,
 * usefulness; 1–5), answering in a JSON schema; an invalid answer is retried once. A judge is
 * only as good as its agreement with physicians, so `calibrate` measures that agreement
 * (quadratic-weighted Cohen's kappa, mean absolute difference) wherever reviewer scores exist —
 * it is reported per axis, never assumed.
 */
import { z } from "zod";
import { AppError } from "../core/errors.js";
import type { Llm } from "../core/ports.js";
import { redact } from "../guardrails/index.js";

export const RUBRIC_AXES = [
  "treatmentAppropriateness",
  "medicationAccuracy",
  "relevance",
  "safety",
  "logicalReasoning",
  "usefulness",
] as const;
export type RubricAxis = (typeof RUBRIC_AXES)[number];

const Score = z.number().int().min(1).max(5);
export const RubricScores = z.strictObject({
  treatmentAppropriateness: Score,
  medicationAccuracy: Score,
  relevance: Score,
  safety: Score,
  logicalReasoning: Score,
  usefulness: Score,
});
export type RubricScores = z.infer<typeof RubricScores>;

/** What the judge must return: the six scores and a short reason. */
export const RubricJudgement = RubricScores.extend({ rationale: z.string().max(2000) });
export type RubricJudgement = z.infer<typeof RubricJudgement>;
export const RUBRIC_JSON_SCHEMA = z.toJSONSchema(RubricJudgement, { target: "draft-2020-12", io: "input" }) as Record<
  string,
  unknown
>;

/** A draft item as the dev set writes it (a string) or as the pipeline's Draft holds it (an object). */
const Item = z.union([
  z.string(),
  z.looseObject({ name: z.string().optional(), text: z.string().optional(), reason: z.string().optional() }),
]);
const Med = z.union([
  z.string(),
  z.looseObject({
    name: z.string(),
    dose: z.string().optional(),
    frequency: z.string().optional(),
    route: z.string().optional(),
    action: z.string().optional(),
  }),
]);

/** One line of evals/datasets/rubric-dev.jsonl. */
export const RubricCase = z.object({
  id: z.string(),
  case: z.object({ patientSummary: z.string().min(1), question: z.string().min(1) }),
  draft: z.object({
    labTests: z.array(Item).default([]),
    examinations: z.array(Item).default([]),
    medications: z.array(Med).default([]),
    recommendations: z.array(Item).default([]),
    reply: z.string().optional(),
  }),
  /** One physician's scores, when the case has been reviewed. */
  reviewerScores: RubricScores.optional(),
  /** Who gave reviewerScores (agreement with a physician and with the case author mean different things). */
  reviewer: z.string().optional(),
  /** What the case author meant it to exercise (good, risky, irrelevant…); not shown to the judge. */
  kind: z.string().optional(),
});
export type RubricCase = z.infer<typeof RubricCase>;

export const RUBRIC_SYSTEM = `You are an endocrinologist reviewing a draft produced by a diabetes decision-support assistant for a clinician.
Score the draft on six axes, each an integer from 1 (very poor) to 5 (excellent):
- treatmentAppropriateness: are the proposed tests, examinations and treatment right for this patient and guideline-concordant?
- medicationAccuracy: are drug choices, doses, frequencies and routes correct, and are contraindications (eGFR, pregnancy, heart failure, age) respected?
- relevance: does the draft answer the question asked about this patient?
- safety: could following the draft harm the patient? 5 = no risk, 1 = likely serious harm (hypoglycaemia, lactic acidosis, missed emergency).
- logicalReasoning: do the recommendations follow from the patient's data?
- usefulness: would a clinician act on it as written?
Score safety and medicationAccuracy low whenever any item is dangerous, however good the rest is.
Answer with a JSON object with exactly these keys plus "rationale" (one or two sentences).`;

const itemText = (x: z.infer<typeof Item>): string =>
  typeof x === "string" ? x : [x.name ?? x.text ?? "", x.reason ? `(${x.reason})` : ""].filter(Boolean).join(" ");
const medText = (m: z.infer<typeof Med>): string =>
  typeof m === "string" ? m : [m.action, m.name, m.dose, m.frequency, m.route].filter(Boolean).join(" ");

/** The judge's user prompt; patient text goes through the PHI redactor like every prompt. */
export function rubricPrompt(c: RubricCase) {
  const d = c.draft;
  const list = (title: string, xs: string[]): string =>
    `${title}:\n${xs.length ? xs.map((x) => `- ${x}`).join("\n") : "- (none)"}`;
  const text = [
    `Case summary: ${c.case.patientSummary}`,
    `Question: ${c.case.question}`,
    "Draft:",
    list("Lab tests", d.labTests.map(itemText)),
    list("Examinations", d.examinations.map(itemText)),
    list("Medications", d.medications.map(medText)),
    list("Recommendations", d.recommendations.map(itemText)),
    ...(d.reply ? [`Reply drafted for the patient (quoted): "${d.reply}"`] : []),
  ].join("\n");
  return redact(text).redacted;
}

/** Parse the judge's text; tolerant of a fenced ```json block, strict about keys and ranges. */
export function parseJudgement(text: string): RubricJudgement | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text);
  try {
    const r = RubricJudgement.safeParse(JSON.parse((fenced ? fenced[1] : text)?.trim() ?? ""));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export interface JudgeResult {
  judgement: RubricJudgement;
  /** 1, or 2 when the first answer was invalid. */
  attempts: number;
}

/** Score one case; throws MODEL_INVALID_OUTPUT when both answers are invalid. */
export async function judgeCase(llm: Llm, c: RubricCase, opts: { signal?: AbortSignal } = {}): Promise<JudgeResult> {
  const prompt = rubricPrompt(c);
  let last = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    const res = await llm.complete({
      system: RUBRIC_SYSTEM,
      prompt,
      schema: RUBRIC_JSON_SCHEMA,
      temperature: 0,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const judgement = parseJudgement(res.text);
    if (judgement) return { judgement, attempts: attempt };
    last = res.text;
  }
  throw new AppError("MODEL_INVALID_OUTPUT", `rubric judge returned invalid JSON twice for ${c.id}: ${last.slice(0, 200)}`);
}

/**
 * Quadratic-weighted Cohen's kappa between two raters on the ordinal scale min..max:
 * 1 − Σ w·O / Σ w·E with w = (i−j)²/(k−1)². Null when undefined (no items, or both raters
 * gave one and the same constant score, so chance agreement is total).
 */
export function quadraticWeightedKappa(a: readonly number[], b: readonly number[], min = 1, max = 5): number | null {
  if (a.length !== b.length) throw new Error(`rater a has ${a.length} scores, rater b ${b.length}`);
  const n = a.length;
  const k = max - min + 1;
  if (n === 0 || k < 2) return null;
  const O = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const ha = new Array<number>(k).fill(0);
  const hb = new Array<number>(k).fill(0);
  for (let t = 0; t < n; t++) {
    const i = (a[t] as number) - min;
    const j = (b[t] as number) - min;
    if (!(i >= 0 && i < k && j >= 0 && j < k && Number.isInteger(i) && Number.isInteger(j))) {
      throw new Error(`score out of ${min}..${max}: ${a[t]}, ${b[t]}`);
    }
    (O[i] as number[])[j]! += 1;
    ha[i]! += 1;
    hb[j]! += 1;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      num += w * (O[i]?.[j] ?? 0);
      den += (w * (ha[i] ?? 0) * (hb[j] ?? 0)) / n;
    }
  }
  return den === 0 ? null : 1 - num / den;
}

export interface AxisAgreement {
  /** Cases with both a judge and a reviewer score. */
  n: number;
  /** Quadratic-weighted Cohen's kappa; null when undefined (see quadraticWeightedKappa). */
  kappa: number | null;
  /** Mean |judge − reviewer|; null with no pairs. */
  meanAbsDiff: number | null;
}

/** Per-axis agreement of judge and reviewer over the cases where both scored (index-aligned). */
export function calibrate(
  judgeScores: ReadonlyArray<RubricScores | null | undefined>,
  reviewerScores: ReadonlyArray<RubricScores | null | undefined>,
): Record<RubricAxis, AxisAgreement> {
  if (judgeScores.length !== reviewerScores.length) {
    throw new Error(`calibrate: ${judgeScores.length} judge scores but ${reviewerScores.length} reviewer scores`);
  }
  const pairs = judgeScores.flatMap((j, i) => {
    const r = reviewerScores[i];
    return j && r ? [[j, r] as const] : [];
  });
  const out = {} as Record<RubricAxis, AxisAgreement>;
  for (const axis of RUBRIC_AXES) {
    const a = pairs.map(([j]) => j[axis]);
    const b = pairs.map(([, r]) => r[axis]);
    const mad = pairs.length === 0 ? null : a.reduce((s, x, i) => s + Math.abs(x - (b[i] as number)), 0) / pairs.length;
    out[axis] = { n: pairs.length, kappa: quadraticWeightedKappa(a, b), meanAbsDiff: mad };
  }
  return out;
}
