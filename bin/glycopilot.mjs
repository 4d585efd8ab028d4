#!/usr/bin/env node
// The `glycopilot` command. Runs the prebuilt JavaScript in dist/ (`npm run build`) when it is
// there and no source file is newer than the build; otherwise the TypeScript sources through tsx,
// so `npm start` needs no build step in development. GLYCOPILOT_RUN=dist insists on the build
// (the Docker image), GLYCOPILOT_RUN=tsx on the sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BUILT = join(ROOT, "dist/server/cli/index.js");
const STAMP = join(ROOT, "dist/build-info.json");
// The folders deploy/build.mjs builds.
const SOURCE_DIRS = ["core", "server", "rag", "guardrails", "bot", "evals", "test/helpers", "test/standins"];

/** The first source file (.ts/.tsx, not a test) changed after the build, or null. */
function newerSource(since) {
  const stack = SOURCE_DIRS.map((d) => join(ROOT, d)).filter((d) => existsSync(d));
  while (stack.length > 0) {
    const dir = stack.pop();
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && statSync(p).mtimeMs > since) return p;
    }
  }
  return null;
}

function useBuilt() {
  const mode = process.env.GLYCOPILOT_RUN;
  if (mode === "tsx") return false;
  const present = existsSync(BUILT) && existsSync(STAMP);
  if (mode === "dist") {
    if (!present) {
      process.stderr.write("GLYCOPILOT_RUN=dist but dist/ is missing: run `npm run build`\n");
      process.exit(2);
    }
    return true;
  }
  if (!present) return false;
  const stale = newerSource(statSync(STAMP).mtimeMs);
  if (stale) {
    process.stderr.write(`dist/ is older than ${stale.slice(ROOT.length)}: running the sources (npm run build to refresh)\n`);
    return false;
  }
  return true;
}

let main;
if (useBuilt()) {
  ({ main } = await import("../dist/server/cli/index.js"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../server/cli/index.ts"));
}
const code = await main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
