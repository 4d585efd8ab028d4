/**
 * The ReviewDesk port (core/ports.ts) over the review module: what the Slack review buttons and
 * the "Correct triage" modal call — the same operations as the console, so bot/slack needs no
 * review internals.
 */
import type { ReviewDesk } from "../../core/ports.js";
import type { Services } from "../services.js";
import type { ReviewActionInput } from "./actions.js";
import type { ReviewModule } from "./index.js";
import { EDIT_CALLBACK, fromSlackInteraction, REJECT_CALLBACK, REVIEW_ACTION_IDS } from "./slack.js";
import { createReviewSql } from "./store.js";
import { correctTriage } from "./triage-correction.js";

export function createReviewDesk(review: ReviewModule, s: Services): ReviewDesk {
  const sql = createReviewSql(s.db);
  return {
    ids: { actions: Object.values(REVIEW_ACTION_IDS), editModal: EDIT_CALLBACK, rejectModal: REJECT_CALLBACK },
    userBySlackId: (id) => {
      const u = review.auth.userBySlackId(id);
      return u ? { username: u.username, role: u.role } : null;
    },
    stepOf: (payload, reviewerOf) => fromSlackInteraction(payload, reviewerOf),
    // Requests come from stepOf (fromSlackInteraction checked the action and reason codes there).
    act: (input) => review.handleReviewAction(input as ReviewActionInput),
    modalView: (step) => review.modalView(step),
    async caseTriage(caseId) {
      const rc = await sql.get(caseId);
      if (!rc) return null;
      const triage = rc.result?.triage;
      // The queue's current priority is the urgency a previous correction left.
      return {
        id: rc.id,
        messageId: rc.messageId,
        current: triage ? { urgency: rc.priority, responder: triage.responder } : null,
      };
    },
    async correctTriage(input) {
      const out = await correctTriage(s, sql, input);
      const rc = await sql.get(out.caseId);
      return { caseId: out.caseId, messageId: rc?.messageId ?? null, before: out.before, after: out.after };
    },
  };
}
