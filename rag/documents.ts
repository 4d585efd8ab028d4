/**
 * Document loaders: turn files (Markdown with front matter, JSON Lines in MedQuAD or generic
 * {id,title,text} form, the FDA indications JSON, plain text) into SourceDocuments that all
 * carry the metadata retrieval filters on: kind, audience, language, source, url, version,
 * effective date. Invalid documents are reported, not thrown, so one bad file never stops an ingest.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { z } from "zod";
import { Audience, DocKind } from "../core/domain.js";
import { hasCjk } from "./tokenize.js";

export const SourceDocument = z.object({
  /** Citation source id; versions of one document share it. */
  sourceId: z.string().min(1),
  /** Grouping id (MedQuAD doc_id for passages; equals sourceId otherwise). */
  docId: z.string().min(1),
  title: z.string().min(1),
  text: z.string().min(1),
  kind: DocKind,
  audience: Audience,
  language: z.enum(["en", "zh"]),
  source: z.string().min(1),
  url: z.string(),
  version: z.string().min(1),
  /** ISO date the version took effect; orders versions of one sourceId. */
  effective: z.string().regex(/^\d{4}-\d{2}-\d{2}/, "effective must be an ISO date"),
  /** Ids `${sourceId}` / `${sourceId}~n` instead of content hashes (MedQuAD convention). */
  sequentialIds: z.boolean().optional(),
});
export type SourceDocument = z.infer<typeof SourceDocument>;

export interface LoadProblem {
  file: string;
  reason: string;
}

export interface Loaded {
  docs: SourceDocument[];
  problems: LoadProblem[];
}

const langOf = (text: string): "en" | "zh" => (hasCjk(text) ? "zh" : "en");

/** YAML-ish front matter: `key: value` lines between `---` fences (no nesting needed here). */
export function parseFrontMatter(src: string): { meta: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(src);
  if (!m) return { meta: {}, body: src };
  const meta: Record<string, string> = {};
  for (const line of (m[1] ?? "").split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (kv?.[1]) meta[kv[1]] = (kv[2] ?? "").trim().replace(/^(["'])(.*)\1$/, "$2");
  }
  return { meta, body: src.slice(m[0].length) };
}

// MedQuAD section labels → the wording people use when asking, so "risk factors for X" finds "susceptibility".
const SECTION_WORDS: Record<string, string> = {
  information: "what is it, overview",
  susceptibility: "who is at risk, risk factors",
  symptoms: "symptoms, signs",
  "exams and tests": "diagnosis, how to diagnose, exams and tests",
  treatment: "treatment, how to treat, therapy",
  prevention: "prevention, how to prevent",
  causes: "causes, what causes it",
  considerations: "what to do, diet, eating, nutrition, living with",
  research: "research, clinical trials",
  frequency: "how many people are affected, frequency",
  outlook: "outlook, prognosis",
  stages: "stages",
  inheritance: "inheritance, is it inherited, genetic",
  "genetic changes": "genetic changes, genes",
  complications: "complications",
};

function medquad(o: Record<string, unknown>): SourceDocument {
  const focus = String(o.focus ?? "");
  const section = String(o.section ?? "");
  const words = SECTION_WORDS[section] ?? section;
  return {
    sourceId: String(o.passage_id),
    docId: String(o.doc_id ?? o.passage_id),
    title: `${focus} — ${words}`,
    text: String(o.text ?? ""),
    kind: "education",
    audience: "patient",
    language: "en",
    source: `MedQuAD / ${String(o.source ?? "NIH")}`,
    url: String(o.url ?? ""),
    // MedQuAD is a fixed 2019 release (Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019).
    version: "medquad-2019",
    effective: "2019-01-01",
    sequentialIds: true,
  };
}

function generic(o: Record<string, unknown>, fallback: Partial<SourceDocument>): Record<string, unknown> {
  const text = String(o.text ?? "");
  const id = String(o.id ?? o.sourceId ?? "");
  return {
    sourceId: id,
    docId: String(o.docId ?? id),
    title: String(o.title ?? id),
    text,
    kind: o.kind ?? fallback.kind ?? "guideline",
    audience: o.audience ?? fallback.audience ?? "clinician",
    language: o.language ?? o.lang ?? langOf(text),
    source: String(o.source ?? fallback.source ?? "local"),
    url: String(o.url ?? ""),
    version: String(o.version ?? fallback.version ?? "1"),
    effective: String(o.effective ?? fallback.effective ?? "1970-01-01"),
    // Passages cited by id (the guideline summaries) ask for their id as the chunk id.
    ...(o.sequentialIds === true ? { sequentialIds: true } : {}),
  };
}

function fdaIndication(o: Record<string, unknown>): SourceDocument {
  const text = String(o.indication_text ?? "");
  const name =
    typeof o.leading_name_guess === "string" ? o.leading_name_guess : (text.split(/[,.(]/)[0]?.slice(0, 60) ?? "label");
  return {
    sourceId: `dailymed:${String(o.line_index)}`,
    docId: `dailymed:${String(o.line_index)}`,
    title: `${name} — FDA label indications and usage`,
    text,
    kind: "formulary",
    audience: "clinician",
    language: "en",
    source: "FDA structured product labels (DailyMed) via MaastrichtU-IDS/extract-dailymed-spl",
    url: `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(name)}`,
    // The extraction is a 2023 snapshot; labels change, so the version names the snapshot.
    version: "extract-dailymed-spl-2023",
    effective: "2023-01-01",
  };
}

function validate(raw: unknown, file: string, where: string, out: Loaded): void {
  const r = SourceDocument.safeParse(raw);
  if (r.success) out.docs.push(r.data);
  else
    out.problems.push({ file, reason: `${where}: ${r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` });
}

async function loadFile(file: string, out: Loaded): Promise<void> {
  const ext = extname(file).toLowerCase();
  const src = await readFile(file, "utf8");
  if (ext === ".md" || ext === ".markdown") {
    const { meta, body } = parseFrontMatter(src);
    validate({ ...generic({ ...meta, text: body }, {}), kind: meta.kind, audience: meta.audience }, file, "front matter", out);
  } else if (ext === ".jsonl") {
    src.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        validate("passage_id" in o ? medquad(o) : generic(o, {}), file, `line ${i + 1}`, out);
      } catch (e) {
        out.problems.push({ file, reason: `line ${i + 1}: ${(e as Error).message}` });
      }
    });
  } else if (ext === ".json") {
    const data = JSON.parse(src) as unknown;
    const items = Array.isArray(data) ? data : [data];
    items.forEach((o: Record<string, unknown>, i) => {
      validate("indication_text" in o ? fdaIndication(o) : generic(o, {}), file, `item ${i}`, out);
    });
  } else if (ext === ".txt") {
    const mtime = (await stat(file)).mtime.toISOString().slice(0, 10);
    const title =
      src
        .split(/\r?\n/)
        .find((l) => l.trim())
        ?.trim()
        .slice(0, 120) ?? basename(file);
    validate(generic({ id: `file:${basename(file)}`, title, text: src }, { effective: mtime }), file, "text", out);
  }
}

/** Files under the given paths (directories recursively) that a loader understands. */
export async function listFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (p: string): Promise<void> => {
    const s = await stat(p);
    if (s.isDirectory()) {
      for (const e of (await readdir(p)).sort()) await visit(join(p, e));
    } else if (/\.(md|markdown|jsonl|json|txt)$/i.test(p) && !/(^|\/)(README|LICENSE)[^/]*$/i.test(p)) out.push(p);
  };
  for (const p of paths) await visit(p);
  return out;
}

export async function loadDocuments(paths: readonly string[]): Promise<Loaded> {
  const out: Loaded = { docs: [], problems: [] };
  for (const file of await listFiles(paths)) {
    try {
      await loadFile(file, out);
    } catch (e) {
      out.problems.push({ file, reason: (e as Error).message });
    }
  }
  return out;
}
