/** Rubric scores in SQL: one row per (case, reviewer); scoring again replaces the reviewer's row. */
import { z } from "zod";
import type { SqlClient } from "../stores/sql.js";
import { RUBRIC_AXES, type Score } from "./agreement.js";

const axis = z.coerce.number().int().min(1).max(5);
export const RubricInput = z.object({
  treatment: axis,
  medication: axis,
  relevance: axis,
  safety: axis,
  reasoning: axis,
  usefulness: axis,
});
export type RubricInput = z.infer<typeof RubricInput>;

export interface RubricStore {
  put(caseId: string, reviewer: string, model: string, s: RubricInput): Promise<void>;
  all(): Promise<Score[]>;
  forCase(caseId: string): Promise<Score[]>;
}

export function createRubricStore(db: SqlClient): RubricStore {
  const toScore = (r: Record<string, unknown>): Score => ({
    caseId: String(r.case_id),
    reviewer: String(r.reviewer),
    model: String(r.model),
    axes: Object.fromEntries(RUBRIC_AXES.map((a) => [a, Number(r[a])])) as Score["axes"],
  });
  return {
    async put(caseId, reviewer, model, s) {
      await db.query(
        `INSERT INTO review_scores (case_id, reviewer, model, ${RUBRIC_AXES.join(", ")}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
         ON CONFLICT (case_id, reviewer) DO UPDATE SET model = EXCLUDED.model, ${RUBRIC_AXES.map((a) => `${a} = EXCLUDED.${a}`).join(", ")}, scored_at = now()`,
        [caseId, reviewer, model, ...RUBRIC_AXES.map((a) => s[a])],
      );
    },
    async all() {
      return (await db.query<Record<string, unknown>>("SELECT * FROM review_scores ORDER BY case_id, reviewer")).rows.map(
        toScore,
      );
    },
    async forCase(caseId) {
      return (
        await db.query<Record<string, unknown>>("SELECT * FROM review_scores WHERE case_id = $1 ORDER BY reviewer", [caseId])
      ).rows.map(toScore);
    },
  };
}
