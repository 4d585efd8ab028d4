/**
 * The offline embedder: signed feature hashing of word unigrams + bigrams (and CJK character
 * bigrams) into a fixed-size vector. No model download, deterministic across machines and
 * processes, ~50k short texts/s. It is lexical, not semantic: it exists so the embedded
 * default and CI exercise the real dense path; production uses Ollama embeddings.
 */
import type { Embedder } from "../../core/ports.js";
import { cjkBigrams, tokenize } from "../tokenize.js";

export interface OfflineEmbedderOptions {
  /** Vector size; more dims = fewer hash collisions. @defaultValue 1024 */
  dim?: number;
}

/** 32-bit FNV-1a followed by murmur3's finalizer, for well-spread bits from short strings. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Relative weights: bigrams capture phrases ("kidney disease") but are sparser than unigrams.
const W_UNIGRAM = 1;
const W_BIGRAM = 0.6;
const W_CJK_BIGRAM = 0.5;

export class OfflineHashEmbedder implements Embedder {
  readonly id = "offline-hash-v1";
  readonly dim: number;

  constructor(opts: OfflineEmbedderOptions = {}) {
    this.dim = opts.dim ?? 1024;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): number[] {
    // feature → [count, base weight]
    const tf = new Map<string, [number, number]>();
    const add = (f: string, w: number) => {
      const e = tf.get(f);
      if (e) e[0]++;
      else tf.set(f, [1, w]);
    };
    const toks = tokenize(text);
    for (let i = 0; i < toks.length; i++) {
      add(`u:${toks[i]}`, W_UNIGRAM);
      if (i + 1 < toks.length) add(`b:${toks[i]} ${toks[i + 1]}`, W_BIGRAM);
    }
    for (const g of cjkBigrams(text)) add(`c:${g}`, W_CJK_BIGRAM);

    const v = new Float64Array(this.dim);
    for (const [f, [count, base]] of tf) {
      const h = hash32(f);
      // Sublinear tf: a term repeated 10 times should not outweigh ten distinct terms.
      const weight = base * (1 + Math.log(count));
      const slot = h % this.dim;
      v[slot] = (v[slot] as number) + (h & 0x80000000 ? -weight : weight);
    }
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += (v[i] as number) ** 2;
    norm = Math.sqrt(norm);
    const out = new Array<number>(this.dim);
    // An empty text gets a fixed unit vector so the contract (unit length) holds everywhere.
    if (norm === 0) {
      out.fill(0);
      out[0] = 1;
      return out;
    }
    for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) / norm;
    return out;
  }
}
