/**
 * What the review routes, the console and the Slack wiring share: access control, the SQL
 * views, the rubric store and the one review operation, bound to the running services.
 */
import type { Auth } from "../auth/guard.js";
import type { Services } from "../services.js";
import { handleReviewAction, type ReviewActionInput, type ReviewActionResult } from "./actions.js";
import { createRubricStore, type RubricStore } from "./rubric.js";
import type { SlaOptions } from "./sla.js";
import { createReviewSql, type ReviewSql } from "./store.js";

export interface ReviewCore {
  auth: Auth;
  sla: SlaOptions;
  sql(s: Services): ReviewSql;
  rubric(s: Services): RubricStore;
  act(s: Services, input: ReviewActionInput): Promise<ReviewActionResult>;
}

export function createReviewCore(auth: Auth, sla: SlaOptions, cancelPages: (caseId: string) => Promise<void>): ReviewCore {
  // One SQL view per SqlClient: routes get services per request, the module may serve several in tests.
  const views = new WeakMap<object, { sql: ReviewSql; rubric: RubricStore }>();
  const view = (s: Services) => {
    let v = views.get(s.db);
    if (!v) {
      v = { sql: createReviewSql(s.db), rubric: createRubricStore(s.db) };
      views.set(s.db, v);
    }
    return v;
  };
  return {
    auth,
    sla,
    sql: (s) => view(s).sql,
    rubric: (s) => view(s).rubric,
    act: (s, input) => handleReviewAction({ services: s, sql: view(s).sql, cancelPages }, input),
  };
}
