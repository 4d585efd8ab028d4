/**
 * In-process BM25 (k1 1.2, b 0.75): the lexical half of hybrid retrieval, because the
 * embedded Chroma has no sparse index. Postings are stored CSR-style in typed arrays so 100k
 * chunks take tens of MB and a query touches only the postings of its terms. A forward index
 * (each document's sorted term ids and counts, also CSR) answers "does document d contain term
 * t" without re-tokenising d, and gives back a document's term bag so an index can be rebuilt
 * from an older one without tokenising the documents that did not change.
 */
import { tokenize } from "./tokenize.js";

export interface Bm25Options {
  /** @defaultValue 1.2 */
  k1?: number;
  /** @defaultValue 0.75 */
  b?: number;
  /** Tokenizer; the shared one by default so BM25 and the embedder agree on terms. */
  tokenize?: (text: string) => string[];
}

export interface Bm25Hit {
  /** Position of the document in the array given to build(). */
  index: number;
  score: number;
}

/** A document as BM25 sees it: its distinct terms, their counts and its length in tokens. */
export interface TermBag {
  terms: string[];
  counts: number[];
  length: number;
}

export function termBag(tokens: readonly string[]): TermBag {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  return { terms: [...tf.keys()], counts: [...tf.values()], length: tokens.length };
}

/** Min-heap of (score, index) keeping the k best, so top-k costs O(n log k) not a full sort. */
class TopK {
  private readonly s: Float64Array;
  private readonly ix: Int32Array;
  size = 0;
  constructor(private readonly k: number) {
    this.s = new Float64Array(k);
    this.ix = new Int32Array(k);
  }
  push(score: number, index: number): void {
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if ((this.s[p] as number) <= score) break;
        this.s[i] = this.s[p] as number;
        this.ix[i] = this.ix[p] as number;
        i = p;
      }
      this.s[i] = score;
      this.ix[i] = index;
    } else if (score > (this.s[0] as number)) {
      let i = 0;
      const n = this.size;
      while (true) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (this.s[r] as number) < (this.s[l] as number) ? r : l;
        if ((this.s[c] as number) >= score) break;
        this.s[i] = this.s[c] as number;
        this.ix[i] = this.ix[c] as number;
        i = c;
      }
      this.s[i] = score;
      this.ix[i] = index;
    }
  }
  sorted(): Bm25Hit[] {
    const out: Bm25Hit[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.ix[i] as number, score: this.s[i] as number });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}

export class Bm25Index {
  readonly size: number;
  private readonly k1: number;
  private readonly b: number;
  private readonly tok: (text: string) => string[];
  private readonly termIds = new Map<string, number>();
  private termStrings: string[] = [];
  private fwdOffsets = new Int32Array(1);
  private fwdTerms = new Int32Array(0);
  private fwdTf = new Int32Array(0);
  private offsets = new Int32Array(1);
  private postDocs = new Int32Array(0);
  private postTf = new Float32Array(0);
  private docLen = new Float32Array(0);
  private avgdl = 0;
  private idfs = new Float64Array(0);

  private constructor(size: number, opts: Bm25Options) {
    this.size = size;
    this.k1 = opts.k1 ?? 1.2;
    this.b = opts.b ?? 0.75;
    this.tok = opts.tokenize ?? tokenize;
  }

  static build(texts: readonly string[], opts: Bm25Options = {}): Bm25Index {
    const tok = opts.tokenize ?? tokenize;
    return Bm25Index.fromBags(
      texts.map((t) => termBag(tok(t))),
      opts,
    );
  }

  /** Build from term bags (already tokenised documents, e.g. from `bag()` of an older index). */
  static fromBags(bags: readonly TermBag[], opts: Bm25Options = {}): Bm25Index {
    const idx = new Bm25Index(bags.length, opts);
    idx.index(bags);
    return idx;
  }

  private index(bags: readonly TermBag[]): void {
    // Pass 1: per-document term counts into growable per-term lists, and the forward index.
    const lists: number[][] = [];
    const N = bags.length;
    this.docLen = new Float32Array(N);
    this.fwdOffsets = new Int32Array(N + 1);
    let nFwd = 0;
    for (const b of bags) nFwd += b.terms.length;
    this.fwdTerms = new Int32Array(nFwd);
    this.fwdTf = new Int32Array(nFwd);
    let total = 0;
    let f = 0;
    bags.forEach((bag, d) => {
      this.docLen[d] = bag.length;
      total += bag.length;
      this.fwdOffsets[d] = f;
      const ids: [number, number][] = [];
      bag.terms.forEach((t, i) => {
        let id = this.termIds.get(t);
        if (id === undefined) {
          id = lists.length;
          this.termIds.set(t, id);
          this.termStrings.push(t);
          lists.push([]);
        }
        const n = bag.counts[i] as number;
        (lists[id] as number[]).push(d, n);
        ids.push([id, n]);
      });
      ids.sort((a, b) => a[0] - b[0]);
      for (const [id, n] of ids) {
        this.fwdTerms[f] = id;
        this.fwdTf[f++] = n;
      }
    });
    this.fwdOffsets[N] = f;
    this.avgdl = N > 0 ? total / N : 0;
    // Pass 2: flatten into CSR typed arrays.
    const nTerms = lists.length;
    this.offsets = new Int32Array(nTerms + 1);
    let nPost = 0;
    for (let t = 0; t < nTerms; t++) {
      this.offsets[t] = nPost;
      nPost += (lists[t] as number[]).length / 2;
    }
    this.offsets[nTerms] = nPost;
    this.postDocs = new Int32Array(nPost);
    this.postTf = new Float32Array(nPost);
    this.idfs = new Float64Array(nTerms);
    for (let t = 0; t < nTerms; t++) {
      const l = lists[t] as number[];
      const base = this.offsets[t] as number;
      for (let i = 0; i < l.length; i += 2) {
        this.postDocs[base + i / 2] = l[i] as number;
        this.postTf[base + i / 2] = l[i + 1] as number;
      }
      const df = l.length / 2;
      // Lucene's non-negative IDF variant.
      this.idfs[t] = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    }
  }

  /** The term bag document `d` was indexed with. */
  bag(d: number): TermBag {
    const from = this.fwdOffsets[d] as number;
    const to = this.fwdOffsets[d + 1] as number;
    const terms: string[] = [];
    const counts: number[] = [];
    for (let i = from; i < to; i++) {
      terms.push(this.termStrings[this.fwdTerms[i] as number] as string);
      counts.push(this.fwdTf[i] as number);
    }
    return { terms, counts, length: this.docLen[d] as number };
  }

  /** Whether document `d` contains `term` (binary search in its sorted term ids; no tokenising). */
  contains(d: number, term: string): boolean {
    const id = this.termIds.get(term);
    if (id === undefined || d < 0 || d >= this.size) return false;
    let lo = this.fwdOffsets[d] as number;
    let hi = (this.fwdOffsets[d + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.fwdTerms[mid] as number;
      if (v === id) return true;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** IDF of a (tokenized) term; 0 for unknown terms. */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.idfs[id] as number);
  }

  /** Query terms as the index sees them (deduplicated). */
  terms(query: string): string[] {
    return [...new Set(this.tok(query))];
  }

  /** Best `k` documents; `accept` filters by document index (metadata filters) before ranking. */
  search(query: string, k: number, accept?: (index: number) => boolean): Bm25Hit[] {
    const scores = new Float64Array(this.size);
    const touched: number[] = [];
    const { k1, b, avgdl } = this;
    for (const term of this.terms(query)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idfs[id] as number;
      const end = this.offsets[id + 1] as number;
      for (let p = this.offsets[id] as number; p < end; p++) {
        const d = this.postDocs[p] as number;
        const tf = this.postTf[p] as number;
        const norm = k1 * (1 - b + (b * (this.docLen[d] as number)) / (avgdl || 1));
        if (scores[d] === 0) touched.push(d);
        scores[d] = (scores[d] as number) + (idf * (tf * (k1 + 1))) / (tf + norm);
      }
    }
    const top = new TopK(Math.max(1, k));
    for (const d of touched) if (!accept || accept(d)) top.push(scores[d] as number, d);
    return top.sorted();
  }
}
