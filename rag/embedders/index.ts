/** Picks the embedder named by config: the offline hash embedder (default) or Ollama. */
import type { Config } from "../../core/config.js";
import { AppError } from "../../core/errors.js";
import type { Embedder } from "../../core/ports.js";
import { OfflineHashEmbedder } from "./offline.js";
import { OllamaEmbedder } from "./ollama.js";

export function createEmbedder(
  config: Pick<Config, "EMBEDDER" | "OLLAMA_HOST" | "OLLAMA_EMBED_MODEL" | "MODEL_TIMEOUT_MS">,
): Embedder {
  if (config.EMBEDDER === "offline") return new OfflineHashEmbedder();
  if (!config.OLLAMA_HOST) throw new AppError("CONFIG_INVALID", "EMBEDDER=ollama needs OLLAMA_HOST");
  return new OllamaEmbedder({ host: config.OLLAMA_HOST, model: config.OLLAMA_EMBED_MODEL, timeoutMs: config.MODEL_TIMEOUT_MS });
}
