/**
 * The guideline vignette set (`eval drafts --set guideline`): the engine's drafts on the tuning
 * half, and a model draft through the Ollama stand-in. The stand-in is scripted as a naive
 * model — it repeats the recorded regimen, drops basal insulin in type 1 (the failure reported
 * in issue 14) and starts the drugs the vignettes forbid — so the figure measures whether the
 * post-check flags unsafe items, not model quality. Figures print for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DraftBody } from "../../core/domain.js";
import { createOllamaLlm } from "../../server/llm/ollama.js";
import { caseBasedDraft } from "../../server/pipeline/case-based.js";
import { type ModelHostStandin, startModelHostStandin } from "../../test/standins/model-host-standin.js";
import { answeredInChinese, GUIDELINE_SET_FILES, loadVignettes, runSource, type Vignette } from "./guideline-set.js";

/** A naive model's draft for a vignette: the recorded regimen continued, type 1 basal dropped, forbidden starts added. */
function naiveDraft(v: Vignette): DraftBody {
  const d = caseBasedDraft({ patient: v.patient, similar: [], passages: [] });
  const type1 = v.patient.diagnoses.some((x) => /type 1|1型/i.test(x));
  const meds = d.medications.filter((m) => !(type1 && /glargine|degludec|detemir|甘精|德谷|地特/i.test(m.name)));
  const DRUG: Record<string, string> = { "drug:metformin": "metformin", "class:glp1": "semaglutide", "class:sglt2": "empagliflozin", "class:sulfonylurea": "glimepiride" };
  for (const s of v.mustNot) {
    const first = String(s.match).split("|")[0] ?? "";
    if (s.actions?.length === 1 && s.actions[0] === "start" && DRUG[first])
      meds.push({ name: DRUG[first] as string, dose: first === "class:glp1" ? "0.25 mg" : "10 mg", frequency: first === "class:glp1" ? "once weekly" : "once daily", action: "start", citations: [] });
  }
  return { ...d, medications: meds, confidence: 0.8 };
}

let standin: ModelHostStandin;
beforeAll(async () => {
  standin = await startModelHostStandin();
});
afterAll(async () => {
  await standin?.close();
});

describe("guideline vignettes", () => {
  it("the engine covers ≥ 90% of must-include items on the tuning half with no unflagged must-not item, Chinese in Chinese", async () => {
    const vs = await loadVignettes(GUIDELINE_SET_FILES.tune);
    expect(vs.length).toBeGreaterThanOrEqual(30);
    const run = await runSource(vs, "engine");
    console.log(`guideline set (tune), engine: ${JSON.stringify(run.summary)} p50 ${run.engineMsP50?.toFixed(3)} ms`);
    expect(run.summary.mustIncludeCoverage).toBeGreaterThanOrEqual(0.9);
    expect(run.summary.unflaggedViolations).toBe(0);
    expect(run.summary.chineseAnswered).toBe(run.summary.chineseTotal);
  });

  it.each(["tune", "report"] as const)("a naive model through the Ollama stand-in (%s half): every unsafe item it writes is blocked", async (split) => {
    const vs = await loadVignettes(GUIDELINE_SET_FILES[split]);
    const scripted = vs.map(naiveDraft);
    standin.reply((_req, n) => ({ kind: "json", value: scripted[n % scripted.length] }));
    const llm = createOllamaLlm({ host: standin.url, model: "glycopilot-glm4-9b", timeoutMs: 5_000 });
    const run = await runSource(vs, "model", llm);
    console.log(`guideline set (${split}), scripted naive model via stand-in: ${JSON.stringify(run.summary)}`);
    expect(run.summary.mustNotViolations).toBeGreaterThan(10);
    expect(run.summary.unflaggedViolations).toBe(0);
  });

  it("the Chinese-answer check fails mixed-language text", () => {
    expect(answeredInChinese("继续 metformin 500 mg twice daily, check potassium and lipids")).toBe(false);
    expect(answeredInChinese("继续二甲双胍 500 mg 每日2次；复查血钾（K）和 eGFR [guideline:ada-2025-s9-t2-first-line]")).toBe(true);
  });
});
