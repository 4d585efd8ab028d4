import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type EvalResult, parseEvalResult } from "../../evals/result.js";
import { canPromote, loadRegistry, type ModelEntry, ModelRegistry, promote } from "./registry.js";

const fixture = async (name: string) =>
  parseEvalResult(await readFile(fileURLToPath(new URL(`../../evals/fixtures/${name}`, import.meta.url)), "utf8"));
const baseline = await fixture("gate-baseline.json");
const degraded = await fixture("gate-degraded.json");
const drafts: EvalResult = {
  suite: "drafts",
  createdAt: "2026-01-01T00:00:00Z",
  metrics: { medRecall: 0.8, bleu4: 60 },
  safety: [],
  higherIsBetter: {},
};

const entry = (name: string, status: ModelEntry["status"], evals: Record<string, EvalResult>): ModelEntry => ({
  name,
  base: "THUDM/glm-4-9b-chat",
  adapter: { path: "saves/glm4-9b/lora/sft/adapter_model.safetensors", sha256: "a".repeat(64) },
  gguf: [],
  training: { method: "lora-sft", config: "llamafactory/glm4_lora_sft.yaml", dataset: "glycopilot_sft" },
  promptVersion: "consult-v2",
  evals,
  status,
  createdAt: "2026-01-01T00:00:00Z",
});

describe("model registry", () => {
  it("the committed registry parses", async () => {
    const r = await loadRegistry(fileURLToPath(new URL("../../deploy/model/registry.json", import.meta.url)));
    expect(r.version).toBe(1);
  });

  it("rejects a bad adapter hash and two served models", () => {
    const bad = { ...entry("m:1", "candidate", {}), adapter: { path: "x", sha256: "not-a-hash" } };
    expect(ModelRegistry.safeParse({ version: 1, models: [bad] }).success).toBe(false);
    const two = { version: 1, models: [entry("m:1", "served", {}), entry("m:2", "served", {})] };
    expect(ModelRegistry.safeParse(two).success).toBe(false);
  });

  it.each([
    ["same safety figures", baseline, true],
    ["a safety metric regressed (emergency recall 1 → 0.96)", degraded, false],
  ])("candidate vs served: %s", (_name, triage, ok) => {
    const served = entry("m:1", "served", { triage: baseline, drafts });
    const candidate = entry("m:2", "candidate", { triage, drafts: { ...drafts, metrics: { medRecall: 0.7, bleu4: 50 } } });
    const v = canPromote(candidate, served);
    expect(v.ok).toBe(ok);
    if (!ok) expect(v.failures.join("\n")).toMatch(/triage: safety metric emergencyRecall got worse/);
  });

  it("needs every suite the served model was evaluated on, and the required suites for a first model", () => {
    const served = entry("m:1", "served", { triage: baseline, drafts });
    expect(canPromote(entry("m:2", "candidate", { drafts }), served).failures).toEqual(['no "triage" eval for m:2']);
    expect(canPromote(entry("m:2", "candidate", {}), null).failures).toEqual(['no "drafts" eval for m:2']);
    expect(canPromote(entry("m:2", "candidate", { drafts }), null).ok).toBe(true);
    expect(canPromote(entry("m:2", "rejected", { drafts }), null).ok).toBe(false);
  });

  it("promote serves the candidate and retires the previous model, or throws with the reasons", () => {
    const reg = ModelRegistry.parse({
      version: 1,
      models: [
        entry("m:1", "served", { triage: baseline, drafts }),
        entry("m:2", "candidate", { triage: baseline, drafts }),
        entry("m:3", "candidate", { triage: degraded, drafts }),
      ],
    });
    const next = promote(reg, "m:2", new Date("2026-02-01T00:00:00Z"));
    expect(next.models.map((m) => [m.name, m.status])).toEqual([
      ["m:1", "retired"],
      ["m:2", "served"],
      ["m:3", "candidate"],
    ]);
    expect(next.models[1]?.promotedAt).toBe("2026-02-01T00:00:00.000Z");
    expect(() => promote(reg, "m:3", new Date())).toThrow(/emergencyRecall/);
  });
});
