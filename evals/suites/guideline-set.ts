/**
 * `glycopilot eval drafts --set guideline`: consultation vignettes written from the ADA
 * Standards of Care and KDIGO 2022 (evals/datasets/consult-guideline-{tune,report}.jsonl), each
 * with must-include and must-not-include items. Every draft source — the guideline engine
 * (guideline-based mode), the case-based recommender, and a model through the configured host —
 * is checked by the same post-check the pipeline runs (draftFindings), and scored on:
 * must-include coverage, must-not violations, and unflagged violations (a must-not item present
 * with no block finding on it), plus "answered in Chinese" for Chinese consultations.
 * BLEU-4/ROUGE against the engine's rendered draft are reported as text agreement only; they
 * are not the target. Tune and report halves are reported separately.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { type Draft, type DraftBody, type Finding, Lang, PatientContext } from "../../core/domain.js";
import type { Llm } from "../../core/ports.js";
import { dailyAmount, identify } from "../../guardrails/guideline/index.js";
import { redact } from "../../guardrails/index.js";
import { caseBasedDraft } from "../../server/pipeline/case-based.js";
import { DRAFT_JSON_SCHEMA, parseDraft } from "../../server/pipeline/generate.js";
import { guidelineDraft } from "../../server/pipeline/guideline-based.js";
import { draftFindings } from "../../server/pipeline/postcheck.js";
import { buildConsultPrompt } from "../../server/pipeline/prompt.js";
import { renderDraftText } from "../../server/pipeline/render.js";
import { corpusBleu } from "../metrics/bleu.js";
import type { EvalResult } from "../result.js";
import type { SuiteContext } from "../suites.js";
import { score as rouge } from "../metrics/rouge.js";

export const GUIDELINE_SET_FILES = {
  tune: fileURLToPath(new URL("../datasets/consult-guideline-tune.jsonl", import.meta.url)),
  report: fileURLToPath(new URL("../datasets/consult-guideline-report.jsonl", import.meta.url)),
} as const;

const Spec = z.object({
  kind: z.enum(["med", "lab", "exam", "rec", "any"]),
  match: z.union([z.string(), z.array(z.string())]),
  actions: z.array(z.string()).optional(),
  also: z.array(z.string()).optional(),
  maxDailyMg: z.number().optional(),
});
export type Spec = z.infer<typeof Spec>;

export const Vignette = z.object({
  id: z.string(),
  lang: Lang,
  topic: z.string(),
  section: z.string(),
  patient: PatientContext,
  question: z.string(),
  mustInclude: z.array(Spec),
  mustNot: z.array(Spec),
  split: z.enum(["tune", "report"]).optional(),
});
export type Vignette = z.infer<typeof Vignette>;

export async function loadVignettes(file: string): Promise<Vignette[]> {
  const lines = (await readFile(file, "utf8")).split(/\r?\n/).filter((l) => l.trim());
  return lines.map((l, i) => {
    const r = Vignette.safeParse(JSON.parse(l));
    if (!r.success) throw new Error(`${file} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join(".")} ${x.message}`).join("; ")}`);
    return r.data;
  });
}

type Body = Pick<DraftBody, "labTests" | "examinations" | "medications" | "recommendations">;

const NON_STOP = ["start", "continue", "increase", "change", "decrease"];

/** Draft medications a med spec ("class:sglt2|drug:metformin|glucose-lowering") refers to. */
function medsFor(spec: Spec, d: Body) {
  const alts = String(spec.match).split("|");
  return d.medications.filter((m) => {
    const who = identify(m.name);
    return alts.some((a) =>
      a === "glucose-lowering"
        ? who.cls !== undefined && !["ace-inhibitor", "arb", "statin", "calcium-channel-blocker", "antiplatelet", "thiazide", "glucagon", "ns-mra"].includes(who.cls)
        : a.startsWith("class:")
          ? who.cls === a.slice(6)
          : a.startsWith("drug:")
            ? who.id === a.slice(5)
            : false,
    );
  });
}

const lower = (s: string) => s.toLowerCase();
const anyTerm = (text: string, terms: readonly string[]) => terms.some((t) => lower(text).includes(lower(t)));

/** The draft items a spec finds (for a must-not: the offending items). */
export function specHits(spec: Spec, d: Body, role: "include" | "not"): string[] {
  const terms = Array.isArray(spec.match) ? spec.match : [spec.match];
  switch (spec.kind) {
    case "med": {
      const actions = spec.actions ?? NON_STOP;
      return medsFor(spec, d)
        .filter((m) => {
          if (spec.maxDailyMg !== undefined && role === "not") {
            const daily = dailyAmount(m.dose, m.frequency);
            return m.action !== "stop" && daily !== undefined && daily > spec.maxDailyMg;
          }
          return actions.includes(m.action);
        })
        .map((m) => m.name);
    }
    case "lab":
      return d.labTests.filter((l) => anyTerm(l.name, terms)).map((l) => l.name);
    case "exam":
      return d.examinations.filter((l) => anyTerm(l.name, terms)).map((l) => l.name);
    case "rec":
      return d.recommendations.filter((r) => anyTerm(r.text, terms) && (!spec.also || anyTerm(r.text, spec.also))).map((r) => r.text.slice(0, 60));
    case "any": {
      const all = [...d.medications.map((m) => m.name), ...d.recommendations.map((r) => r.text), ...d.labTests.map((l) => l.name)];
      return all.filter((x) => anyTerm(x, terms)).map((x) => x.slice(0, 60));
    }
  }
}

/** Latin words left in a Chinese answer once citation ids, units and standard abbreviations are removed. */
const ALLOWED_LATIN =
  /\b(?:hba1c|a1c|uacr|egfr|ldl|acei|arb|sglt2|sglt-2|glp-1|glp1|dpp-4|dpp4|cgm|men2|ascvd|ckd|nyha|mg|dl|mmol|mol|mmhg|kg|g|l|ml|iu|ras|mra|ada|kdigo|soc|bmi|ns|gip|dka|g[1-5][ab]?|ra)\b/gi;
export function answeredInChinese(text: string): boolean {
  const cjk = (text.match(/[\u4e00-\u9fff]/g) ?? []).length;
  const latinWords = (text.replace(/\[[^\]]*\]/g, " ").replace(ALLOWED_LATIN, " ").match(/[A-Za-z]{3,}/g) ?? []).length;
  return cjk > 0 && latinWords <= Math.max(2, Math.floor(cjk / 100));
}

export interface VignetteScore {
  id: string;
  lang: Lang;
  included: number;
  mustInclude: number;
  missing: string[];
  violations: Array<{ spec: string; items: string[]; flagged: boolean }>;
  chinese?: boolean;
  findings: { block: number; warn: number };
}

const specName = (s: Spec) => `${s.kind}:${Array.isArray(s.match) ? s.match[0] : s.match}${s.actions ? `[${s.actions.join(",")}]` : ""}${s.maxDailyMg ? `>${s.maxDailyMg}mg` : ""}`;

export function scoreVignette(v: Vignette, d: Body, findings: readonly Finding[], text: string): VignetteScore {
  const missing = v.mustInclude.filter((s) => specHits(s, d, "include").length === 0).map(specName);
  const blocked = new Set(findings.filter((f) => f.severity === "block").map((f) => f.item));
  const violations = v.mustNot.flatMap((s) => {
    const items = specHits(s, d, "not");
    return items.length ? [{ spec: specName(s), items, flagged: items.every((i) => blocked.has(i)) }] : [];
  });
  return {
    id: v.id,
    lang: v.lang,
    included: v.mustInclude.length - missing.length,
    mustInclude: v.mustInclude.length,
    missing,
    violations,
    ...(v.lang === "zh" ? { chinese: answeredInChinese(text) } : {}),
    findings: { block: findings.filter((f) => f.severity === "block").length, warn: findings.filter((f) => f.severity === "warn").length },
  };
}

export interface SourceSummary {
  vignettes: number;
  mustIncludeCoverage: number;
  mustNotViolations: number;
  unflaggedViolations: number;
  chineseAnswered: number;
  chineseTotal: number;
  bleu4VsEngine?: number;
  rougeLVsEngine?: number;
}

export function summarise(scores: readonly VignetteScore[]): SourceSummary {
  const inc = scores.reduce((a, s) => a + s.included, 0);
  const tot = scores.reduce((a, s) => a + s.mustInclude, 0);
  const zh = scores.filter((s) => s.chinese !== undefined);
  return {
    vignettes: scores.length,
    mustIncludeCoverage: tot ? inc / tot : 1,
    mustNotViolations: scores.reduce((a, s) => a + s.violations.length, 0),
    unflaggedViolations: scores.reduce((a, s) => a + s.violations.filter((x) => !x.flagged).length, 0),
    chineseAnswered: zh.filter((s) => s.chinese).length,
    chineseTotal: zh.length,
  };
}

export type DraftSource = "engine" | "case-based" | "model";

const NOW = new Date("2026-12-01T00:00:00Z");

/** One vignette's draft from a source, as the pipeline would make it (no retrieval: passages empty). */
export async function draftFor(v: Vignette, source: DraftSource, llm?: Llm): Promise<Draft> {
  if (source === "engine") {
    const { draft } = guidelineDraft({ patient: v.patient, lang: v.lang, similar: [], now: NOW });
    return { ...draft, mode: "guideline-based", provider: "guideline-engine", model: "ada-2025-kdigo-2022", promptVersion: "eval" };
  }
  if (source === "case-based") {
    const body = caseBasedDraft({ patient: v.patient, similar: [], passages: [] });
    return { ...body, mode: "case-based", provider: "case-based", model: "similar-cases", promptVersion: "eval" };
  }
  if (!llm) throw new Error("model source needs a model");
  const built = buildConsultPrompt({ lang: v.lang, patient: v.patient, question: redact(v.question).redacted, passages: [], similar: [] });
  const res = await llm.complete({ system: built.system, prompt: built.prompt, schema: DRAFT_JSON_SCHEMA, temperature: 0, seed: 0 });
  const body = parseDraft(res.text);
  if (!body) throw new Error(`${v.id}: the model returned an invalid draft`);
  return { ...body, mode: "model", provider: llm.provider, model: llm.model, promptVersion: built.version };
}

export interface SetRun {
  summary: SourceSummary;
  scores: VignetteScore[];
  engineMsP50?: number;
}

/** Score one source on a list of vignettes. */
export async function runSource(vignettes: readonly Vignette[], source: DraftSource, llm?: Llm, onItem?: () => void): Promise<SetRun> {
  const scores: VignetteScore[] = [];
  const hyps: string[] = [];
  const refs: string[] = [];
  const times: number[] = [];
  for (const v of vignettes) {
    const t0 = performance.now();
    const draft = await draftFor(v, source, llm);
    if (source === "engine") times.push(performance.now() - t0);
    const findings = draftFindings({ draft, patient: v.patient, audience: "clinician", lang: v.lang, retrievedChunkIds: [], now: NOW });
    const text = renderDraftText(draft, v.lang);
    scores.push(scoreVignette(v, draft, findings, text));
    hyps.push(text);
    refs.push(renderDraftText((await draftFor(v, "engine")) as Draft, v.lang));
    onItem?.();
  }
  const summary = summarise(scores);
  if (source !== "engine" && hyps.length) {
    const zh = vignettes.some((v) => v.lang === "zh");
    summary.bleu4VsEngine = corpusBleu(hyps, [refs], { tokenize: zh ? "zh" : "13a" }).score;
    summary.rougeLVsEngine = (100 * hyps.reduce((a, h, i) => a + (rouge(refs[i] ?? "", h, ["rougeL"], { tokenizer: zh ? "zh" : "default" }).rougeL?.fmeasure ?? 0), 0)) / hyps.length;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { summary, scores, ...(sorted.length ? { engineMsP50: sorted[Math.floor(sorted.length / 2)] ?? 0 } : {}) };
}

export interface GuidelineSetOptions {
  /** The model to score as the "model" source; omitted → that source is skipped and says so. */
  llm?: Llm;
  /** Why there is no model (shown in the report). */
  noModelReason?: string;
}

/** The suite: every source on both halves (or on --data), tune and report reported separately. */
export async function runGuidelineSet(ctx: SuiteContext, opts: GuidelineSetOptions = {}): Promise<EvalResult> {
  const sets: Record<string, Vignette[]> = ctx.dataFile
    ? { data: await loadVignettes(ctx.dataFile) }
    : { tune: await loadVignettes(GUIDELINE_SET_FILES.tune), report: await loadVignettes(GUIDELINE_SET_FILES.report) };
  const sources: DraftSource[] = ["engine", "case-based", ...(opts.llm ? (["model"] as const) : [])];
  const total = Object.values(sets).reduce((a, s) => a + s.length, 0) * sources.length;
  const tick = ctx.progress(total);
  const metrics: Record<string, number> = {};
  const details: Record<string, unknown> = {};
  const higherIsBetter: Record<string, boolean> = {};
  const safety: string[] = [];
  for (const [split, vs] of Object.entries(sets)) {
    for (const source of sources) {
      const run = await runSource(vs, source, opts.llm, () => tick());
      const key = `${split}.${source}`;
      for (const [m, v] of Object.entries(run.summary)) if (typeof v === "number") metrics[`${key}.${m}`] = v;
      if (run.engineMsP50 !== undefined) metrics[`${key}.msP50`] = run.engineMsP50;
      for (const m of ["mustNotViolations", "unflaggedViolations", "msP50"]) higherIsBetter[`${key}.${m}`] = false;
      safety.push(`${key}.unflaggedViolations`);
      details[key] = run.scores.filter((s) => s.missing.length || s.violations.length || s.chinese === false);
    }
  }
  return {
    suite: "drafts-guideline",
    createdAt: new Date().toISOString(),
    metrics,
    safety,
    higherIsBetter,
    details: {
      setting:
        "consultation vignettes from ADA Standards of Care 2025 / KDIGO 2022; each source's draft goes through the pipeline's post-check (draftFindings); unflagged = a must-not item present with no block finding on it; BLEU-4/ROUGE-L are agreement with the engine's rendered draft, not a target",
      sources,
      ...(opts.llm ? { model: `${opts.llm.provider}/${opts.llm.model}` } : { model: `skipped: ${opts.noModelReason ?? "no model host configured"}` }),
      problems: details,
    },
  };
}
