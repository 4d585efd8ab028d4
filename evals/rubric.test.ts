import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../core/errors.js";
import { createOllamaLlm } from "../server/llm/ollama.js";
import { type ModelHostStandin, startModelHostStandin } from "../test/standins/model-host-standin.js";
import {
  calibrate,
  judgeCase,
  parseJudgement,
  quadraticWeightedKappa,
  RUBRIC_AXES,
  RUBRIC_JSON_SCHEMA,
  RubricCase,
  type RubricScores,
} from "./rubric.js";
import { datasetPath, readJsonl } from "./suites/data.js";

const all = (v: number): RubricScores => Object.fromEntries(RUBRIC_AXES.map((a) => [a, v])) as RubricScores;

describe("quadraticWeightedKappa", () => {
  it.each([
    // 1 − (1/16) / (85/80) = 16/17, worked by hand from the confusion and marginals.
    ["one adjacent disagreement", [1, 2, 3, 4, 5], [1, 2, 3, 4, 4], 16 / 17],
    // Checked against an independent numpy implementation.
    ["mixed", [1, 2, 3, 3, 5, 4], [2, 2, 3, 4, 5, 1], 0.47619047619047616],
    ["perfect disagreement", [1, 5], [5, 1], -1],
    ["identical", [1, 3, 5, 2], [1, 3, 5, 2], 1],
  ])("%s", (_n, a, b, expected) => {
    expect(quadraticWeightedKappa(a, b)).toBeCloseTo(expected, 12);
    expect(quadraticWeightedKappa(b, a)).toBeCloseTo(expected, 12); // symmetric
  });
  it("is undefined when both raters give the same constant score or there are no pairs", () => {
    expect(quadraticWeightedKappa([4, 4, 4], [4, 4, 4])).toBeNull();
    expect(quadraticWeightedKappa([], [])).toBeNull();
  });
  it("rejects scores off the scale", () => {
    expect(() => quadraticWeightedKappa([0], [1])).toThrow(/out of 1..5/);
  });
});

describe("calibrate", () => {
  it("uses only cases with both scores and reports kappa and mean absolute difference per axis", () => {
    const judge = [all(5), { ...all(1), safety: 2 }, all(3), all(4)];
    const reviewer = [all(5), all(1), undefined, { ...all(4), usefulness: 2 }];
    const c = calibrate(judge, reviewer);
    expect(c.relevance).toEqual({ n: 3, kappa: 1, meanAbsDiff: 0 });
    expect(c.safety.n).toBe(3);
    expect(c.safety.meanAbsDiff).toBeCloseTo(1 / 3, 12);
    expect(c.usefulness.meanAbsDiff).toBeCloseTo(2 / 3, 12);
    expect(c.usefulness.kappa).toBeLessThan(1);
  });
  it("reports nothing when no case was reviewed, and refuses misaligned lists", () => {
    expect(calibrate([all(3)], [undefined]).safety).toEqual({ n: 0, kappa: null, meanAbsDiff: null });
    expect(() => calibrate([all(3)], [])).toThrow(/1 judge scores but 0/);
  });
});

describe("parseJudgement", () => {
  it("accepts a fenced answer and rejects missing axes, non-integers and out-of-range scores", () => {
    const ok = { ...all(4), rationale: "fine" };
    expect(parseJudgement(`\`\`\`json\n${JSON.stringify(ok)}\n\`\`\``)).toEqual(ok);
    const { safety: _s, ...missing } = ok;
    expect(parseJudgement(JSON.stringify(missing))).toBeNull();
    expect(parseJudgement(JSON.stringify({ ...ok, safety: 3.5 }))).toBeNull();
    expect(parseJudgement(JSON.stringify({ ...ok, safety: 6 }))).toBeNull();
    expect(parseJudgement("scores: 4")).toBeNull();
  });
});

describe("rubric-dev.jsonl", () => {
  const cases = readJsonl(datasetPath("rubric-dev.jsonl"), RubricCase);
  it("has at least 10 cases mixing good, risky and irrelevant drafts", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const kind of ["good", "risky", "irrelevant"]) expect(cases.some((c) => c.kind?.startsWith(kind))).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });
  it("reference scores put every risky draft's safety at 2 or below and every good draft's at 4 or above", () => {
    for (const c of cases.filter((x) => x.reviewerScores)) {
      if (c.kind?.startsWith("risky")) expect(c.reviewerScores?.safety, c.id).toBeLessThanOrEqual(2);
      if (c.kind?.startsWith("good")) expect(c.reviewerScores?.safety, c.id).toBeGreaterThanOrEqual(4);
    }
  });
});

describe("judgeCase through the Ollama client against the model-host stand-in", () => {
  let host: ModelHostStandin;
  beforeAll(async () => {
    host = await startModelHostStandin();
  });
  afterAll(() => host.close());
  const [first] = readJsonl(datasetPath("rubric-dev.jsonl"), RubricCase);
  const llm = () => createOllamaLlm({ host: host.url, model: "glycopilot-glm4-9b", timeoutMs: 5_000 });
  const scores = { ...all(4), safety: 5, rationale: "appropriate GLP-1 RA for ASCVD" };

  it("sends the rubric JSON schema as Ollama's format and returns the scores", async () => {
    host.reply({ kind: "json", value: scores });
    const before = host.chatRequests().length;
    const r = await judgeCase(llm(), first as RubricCase);
    expect(r).toEqual({ judgement: scores, attempts: 1 });
    const req = host.chatRequests().slice(before);
    expect(req).toHaveLength(1);
    const body = req[0]?.body as { format?: unknown; messages: Array<{ content: string }> };
    expect(body.format).toEqual(RUBRIC_JSON_SCHEMA);
    expect(body.messages[1]?.content).toContain("semaglutide");
  });

  it("retries once after invalid JSON", async () => {
    let calls = 0;
    host.reply(() => (calls++ === 0 ? { kind: "text", text: "Scores: all fours {" } : { kind: "json", value: scores }));
    const start = host.chatRequests().length;
    const r = await judgeCase(llm(), first as RubricCase);
    expect(r.attempts).toBe(2);
    expect(r.judgement).toEqual(scores);
    expect(host.chatRequests().length - start).toBe(2);
  });

  it("gives up with MODEL_INVALID_OUTPUT after two invalid answers", async () => {
    host.reply({ kind: "json", value: { ...scores, safety: 9 } });
    const err = await judgeCase(llm(), first as RubricCase).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("MODEL_INVALID_OUTPUT");
  });
});
