import { describe, expect, it } from "vitest";
import { formatLogLine, prettyLogStream } from "./pretty-log.js";
import { type ResultView, renderResult } from "./render.js";

const citation = (chunkId: string, title: string) => ({
  sourceId: chunkId.split("#")[0] as string,
  chunkId,
  title,
  url: `https://example.org/${chunkId}`,
  version: "2024",
});

const result: ResultView = {
  id: "c1",
  status: "done",
  mode: "case-based",
  triage: {
    urgency: "urgent",
    responder: "physician",
    flags: [{ code: "HYPO_SEVERE", evidence: "glucose 50", source: "ADA 2025 §6" }],
    complexity: [{ code: "CKD", reason: "eGFR 28" }],
    escalate: false,
    injection: true,
  },
  draft: {
    mode: "case-based",
    provider: "none",
    model: "similar-cases",
    promptVersion: "v3",
    confidence: 0.5,
    labTests: [{ name: "HbA1c", reason: "rising", citations: ["ada#2", "ada#1"] }],
    examinations: [],
    medications: [
      { name: "metformin", dose: "500 mg", frequency: "twice daily", action: "continue", citations: ["ada#1"] },
      { name: "二甲双胍缓释片", action: "start", citations: ["gone#9"] },
    ],
    recommendations: [{ text: "Recheck in 3 months.", citations: [] }],
  },
  findings: [{ code: "DOSE_RENAL", severity: "block", item: "metformin", message: "eGFR < 30", source: "KDIGO 2022" }],
  decision: { action: "hold-for-review", priority: "urgent", reasons: ["block finding DOSE_RENAL"] },
  passages: [
    { score: 0.9, citation: citation("ada#1", "ADA Standards 9") },
    { score: 0.8, citation: citation("ada#2", "ADA Standards 6") },
  ],
};

describe("renderResult", () => {
  const text = renderResult(result);
  it("puts the decision and its reasons first, then triage", () => {
    const lines = text.split("\n");
    expect(lines[0]).toBe("Consultation c1  done · case-based mode — drafted from similar past cases, no model");
    expect(lines[1]).toBe("Decision   HELD FOR REVIEW (priority urgent)");
    expect(lines[2]).toBe("           · block finding DOSE_RENAL");
    expect(lines[3]).toContain("urgent · responder physician · red flags: HYPO_SEVERE · injection attempt");
    expect(lines[4]).toContain("complexity: eGFR 28");
  });

  it("numbers citations by first use and resolves them to source titles; an unknown chunk id is shown as is", () => {
    expect(text).toContain("  1. HbA1c — rising [1][2]");
    expect(text).toMatch(/\[1\] ADA Standards 6 \(2024\) {2}https:\/\/example\.org\/ada#2/);
    expect(text).toMatch(/\[2\] ADA Standards 9/);
    expect(text).toContain("  [3] gone#9");
  });

  it("aligns the medications table, counting CJK characters as two columns", () => {
    const rows = text.split("\n").filter((l) => /^ {2}(action|continue|start) /.test(l));
    expect(rows).toHaveLength(3);
    const col = (l: string, word: string) => {
      const before = l.slice(0, l.indexOf(word));
      return [...before].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    };
    expect(col(rows[0] as string, "sources")).toBe(col(rows[1] as string, "[2]"));
    expect(col(rows[0] as string, "sources")).toBe(col(rows[2] as string, "[3]"));
  });

  it("shows findings with severity and source, and no colour codes unless asked", () => {
    expect(text).toContain("  BLOCK DOSE_RENAL (metformin): eGFR < 30 — KDIGO 2022");
    expect(text).not.toContain("\x1b[");
  });

  it("a failed result says it is held", () => {
    expect(renderResult({ id: "x", status: "failed", error: "MODEL_TIMEOUT" })).toContain(
      "HELD FOR REVIEW — processing failed: MODEL_TIMEOUT",
    );
  });
});

describe("readable log lines", () => {
  it("turns a pino line into time, level, message and fields", () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 2, 3, 4, 5),
      pid: 1,
      service: "glycopilot",
      msg: "rate limiter unavailable; allowing",
      err: "connect ECONNREFUSED",
    });
    expect(formatLogLine(line, false)).toBe('03:04:05 WARN  rate limiter unavailable; allowing  err="connect ECONNREFUSED"');
    expect(formatLogLine("not json", false)).toBe("not json");
  });

  it("re-splits chunks into lines", async () => {
    let out = "";
    const sink = {
      write: (s: string) => {
        out += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const s = prettyLogStream(sink, false);
    const a = JSON.stringify({ level: 30, time: 0, msg: "one" });
    const b = JSON.stringify({ level: 50, time: 0, msg: "two", caseId: "c9" });
    s.write(`${a}\n${b.slice(0, 10)}`);
    s.write(`${b.slice(10)}\n`);
    await new Promise((r) => s.end(r));
    expect(out).toBe("00:00:00 INFO  one\n00:00:00 ERROR two  caseId=c9\n");
  });
});
