/**
 * VectorStore in process: exact cosine search over plain arrays, the same filter semantics and
 * errors as the Chroma adapter (rag/vector-store.conformance.ts holds both to one contract).
 * For tests and small tools that should not start Chroma; nothing is persisted.
 */
import { AppError } from "../core/errors.js";
import type { Health, VectorFilter, VectorHit, VectorMetadata, VectorRecord, VectorScalar, VectorStore } from "../core/ports.js";

interface Stored {
  vector: number[];
  /** |vector|, kept so a query costs one dot product per record. */
  norm: number;
  document: string;
  metadata: VectorMetadata;
}

interface Collection {
  /** Fixed by the first vector written, like Chroma's. */
  dim?: number;
  records: Map<string, Stored>;
  metadata: VectorMetadata;
}

/** True when `m` satisfies every condition of `filter` (a missing key never matches). */
function matchesFilter(m: VectorMetadata, filter: VectorFilter | undefined): boolean {
  for (const [key, value] of Object.entries(filter?.eq ?? {})) if (!(key in m) || m[key] !== value) return false;
  for (const [key, values] of Object.entries(filter?.in ?? {})) {
    if (!(key in m) || !values.includes(m[key] as VectorScalar)) return false;
  }
  return true;
}

const norm = (v: readonly number[]) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

export class MemoryVectorStore implements VectorStore {
  private readonly collections = new Map<string, Collection>();

  private open(name: string): Collection {
    let c = this.collections.get(name);
    if (!c) {
      c = { records: new Map(), metadata: {} };
      this.collections.set(name, c);
    }
    return c;
  }

  private checkDim(name: string, c: Collection | undefined, vector: readonly number[]): void {
    if (c?.dim !== undefined && vector.length !== c.dim) {
      throw new AppError("CONFLICT", `collection ${name} expects vectors of dimension ${c.dim}, got ${vector.length}`);
    }
  }

  async upsert(collection: string, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    const c = this.collections.get(collection);
    // Validate the whole batch before writing any of it (Chroma refuses a batch as a whole).
    const dim = c?.dim ?? records[0]?.vector.length;
    for (const r of records) this.checkDim(collection, { dim, records: new Map(), metadata: {} }, r.vector);
    const col = this.open(collection);
    col.dim = dim;
    for (const r of records) {
      const before = col.records.get(r.id);
      col.records.set(r.id, {
        vector: [...r.vector],
        norm: norm(r.vector),
        document: r.document,
        metadata: { ...(before?.metadata ?? {}), ...r.metadata },
      });
    }
  }

  async query(collection: string, vector: number[], k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    return this.nearest(collection, vector, k, filter).map(({ id, score, r }) => ({
      id,
      document: r.document,
      metadata: { ...r.metadata },
      score,
    }));
  }

  async queryIds(
    collection: string,
    vectors: number[][],
    k: number,
    filter?: VectorFilter,
  ): Promise<{ id: string; score: number }[][]> {
    return vectors.map((v) => this.nearest(collection, v, k, filter).map(({ id, score }) => ({ id, score })));
  }

  private nearest(collection: string, vector: number[], k: number, filter?: VectorFilter) {
    const c = this.collections.get(collection);
    if (!c || c.records.size === 0 || k <= 0) return [];
    this.checkDim(collection, c, vector);
    const qn = norm(vector);
    const scored: { id: string; score: number; r: Stored }[] = [];
    for (const [id, r] of c.records) {
      if (!matchesFilter(r.metadata, filter)) continue;
      let dot = 0;
      for (let i = 0; i < vector.length; i++) dot += (vector[i] as number) * (r.vector[i] as number);
      scored.push({ id, score: qn > 0 && r.norm > 0 ? dot / (qn * r.norm) : 0, r });
    }
    return scored.sort((a, b) => b.score - a.score).slice(0, k);
  }

  async get(
    collection: string,
    opts: { ids?: string[]; filter?: VectorFilter; limit?: number; offset?: number },
  ): Promise<Omit<VectorHit, "score">[]> {
    const c = this.collections.get(collection);
    if (!c) return [];
    const entries = opts.ids
      ? [...new Set(opts.ids)].flatMap((id) => {
          const r = c.records.get(id);
          return r ? [[id, r] as const] : [];
        })
      : [...c.records];
    const offset = opts.offset ?? 0;
    return entries
      .filter(([, r]) => matchesFilter(r.metadata, opts.filter))
      .slice(offset, opts.limit === undefined ? undefined : offset + opts.limit)
      .map(([id, r]) => ({ id, document: r.document, metadata: { ...r.metadata } }));
  }

  async getAll(collection: string, filter?: VectorFilter): Promise<Omit<VectorHit, "score">[]> {
    return this.get(collection, filter ? { filter } : {});
  }

  async delete(collection: string, ids: readonly string[]): Promise<void> {
    const c = this.collections.get(collection);
    for (const id of ids) c?.records.delete(id);
  }

  async count(collection: string): Promise<number> {
    return this.collections.get(collection)?.records.size ?? 0;
  }

  async updateMetadata(collection: string, updates: { id: string; metadata: VectorMetadata }[]): Promise<void> {
    const c = this.collections.get(collection);
    for (const u of updates) {
      const r = c?.records.get(u.id);
      if (r) r.metadata = { ...r.metadata, ...u.metadata };
    }
  }

  async move(from: string, to: string, ids: readonly string[], patch: VectorMetadata = {}): Promise<number> {
    const src = this.collections.get(from);
    if (!src || ids.length === 0) return 0;
    const records: VectorRecord[] = [];
    for (const id of new Set(ids)) {
      const r = src.records.get(id);
      if (r) records.push({ id, vector: r.vector, document: r.document, metadata: { ...r.metadata, ...patch } });
    }
    await this.upsert(to, records);
    await this.delete(
      from,
      records.map((r) => r.id),
    );
    return records.length;
  }

  async collectionMetadata(collection: string): Promise<VectorMetadata> {
    return { ...(this.collections.get(collection)?.metadata ?? {}) };
  }

  async setCollectionMetadata(collection: string, metadata: VectorMetadata): Promise<void> {
    this.open(collection).metadata = { ...metadata };
  }

  async dropCollection(collection: string): Promise<void> {
    this.collections.delete(collection);
  }

  async health(): Promise<Health> {
    return { ok: true, detail: `in process, ${this.collections.size} collections` };
  }
}
