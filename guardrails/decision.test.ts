import { describe, expect, it } from "vitest";
import type { Draft, Finding, Triage } from "../core/domain.js";
import { decide, safetyNetReply } from "./index.js";

const triage = (over: Partial<Triage> = {}): Triage => ({
  urgency: "routine",
  responder: "bot",
  flags: [],
  complexity: [],
  escalate: false,
  injection: false,
  ...over,
});
const draft = (over: Partial<Draft> = {}): Draft => ({
  labTests: [],
  examinations: [],
  medications: [],
  recommendations: [],
  confidence: 0.9,
  mode: "model",
  provider: "ollama",
  model: "m",
  promptVersion: "v1",
  ...over,
});
const f = (severity: Finding["severity"]): Finding => ({ code: `x-${severity}`, severity, item: "drug", message: "m" });

describe("decision policy", () => {
  it("clean → send", () =>
    expect(decide({ triage: triage(), findings: [], draft: draft(), audience: "patient" }).action).toBe("send"));
  it.each([
    [{ triage: null }, "missing triage"],
    [{ findings: null }, "missing findings"],
    [{ draft: null }, "missing draft"],
    [{ error: "timeout" }, "error: timeout"],
  ])("fails closed: %j → hold", (over, reason) => {
    const d = decide({ triage: triage(), findings: [], draft: draft(), audience: "clinician", ...over });
    expect(d.action).toBe("hold-for-review");
    expect(d.reasons).toContain(reason);
  });
  it("emergency escalates even with nothing else", () => {
    const d = decide({
      triage: triage({
        urgency: "emergency",
        escalate: true,
        flags: [{ code: "chest-pain", evidence: "chest pain", source: "s", urgency: "emergency" }],
      }),
      audience: "patient",
    });
    expect(d).toMatchObject({ action: "escalate", priority: "emergency" });
  });
  it("complexity escalates", () => {
    expect(
      decide({
        triage: triage({ complexity: [{ code: "age-over-80", reason: "age 85" }], escalate: true }),
        findings: [],
        draft: draft(),
        audience: "clinician",
      }).action,
    ).toBe("escalate");
  });
  it("block → hold; warn → caveat for clinicians, hold for patients", () => {
    expect(decide({ triage: triage(), findings: [f("block")], draft: draft(), audience: "clinician" }).action).toBe(
      "hold-for-review",
    );
    expect(decide({ triage: triage(), findings: [f("warn")], draft: draft(), audience: "clinician" }).action).toBe(
      "send-with-caveat",
    );
    expect(decide({ triage: triage(), findings: [f("warn")], draft: draft(), audience: "patient" }).action).toBe(
      "hold-for-review",
    );
    expect(decide({ triage: triage(), findings: [f("info")], draft: draft(), audience: "patient" }).action).toBe("send");
  });
  it.each([
    [{ retrievalScore: 0.1, minRetrievalScore: 0.3 }, "escalate"],
    [{ retrievalScore: 0.3, minRetrievalScore: 0.3 }, "send"],
    [{ agreement: 0.5, minAgreement: 0.7 }, "escalate"],
    [{ agreement: 0.7, minAgreement: 0.7 }, "send"],
  ])("uncertainty %j → %s", (over, action) =>
    expect(decide({ triage: triage(), findings: [], draft: draft(), audience: "clinician", ...over }).action).toBe(action),
  );
  it("injection: held for patients, caveat for clinicians", () => {
    expect(decide({ triage: triage({ injection: true }), findings: [], draft: draft(), audience: "patient" }).action).toBe(
      "hold-for-review",
    );
    expect(decide({ triage: triage({ injection: true }), findings: [], draft: draft(), audience: "clinician" }).action).toBe(
      "send-with-caveat",
    );
  });
  it("case-based draft to a patient is held", () => {
    expect(decide({ triage: triage(), findings: [], draft: draft({ mode: "case-based" }), audience: "patient" }).action).toBe(
      "hold-for-review",
    );
  });
  it("urgent patient message escalates with urgent priority", () => {
    const d = decide({
      triage: triage({
        urgency: "urgent",
        responder: "nurse",
        flags: [{ code: "foot-problem", evidence: "blister", source: "s", urgency: "urgent" }],
      }),
      findings: [],
      draft: draft(),
      audience: "patient",
    });
    expect(d).toMatchObject({ action: "escalate", priority: "urgent" });
  });
});

describe("safety-net replies", () => {
  it("emergency text tells the patient to call the emergency number in their language", () => {
    expect(safetyNetReply("zh", "emergency")).toContain("120");
    expect(safetyNetReply("en", "emergency")).toContain("911");
    expect(safetyNetReply("mixed", "emergency")).toContain("120");
    expect(safetyNetReply("mixed", "emergency")).toContain("911");
    expect(safetyNetReply("en", "escalated")).toMatch(/clinician will follow up/);
  });
});

describe("a held draft lists every reason", () => {
  it.each([
    [{ retrievalScore: 0.1 }, ["block: x-block (drug)", "low retrieval score 0.1"]],
    [{ agreement: 0.4 }, ["block: x-block (drug)", "low agreement 0.4"]],
    [{ retrievalScore: 0.1, agreement: 0.4 }, ["block: x-block (drug)", "low retrieval score 0.1", "low agreement 0.4"]],
    [{ retrievalScore: 0.9, agreement: 0.9 }, ["block: x-block (drug)"]],
  ])("block + %j", (over, reasons) => {
    const d = decide({ triage: triage(), findings: [f("block")], draft: draft(), audience: "clinician", ...over });
    expect(d.action).toBe("hold-for-review");
    expect(d.reasons).toEqual(reasons);
  });
  it("low retrieval and low agreement without a block → escalate with both reasons", () =>
    expect(
      decide({ triage: triage(), findings: [], draft: draft(), audience: "clinician", retrievalScore: 0.1, agreement: 0.4 }),
    ).toEqual({
      action: "escalate",
      priority: "routine",
      reasons: ["low retrieval score 0.1", "low agreement 0.4"],
    }));
});

describe("patient answers (no model host)", () => {
  const answer = (over: Partial<Draft> = {}) =>
    draft({
      mode: "patient-answer",
      provider: "patient-answer",
      model: "education-passages",
      reply: "Metformin can cause diarrhoea.",
      ...over,
    });
  it("a clean patient answer is sent, labelled", () => {
    const d = decide({ triage: triage(), findings: [], draft: answer(), audience: "patient" });
    expect(d).toEqual({ action: "send", reasons: ["patient answer (education-passages): no flags, no findings above info"] });
  });
  it.each([
    ["a warn finding", { findings: [f("warn")] }, "hold-for-review"],
    ["a block finding", { findings: [f("block")] }, "hold-for-review"],
    ["an urgent message", { triage: triage({ urgency: "urgent" }) }, "escalate"],
    ["complexity", { triage: triage({ complexity: [{ code: "type1", reason: "type 1 diabetes" }] }) }, "escalate"],
    ["an injection attempt", { triage: triage({ injection: true }) }, "hold-for-review"],
  ])("%s → %s", (_l, over, action) => {
    expect(decide({ triage: triage(), findings: [], draft: answer(), audience: "patient", ...over }).action).toBe(action);
  });
  it.each([
    ["with a medication item", { medications: [{ name: "metformin", action: "continue" as const, citations: [] }] }],
    ["without text", { reply: "  " }],
  ])("a patient answer %s is malformed → hold", (_l, over) => {
    expect(decide({ triage: triage(), findings: [], draft: answer(over), audience: "patient" })).toEqual({
      action: "hold-for-review",
      reasons: ["malformed patient answer"],
    });
  });
  it("a case-based draft to a patient is still held (the order draft never reaches a patient)", () => {
    expect(decide({ triage: triage(), findings: [], draft: draft({ mode: "case-based" }), audience: "patient" }).action).toBe(
      "hold-for-review",
    );
  });
});

describe("safety-net texts carry the clinic country's emergency number", () => {
  it.each([
    ["en", "120", "911"],
    ["zh", "911", "拨打120"],
    ["en", "999", "911"],
  ] as const)("%s text with %s", (lang, n, absent) => {
    for (const kind of ["emergency", "escalated", "held"] as const) {
      const t = safetyNetReply(lang, kind, n);
      expect(t).toContain(n);
      expect(t).not.toContain(absent);
    }
  });
});
