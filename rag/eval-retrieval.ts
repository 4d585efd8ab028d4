/**
 * Retrieval evaluation: recall@k and MRR by gold document id on the MedQuAD dev questions,
 * for BM25 alone, dense alone and the fused hybrid, so a change to tokenization, chunking or
 * fusion shows which half it helped. A hit = any of the top k chunks belongs to the gold
 * document (metadata docId), because gold is a document and documents are split into chunks.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { KnowledgeBase, SearchMode } from "./retriever.js";

export const DEV_QUESTIONS_FILE = fileURLToPath(new URL("./corpus/eval/retrieval_dev_questions.jsonl", import.meta.url));

export interface EvalQuestion {
  qid: string;
  question: string;
  gold_doc_id: string;
  gold_passage_id?: string;
  qtype?: string;
}

export interface ModeResult {
  mode: SearchMode;
  questions: number;
  recallAt5: number;
  recallAt1: number;
  mrr: number;
  /** Mean query latency in ms. */
  msPerQuery: number;
}

export async function loadQuestions(file = DEV_QUESTIONS_FILE): Promise<EvalQuestion[]> {
  const src = await readFile(file, "utf8");
  return src
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion);
}

/** Rank (1-based) of the first result from the gold document, or undefined. */
function goldRank(docIds: string[], gold: string): number | undefined {
  const i = docIds.indexOf(gold);
  return i < 0 ? undefined : i + 1;
}

export async function evaluateRetrieval(
  kb: KnowledgeBase,
  opts: { questions?: EvalQuestion[]; modes?: SearchMode[]; k?: number; depth?: number } = {},
): Promise<ModeResult[]> {
  const questions = opts.questions ?? (await loadQuestions());
  const k = opts.k ?? 5;
  // MRR is computed over a deeper list than k so misses just beyond the cut still count a little.
  const depth = opts.depth ?? 20;
  const out: ModeResult[] = [];
  for (const mode of opts.modes ?? (["bm25", "dense", "hybrid"] as SearchMode[])) {
    let hit5 = 0;
    let hit1 = 0;
    let rr = 0;
    const t0 = performance.now();
    for (const q of questions) {
      const res = await kb.search(q.question, { k: depth, mode, kind: ["education"] });
      const docIds = res.map((p) => docIdOf(p.citation.sourceId));
      const r = goldRank(docIds, q.gold_doc_id);
      if (r !== undefined && r <= k) hit5++;
      if (r === 1) hit1++;
      if (r !== undefined) rr += 1 / r;
    }
    const n = questions.length || 1;
    out.push({
      mode,
      questions: questions.length,
      recallAt5: hit5 / n,
      recallAt1: hit1 / n,
      mrr: rr / n,
      msPerQuery: (performance.now() - t0) / n,
    });
  }
  return out;
}

/** MedQuAD passage ids are `${doc_id}#p${n}`: the document id is the part before "#p". */
export function docIdOf(sourceId: string): string {
  const i = sourceId.lastIndexOf("#p");
  return i > 0 ? sourceId.slice(0, i) : sourceId;
}

export function formatTable(rows: readonly ModeResult[]): string {
  const head = "mode     questions  recall@1  recall@5  MRR@20  ms/query";
  const lines = rows.map(
    (r) =>
      `${r.mode.padEnd(8)} ${String(r.questions).padStart(9)}  ${r.recallAt1.toFixed(3).padStart(8)}  ${r.recallAt5.toFixed(3).padStart(8)}  ${r.mrr.toFixed(3).padStart(6)}  ${r.msPerQuery.toFixed(1).padStart(8)}`,
  );
  return [head, ...lines].join("\n");
}
