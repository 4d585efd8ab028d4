/**
 * JSON Lines plumbing shared by the batch commands (triage, redact, check-meds, search --in):
 * read from --in FILE or stdin, one JSON object per line; a malformed line yields an error
 * object for that line and processing continues.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

export interface JsonlOptions {
  /** File to read; stdin when undefined. */
  inFile?: string;
  out?: NodeJS.WritableStream;
}

export type LineResult = Record<string, unknown>;

/** Parse `--flag value` pairs and positionals. */
export function parseArgs(argv: string[]): { flags: Record<string, string | true>; positionals: string[] } {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith("--")) {
          flags[a.slice(2)] = next;
          i++;
        } else flags[a.slice(2)] = true;
      }
    } else positionals.push(a);
  }
  return { flags, positionals };
}

/**
 * Apply `handle` to every JSON line. Returns the number of lines that produced an error object.
 * `handle` may throw: the error is reported for that line only.
 */
export async function mapJsonLines(
  opts: JsonlOptions,
  handle: (obj: unknown, lineNo: number) => LineResult | Promise<LineResult>,
): Promise<number> {
  const out = opts.out ?? process.stdout;
  const input = opts.inFile ? createReadStream(opts.inFile, "utf8") : process.stdin;
  const rl = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let errors = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.trim();
    if (line === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      errors++;
      out.write(`${JSON.stringify({ line: lineNo, error: { code: "INVALID_JSON", message: (e as Error).message } })}\n`);
      continue;
    }
    try {
      out.write(`${JSON.stringify(await handle(obj, lineNo))}\n`);
    } catch (e) {
      errors++;
      const id = obj && typeof obj === "object" && "id" in obj ? (obj as { id: unknown }).id : undefined;
      const message = e instanceof Error ? e.message : String(e);
      out.write(
        `${JSON.stringify({ ...(id === undefined ? {} : { id }), line: lineNo, error: { code: "BAD_REQUEST", message } })}\n`,
      );
    }
  }
  return errors;
}
