import { describe, expect, it } from "vitest";
import { EDIT_CALLBACK, fromSlackInteraction, REJECT_CALLBACK, REVIEW_ACTION_IDS } from "./slack.js";

const who = (id: string) => (id === "UREV1" ? "rev" : null);
const click = (action_id: string, user = "UREV1") => ({
  type: "block_actions",
  user: { id: user },
  trigger_id: "trig-1",
  actions: [{ type: "button", action_id, block_id: "glyco_case_review", value: "case-1", action_ts: "1" }],
});
const submit = (callback_id: string, values: unknown) => ({
  type: "view_submission",
  user: { id: "UREV1" },
  view: { callback_id, private_metadata: "case-1", state: { values } },
});

describe("Slack interaction payload → handleReviewAction", () => {
  it.each([
    [REVIEW_ACTION_IDS.acknowledge, "acknowledge"],
    [REVIEW_ACTION_IDS.approve, "approve"],
  ])("%s → %s", (id, action) => {
    expect(fromSlackInteraction(click(id), who)).toEqual({
      kind: "action",
      input: { caseId: "case-1", action, reviewer: "rev" },
    });
  });
  it("Edit and Reject open their modals", () => {
    expect(fromSlackInteraction(click(REVIEW_ACTION_IDS.edit), who)).toEqual({
      kind: "modal",
      triggerId: "trig-1",
      caseId: "case-1",
      modal: "edit",
    });
    expect(fromSlackInteraction(click(REVIEW_ACTION_IDS.reject), who)).toMatchObject({ kind: "modal", modal: "reject" });
  });
  it("modal submissions carry the edited text or the reason code", () => {
    expect(
      fromSlackInteraction(submit(EDIT_CALLBACK, { reply: { text: { type: "plain_text_input", value: "New reply" } } }), who),
    ).toEqual({
      kind: "action",
      input: { caseId: "case-1", action: "edit", reviewer: "rev", text: "New reply" },
    });
    expect(
      fromSlackInteraction(
        submit(REJECT_CALLBACK, {
          reason: { code: { selected_option: { value: "wrong-dose" } } },
          alternative: { text: { value: null } },
        }),
        who,
      ),
    ).toEqual({
      kind: "action",
      input: { caseId: "case-1", action: "reject", reviewer: "rev", reason: "wrong-dose" },
    });
    expect(
      fromSlackInteraction(submit(REJECT_CALLBACK, { reason: { code: { selected_option: { value: "because" } } } }), who),
    ).toBeNull();
  });
  it("an unknown Slack user or a foreign action is not a review action", () => {
    expect(fromSlackInteraction(click(REVIEW_ACTION_IDS.approve, "USTRANGER"), who)).toBeNull();
    expect(fromSlackInteraction(click("glyco_accept"), who)).toBeNull();
  });
});
