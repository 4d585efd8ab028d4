/**
 * Ingestion: load documents, chunk, embed only what changed, upsert, delete chunks a
 * re-ingested document no longer has, and keep exactly one version of each sourceId marked
 * `current: true` (the newest by effective date, then version). Re-ingesting unchanged
 * documents upserts nothing.
 *
 * The searched collection holds current chunks only; superseded versions live in its history
 * collection (`historyCollection(name)`, flagged `current: false`) and move there, vectors and
 * all, when a newer version arrives. So a query needs no `current` filter, which made every
 * Chroma query scan the metadata of the whole collection.
 */
import { AppError } from "../core/errors.js";
import type { Embedder, VectorRecord, VectorStore } from "../core/ports.js";
import { type Chunk, chunkDocument } from "./chunk.js";
import { type LoadProblem, loadDocuments, type SourceDocument } from "./documents.js";

type Meta = Record<string, string | number | boolean>;

export interface IngestProgress {
  phase: "load" | "embed" | "done";
  done: number;
  total: number;
}

export interface IngestOptions {
  store: VectorStore;
  embedder: Embedder;
  /** Files or directories. Ignored when `documents` is given. */
  paths?: readonly string[];
  /** Already-loaded documents (tests, programmatic callers). */
  documents?: readonly SourceDocument[];
  collection: string;
  onProgress?: (p: IngestProgress) => void;
  /** When the collection was built by another embedder: drop it (true) or refuse (false). @defaultValue false */
  resetOnEmbedderChange?: boolean;
  /** Texts per embed call. @defaultValue 128 */
  embedBatch?: number;
}

export interface IngestSummary {
  documents: number;
  chunks: number;
  upserted: number;
  deleted: number;
  /** Documents rejected (invalid metadata, duplicate sourceId+version in one run). */
  skipped: number;
  /** Version flags flipped on already-stored chunks (moved between the searched and the history collection). */
  relabeled: number;
  problems: LoadProblem[];
  ms: number;
}

/** Where the superseded versions of `collection`'s chunks are kept (searched only on request). */
export function historyCollection(collection: string): string {
  return `${collection}_superseded`;
}

/** Drop a knowledge collection together with its history. */
export async function dropKnowledge(store: VectorStore, collection: string): Promise<void> {
  await store.dropCollection(collection);
  await store.dropCollection(historyCollection(collection));
}

/** Newer = later effective date, then the lexically larger version string. */
export function newer(a: { effective: string; version: string }, b: { effective: string; version: string }): boolean {
  if (a.effective !== b.effective) return a.effective > b.effective;
  return a.version.localeCompare(b.version, "en", { numeric: true }) > 0;
}

export function chunkMetadata(doc: SourceDocument, chunk: Chunk, embedderId: string, current: boolean): Meta {
  return {
    sourceId: doc.sourceId,
    docId: doc.docId,
    title: doc.title,
    url: doc.url,
    version: doc.version,
    effective: doc.effective,
    kind: doc.kind,
    audience: doc.audience,
    language: doc.language,
    source: doc.source,
    section: chunk.section,
    ordinal: chunk.ordinal,
    hash: chunk.hash,
    embedder: embedderId,
    current,
  };
}

export async function ingest(opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const { store, embedder, collection } = opts;
  const progress = opts.onProgress ?? (() => {});
  const batch = opts.embedBatch ?? 128;
  const names: Record<Loc, string> = { main: collection, hist: historyCollection(collection) };

  const colMeta = await store.collectionMetadata(collection);
  if (colMeta.embedder !== undefined && colMeta.embedder !== embedder.id) {
    if (!opts.resetOnEmbedderChange) {
      throw new AppError(
        "CONFLICT",
        `collection ${collection} holds ${String(colMeta.embedder)} vectors; re-ingest with reset to use ${embedder.id}`,
      );
    }
    await dropKnowledge(store, collection);
  }
  if (colMeta.embedder !== embedder.id)
    await store.setCollectionMetadata(collection, { embedder: embedder.id, dim: embedder.dim });

  const loaded = opts.documents ? { docs: [...opts.documents], problems: [] } : await loadDocuments(opts.paths ?? []);
  progress({ phase: "load", done: loaded.docs.length, total: loaded.docs.length });

  // One read of what is stored (both collections): the diff and the version flags come from it.
  const [inMain, inHist] = await Promise.all([store.getAll(names.main), store.getAll(names.hist)]);
  const stored: Record<Loc, Map<string, Meta>> = {
    main: new Map(inMain.map((r) => [r.id, r.metadata])),
    hist: new Map(inHist.map((r) => [r.id, r.metadata])),
  };
  const byUnit = new Map<string, Map<string, Meta>>();
  const versions = new Map<string, Map<string, { effective: string; version: string }>>();
  for (const r of [...inHist, ...inMain]) {
    const m = r.metadata;
    const sid = String(m.sourceId);
    const unit = `${sid}\u0000${String(m.version)}`;
    if (!byUnit.has(unit)) byUnit.set(unit, new Map());
    byUnit.get(unit)?.set(r.id, m);
    if (!versions.has(sid)) versions.set(sid, new Map());
    versions.get(sid)?.set(String(m.version), { effective: String(m.effective), version: String(m.version) });
  }

  const seenUnits = new Set<string>();
  const docs: SourceDocument[] = [];
  let skipped = loaded.problems.length;
  for (const d of loaded.docs) {
    const unit = `${d.sourceId}\u0000${d.version}`;
    if (seenUnits.has(unit)) {
      skipped++;
      loaded.problems.push({ file: d.sourceId, reason: `duplicate ${d.sourceId} version ${d.version} in one ingest` });
      continue;
    }
    seenUnits.add(unit);
    docs.push(d);
    if (!versions.has(d.sourceId)) versions.set(d.sourceId, new Map());
    versions.get(d.sourceId)?.set(d.version, { effective: d.effective, version: d.version });
  }
  const newest = new Map<string, string>();
  for (const [sid, vs] of versions) {
    let best: { effective: string; version: string } | undefined;
    for (const v of vs.values()) if (!best || newer(v, best)) best = v;
    if (best) newest.set(sid, best.version);
  }

  // What to do with each stored record: leave it, flip its flag in place, move it to the other
  // collection, or delete it. A record found in both collections (a move cut short) keeps only
  // the copy where it belongs.
  const del: Record<Loc, string[]> = { main: [], hist: [] };
  const update: Record<Loc, { id: string; metadata: Meta }[]> = { main: [], hist: [] };
  const move: Record<Loc, string[]> = { main: [], hist: [] };
  let relabeled = 0;
  /** Settles a stored record against the metadata it should have; false = it must be (re)written. */
  const settle = (id: string, want: Meta): boolean => {
    const L: Loc = want.current === true ? "main" : "hist";
    const O: Loc = L === "main" ? "hist" : "main";
    const here = stored[L].get(id);
    // Sequential ids (MedQuAD) repeat across versions: only a record of the same version is "this one".
    const other = stored[O].get(id);
    const there = other && sameUnit(other, want) ? other : undefined;
    if (here && sameMeta(here, want)) {
      if (there) del[O].push(id);
      return true;
    }
    if (here && sameMeta(here, want, "current")) {
      update[L].push({ id, metadata: { current: want.current as boolean } });
      if (there) del[O].push(id);
      relabeled++;
      return true;
    }
    if (there && sameMeta(there, want, "current")) {
      move[L].push(id);
      relabeled++;
      return true;
    }
    if (there) del[O].push(id);
    return false;
  };

  const pending: { doc: SourceDocument; chunk: Chunk; current: boolean }[] = [];
  let chunks = 0;
  let deleted = 0;
  for (const doc of docs) {
    const current = newest.get(doc.sourceId) === doc.version;
    const storedIds = byUnit.get(`${doc.sourceId}\u0000${doc.version}`) ?? new Map<string, Meta>();
    const ids = new Set<string>();
    for (const chunk of chunkDocument({
      unit: unitId(doc),
      title: doc.title,
      text: doc.text,
      sequentialIds: doc.sequentialIds ?? false,
    })) {
      chunks++;
      ids.add(chunk.id);
      // Unchanged = same content hash, same embedder and identical metadata: nothing to send.
      if (settle(chunk.id, chunkMetadata(doc, chunk, embedder.id, current))) continue;
      pending.push({ doc, chunk, current });
    }
    for (const id of storedIds.keys()) {
      if (ids.has(id)) continue;
      deleted++;
      for (const loc of LOCS) {
        const m = stored[loc].get(id);
        if (m && m.sourceId === doc.sourceId && m.version === doc.version) del[loc].push(id);
      }
    }
  }

  // Flip `current` on stored chunks of versions not re-ingested in this run.
  for (const [unit, recs] of byUnit) {
    if (seenUnits.has(unit)) continue;
    for (const [id, m] of recs) settle(id, { ...m, current: newest.get(String(m.sourceId)) === String(m.version) });
  }

  let done = 0;
  progress({ phase: "embed", done, total: pending.length });
  for (let i = 0; i < pending.length; i += batch) {
    const slice = pending.slice(i, i + batch);
    const vectors = await embedder.embed(slice.map((p) => p.chunk.text));
    const records: Record<Loc, VectorRecord[]> = { main: [], hist: [] };
    slice.forEach((p, j) => {
      records[p.current ? "main" : "hist"].push({
        id: p.chunk.id,
        vector: vectors[j] as number[],
        document: p.chunk.text,
        metadata: chunkMetadata(p.doc, p.chunk, embedder.id, p.current),
      });
    });
    for (const loc of LOCS) await store.upsert(names[loc], records[loc]);
    done += slice.length;
    progress({ phase: "embed", done, total: pending.length });
  }
  await store.move(names.hist, names.main, move.main, { current: true });
  await store.move(names.main, names.hist, move.hist, { current: false });
  for (const loc of LOCS) {
    await store.updateMetadata(names[loc], update[loc]);
    await store.delete(names[loc], [...new Set(del[loc])]);
  }
  progress({ phase: "done", done, total: pending.length });

  return {
    documents: docs.length,
    chunks,
    upserted: pending.length,
    deleted,
    skipped,
    relabeled,
    problems: loaded.problems,
    ms: Math.round(performance.now() - t0),
  };
}

type Loc = "main" | "hist";
const LOCS: readonly Loc[] = ["main", "hist"];

/** Versions of one document get distinct chunk ids so both can be stored side by side. */
function unitId(doc: SourceDocument): string {
  return doc.sequentialIds ? doc.sourceId : `${doc.sourceId}@${doc.version}`;
}

function sameMeta(a: Meta, b: Meta, ignore?: string): boolean {
  for (const k of Object.keys(b)) if (k !== ignore && a[k] !== b[k]) return false;
  return true;
}

function sameUnit(a: Meta, b: Meta): boolean {
  return a.sourceId === b.sourceId && a.version === b.version;
}
