/**
 * `glycopilot ingest [PATH…] [--reset] [--json]`: load documents into the knowledge
 * collection (default: the shipped corpus), with a progress bar on stderr and a summary at
 * the end. Starts embedded Chroma under ${DATA_DIR}/chroma unless CHROMA_URL is set.
 */
import cliProgress from "cli-progress";
import { loadConfig } from "../../core/config.js";
import { toAppError } from "../../core/errors.js";
import { CaseIndex } from "../../rag/cases.js";
import { dropKnowledge, ingest } from "../../rag/ingest.js";
import { CASES_COLLECTION, corpusFingerprint, DEFAULT_CORPUS_PATHS, KNOWLEDGE_COLLECTION } from "../../rag/open.js";
import { openEmbedder, openVectorStore, type VectorBackend } from "../clients.js";
import { parseArgs } from "./jsonl.js";

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  let vectors: VectorBackend | undefined;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: "ingest [{bar}] {value}/{total} chunks | {eta_buffer}s", etaBuffer: 200, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  try {
    const config = loadConfig();
    vectors = await openVectorStore(config);
    const { store } = vectors;
    const embedder = openEmbedder(config);
    const paths = positionals.length > 0 ? positionals : DEFAULT_CORPUS_PATHS;
    if (flags.reset) await dropKnowledge(store, KNOWLEDGE_COLLECTION);
    process.stderr.write(`ingest: ${paths.length} path(s) with ${embedder.id} into ${store.name(KNOWLEDGE_COLLECTION)}\n`);
    const summary = await ingest({
      store,
      embedder,
      paths,
      collection: KNOWLEDGE_COLLECTION,
      resetOnEmbedderChange: true,
      onProgress: (p) => {
        if (p.phase !== "embed" || p.total === 0) return;
        if (!barStarted) {
          bar.start(p.total, 0);
          barStarted = true;
        }
        bar.update(p.done);
      },
    });
    if (barStarted) bar.stop();
    // Record the corpus fingerprint so `start` does not re-check an up-to-date shipped corpus.
    if (positionals.length === 0) {
      await store.setCollectionMetadata(KNOWLEDGE_COLLECTION, {
        embedder: embedder.id,
        dim: embedder.dim,
        corpus: await corpusFingerprint(paths),
      });
    }
    const seeded = await new CaseIndex({ store, collection: CASES_COLLECTION }).seedIfEmpty();
    if (flags.json) process.stdout.write(`${JSON.stringify({ ...summary, casesSeeded: seeded })}\n`);
    else {
      process.stdout.write(
        `documents ${summary.documents}  chunks ${summary.chunks}  upserted ${summary.upserted}  deleted ${summary.deleted}  ` +
          `relabeled ${summary.relabeled}  skipped ${summary.skipped}  cases seeded ${seeded}  ${(summary.ms / 1000).toFixed(1)} s\n`,
      );
      for (const p of summary.problems.slice(0, 20)) process.stderr.write(`  skipped ${p.file}: ${p.reason}\n`);
    }
    return 0;
  } catch (e) {
    if (barStarted) bar.stop();
    const err = toAppError(e);
    process.stderr.write(`ingest failed: ${err.code === "INTERNAL" && e instanceof Error ? e.message : err.message}\n`);
    return 1;
  } finally {
    await vectors?.stop();
  }
}
