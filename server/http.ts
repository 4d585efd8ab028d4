/**
 * HTTP helpers shared by routes: JSON body parsing with clear errors, and the single mapping
 * from AppError to an HTTP response.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { AppError, toAppError } from "../core/errors.js";

/** Parse and validate a JSON body: 415 without a JSON content type, 400 on bad JSON or fields. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = JSON.parse(text);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("INVALID_JSON", `the body is not valid JSON: ${(e as Error).message}`);
  }
  const bad = findInvalidText(raw);
  if (bad !== null) {
    throw new AppError(
      "BAD_REQUEST",
      `invalid text (NUL, an unpaired UTF-16 surrogate or too deep nesting) in ${bad || "(body)"}`,
      {
        details: [{ path: bad, message: "invalid characters" }],
      },
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new AppError("BAD_REQUEST", `invalid request: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`, {
      details: issues,
    });
  }
  return parsed.data;
}

export function errorResponse(c: Context, e: unknown): Response {
  const err = toAppError(e);
  const retry = (err.details as { retryAfterS?: number } | undefined)?.retryAfterS;
  if (err.code === "RATE_LIMITED" && retry) c.header("Retry-After", String(retry));
  return c.json(err.toJSON(), err.status as ContentfulStatusCode);
}

// NUL cannot be stored in PostgreSQL text/jsonb, and an unpaired surrogate is not Unicode text;
// either is a client error, reported with where it is.
const NUL = String.fromCharCode(0);
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const invalidText = (s: string): boolean => s.includes(NUL) || UNPAIRED_SURROGATE.test(s);

const MAX_DEPTH = 32;

/**
 * The path of the first string (or key) holding invalid text, or null when all text is valid.
 * Iterative, so a hostile 10,000-deep array cannot exhaust the stack; deeper than MAX_DEPTH is
 * itself reported (no request body of ours nests that deep).
 */
export function findInvalidText(root: unknown): string | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: root, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v === "string") {
      if (invalidText(v)) return path;
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_DEPTH) return `${path || "(body)"} (nested deeper than ${MAX_DEPTH})`;
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i] as [string, unknown];
      const p = path ? `${path}.${k}` : k;
      if (invalidText(k)) return p;
      stack.push({ v: child, path: p, depth: depth + 1 });
    }
  }
  return null;
}

/** Ids in paths are ours (UUIDs, refs): anything else cannot exist. */
export const ID_PARAM = /^[A-Za-z0-9._:-]{1,120}$/;

/**
 * Text arriving through a channel (Slack, WeChat) cannot be answered with a 400, so instead of
 * rejecting it the characters SQL cannot store are replaced: NUL dropped, unpaired surrogates
 * become U+FFFD. Everything else is kept as sent.
 */
export function scrubText<T>(value: T): T {
  const fix = (s: string) => s.replaceAll(NUL, "").replace(new RegExp(UNPAIRED_SURROGATE.source, "g"), "\ufffd");
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return fix(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [fix(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}
