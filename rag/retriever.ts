/**
 * KnowledgeBase: the Retriever the pipeline's retrieve step uses. Hybrid search = in-process
 * BM25 + dense vectors from Chroma, fused by reciprocal rank (k = 60), with metadata filters
 * (kind, audience, language, current version only), an optional rerank hook and an optional
 * passage filter (injection hygiene lives in the pipeline; it plugs in here).
 *
 * `Passage.score` is in 0..1: 0.5 × normalized RRF (1 = ranked first by both retrievers) +
 * 0.5 × IDF-weighted query-term coverage of the chunk (share of the query's information the
 * chunk contains). RRF alone is rank-only, so even an off-topic query would score 1 at the
 * top; the coverage half makes MIN_RETRIEVAL_SCORE meaningful. Results are ordered by it.
 */
import type { Passage, PatientContext, SimilarCase } from "../core/domain.js";
import type { Embedder, Health, Retriever, SearchOptions, VectorHit, VectorWhere } from "../core/ports.js";
import { Bm25Index } from "./bm25.js";
import { reciprocalRankFusion } from "./fusion.js";
import type { IngestStore } from "./ingest.js";
import { tokenize } from "./tokenize.js";

type Meta = Record<string, string | number | boolean>;

export type SearchMode = "hybrid" | "bm25" | "dense";

export interface KbSearchOptions extends SearchOptions {
  /** Include superseded versions (audits, "what did the 2024 protocol say"). @defaultValue false */
  includeSuperseded?: boolean;
  /** @defaultValue "hybrid" */
  mode?: SearchMode;
}

export interface KnowledgeBaseOptions {
  store: IngestStore;
  embedder: Embedder;
  /** @defaultValue "knowledge" */
  collection?: string;
  /** @defaultValue 60 */
  rrfK?: number;
  /** Candidates taken from each retriever before fusion. @defaultValue 50 */
  candidates?: number;
  rerank?: (query: string, passages: Passage[]) => Passage[] | Promise<Passage[]>;
  /** Called on every candidate before results are returned; false drops it. */
  filter?: (p: Passage) => boolean;
  onDrop?: (p: Passage) => void;
  /** Similar-case search; without it similarCases() returns []. */
  cases?: { similarCases(patient: PatientContext, k?: number): Promise<SimilarCase[]> };
}

interface Row {
  id: string;
  text: string;
  meta: Meta;
}

export class KnowledgeBase implements Retriever {
  readonly collection: string;
  private readonly opts: KnowledgeBaseOptions;
  private rows: Row[] = [];
  private bm25: Bm25Index = Bm25Index.build([]);

  constructor(opts: KnowledgeBaseOptions) {
    this.opts = opts;
    this.collection = opts.collection ?? "knowledge";
  }

  /** Number of chunks in the lexical index. */
  get size(): number {
    return this.rows.length;
  }

  /** (Re)build the BM25 index from what the store holds; call after ingesting. */
  async refresh(): Promise<void> {
    const all = await this.opts.store.getAll(this.collection);
    this.rows = all.map((r) => ({ id: r.id, text: r.document, meta: r.metadata }));
    this.bm25 = Bm25Index.build(this.rows.map((r) => r.text));
  }

  /** Build the BM25 index from rows already in memory (bench, tests) instead of reading the store. */
  setRows(rows: Row[]): void {
    this.rows = rows;
    this.bm25 = Bm25Index.build(rows.map((r) => r.text));
  }

  async search(query: string, opts: KbSearchOptions = {}): Promise<Passage[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? "hybrid";
    const n = Math.max(this.opts.candidates ?? 50, k * 4);
    const lists: string[][] = [];
    const byId = new Map<string, Row>();

    if (mode !== "dense") {
      const accept = (i: number) => matches((this.rows[i] as Row).meta, opts);
      const hits = this.bm25.search(query, n, accept);
      lists.push(
        hits.map((h) => {
          const row = this.rows[h.index] as Row;
          byId.set(row.id, row);
          return row.id;
        }),
      );
    }
    if (mode !== "bm25") {
      const [vector] = await this.opts.embedder.embed([query]);
      const hits: VectorHit[] = vector ? await this.opts.store.query(this.collection, vector, n, toWhere(opts)) : [];
      lists.push(
        hits.map((h) => {
          if (!byId.has(h.id)) byId.set(h.id, { id: h.id, text: h.document, meta: h.metadata });
          return h.id;
        }),
      );
    }

    const qTerms = this.bm25.terms(query);
    let passages = reciprocalRankFusion(lists, this.opts.rrfK ?? 60).map((f) => {
      const row = byId.get(f.id) as Row;
      const score = 0.5 * f.normalized + 0.5 * this.coverage(qTerms, row.text);
      return toPassage(row, score);
    });
    passages.sort((a, b) => b.score - a.score);
    if (this.opts.rerank) passages = await this.opts.rerank(query, passages);

    const out: Passage[] = [];
    for (const p of passages) {
      if (out.length >= k) break;
      if (this.opts.filter && !this.opts.filter(p)) {
        this.opts.onDrop?.(p);
        continue;
      }
      out.push(p);
    }
    return out;
  }

  /** Resolve a citation's chunkId back to its text (null when unknown). */
  async getChunk(chunkId: string): Promise<Passage | null> {
    const [hit] = await this.opts.store.get(this.collection, { ids: [chunkId] });
    return hit ? toPassage({ id: hit.id, text: hit.document, meta: hit.metadata }, 1) : null;
  }

  async similarCases(patient: PatientContext, k = 10): Promise<SimilarCase[]> {
    return this.opts.cases ? this.opts.cases.similarCases(patient, k) : [];
  }

  async health(): Promise<Health> {
    const h = await this.opts.store.health();
    if (!h.ok) return h;
    return this.rows.length > 0
      ? { ok: true, detail: `${this.rows.length} chunks` }
      : { ok: false, detail: "knowledge base is empty" };
  }

  /** IDF-weighted share of the query's terms present in the text, 0..1. */
  private coverage(qTerms: string[], text: string): number {
    if (qTerms.length === 0) return 0;
    const present = new Set(tokenize(text));
    let have = 0;
    let all = 0;
    for (const t of qTerms) {
      // Terms the corpus has never seen still count against coverage (weight of a rare term).
      const w = this.bm25.idf(t) || Math.log(1 + this.bm25.size);
      all += w;
      if (present.has(t)) have += w;
    }
    return all > 0 ? have / all : 0;
  }
}

function matches(m: Meta, o: KbSearchOptions): boolean {
  if (!o.includeSuperseded && m.current === false) return false;
  if (o.kind && o.kind.length > 0 && !o.kind.includes(m.kind as never)) return false;
  if (o.audience && m.audience !== o.audience) return false;
  if (o.lang && o.lang !== "mixed" && m.language !== o.lang) return false;
  return true;
}

/** The same filters in Chroma's `where` language. */
export function toWhere(o: KbSearchOptions): VectorWhere | undefined {
  const c: VectorWhere[] = [];
  if (!o.includeSuperseded) c.push({ current: true });
  if (o.kind && o.kind.length > 0) c.push({ kind: { $in: [...o.kind] } });
  if (o.audience) c.push({ audience: o.audience });
  if (o.lang && o.lang !== "mixed") c.push({ language: o.lang });
  if (c.length === 0) return undefined;
  return c.length === 1 ? c[0] : { $and: c };
}

function toPassage(row: Row, score: number): Passage {
  const m = row.meta;
  const p: Passage = {
    text: row.text,
    score: Math.max(0, Math.min(1, score)),
    citation: {
      sourceId: String(m.sourceId ?? row.id),
      chunkId: row.id,
      title: String(m.title ?? ""),
      url: String(m.url ?? ""),
      version: String(m.version ?? ""),
    },
  };
  if (typeof m.kind === "string") p.kind = m.kind as Passage["kind"];
  if (typeof m.audience === "string") p.audience = m.audience as Passage["audience"];
  return p;
}
