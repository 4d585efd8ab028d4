/**
 * Log lines for a person at a terminal: pino's JSON turned into `12:04:31 WARN  message  key=value`.
 * `glycopilot start` uses it when stderr is a TTY; otherwise logs stay JSON for collectors.
 * It formats what pino already redacted (server/log.ts), so it never sees more than the JSON would.
 */
import { Writable } from "node:stream";

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const COLOURS: Record<number, number> = { 40: 33, 50: 31, 60: 31, 20: 2, 10: 2 };
const SKIP = new Set(["level", "time", "pid", "hostname", "msg", "service", "v"]);

export function formatLogLine(line: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof o.level === "number" ? o.level : 30;
  const time = typeof o.time === "number" ? new Date(o.time).toISOString().slice(11, 19) : "";
  let label = LEVELS[level] ?? String(level);
  const c = COLOURS[level];
  if (color && c) label = `\x1b[${c}m${label}\x1b[0m`;
  const extras = Object.entries(o)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === "string" ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  return `${time} ${label} ${String(o.msg ?? "")}${extras.length ? `  ${color ? "\x1b[2m" : ""}${extras.join(" ")}${color ? "\x1b[0m" : ""}` : ""}`;
}

/** A stream for createLogger(level, stream): each pino line is re-written readable to `out`. */
export function prettyLogStream(out: NodeJS.WritableStream, color: boolean): Writable {
  let buffered = "";
  return new Writable({
    write(chunk: Buffer | string, _enc, done) {
      buffered += chunk.toString();
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim()) out.write(`${formatLogLine(line, color)}\n`);
        nl = buffered.indexOf("\n");
      }
      done();
    },
  });
}
