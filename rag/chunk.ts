/**
 * Chunking: split a document into ~800-character pieces that never cross a heading and end
 * on sentence boundaries (English . ! ? and Chinese 。！？；), with a one-sentence overlap so
 * a fact split across a boundary is still retrievable from either side.
 *
 * Chunk ids are stable: re-chunking unchanged text gives identical ids, so re-ingestion is
 * idempotent. Ids are `${unit}#${hash of content}` (index-independent: inserting a paragraph
 * only re-embeds the chunks that changed); when `sequentialIds` is set (MedQuAD passages)
 * they are `${unit}` for a single chunk else `${unit}~${n}`, as the corpus convention asks.
 */
import { createHash } from "node:crypto";

export interface ChunkOptions {
  /** Target size in characters. @defaultValue 800 */
  target?: number;
  /** Carry-over from the previous chunk, at most this many characters (whole sentences). @defaultValue 160 */
  overlap?: number;
}

export interface Chunk {
  id: string;
  /** Position in the document (for ordering; not part of the id). */
  ordinal: number;
  /** Heading path, e.g. "Treatment > Level 2"; empty before the first heading. */
  section: string;
  text: string;
  hash: string;
}

interface Section {
  path: string;
  body: string;
}

export function contentHash(text: string, len = 12): string {
  return createHash("sha256").update(text).digest("hex").slice(0, len);
}

/** Split Markdown-ish text at ATX headings, tracking the heading path. */
export function splitSections(text: string): Section[] {
  const out: Section[] = [];
  const stack: { level: number; title: string }[] = [];
  let buf: string[] = [];
  const flush = () => {
    const body = buf.join("\n").trim();
    if (body) out.push({ path: stack.map((h) => h.title).join(" > "), body });
    buf = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const m = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m?.[1] && m[2]) {
      flush();
      const level = m[1].length;
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= level) stack.pop();
      stack.push({ level, title: m[2] });
    } else buf.push(line);
  }
  flush();
  return out;
}

/** Sentences (and list items) of one section, in order, whitespace-trimmed. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)/)) {
    const p = para.replace(/\s*\n\s*/g, " ").trim();
    if (!p) continue;
    // Chinese terminators need no following space; English ones do (avoids "e.g. x", "1.5").
    const parts = p.split(/(?<=[。！？；!?])(?=\S)|(?<=[.!?。！？；][”"')\]]?)\s+(?=[A-Z0-9"“([\u3400-\u9fff-])/u);
    for (const s of parts) if (s.trim()) out.push(s.trim());
  }
  return out;
}

/** Hard-split a sentence longer than `max` at whitespace (or anywhere, for unspaced CJK text). */
function hardSplit(s: string, max: number): string[] {
  if (s.length <= max) return [s];
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** Greedy packing of sentences into pieces of about `target` characters. */
export function packSentences(sentences: string[], target: number, overlap: number): string[] {
  const pieces: string[] = [];
  let cur: string[] = [];
  let len = 0;
  const joinLen = (a: number, s: string) => a + (a > 0 ? 1 : 0) + s.length;
  for (const sent of sentences.flatMap((s) => hardSplit(s, Math.round(target * 1.25)))) {
    if (len > 0 && joinLen(len, sent) > target) {
      pieces.push(cur.join(" "));
      // Overlap: carry the previous piece's last sentence when it is short enough.
      const last = cur[cur.length - 1];
      cur = last !== undefined && last.length <= overlap ? [last] : [];
      len = cur.reduce((a, s) => joinLen(a, s), 0);
    }
    cur.push(sent);
    len = joinLen(len, sent);
  }
  if (cur.length > 0) pieces.push(cur.join(" "));
  return pieces;
}

export interface ChunkInput {
  /** The versioned unit the ids derive from, e.g. "protocol:hypo@2025-01" or a MedQuAD passage_id. */
  unit: string;
  /** Prepended to every chunk ("Title — Section") so each chunk is self-describing for BM25, embeddings and the model. */
  title: string;
  text: string;
  sequentialIds?: boolean;
}

export function chunkDocument(doc: ChunkInput, opts: ChunkOptions = {}): Chunk[] {
  const target = opts.target ?? 800;
  const overlap = opts.overlap ?? 160;
  const raw: { section: string; body: string }[] = [];
  for (const sec of splitSections(doc.text)) {
    for (const piece of packSentences(splitSentences(sec.body), target, overlap)) raw.push({ section: sec.path, body: piece });
  }
  const seen = new Map<string, number>();
  return raw.map((r, ordinal) => {
    const header = r.section ? `${doc.title} — ${r.section}` : doc.title;
    const text = `${header}\n${r.body}`;
    const hash = contentHash(text);
    let id: string;
    if (doc.sequentialIds) id = raw.length === 1 ? doc.unit : `${doc.unit}~${ordinal}`;
    else {
      // Identical chunks within one document get an occurrence suffix so ids stay unique.
      const n = seen.get(hash) ?? 0;
      seen.set(hash, n + 1);
      id = `${doc.unit}#${hash}${n > 0 ? `-${n}` : ""}`;
    }
    return { id, ordinal, section: r.section, text, hash };
  });
}
