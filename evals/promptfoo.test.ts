import { describe, expect, it } from "vitest";
import { mcqPromptfooTests, promptfooYaml, toYaml } from "./promptfoo.js";

describe("toYaml", () => {
  it("writes nested maps and lists with quoted strings", () => {
    expect(toYaml({ a: "x: #1", b: [1, "二"], c: [{ type: "contains", value: "- y" }], d: [], e: undefined })).toBe(
      'a: "x: #1"\nb:\n  - 1\n  - "二"\nc:\n  - type: "contains"\n    value: "- y"\nd: []\n',
    );
  });
  it("escapes newlines and quotes the JSON way", () => {
    expect(toYaml({ q: 'line1\nsaid "hi"' })).toBe('q: "line1\\nsaid \\"hi\\""\n');
  });
});

describe("promptfoo export", () => {
  it("exports the mcq suite with one test per question", () => {
    const tests = mcqPromptfooTests();
    expect(tests).toHaveLength(235);
    const yaml = promptfooYaml({ description: "mcq", prompts: ["{{question}}"], providers: ["ollama:chat:glm4"], tests });
    expect(yaml).toContain('prompts:\n  - "{{question}}"\n');
    expect(yaml).toContain('  - description: "mcq-001"\n    vars:\n      question: "主要鉴别');
    expect(yaml.match(/^ {2}- description:/gm)).toHaveLength(235);
  });
  it("the javascript assertion accepts the right letter and rejects a wrong one", () => {
    const t = mcqPromptfooTests()[0];
    const body = String(t?.assert[0]?.value);
    const check = new Function("output", "context", body) as (o: string, c: unknown) => boolean;
    const context = { vars: t?.vars };
    expect(check("答案是E", context)).toBe(true);
    expect(check("E. 促肾上腺皮质激素兴奋试验", context)).toBe(true);
    expect(check("答案是A", context)).toBe(false);
  });
});
