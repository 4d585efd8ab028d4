/**
 * The model for model-judged suites (mcq, rubric): the configured Llm from createLlm, or a
 * clear refusal. Evals never fall back to case-based answers or canned scores — a figure
 * from a model that was not asked would be a fake figure.
 */
import { type Config, loadConfig } from "../../core/config.js";
import type { Llm } from "../../core/ports.js";

export class NoModelConfigured extends Error {
  constructor(suite: string) {
    super(
      `${suite}: no model host configured — set OLLAMA_HOST (and OLLAMA_MODEL), or LLM_PROVIDER=anthropic with ANTHROPIC_API_KEY. ` +
        "This suite needs a real model and reports nothing without one.",
    );
    this.name = "NoModelConfigured";
  }
}

/** The configured model, checked for health before the suite spends time on it. */
export async function requireModel(suite: string, config: Config = loadConfig()): Promise<Llm> {
  // Loaded here, not at import: the composition root pulls in every adapter, which the
  // guardrail suites (and the CI gate test) have no use for.
  const { createLlm } = await import("../../server/main.js");
  const llm = createLlm(config);
  if (!llm) throw new NoModelConfigured(suite);
  const health = await llm.health();
  if (!health.ok)
    throw new Error(`${suite}: model host not usable (${llm.provider}/${llm.model}): ${health.detail ?? "unhealthy"}`);
  return llm;
}

/** Run `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
