/** `glycopilot eval mcq` end to end: config → createLlm → Ollama client → model-host stand-in → report files. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { run } from "../../server/cli/eval.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { loadMcq, MCQ_LETTERS } from "../mcq.js";
import { parseEvalResult } from "../result.js";
import "./index.js";

let host: ModelHostStandin;
let dir: string;
const items = loadMcq().slice(0, 4);
const csvField = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const csv = [
  "question,answer",
  ...items.map(
    (it) =>
      `${csvField([`Question: ${it.question}`, ...MCQ_LETTERS.map((l) => `Option ${l}: ${it.options[l]}`)].join("\n"))},${it.answer}：${it.options[it.answer]}`,
  ),
].join("\n");

beforeAll(async () => {
  host = await startModelHostStandin();
  dir = await mkdtemp(join(tmpdir(), "glycopilot-mcq-"));
  await writeFile(join(dir, "mcq.csv"), csv);
});
afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => vi.unstubAllEnvs());

function captured(): { out: string[]; err: string[]; restore: () => void } {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  return {
    out,
    err,
    restore: () => {
      o.mockRestore();
      e.mockRestore();
    },
  };
}

describe("eval mcq", () => {
  it("asks the configured model each question and scores the letters it answers", async () => {
    vi.stubEnv("LLM_PROVIDER", "ollama");
    vi.stubEnv("OLLAMA_HOST", host.url);
    vi.stubEnv("OLLAMA_MODEL", "glycopilot-glm4-9b");
    // Right for the first two, wrong for the third, no letter for the fourth.
    host.reply((req) => {
      const prompt = (req.body as { messages: Array<{ content: string }> }).messages[1]?.content ?? "";
      const i = items.findIndex((it) => prompt.startsWith(it.question));
      const item = items[i];
      if (!item || i === 3) return { kind: "text", text: "无法确定" };
      const wrong = MCQ_LETTERS.find((l) => l !== item.answer) ?? "A";
      return { kind: "text", text: `答案是${i < 2 ? item.answer : wrong}` };
    });
    const before = host.chatRequests().length;
    const io = captured();
    try {
      expect(await run(["mcq", "--data", join(dir, "mcq.csv"), "--out", dir])).toBe(0);
    } finally {
      io.restore();
    }
    expect(host.chatRequests().length - before).toBe(4);
    const r = parseEvalResult(await readFile(join(dir, "mcq.json"), "utf8"));
    expect(r.metrics.accuracy).toBe(0.5);
    expect(r.metrics.unansweredRate).toBe(0.25);
    expect(r.metrics.requestErrorRate).toBe(0);
    expect((r.details as { model: string }).model).toBe("ollama/glycopilot-glm4-9b");
    const png = await readFile(join(dir, "mcq.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("refuses with a clear message and a non-zero exit when no model host is configured", async () => {
    vi.stubEnv("LLM_PROVIDER", "ollama");
    vi.stubEnv("OLLAMA_HOST", "");
    const before = host.chatRequests().length;
    const io = captured();
    let code: number;
    try {
      code = await run(["mcq", "--data", join(dir, "mcq.csv"), "--out", join(dir, "none")]);
    } finally {
      io.restore();
    }
    expect(code).not.toBe(0);
    expect(io.err.join("")).toMatch(/no model host configured.*OLLAMA_HOST/);
    expect(host.chatRequests().length).toBe(before);
    await expect(readFile(join(dir, "none", "mcq.json"))).rejects.toThrow();
  });

  it("refuses when the configured host does not serve the model", async () => {
    vi.stubEnv("LLM_PROVIDER", "ollama");
    vi.stubEnv("OLLAMA_HOST", host.url);
    vi.stubEnv("OLLAMA_MODEL", "some-other-model");
    const io = captured();
    try {
      expect(await run(["mcq", "--data", join(dir, "mcq.csv"), "--out", join(dir, "none")])).toBe(1);
    } finally {
      io.restore();
    }
    expect(io.err.join("")).toMatch(/model host not usable.*not pulled/);
  });
});
