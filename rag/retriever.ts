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
 *
 * The fast path (issue 18): the searched collection holds current chunks only (superseded
 * versions are in its history collection, searched with `includeSuperseded`), so Chroma gets no
 * `current` filter; Chroma returns ids and distances only; candidates are scored from the
 * in-process catalogue (every stored chunk's text, metadata and BM25 term data, tokenised once
 * per id + content hash at refresh); the passages returned are then read back from the store
 * with one `get` by id, so their text and metadata are what the store holds now (a chunk moved
 * to the history or deleted since the last refresh is not returned).
 */
import type { Passage, PatientContext, SimilarCase } from "../core/domain.js";
import type { Embedder, Health, Retriever, SearchOptions, VectorFilter, VectorHit, VectorStore } from "../core/ports.js";
import { Bm25Index, termBag } from "./bm25.js";
import { reciprocalRankFusion } from "./fusion.js";
import { historyCollection } from "./ingest.js";
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
  store: VectorStore;
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

/** What refresh() knows about every stored chunk: the rows and their BM25 data, by position. */
interface Catalogue {
  rows: Row[];
  index: Bm25Index;
  byId: Map<string, number>;
}

/** A scored candidate: a catalogue position, or a row fetched because the catalogue lacks it. */
interface Candidate {
  id: string;
  row: Row;
  at?: number;
  score: number;
}

const EMPTY: Catalogue = { rows: [], index: Bm25Index.build([]), byId: new Map() };

export class KnowledgeBase implements Retriever {
  readonly collection: string;
  /** Where superseded versions are kept (see rag/ingest.ts). */
  readonly history: string;
  private readonly opts: KnowledgeBaseOptions;
  private cat: Catalogue = EMPTY;
  /** Chunks the last refresh had to tokenise (the others kept their term data: same id and content hash). */
  tokenisedAtRefresh = 0;

  constructor(opts: KnowledgeBaseOptions) {
    this.opts = opts;
    this.collection = opts.collection ?? "knowledge";
    this.history = historyCollection(this.collection);
  }

  /** Number of chunks in the lexical index (current and superseded). */
  get size(): number {
    return this.cat.rows.length;
  }

  /**
   * (Re)build the catalogue and BM25 index from what the store holds; call after ingesting.
   * Chunks whose id and content hash are unchanged since the last refresh are not tokenised again.
   */
  async refresh(): Promise<void> {
    const [main, hist] = await Promise.all([this.opts.store.getAll(this.collection), this.opts.store.getAll(this.history)]);
    // A chunk in both (a move cut short) counts once, as its searched copy.
    const inMain = new Set(main.map((r) => r.id));
    const rows = [...main, ...hist.filter((r) => !inMain.has(r.id))].map((r) => ({
      id: r.id,
      text: r.document,
      meta: r.metadata,
    }));
    this.setRows(rows);
  }

  /** Build the catalogue from rows already in memory (bench, tests) instead of reading the store. */
  setRows(rows: Row[]): void {
    const prev = this.cat;
    let tokenised = 0;
    const bags = rows.map((r) => {
      const at = prev.byId.get(r.id);
      const old = at === undefined ? undefined : prev.rows[at];
      if (old && at !== undefined && sameContent(old, r)) return prev.index.bag(at);
      tokenised++;
      return termBag(tokenize(r.text));
    });
    this.tokenisedAtRefresh = tokenised;
    this.cat = { rows, index: Bm25Index.fromBags(bags), byId: new Map(rows.map((r, i) => [r.id, i])) };
  }

  async search(query: string, opts: KbSearchOptions = {}): Promise<Passage[]> {
    const k = opts.k ?? 5;
    const mode = opts.mode ?? "hybrid";
    const n = Math.max(this.opts.candidates ?? 50, k * 4);
    const cat = this.cat;
    const lists: string[][] = [];

    // The dense request is sent first so BM25 runs while Chroma answers.
    const dense =
      mode === "bm25"
        ? undefined
        : this.opts.embedder.embed([query]).then(([vector]) => (vector ? this.denseIds(cat, vector, n, opts) : []));
    dense?.catch(() => {}); // awaited below; this only keeps an early rejection from being "unhandled"
    if (mode !== "dense") {
      const accept = (i: number) => matches((cat.rows[i] as Row).meta, opts);
      lists.push(cat.index.search(query, n, accept).map((h) => (cat.rows[h.index] as Row).id));
    }
    if (dense) lists.push(await dense);

    const fused = reciprocalRankFusion(lists, this.opts.rrfK ?? 60);
    // Dense hits the catalogue does not know (ingested by another process since the last
    // refresh) are read from the store, in one request.
    const unknown = fused.filter((f) => !cat.byId.has(f.id)).map((f) => f.id);
    const fetched = unknown.length > 0 ? await this.fetch(unknown, opts) : new Map<string, Row>();
    const qTerms = cat.index.terms(query);
    const candidates: Candidate[] = [];
    for (const f of fused) {
      const at = cat.byId.get(f.id);
      const row = at === undefined ? fetched.get(f.id) : cat.rows[at];
      if (!row || !matches(row.meta, opts)) continue;
      const score = 0.5 * f.normalized + 0.5 * coverage(cat, qTerms, row, at);
      candidates.push({ id: f.id, row, ...(at === undefined ? {} : { at }), score });
    }
    candidates.sort((a, b) => b.score - a.score);
    let passages = candidates.map((c) => toPassage(c.row, c.score));
    if (this.opts.rerank) passages = await this.opts.rerank(query, passages);

    // The k passages returned are read back from the store (one `get`, a second only when the
    // filter hook dropped some), so they carry what the store holds now.
    const out: Passage[] = [];
    let next = 0;
    while (out.length < k && next < passages.length) {
      const batch = passages.slice(next, next + (k - out.length));
      next += batch.length;
      const fresh = await this.fetch(
        batch.map((p) => p.citation.chunkId),
        opts,
      );
      for (const p of batch) {
        const row = fresh.get(p.citation.chunkId);
        if (!row || !matches(row.meta, opts)) continue;
        const passage = toPassage(row, p.score);
        if (this.opts.filter && !this.opts.filter(passage)) {
          this.opts.onDrop?.(passage);
          continue;
        }
        out.push(passage);
      }
    }
    return out;
  }

  /** Resolve a citation's chunkId back to its text (null when unknown); superseded chunks too. */
  async getChunk(chunkId: string): Promise<Passage | null> {
    const row = (await this.fetch([chunkId], { includeSuperseded: true })).get(chunkId);
    return row ? toPassage(row, 1) : null;
  }

  async similarCases(patient: PatientContext, k = 10): Promise<SimilarCase[]> {
    return this.opts.cases ? this.opts.cases.similarCases(patient, k) : [];
  }

  async health(): Promise<Health> {
    const h = await this.opts.store.health();
    if (!h.ok) return h;
    return this.cat.rows.length > 0
      ? { ok: true, detail: `${this.cat.rows.length} chunks` }
      : { ok: false, detail: "knowledge base is empty" };
  }

  /**
   * Dense candidates, best first: ids and distances only. Kind/audience/language filters are
   * applied in process from the catalogue on an unfiltered query of OVERFETCH × n ids (a Chroma
   * `where` makes it scan metadata: 20–30× the unfiltered query at 10k chunks); only when too
   * few of those pass does the query go to Chroma with the filter. Ids the catalogue does not
   * know are kept (their metadata is checked once fetched).
   */
  private async denseIds(cat: Catalogue, vector: number[], n: number, opts: KbSearchOptions): Promise<string[]> {
    const where = toFilter(opts);
    const collections = opts.includeSuperseded ? [this.collection, this.history] : [this.collection];
    const query = async (k: number, w?: VectorFilter) => {
      const lists = await Promise.all(collections.map((c) => this.opts.store.queryIds(c, [vector], k, w)));
      return lists
        .flatMap((l) => l[0] ?? [])
        .sort((a, b) => b.score - a.score)
        .map((h) => h.id);
    };
    if (!where) return (await query(n)).slice(0, n);
    const pass = (id: string) => {
      const at = cat.byId.get(id);
      return at === undefined || matches((cat.rows[at] as Row).meta, opts);
    };
    const wide = await query(n * OVERFETCH);
    const kept = wide.filter(pass);
    if (kept.length >= n || wide.length < n * OVERFETCH) return kept.slice(0, n);
    return (await query(n, where)).slice(0, n);
  }

  /** Rows by id from the searched collection (and the history when superseded chunks are wanted). */
  private async fetch(ids: string[], opts: KbSearchOptions): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    const add = (hits: Omit<VectorHit, "score">[]) => {
      for (const h of hits) if (!out.has(h.id)) out.set(h.id, { id: h.id, text: h.document, meta: h.metadata });
    };
    add(await this.opts.store.get(this.collection, { ids }));
    const rest = ids.filter((id) => !out.has(id));
    if (opts.includeSuperseded && rest.length > 0) add(await this.opts.store.get(this.history, { ids: rest }));
    return out;
  }
}

/** IDF-weighted share of the query's terms present in the chunk, 0..1 (from the catalogue when it has the chunk). */
function coverage(cat: Catalogue, qTerms: string[], row: Row, at: number | undefined): number {
  if (qTerms.length === 0) return 0;
  const index = cat.index;
  const present =
    at !== undefined && cat.rows[at] === row ? (t: string) => index.contains(at, t) : setHas(new Set(tokenize(row.text)));
  let have = 0;
  let all = 0;
  for (const t of qTerms) {
    // Terms the corpus has never seen still count against coverage (weight of a rare term).
    const w = index.idf(t) || Math.log(1 + index.size);
    all += w;
    if (present(t)) have += w;
  }
  return all > 0 ? have / all : 0;
}

/** Unfiltered dense candidates fetched per filtered candidate wanted, before falling back to a Chroma `where`. */
const OVERFETCH = 4;

const setHas = (s: Set<string>) => (t: string) => s.has(t);

/** Same stored content: the content hash when the chunk has one, else the text itself. */
function sameContent(a: Row, b: Row): boolean {
  return typeof a.meta.hash === "string" && typeof b.meta.hash === "string" ? a.meta.hash === b.meta.hash : a.text === b.text;
}

function matches(m: Meta, o: KbSearchOptions): boolean {
  if (!o.includeSuperseded && m.current === false) return false;
  if (o.kind && o.kind.length > 0 && !o.kind.includes(m.kind as never)) return false;
  if (o.audience && m.audience !== o.audience) return false;
  if (o.lang && o.lang !== "mixed" && m.language !== o.lang) return false;
  return true;
}

/**
 * The same filters as a store filter, without the version filter: the searched collection holds
 * current chunks only, and superseded ones are searched in the history.
 */
export function toFilter(o: KbSearchOptions): VectorFilter | undefined {
  const eq: Record<string, string> = {};
  if (o.audience) eq.audience = o.audience;
  if (o.lang && o.lang !== "mixed") eq.language = o.lang;
  const f: VectorFilter = {
    ...(Object.keys(eq).length > 0 ? { eq } : {}),
    ...(o.kind && o.kind.length > 0 ? { in: { kind: [...o.kind] } } : {}),
  };
  return f.eq || f.in ? f : undefined;
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
