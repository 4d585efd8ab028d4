/**
 * Path validation for every route: a path whose percent-encoding is malformed, or that decodes
 * to control characters (NUL among them) or unpaired surrogates, is a 400 before any route runs.
 * Such text can never name a stored record (PostgreSQL cannot even store NUL), and letting it
 * reach SQL turned a client error into a 500.
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../core/errors.js";

/** True when `s` holds a control character or an unpaired UTF-16 surrogate. */
export function hasBadText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

export function pathGuard(): MiddlewareHandler {
  return async function validatePath(c, next) {
    // The request URL is parsed, so a path without "%" holds no control characters and decodes
    // to itself: nothing to check (the common case, without a URL parse per request).
    const url = c.req.url;
    const start = url.indexOf("/", url.indexOf("//") + 2);
    const end = url.indexOf("?", start);
    const raw = start < 0 ? "/" : url.slice(start, end < 0 ? undefined : end);
    if (!raw.includes("%")) return next();
    for (const segment of raw.split("/")) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new AppError("BAD_REQUEST", "the path has malformed percent-encoding");
      }
      if (hasBadText(decoded)) throw new AppError("BAD_REQUEST", "the path holds control characters or invalid text");
    }
    await next();
  };
}
