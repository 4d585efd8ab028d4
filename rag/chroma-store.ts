/**
 * VectorStore over a Chroma server (embedded or remote) through the chromadb JS client.
 * Vectors are always computed by our Embedder and passed explicitly: collections are created
 * with `embeddingFunction: null`, so the client never tries to load a default model.
 */
import { ChromaClient, type Collection, type Metadata, type Where } from "chromadb";
import { AppError } from "../core/errors.js";
import type { Health, VectorFilter, VectorHit, VectorRecord, VectorStore } from "../core/ports.js";

export interface ChromaStoreOptions {
  /** e.g. http://127.0.0.1:8000 */
  url: string;
  /** Prepended to every collection name so tests and deployments never collide. @defaultValue "" */
  prefix?: string;
  /** Records per upsert request. @defaultValue 500 */
  batchSize?: number;
}

type Meta = Record<string, string | number | boolean>;

/**
 * A VectorFilter in Chroma's `where` language (`$eq`, `$in`, `$and`); undefined when it has no
 * condition, null when it can match nothing (an empty `in` list, which Chroma would refuse).
 */
export function toChromaWhere(filter: VectorFilter | undefined): Where | undefined | null {
  const c: Where[] = [];
  for (const [key, value] of Object.entries(filter?.eq ?? {})) c.push({ [key]: { $eq: value } } as Where);
  for (const [key, values] of Object.entries(filter?.in ?? {})) {
    if (values.length === 0) return null;
    c.push({ [key]: { $in: [...values] } } as Where);
  }
  if (c.length === 0) return undefined;
  return c.length === 1 ? (c[0] as Where) : { $and: c };
}

export class ChromaVectorStore implements VectorStore {
  readonly client: ChromaClient;
  readonly prefix: string;
  private readonly batchSize: number;
  // Handles are cached because getOrCreateCollection is a round trip per call.
  private readonly handles = new Map<string, Promise<Collection>>();

  constructor(opts: ChromaStoreOptions) {
    const u = new URL(opts.url);
    const ssl = u.protocol === "https:";
    this.client = new ChromaClient({ host: u.hostname, port: Number(u.port || (ssl ? 443 : 80)), ssl });
    this.prefix = opts.prefix ?? "";
    this.batchSize = opts.batchSize ?? 500;
  }

  /** The full Chroma name of a logical collection (prefix applied). */
  name(collection: string): string {
    return `${this.prefix}${collection}`;
  }

  private collection(collection: string): Promise<Collection> {
    let h = this.handles.get(collection);
    if (!h) {
      h = this.client.getOrCreateCollection({
        name: this.name(collection),
        embeddingFunction: null,
        configuration: { hnsw: { space: "cosine" } },
      });
      // A failed lookup must not poison the cache.
      h.catch(() => this.handles.delete(collection));
      this.handles.set(collection, h);
    }
    return h;
  }

  async upsert(collection: string, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    const c = await this.collection(collection);
    for (let i = 0; i < records.length; i += this.batchSize) {
      const batch = records.slice(i, i + this.batchSize);
      await this.wrap("upsert", () =>
        c.upsert({
          ids: batch.map((r) => r.id),
          embeddings: batch.map((r) => r.vector),
          documents: batch.map((r) => r.document),
          // Chroma rejects `{}`; null is its "no metadata".
          metadatas: batch.map((r) => (Object.keys(r.metadata).length > 0 ? r.metadata : null) as Metadata),
        }),
      );
    }
  }

  async query(collection: string, vector: number[], k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    const where = toChromaWhere(filter);
    if (where === null || k <= 0) return [];
    const c = await this.collection(collection);
    const res = await this.wrap("query", () =>
      c.query({
        queryEmbeddings: [vector],
        nResults: k,
        ...(where ? { where } : {}),
        include: ["documents", "metadatas", "distances"],
      }),
    );
    const ids = res.ids[0] ?? [];
    return ids.map((id, i) => ({
      id,
      document: res.documents[0]?.[i] ?? "",
      metadata: (res.metadatas[0]?.[i] ?? {}) as Meta,
      // Chroma's cosine space returns distance = 1 - cosine similarity.
      score: 1 - (res.distances[0]?.[i] ?? 1),
    }));
  }

  /**
   * Nearest ids and cosine similarities only: no documents or metadata cross the wire (callers
   * fetch those for the few ids they keep, with one `get`). One query per vector, one request.
   */
  async queryIds(
    collection: string,
    vectors: number[][],
    k: number,
    filter?: VectorFilter,
  ): Promise<{ id: string; score: number }[][]> {
    if (vectors.length === 0) return [];
    const where = toChromaWhere(filter);
    if (where === null || k <= 0) return vectors.map(() => []);
    const c = await this.collection(collection);
    const res = await this.wrap("query", () =>
      c.query({
        queryEmbeddings: vectors,
        nResults: k,
        ...(where ? { where } : {}),
        include: ["distances"],
      }),
    );
    return vectors.map((_, q) => (res.ids[q] ?? []).map((id, i) => ({ id, score: 1 - (res.distances[q]?.[i] ?? 1) })));
  }

  /**
   * Move records to another collection (vectors, documents and metadata, with `patch` merged
   * into the metadata): upsert there first, then delete here, so a crash in between leaves a
   * duplicate (which the next ingest removes), never a loss. Returns how many were moved.
   */
  async move(from: string, to: string, ids: readonly string[], patch: Meta = {}): Promise<number> {
    if (ids.length === 0) return 0;
    const src = await this.collection(from);
    let moved = 0;
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const batch = ids.slice(i, i + this.batchSize);
      const res = await this.wrap("get", () => src.get({ ids: batch, include: ["embeddings", "documents", "metadatas"] }));
      const records: VectorRecord[] = res.ids.map((id, j) => ({
        id,
        vector: Array.from(res.embeddings[j] ?? []),
        document: res.documents[j] ?? "",
        metadata: { ...((res.metadatas[j] ?? {}) as Meta), ...patch },
      }));
      await this.upsert(to, records);
      await this.delete(from, res.ids);
      moved += records.length;
    }
    return moved;
  }

  async get(
    collection: string,
    opts: { ids?: string[]; filter?: VectorFilter; limit?: number; offset?: number },
  ): Promise<Omit<VectorHit, "score">[]> {
    const where = toChromaWhere(opts.filter);
    if (where === null || opts.ids?.length === 0) return [];
    const c = await this.collection(collection);
    const res = await this.wrap("get", () =>
      c.get({
        ...(opts.ids ? { ids: opts.ids } : {}),
        ...(where ? { where } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.offset !== undefined ? { offset: opts.offset } : {}),
        include: ["documents", "metadatas"],
      }),
    );
    return res.ids.map((id, i) => ({
      id,
      document: res.documents[i] ?? "",
      metadata: (res.metadatas[i] ?? {}) as Meta,
    }));
  }

  /** Every record of a collection, paged so large collections do not hit request limits. */
  async getAll(collection: string, filter?: VectorFilter, pageSize = 5_000): Promise<Omit<VectorHit, "score">[]> {
    const out: Omit<VectorHit, "score">[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = await this.get(collection, { ...(filter ? { filter } : {}), limit: pageSize, offset });
      out.push(...page);
      if (page.length < pageSize) return out;
    }
  }

  async delete(collection: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const c = await this.collection(collection);
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const batch = ids.slice(i, i + this.batchSize);
      await this.wrap("delete", () => c.delete({ ids: batch }));
    }
  }

  /** Update metadata only (used to mark superseded versions); vectors stay as they are. */
  async updateMetadata(collection: string, updates: { id: string; metadata: Meta }[]): Promise<void> {
    if (updates.length === 0) return;
    const c = await this.collection(collection);
    for (let i = 0; i < updates.length; i += this.batchSize) {
      const batch = updates.slice(i, i + this.batchSize);
      await this.wrap("update", () =>
        c.update({ ids: batch.map((u) => u.id), metadatas: batch.map((u) => u.metadata as Metadata) }),
      );
    }
  }

  async count(collection: string): Promise<number> {
    const c = await this.collection(collection);
    return this.wrap("count", () => c.count());
  }

  async collectionMetadata(collection: string): Promise<Meta> {
    const c = await this.collection(collection);
    return (c.metadata ?? {}) as Meta;
  }

  /** Collection-level metadata, e.g. the embedder id that produced its vectors. */
  async setCollectionMetadata(collection: string, metadata: Meta): Promise<void> {
    const c = await this.collection(collection);
    await this.wrap("modify", () => c.modify({ metadata }));
    c.metadata = metadata;
  }

  async dropCollection(collection: string): Promise<void> {
    this.handles.delete(collection);
    try {
      await this.client.deleteCollection({ name: this.name(collection) });
    } catch (e) {
      // "… could not be found" (Chroma 1.x) or "does not exist" (older servers): already gone.
      if (!/not (be )?found|does not exist/i.test(String((e as Error).message))) throw e;
    }
  }

  async health(): Promise<Health> {
    try {
      await this.client.heartbeat();
      return { ok: true };
    } catch (e) {
      return { ok: false, detail: `chroma: ${(e as Error).message}` };
    }
  }

  private async wrap<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      // Connection failures are retryable; malformed requests are our bug and are not.
      const transport = /fetch failed|ECONNREFUSED|connect|socket|timeout/i.test(msg);
      // "Collection expecting embedding with dimension of N, got M": vectors of another embedder.
      const dimension = /expecting embedding with dimension/i.test(msg);
      throw new AppError(
        transport ? "DEPENDENCY_UNAVAILABLE" : dimension ? "CONFLICT" : "INTERNAL",
        `chroma ${op} failed: ${msg}`,
        { cause: e },
      );
    }
  }
}
