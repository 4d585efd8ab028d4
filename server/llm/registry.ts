/**
 * The model registry (deploy/model/registry.json): every fine-tuned model we built, with its
 * base, the sha256 of its LoRA adapter (and GGUF files), the prompt version it was trained for,
 * its eval results and its status. The promotion rule lives here, in code: a candidate is
 * served only if, suite by suite, its evals pass the release gate (evals/gate.ts) against the
 * model being served — safety metrics may not regress at all.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { gate } from "../../evals/gate.js";
import { EvalResult } from "../../evals/result.js";

const sha256 = z.string().regex(/^[a-f0-9]{64}$/, "must be a lowercase hex sha256");

export const ModelStatus = z.enum(["candidate", "served", "retired", "rejected"]);
export type ModelStatus = z.infer<typeof ModelStatus>;

export const ModelEntry = z.object({
  /** The Ollama model tag it is served under, e.g. "glycopilot-glm4-9b:2026.01-r1". */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*(:[A-Za-z0-9._-]+)?$/),
  /** Hugging Face id of the base model. */
  base: z.string().min(1),
  adapter: z.object({ path: z.string().min(1), sha256 }),
  /** Quantized GGUF files actually served (base and adapter), when converted. */
  gguf: z.array(z.object({ path: z.string().min(1), sha256 })).default([]),
  training: z.object({
    method: z.enum(["lora-sft", "lora-dpo"]),
    config: z.string().min(1),
    dataset: z.string().min(1),
    /** sha256 of the exported training file, so a model can be rebuilt from exactly its data. */
    datasetSha256: sha256.optional(),
  }),
  /** The prompt template the model was trained and evaluated with. */
  promptVersion: z.string().min(1),
  /** Eval results by suite name, as `glycopilot eval <suite>` wrote them. */
  evals: z.record(z.string(), EvalResult).default({}),
  status: ModelStatus,
  createdAt: z.string(),
  promotedAt: z.string().optional(),
  notes: z.string().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const ModelRegistry = z
  .object({
    version: z.literal(1),
    models: z.array(ModelEntry),
  })
  .superRefine((r, ctx) => {
    const served = r.models.filter((m) => m.status === "served");
    if (served.length > 1)
      ctx.addIssue({ code: "custom", message: `more than one served model: ${served.map((m) => m.name).join(", ")}` });
    const names = r.models.map((m) => m.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: "custom", message: `duplicate model name ${dup}` });
  });
export type ModelRegistry = z.infer<typeof ModelRegistry>;

/** Suites a model must have been evaluated on before it can be served at all. */
export const REQUIRED_SUITES: readonly string[] = ["drafts"];

export interface PromoteOptions {
  /**
   * Largest allowed drop of a non-safety metric, in the metric's units. Defaults to no limit:
   * the rule is about safety; quality trade-offs are a human call recorded in `notes`.
   * @defaultValue Infinity
   */
  qualityMargin?: number;
  /** @defaultValue REQUIRED_SUITES */
  requiredSuites?: readonly string[];
}

export interface PromoteVerdict {
  ok: boolean;
  failures: string[];
}

/** May `candidate` replace `current` (null when nothing is served yet)? */
export function canPromote(candidate: ModelEntry, current: ModelEntry | null, opts: PromoteOptions = {}): PromoteVerdict {
  const failures: string[] = [];
  if (candidate.status !== "candidate") failures.push(`${candidate.name} is ${candidate.status}, not a candidate`);
  const required = new Set([...(opts.requiredSuites ?? REQUIRED_SUITES), ...Object.keys(current?.evals ?? {})]);
  for (const suite of required) {
    const mine = candidate.evals[suite];
    if (!mine) {
      failures.push(`no "${suite}" eval for ${candidate.name}`);
      continue;
    }
    const theirs = current?.evals[suite];
    if (!theirs) continue;
    const g = gate(mine, theirs, { qualityMargin: opts.qualityMargin ?? Number.POSITIVE_INFINITY });
    failures.push(...g.failures.map((f) => `${suite}: ${f}`));
  }
  return { ok: failures.length === 0, failures };
}

/** The registry after promoting `name`: it becomes served, the previously served model retired. */
export function promote(registry: ModelRegistry, name: string, at: Date, opts: PromoteOptions = {}): ModelRegistry {
  const candidate = registry.models.find((m) => m.name === name);
  if (!candidate) throw new Error(`no model named ${name} in the registry`);
  const current = registry.models.find((m) => m.status === "served") ?? null;
  const verdict = canPromote(candidate, current, opts);
  if (!verdict.ok) throw new Error(`cannot promote ${name}:\n  ${verdict.failures.join("\n  ")}`);
  return ModelRegistry.parse({
    ...registry,
    models: registry.models.map((m) =>
      m.name === name
        ? { ...m, status: "served", promotedAt: at.toISOString() }
        : m.status === "served"
          ? { ...m, status: "retired" }
          : m,
    ),
  });
}

export function servedModel(registry: ModelRegistry): ModelEntry | null {
  return registry.models.find((m) => m.status === "served") ?? null;
}

export async function loadRegistry(file: string): Promise<ModelRegistry> {
  const parsed = ModelRegistry.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) {
    throw new Error(
      `invalid model registry ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}
