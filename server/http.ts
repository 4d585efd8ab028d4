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
