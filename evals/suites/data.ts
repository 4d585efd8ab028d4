/**
 * Dataset plumbing shared by the suites: default dev-set paths, JSON Lines reading with the
 * line number in every error, and the fixed clock the guardrail sets are labelled against.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { z } from "zod";

/** The shipped dataset of a suite, resolved from this module so any cwd works. */
export const datasetPath = (name: string): string => fileURLToPath(new URL(`../datasets/${name}`, import.meta.url));

/** The guardrail dev sets judge recent events against this date (see datasets/README.md). */
export const DEV_NOW = new Date("2026-01-15T00:00:00Z");

/** One JSON object per non-empty line, validated; a bad line fails the run, naming file and line. */
export function readJsonl<S extends z.ZodType>(file: string, schema: S): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (e) {
        throw new Error(`${file}:${i + 1}: invalid JSON (${(e as Error).message})`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((x) => `${x.path.join(".") || "(root)"}: ${x.message}`).join("; ");
        throw new Error(`${file}:${i + 1}: ${issues}`);
      }
      out.push(parsed.data);
    });
  if (out.length === 0) throw new Error(`${file}: no cases`);
  return out;
}

/** 0/0 → 0 (nothing to find, nothing found), as the metric modules do. */
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
