/**
 * Structured logging (pino). Logs carry ids, codes and timings — never message text or patient
 * fields; the redact list is a second line of defence for anything that slips into a log call.
 */
import { type Logger, pino } from "pino";

export type { Logger };

export const LOG_REDACT_PATHS = [
  "text",
  "*.text",
  "patient",
  "*.patient",
  "body",
  "*.body",
  "prompt",
  "*.prompt",
  "reply",
  "*.reply",
  "headers.authorization",
  "*.headers.authorization",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: "glycopilot" }, redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } },
    destination ?? pino.destination(2),
  );
}
