/**
 * The optional Anthropic provider. It only ever receives redacted text: the port's prompt is
 * `Redacted`, and the system text is a fixed template. The draft schema is sent as a forced tool.
 */
import Anthropic from "@anthropic-ai/sdk";
import { AppError } from "../../core/errors.js";
import type { Health, Llm, LlmRequest, LlmResponse } from "../../core/ports.js";
import { createLimiter } from "./limiter.js";

export interface AnthropicOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  /** @defaultValue 30000 */
  timeoutMs?: number;
  /** @defaultValue 4 */
  parallel?: number;
}

const TOOL = "submit_draft";

function buildParams(model: string, req: LlmRequest): Anthropic.MessageCreateParamsNonStreaming {
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model,
    max_tokens: 2048,
    system: req.system,
    messages: [{ role: "user", content: req.prompt }],
  };
  if (req.schema) {
    params.tools = [
      { name: TOOL, description: "Submit the structured draft.", input_schema: req.schema as Anthropic.Tool.InputSchema },
    ];
    params.tool_choice = { type: "tool", name: TOOL };
  }
  return params;
}

export function createAnthropicLlm(opts: AnthropicOptions): Llm {
  const client = new Anthropic({
    apiKey: opts.apiKey,
    authToken: null,
    baseURL: opts.baseURL ?? "https://api.anthropic.com",
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 30_000,
  });
  const limiter = createLimiter(opts.parallel ?? 4);
  return {
    provider: "anthropic",
    model: opts.model,
    async complete(req: LlmRequest): Promise<LlmResponse> {
      const started = performance.now();
      const signal = req.signal ?? AbortSignal.timeout(opts.timeoutMs ?? 30_000);
      try {
        const msg = await limiter.run(() => client.messages.create(buildParams(opts.model, req), { signal }), signal);
        const tool = msg.content.find((b) => b.type === "tool_use");
        const text =
          tool && tool.type === "tool_use"
            ? JSON.stringify(tool.input)
            : msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
        return { text, provider: "anthropic", model: opts.model, latencyMs: performance.now() - started };
      } catch (e) {
        if (e instanceof AppError) throw e;
        if (signal.aborted || e instanceof Anthropic.APIConnectionTimeoutError) {
          throw new AppError("MODEL_TIMEOUT", "anthropic did not answer in time", { cause: e });
        }
        throw new AppError("DEPENDENCY_UNAVAILABLE", `anthropic request failed: ${(e as Error).message}`, { cause: e });
      }
    },
    async health(): Promise<Health> {
      // No cheap unauthenticated probe exists; configuration presence is what readiness can know.
      return opts.apiKey ? { ok: true, detail: "configured" } : { ok: false, detail: "anthropic: no API key" };
    },
  };
}
