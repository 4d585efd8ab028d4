/**
 * `glycopilot search "query" [--k 5] [--kind protocol,formulary] [--audience clinician]
 * [--lang en] [--all-versions] [--json]`, or batch: `search --in FILE --k 5` reading JSON Lines
 * {"id","query"} and writing {"id","results":[{"sourceId","chunkId","score","title"}]}.
 */
import { loadConfig } from "../../core/config.js";
import { Audience, DocKind, Lang } from "../../core/domain.js";
import { toAppError } from "../../core/errors.js";
import type { KbSearchOptions } from "../../rag/retriever.js";
import { type Knowledge, openKnowledge } from "../clients.js";
import { mapJsonLines, parseArgs } from "./jsonl.js";

function searchOptions(flags: Record<string, string | true>): KbSearchOptions {
  const o: KbSearchOptions = {};
  if (typeof flags.k === "string") o.k = Math.max(1, Math.min(100, Number.parseInt(flags.k, 10) || 5));
  if (typeof flags.kind === "string") o.kind = flags.kind.split(",").map((k) => DocKind.parse(k.trim()));
  if (typeof flags.audience === "string") o.audience = Audience.parse(flags.audience);
  if (typeof flags.lang === "string") o.lang = Lang.parse(flags.lang);
  if (flags["all-versions"]) o.includeSuperseded = true;
  if (typeof flags.mode === "string") o.mode = flags.mode as KbSearchOptions["mode"];
  return o;
}

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const query = positionals.join(" ").trim();
  if (!query && typeof flags.in !== "string") {
    process.stderr.write(
      'usage: glycopilot search "query" [--k 5] [--kind …] [--audience …] [--json] | search --in FILE [--k 5]\n',
    );
    return 2;
  }
  let opened: Knowledge | undefined;
  try {
    const opts = searchOptions(flags);
    opened = await openKnowledge(loadConfig(), { seedCases: false });
    const { kb } = opened;
    if (typeof flags.in === "string") {
      const errors = await mapJsonLines({ inFile: flags.in }, async (obj) => {
        const o = obj as { id?: unknown; query?: unknown };
        if (typeof o.query !== "string") throw new Error("query must be a string");
        const results = await kb.search(o.query, opts);
        return {
          id: o.id ?? null,
          results: results.map((p) => ({
            sourceId: p.citation.sourceId,
            chunkId: p.citation.chunkId,
            score: round(p.score),
            title: p.citation.title,
          })),
        };
      });
      return errors > 0 ? 1 : 0;
    }
    const results = await kb.search(query, opts);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ query, results })}\n`);
      return 0;
    }
    results.forEach((p, i) => {
      const body = p.text.split("\n").slice(1).join(" ").slice(0, 240);
      process.stdout.write(
        `${i + 1}. [${p.score.toFixed(3)}] ${p.citation.title} (${p.kind ?? "?"}/${p.audience ?? "?"}, v${p.citation.version})\n   ${p.citation.chunkId}  ${p.citation.url}\n   ${body}…\n\n`,
      );
    });
    if (results.length === 0) process.stdout.write("no results\n");
    return 0;
  } catch (e) {
    process.stderr.write(`search failed: ${e instanceof Error ? e.message : toAppError(e).message}\n`);
    return 1;
  } finally {
    await opened?.stop();
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
