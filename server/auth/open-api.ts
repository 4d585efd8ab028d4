/**
 * Closed by default: the /v1 API without API_TOKENS is open to anyone who reaches the port, so
 * `glycopilot start` refuses to listen on anything but loopback without tokens unless the
 * operator says ALLOW_OPEN_API=true — and says so loudly either way.
 */
import { isIP } from "node:net";

export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h.startsWith("::ffff:")) return h.slice(7).startsWith("127.");
  return false;
}

export type OpenApiVerdict = { start: true; warning: string | null } | { start: false; error: string };

export function openApiVerdict(c: { HOST: string; API_TOKENS?: string | undefined; ALLOW_OPEN_API: boolean }): OpenApiVerdict {
  if (c.API_TOKENS?.trim()) return { start: true, warning: null };
  if (isLoopbackHost(c.HOST))
    return {
      start: true,
      warning: `API_TOKENS is not set: the /v1 API is OPEN (no authentication) — acceptable only because HOST=${c.HOST} is loopback`,
    };
  if (c.ALLOW_OPEN_API)
    return {
      start: true,
      warning: `API_TOKENS is not set and ALLOW_OPEN_API=true: the /v1 API is OPEN to anyone who reaches ${c.HOST} — anyone can read and overwrite patient records`,
    };
  return {
    start: false,
    error: `refusing to start: HOST=${c.HOST} is not loopback and API_TOKENS is not set, so anyone who reaches the port could read and overwrite patient records. Set API_TOKENS ("name:role:sha256hex,…"), or HOST=127.0.0.1, or ALLOW_OPEN_API=true to accept an open API.`,
  };
}

/** A banner that stands out in a log stream. */
export function loud(text: string): string {
  const bar = "!".repeat(78);
  return `${bar}\n!! ${text}\n${bar}\n`;
}
