/**
 * The Ollama provider (the fine-tuned model on the GPU host) through the `ollama` client.
 * Structured drafts are requested with `format` = the draft's JSON schema.
 */
import { Ollama } from "ollama";
import { AppError } from "../../core/errors.js";
import type { Health, Llm, LlmRequest, LlmResponse } from "../../core/ports.js";
import { createLimiter } from "./limiter.js";

export interface OllamaOptions {
  host: string;
  model: string;
  /** @defaultValue "30m" — keeps the 9B model resident between requests. */
  keepAlive?: string;
  /** Per request, including the wait for a slot. @defaultValue 30000 */
  timeoutMs?: number;
  /** The host's OLLAMA_NUM_PARALLEL. @defaultValue 2 */
  parallel?: number;
}

export function createOllamaLlm(opts: OllamaOptions): Llm {
  const limiter = createLimiter(opts.parallel ?? 2);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const clientFor = (signal: AbortSignal) =>
    new Ollama({ host: opts.host, fetch: (input, init) => fetch(input, { ...init, signal }) });

  return {
    provider: "ollama",
    model: opts.model,
    async complete(req: LlmRequest): Promise<LlmResponse> {
      const signal = req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      const started = performance.now();
      try {
        const res = await limiter.run(
          () =>
            clientFor(signal).chat({
              model: opts.model,
              messages: [
                { role: "system", content: req.system },
                { role: "user", content: req.prompt },
              ],
              ...(req.schema ? { format: req.schema } : {}),
              options: { temperature: req.temperature ?? 0, ...(req.seed === undefined ? {} : { seed: req.seed }) },
              keep_alive: opts.keepAlive ?? "30m",
            }),
          signal,
        );
        return { text: res.message.content, provider: "ollama", model: opts.model, latencyMs: performance.now() - started };
      } catch (e) {
        if (e instanceof AppError) throw e;
        if (signal.aborted) throw new AppError("MODEL_TIMEOUT", `ollama did not answer within ${timeoutMs} ms`, { cause: e });
        throw new AppError("DEPENDENCY_UNAVAILABLE", `ollama request failed: ${(e as Error).message}`, { cause: e });
      }
    },
    async health(): Promise<Health> {
      try {
        const tags = await clientFor(AbortSignal.timeout(2_000)).list();
        const has = tags.models.some((m) => m.name === opts.model || m.name === `${opts.model}:latest` || m.model === opts.model);
        return has ? { ok: true } : { ok: false, detail: `ollama: model ${opts.model} not pulled on ${opts.host}` };
      } catch (e) {
        return { ok: false, detail: `ollama: ${(e as Error).message}` };
      }
    },
  };
}
