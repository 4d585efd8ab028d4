/**
 * The `glycopilot` CLI: a table of subcommands, each a module exporting
 * `run(argv): Promise<number>` (the exit code). Modules load lazily so `glycopilot redact`
 * does not start Redis.
 */
type Command = { describe: string; load: () => Promise<{ run: (argv: string[]) => Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  start: { describe: "start server + worker + embedded services", load: () => import("./start.js") },
  worker: {
    describe: "a pipeline worker without HTTP (needs REDIS_URL, CHROMA_URL, DATABASE_URL)",
    load: () => import("./worker.js"),
  },
  ask: {
    describe:
      "ask FILE.json [--url URL] [--token T] [--json] [--timeout-ms N] — post a consultation to the running server, print the result (ask --help)",
    load: () => import("./ask.js"),
  },
  ingest: { describe: "ingest [PATH…] — load documents into the knowledge store", load: () => import("./ingest.js") },
  search: {
    describe: 'search "query" [--k 5] [--kind …] [--audience …] [--json] | --in FILE',
    load: () => import("./search.js"),
  },
  similar: {
    describe: "similar FILE.json [--k 10] — similar past cases for a PatientContext or FHIR Bundle",
    load: () => import("./similar.js"),
  },
  triage: { describe: "triage [--in FILE] — JSON Lines in/out: urgency, responder, flags", load: () => import("./triage.js") },
  redact: { describe: "redact [--in FILE] — JSON Lines in/out: PHI removed, spans", load: () => import("./redact.js") },
  "check-meds": {
    describe: "check-meds [--in FILE] — JSON Lines in/out: medication safety findings",
    load: () => import("./check-meds.js"),
  },
  eval: {
    describe: "eval text|gate|<suite>|export-promptfoo — metrics, suites, reports, promotion gate",
    load: () => import("./eval.js"),
  },
  audit: {
    describe: "audit verify [--anchor SEQ:HASH] [--checkpoints FILE] | audit export [--out FILE] [--case ID]",
    load: () => import("./audit.js"),
  },
  erase: {
    describe: "erase --patient REF — delete one patient's messages, results, bindings and record (audited)",
    load: () => import("./erase.js"),
  },
  export: {
    describe: "export sft|dpo [--out FILE] — training data from reviewed cases (redacted)",
    load: () => import("./export.js"),
  },
  bench: { describe: "run the benchmarks and print figures", load: () => import("./bench.js") },
};

export function registerCommand(name: string, cmd: Command): void {
  COMMANDS[name] = cmd;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    printHelp();
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`glycopilot: unknown command "${name}"\n`);
    printHelp();
    return 2;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest);
  } catch (e) {
    // A person gets one readable line; the stack only when asked for (GLYCOPILOT_DEBUG=1).
    const err = e as Error & { code?: string };
    process.stderr.write(`glycopilot ${name}: ${err?.message ?? String(e)}${err?.code ? ` (${err.code})` : ""}\n`);
    if (process.env.GLYCOPILOT_DEBUG) process.stderr.write(`${err?.stack ?? ""}\n`);
    return 1;
  }
}

function printHelp(): void {
  const lines = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.describe}`);
  process.stderr.write(
    `usage: glycopilot <command> [args]\n\ncommands:\n${lines.join("\n")}\n\n` +
      "Configuration comes from the environment (core/config.ts; PORT, DATA_DIR, OLLAMA_HOST, …).\n" +
      "`glycopilot start` records its URL in $DATA_DIR/server.json; `ask` reads it, `--url` overrides.\n",
  );
}
