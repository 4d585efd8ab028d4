/**
 * Import-graph rules that keep the layout honest (issue 16 item 7), checked by
 * test/architecture.test.ts on every `npm test` (and by `npx depcruise bot core guardrails rag`).
 *
 * - bot/ is transport only: outside its tests it imports core/, its own files, npm packages (its
 *   SDKs: @slack/bolt, wechaty, hono…) and node built-ins — never server/, guardrails/, rag/.
 *   Its tests may import test helpers from test/ and server/ (they build a real system).
 * - guardrails/ is pure: guardrails/, core/ and npm libraries only; no server/, bot/, rag/ and no
 *   file, network or process built-ins at run time.
 * - rag/ never imports server/ or bot/.
 * - core/ imports nothing but core/ and zod.
 * - Only the composition root (server/main.ts and its builder server/clients.ts) builds clients:
 *   the client libraries (Chroma, BullMQ, Redis, SQL, Slack Web API, model SDKs) are imported at
 *   run time only by the adapter modules that wrap them behind a port, and those adapters' factories
 *   only by the composition root (and by each other). bot/ channel folders keep their own SDKs
 *   (see bot-imports-core-only). Type-only imports are free.
 * Type-only imports count (tsPreCompilationDeps): a type from server/ is a dependency on server/.
 */
// Tests, their support files and offline data builders (guardrails/data/**/build.mjs writes the
// gazetteers at authoring time, never at run time) are outside the run-time rules.
const TEST = "(\\.test\\.ts|/test-support\\.ts|\\.test-helper\\.ts|\\.conformance\\.ts|^guardrails/data/.*/build\\.mjs)$";
// The composition root: the running system (main) and the builder the CLIs share (clients).
const ROOT = "^server/(main|clients)\\.ts$";
// Adapters: modules that wrap a client library behind a port and are built by the composition root.
const ADAPTERS =
  "^(rag/(chroma-store|chroma-server|embedders/index|embedders/ollama)|server/(jobs/(queue|worker|scheduler)|stores/(sql|audit-checkpoint)|routes/queues-admin|llm/(ollama|anthropic)|review/pager|infra/redis-server))\\.ts$";
// Resolved paths: node_modules/x/… (or ../elsewhere/node_modules/x/… when node_modules is a link).
const CLIENT_LIBS = "(^|/)node_modules/(chromadb|bullmq|ioredis|pg|@electric-sql/pglite|@slack/web-api|@slack/bolt|ollama|@anthropic-ai/sdk)/";

module.exports = {
  forbidden: [
    {
      name: "bot-imports-core-only",
      comment: "Channel adapters see the system through core/ ports only (Intake, ChannelPlugin…).",
      severity: "error",
      from: { path: "^bot/", pathNot: TEST },
      to: { path: "^(server|guardrails|rag|evals|test|deploy)/" },
    },
    {
      name: "guardrails-pure",
      comment: "guardrails/ is pure: inputs in, findings out.",
      severity: "error",
      from: { path: "^guardrails/", pathNot: TEST },
      to: { path: "^(server|bot|rag|evals|test|deploy)/" },
    },
    {
      name: "guardrails-no-io",
      comment: "No file, network or process access from guardrails/ at run time.",
      severity: "error",
      from: { path: "^guardrails/", pathNot: TEST },
      to: {
        dependencyTypes: ["core"],
        path: "^(node:)?(fs|fs/promises|net|http|https|http2|dgram|tls|child_process|cluster|worker_threads)$",
      },
    },
    {
      name: "rag-not-server-or-bot",
      comment: "rag/ is a library the server uses, not the other way round.",
      severity: "error",
      from: { path: "^rag/", pathNot: TEST },
      to: { path: "^(server|bot)/" },
    },
    {
      name: "core-imports-core-and-zod-only",
      comment: "core/ holds the ports and domain types every layer shares.",
      severity: "error",
      from: { path: "^core/", pathNot: TEST },
      to: { pathNot: "^(core/|node_modules/zod/)|/node_modules/zod/" },
    },
    {
      name: "client-libraries-in-adapters-only",
      comment: "A client library is used by the adapter that wraps it behind a port, nowhere else.",
      severity: "error",
      from: { path: "^(core|guardrails|rag|server|evals)/", pathNot: [TEST, ROOT, ADAPTERS] },
      to: { path: CLIENT_LIBS, dependencyTypesNot: ["type-only"] },
    },
    {
      name: "adapters-built-by-the-composition-root",
      comment: "Only server/main.ts and server/clients.ts construct adapters; everything else gets ports.",
      severity: "error",
      from: { path: "^(bot|core|guardrails|rag|server|evals)/", pathNot: [TEST, ROOT, ADAPTERS] },
      to: { path: ADAPTERS, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    // node_modules is not excluded: an excluded target drops the dependency, and the client-library
    // rule needs it (doNotFollow already keeps the cruise out of the packages).
    exclude: { path: "^(dist|\\.glycopilot)/" },
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".mjs", ".js", ".json"] },
  },
};
