/**
 * The JSON every eval suite writes (reports/<suite>.json) and the gate compares. One schema so
 * a baseline committed months ago still parses: metrics are a flat name → number map, and the
 * file itself says which metrics are safety metrics and which direction is better.
 */
import { z } from "zod";

export const EvalResult = z.object({
  suite: z.string().min(1),
  createdAt: z.string(),
  metrics: z.record(z.string(), z.number()),
  /** Names of metrics where any regression fails the gate (emergency recall, under-triage, …). */
  safety: z.array(z.string()).default([]),
  /** false for error-type metrics (under-triage count/rate); missing means higher is better. */
  higherIsBetter: z.record(z.string(), z.boolean()).default({}),
  details: z.unknown().optional(),
});
export type EvalResult = z.infer<typeof EvalResult>;

/** Parse and validate JSON text; throws with every zod issue listed. */
export function parseEvalResult(text: string): EvalResult {
  const parsed = EvalResult.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`invalid EvalResult: ${issues.join("; ")}`);
  }
  return parsed.data;
}
