/** Block Kit rendering: Slack's limits (50 blocks per message, 3000 chars per section), labels, citations. */
import { describe, expect, it } from "vitest";
import type { PipelineResult } from "../../core/domain.js";
import { MAX_BLOCKS, MAX_SECTION_CHARS, packLines, renderAnswer, renderHeldNotice } from "./blocks.js";

function result(over: Partial<PipelineResult> = {}, items = 2, itemLen = 40): PipelineResult {
  const name = (i: number) => `item ${i} ${"x".repeat(itemLen)}`;
  return {
    id: "m1",
    kind: "consultation",
    status: "done",
    triage: null,
    passages: [
      {
        score: 0.9,
        citation: {
          sourceId: "ada-2026",
          chunkId: "ada-2026#9",
          title: "ADA Standards of Care",
          url: "https://diabetesjournals.org/care",
          version: "2026",
        },
      },
    ],
    draft: {
      labTests: Array.from({ length: items }, (_, i) => ({ name: name(i), citations: ["ada-2026#9"] })),
      examinations: [],
      medications: [{ name: "metformin", dose: "500 mg", frequency: "twice daily", action: "start", citations: [] }],
      recommendations: Array.from({ length: items }, (_, i) => ({ text: name(i), citations: ["unknown#1"] })),
      confidence: 0.7,
      mode: "case-based",
      provider: "case-based",
      model: "similar-cases",
      promptVersion: "v1",
    },
    findings: [{ code: "renal", severity: "warn", item: "metformin", message: "check eGFR before metformin <script>" }],
    decision: { action: "send-with-caveat", reasons: [] },
    reply: "x",
    held: false,
    ...over,
  };
}
const texts = (blocks: { text?: { text: string } }[]) => blocks.map((b) => b.text?.text ?? "");

describe("renderAnswer", () => {
  it("labels case-based drafts, shows warnings escaped, cites with links, and ends with the three buttons", () => {
    const [msg] = renderAnswer(result(), "m1", "fallback");
    const all = texts(msg?.blocks as never).join("\n");
    expect(all).toMatch(/Case-based draft/);
    expect(all).toMatch(/:warning: check eGFR before metformin &lt;script&gt;/);
    expect(all).toMatch(/<https:\/\/diabetesjournals.org\/care\|ADA Standards of Care \(2026\)>/);
    expect(all).toMatch(/`unknown#1`/);
    expect(all).toMatch(/\*metformin\* \(start\) — 500 mg, twice daily _\(no citation\)_/);
    expect(msg?.blocks.at(-1)).toMatchObject({ type: "actions" });
  });

  it("shows an escalation as a warning", () => {
    const [msg] = renderAnswer(
      result({ decision: { action: "escalate", priority: "urgent", reasons: ["complexity: eGFR < 30"] } }),
      "m1",
      "f",
    );
    expect(texts(msg?.blocks as never).join("\n")).toMatch(/Escalated \(urgent\): complexity: eGFR &lt; 30/);
  });

  it.each([
    [2, 40],
    [30, 2900],
    [30, 5000],
  ])("%i items of %i chars stay within 50 blocks per message and 3000 chars per section", (items, len) => {
    const msgs = renderAnswer(result({}, items, len), "m1", "GlycoPilot answer");
    for (const m of msgs) {
      expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const t of texts(m.blocks as never)) expect(t.length).toBeLessThanOrEqual(MAX_SECTION_CHARS);
    }
    expect(msgs.at(-1)?.blocks.at(-1)).toMatchObject({ type: "actions" });
    expect(msgs.flatMap((m) => m.blocks).filter((b) => b.type === "actions")).toHaveLength(1);
    if (len >= 2900) expect(msgs.length).toBeGreaterThan(1);
  });

  it("packLines never loses text", () => {
    const lines = ["a".repeat(7000), "b", "c".repeat(2999)];
    const packed = packLines(lines);
    expect(packed.join("").replaceAll("\n", "")).toBe(lines.join(""));
    for (const p of packed) expect(p.length).toBeLessThanOrEqual(3000);
  });
});

describe("held notices and the conversation's language", () => {
  const held = (over: Partial<PipelineResult> = {}): PipelineResult => ({
    ...result(),
    held: true,
    reply: null,
    triage: {
      urgency: "urgent",
      responder: "physician",
      flags: [{ code: "hyper-sick-day", evidence: "Zhang Wei 13900001111 sugar 15 while ill", source: "ADA" }],
      complexity: [],
      escalate: true,
      injection: false,
    },
    decision: { action: "escalate", priority: "urgent", reasons: ["urgent: hyper-sick-day"] },
    ...over,
  });
  it("says escalated, lists codes and links the case; never the evidence or the draft", () => {
    const m = renderHeldNotice(held(), ["hyper-sick-day"], "https://c.example/console/cases/m1");
    const text = JSON.stringify(m.blocks);
    expect(text).toContain("escalated");
    expect(text).toContain("`hyper-sick-day`");
    expect(text).toContain("<https://c.example/console/cases/m1|Open the case>");
    expect(text).not.toMatch(/Zhang Wei|13900001111|metformin|500 mg/);
  });
  it("in Chinese for a Chinese conversation, with the case id when there is no console URL", () => {
    const m = renderHeldNotice(held({ lang: "zh", decision: { action: "hold-for-review", priority: "routine", reasons: [] } }), [
      "x",
    ]);
    const text = JSON.stringify(m.blocks);
    expect(text).toContain("已转人工审核");
    expect(text).toContain("病例 `m1`");
  });
  it("answer labels and buttons follow result.lang", () => {
    const zh = renderAnswer({ ...result(), lang: "zh" }, "m1", "")[0];
    const s = JSON.stringify(zh?.blocks);
    expect(s).toContain("GlycoPilot 回复");
    expect(s).toContain("*检验项目*");
    expect(s).toContain("采纳");
    expect(s).not.toContain("*Lab tests*");
    expect(JSON.stringify(renderAnswer(result(), "m1", "")[0]?.blocks)).toContain("*Lab tests*");
  });
});
