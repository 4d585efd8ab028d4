/**
 * `glycopilot ask FILE.json [--url URL] [--timeout-ms N]`: post a consultation to a running
 * server, wait for the result, print it as JSON.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "./jsonl.js";

export async function run(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv);
  const file = positionals[0];
  if (!file) {
    process.stderr.write("usage: glycopilot ask FILE.json [--url http://127.0.0.1:8787] [--timeout-ms 60000]\n");
    return 2;
  }
  const base = typeof flags.url === "string" ? flags.url : `http://127.0.0.1:${process.env.PORT ?? 8787}`;
  const timeoutMs = Number(typeof flags["timeout-ms"] === "string" ? flags["timeout-ms"] : 60_000);
  const body = await readFile(file, "utf8");
  const res = await fetch(`${base}/v1/consultations`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const accepted = (await res.json()) as { id?: string; location?: string; error?: unknown };
  if (res.status !== 202 || !accepted.location) {
    process.stderr.write(`rejected (${res.status}): ${JSON.stringify(accepted)}\n`);
    return 1;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await fetch(`${base}${accepted.location}`);
    const out = (await r.json()) as { status?: string };
    if (out.status === "done" || out.status === "failed") {
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.stderr.write(`no result for ${accepted.id} within ${timeoutMs} ms\n`);
  return 1;
}
