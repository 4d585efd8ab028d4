/**
 * The architecture test (issue 16 item 7): the import graph of bot/, core/, guardrails/, rag/,
 * server/ and evals/ against the rules in .dependency-cruiser.cjs, through dependency-cruiser's API. A violation not
 * in the allow-list below fails with its rule, file and target; an allow-list entry that no
 * longer occurs fails too, so the list only shrinks.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cruise, type IForbiddenRuleType } from "dependency-cruiser";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const rules = createRequire(import.meta.url)(join(ROOT, ".dependency-cruiser.cjs")) as {
  forbidden: IForbiddenRuleType[];
  options: Record<string, unknown>;
};

/**
 * Imports still breaking a rule, as "rule: from → to". Empty since the adapters take core/
 * ports only (Intake, PatientConversations, HandoffDesk, ReviewDesk, ReplayGuard — see
 * ChannelPorts in core/ports.ts). Never add a line: give the adapter a port instead.
 */
const ALLOWED: readonly string[] = [];

/**
 * Modules outside the composition root that still build clients (rules
 * client-libraries-in-adapters-only and adapters-built-by-the-composition-root). Same terms as
 * ALLOWED: remove a line when its import goes; never add one without a reason written beside it.
 */
const CLIENT_ALLOWED: readonly string[] = [
  // Benchmark baselines measure the raw client on purpose (a trivial BullMQ job, one Ollama round
  // trip to the stand-in, raw INSERTs into PGlite and PostgreSQL); the systems they compare
  // against are built by buildSystem / the stores' own constructors.
  "client-libraries-in-adapters-only: evals/bench/spine.ts → bullmq",
  "client-libraries-in-adapters-only: evals/bench/spine.ts → ioredis",
  "client-libraries-in-adapters-only: evals/bench/spine.ts → ollama",
  "client-libraries-in-adapters-only: server/cli/bench.ts → ollama",
  "adapters-built-by-the-composition-root: evals/bench/audit.ts → server/stores/sql.ts",
  // The scale benchmark starts the Redis and Chroma servers its worker processes share (as
  // test/global-setup.ts does for the test run).
  "adapters-built-by-the-composition-root: evals/bench/scale.ts → rag/chroma-server.ts",
  "adapters-built-by-the-composition-root: evals/bench/scale.ts → server/infra/redis-server.ts",
  // `glycopilot audit` opens the checkpoint sink (Redis or a file) from configuration itself.
  "adapters-built-by-the-composition-root: server/cli/audit.ts → server/stores/audit-checkpoint.ts",
];

type Violation = { rule: string; from: string; to: string };

/** An npm target by its package name: resolved paths differ by checkout (node_modules may be a link). */
const target = (to: string) => to.replace(/^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1");

/** preserveSymlinks: a git worktree whose node_modules links to another checkout still resolves zod under node_modules/. */
async function violations(dirs: string[], baseDir: string): Promise<Violation[]> {
  const res = await cruise(
    dirs,
    { ...rules.options, baseDir, validate: true, ruleSet: { forbidden: rules.forbidden }, preserveSymlinks: true } as Parameters<
      typeof cruise
    >[1],
    { extensions: [".ts", ".tsx", ".mjs", ".js", ".json"], extensionAlias: { ".js": [".ts", ".tsx", ".js"] } },
  );
  if (typeof res.output === "string") throw new Error("dependency-cruiser returned text, not a result");
  return res.output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: target(v.to) }));
}

const key = (v: Violation) => `${v.rule}: ${v.from} → ${v.to}`;

/** The problems with a set of violations: those not allowed, and allowed ones that are gone. */
function judge(found: readonly Violation[], allowed: readonly string[]): string[] {
  const keys = new Set(found.map(key));
  return [
    ...[...keys].filter((k) => !allowed.includes(k)).map((k) => `new violation: ${k}`),
    ...allowed.filter((k) => !keys.has(k)).map((k) => `allow-list entry no longer occurs (delete it): ${k}`),
  ].sort();
}

describe("architecture", () => {
  it("bot/, core/, guardrails/, rag/, server/ and evals/ keep their import rules (only the named exceptions remain)", async () => {
    const found = await violations(["bot", "core", "guardrails", "rag", "server", "evals"], ROOT);
    expect(judge(found, [...ALLOWED, ...CLIENT_ALLOWED])).toEqual([]);
  }, 180_000);

  describe("the rules catch what they forbid", () => {
    const dir = mkdtempSync(join(tmpdir(), "glyco-arch-"));
    // The fixture's npm imports resolve (and so are told apart as type-only or not) through a link.
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write("server/services.ts", "export type Services = { n: number };\n");
    write("core/ports.ts", 'import type { Services } from "../server/services.js";\nexport type P = Services;\n');
    write("bot/x/index.ts", 'import type { Services } from "../../server/services.js";\nexport type X = Services;\n');
    write("bot/x/index.test.ts", 'import type { Services } from "../../server/services.js";\nexport type T = Services;\n');
    write("guardrails/io.ts", 'import { readFileSync } from "node:fs";\nexport const f = readFileSync;\n');
    write("rag/r.ts", 'import type { X } from "../bot/x/index.js";\nexport type R = X;\n');
    // Clients: the adapter may use its library and the root may build the adapter; nobody else,
    // except with a type-only import.
    write("rag/chroma-store.ts", 'import { ChromaClient } from "chromadb";\nexport const make = () => new ChromaClient();\n');
    write("server/main.ts", 'import { make } from "../rag/chroma-store.js";\nexport const store = make();\n');
    write("server/cli/y.ts", 'import { make } from "../../rag/chroma-store.js";\nexport const store = make();\n');
    write("server/review/z.ts", 'import { Queue } from "bullmq";\nexport const q = new Queue("q");\n');
    write("server/review/t.ts", 'import type { Queue } from "bullmq";\nexport type Q = Queue;\n');

    it("a fixture tree with one import per rule yields exactly those violations", async () => {
      const found = (await violations(["bot", "core", "guardrails", "rag", "server"], dir)).map(key).sort();
      expect(found).toEqual(
        [
          "adapters-built-by-the-composition-root: server/cli/y.ts → rag/chroma-store.ts",
          "client-libraries-in-adapters-only: server/review/z.ts → bullmq",
          "bot-imports-core-only: bot/x/index.ts → server/services.ts",
          "core-imports-core-and-zod-only: core/ports.ts → server/services.ts",
          "guardrails-no-io: guardrails/io.ts → fs",
          "rag-not-server-or-bot: rag/r.ts → bot/x/index.ts",
        ].sort(),
      );
    }, 60_000);

    it("judge reports a new violation and a stale allow-list entry", () => {
      const v = { rule: "bot-imports-core-only", from: "bot/a.ts", to: "server/b.ts" };
      expect(judge([v], [])).toEqual(["new violation: bot-imports-core-only: bot/a.ts → server/b.ts"]);
      expect(judge([], [key(v)])).toEqual([
        "allow-list entry no longer occurs (delete it): bot-imports-core-only: bot/a.ts → server/b.ts",
      ]);
      expect(judge([v], [key(v)])).toEqual([]);
    });
  });
});
