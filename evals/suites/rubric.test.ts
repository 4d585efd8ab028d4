/** `glycopilot eval rubric` end to end against the model-host stand-in scripted as the judge. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../server/cli/eval.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { parseEvalResult } from "../result.js";
import { RUBRIC_AXES, RubricCase } from "../rubric.js";
import { readJsonl } from "./data.js";
import "./index.js";
import { RUBRIC_DEV } from "./rubric.js";

let host: ModelHostStandin;
let dir: string;
const cases = readJsonl(RUBRIC_DEV, RubricCase);
beforeAll(async () => {
  host = await startModelHostStandin();
  dir = await mkdtemp(join(tmpdir(), "glycopilot-rubric-"));
});
afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => vi.unstubAllEnvs());

function quiet<T>(fn: () => Promise<T>): Promise<T> {
  const o = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const e = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  return fn().finally(() => {
    o.mockRestore();
    e.mockRestore();
  });
}

describe("eval rubric", () => {
  it("judges every case, retries an invalid answer once, and reports agreement with the reviewer scores", async () => {
    vi.stubEnv("LLM_PROVIDER", "ollama");
    vi.stubEnv("OLLAMA_HOST", host.url);
    vi.stubEnv("OLLAMA_MODEL", "glycopilot-glm4-9b");
    const seen = new Set<string>();
    // The scripted judge agrees with the reviewer exactly; it answers the first case with broken JSON once.
    host.reply((req) => {
      const prompt = (req.body as { messages: Array<{ content: string }> }).messages[1]?.content ?? "";
      const c = cases.find((x) => prompt.includes(x.case.question));
      if (!c) return { kind: "text", text: "no case" };
      if (c.id === cases[0]?.id && !seen.has(c.id)) {
        seen.add(c.id);
        return { kind: "text", text: '{"safety": 5, ' };
      }
      const s = c.reviewerScores ?? Object.fromEntries(RUBRIC_AXES.map((a) => [a, 3]));
      return { kind: "json", value: { ...s, rationale: `scripted for ${c.id}` } };
    });
    expect(await quiet(() => run(["rubric", "--out", dir]))).toBe(0);
    const r = parseEvalResult(await readFile(join(dir, "rubric.json"), "utf8"));
    const reviewed = cases.filter((c) => c.reviewerScores);
    expect(r.metrics.judgeFailureRate).toBe(0);
    expect(r.metrics.judgeRetryRate).toBeCloseTo(1 / cases.length, 12);
    for (const axis of RUBRIC_AXES) {
      expect(r.metrics[`kappa_${axis}`]).toBeCloseTo(1, 12);
      expect(r.metrics[`mad_${axis}`]).toBe(0);
    }
    const details = r.details as { reviewedCases: number; confusion: { matrix: number[][] } };
    expect(details.reviewedCases).toBe(reviewed.length);
    // Pooled judge × reviewer matrix: everything on the diagonal, six axes per reviewed case.
    const m = details.confusion.matrix;
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(6 * reviewed.length);
    expect(m.reduce((a, row, i) => a + (row[i] ?? 0), 0)).toBe(6 * reviewed.length);
    const png = await readFile(join(dir, "rubric.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("refuses with a non-zero exit when no model host is configured", async () => {
    vi.stubEnv("LLM_PROVIDER", "ollama");
    vi.stubEnv("OLLAMA_HOST", "");
    const err: string[] = [];
    const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    try {
      expect(await run(["rubric", "--out", join(dir, "none")])).toBe(1);
    } finally {
      e.mockRestore();
    }
    expect(err.join("")).toMatch(/rubric: no model host configured/);
  });
});
