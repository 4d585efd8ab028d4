/**
 * Ollama embeddings (production): `embed({model, input})` on the GPU host. Vectors are
 * L2-normalized here because the Embedder contract promises unit length and not every
 * model returns it. A per-request timeout turns a hung host into MODEL_TIMEOUT.
 */
import { Ollama } from "ollama";
import { AppError } from "../../core/errors.js";
import type { Embedder } from "../../core/ports.js";

/** Known output sizes; anything else must be given as `dim`. */
const KNOWN_DIMS: Record<string, number> = {
  "nomic-embed-text": 768,
  "bge-m3": 1024,
  "mxbai-embed-large": 1024,
  "all-minilm": 384,
};

export interface OllamaEmbedderOptions {
  host: string;
  /** @defaultValue "nomic-embed-text" */
  model?: string;
  /** Needed only for models not in the known list. */
  dim?: number;
  /** Per request. @defaultValue 30000 */
  timeoutMs?: number;
  /** Texts per request. @defaultValue 64 */
  batchSize?: number;
  /** Custom fetch (tests point it at a stand-in). */
  fetch?: typeof fetch;
}

export class OllamaEmbedder implements Embedder {
  readonly id: string;
  readonly dim: number;
  readonly model: string;
  private readonly client: Ollama;
  private readonly batchSize: number;

  constructor(opts: OllamaEmbedderOptions) {
    this.model = opts.model ?? "nomic-embed-text";
    const base = this.model.replace(/:latest$/, "");
    const dim = opts.dim ?? KNOWN_DIMS[base];
    if (dim === undefined)
      throw new AppError("CONFIG_INVALID", `unknown output size for embedding model ${this.model}: pass dim`);
    this.dim = dim;
    this.id = `ollama:${this.model}`;
    this.batchSize = opts.batchSize ?? 64;
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const baseFetch = opts.fetch ?? fetch;
    // The client has no per-request timeout; a fetch wrapper adds one without touching other requests.
    const timedFetch: typeof fetch = (input, init) =>
      baseFetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    this.client = new Ollama({ host: opts.host, fetch: timedFetch });
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const input = texts.slice(i, i + this.batchSize);
      let res: { embeddings: number[][] };
      try {
        res = await this.client.embed({ model: this.model, input });
      } catch (e) {
        const name = (e as Error).name;
        if (name === "TimeoutError" || name === "AbortError") {
          throw new AppError("MODEL_TIMEOUT", `ollama embed timed out (${this.model})`, { cause: e });
        }
        throw new AppError("DEPENDENCY_UNAVAILABLE", `ollama embed failed: ${(e as Error).message}`, { cause: e });
      }
      if (res.embeddings.length !== input.length) {
        throw new AppError(
          "MODEL_INVALID_OUTPUT",
          `ollama returned ${res.embeddings.length} embeddings for ${input.length} inputs`,
        );
      }
      for (const v of res.embeddings) {
        if (v.length !== this.dim)
          throw new AppError("MODEL_INVALID_OUTPUT", `expected ${this.dim}-dim vectors from ${this.model}, got ${v.length}`);
        out.push(normalize(v));
      }
    }
    return out;
  }
}

function normalize(v: number[]): number[] {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return n === 0 ? v : v.map((x) => x / n);
}
