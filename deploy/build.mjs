#!/usr/bin/env node
// `npm run build`: the TypeScript sources transpiled to plain JavaScript in dist/ (esbuild, one
// output file per source file, same layout, so relative imports and import.meta.url paths still
// resolve), with the data files the code reads at run time (corpus, datasets, name lists,
// baselines) copied beside them. Type checking stays `npm run typecheck` (tsc --noEmit).
// bin/glycopilot.mjs runs dist/ when it is present and not older than the sources.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const OUT = join(ROOT, "dist");
/** Folders holding code the CLI runs (test/ only for the bench's stand-ins and PostgreSQL helper). */
const SOURCE_DIRS = ["core", "server", "rag", "guardrails", "bot", "evals", "test/helpers", "test/standins"];
const isTest = (f) => /\.test\.tsx?$/.test(f);
const isSource = (f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts");

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const t0 = performance.now();
rmSync(OUT, { recursive: true, force: true });
const files = SOURCE_DIRS.flatMap((d) => walk(join(ROOT, d)));
const entryPoints = files.filter((f) => isSource(f) && !isTest(f));
await build({
  entryPoints,
  outdir: OUT,
  outbase: ROOT,
  format: "esm",
  platform: "node",
  target: "node20.19",
  bundle: false,
  sourcemap: "linked",
  logLevel: "warning",
  tsconfig: join(ROOT, "tsconfig.json"),
});
let assets = 0;
for (const f of files) {
  if (isSource(f) || f.endsWith(".d.ts")) continue;
  const to = join(OUT, relative(ROOT, f));
  mkdirSync(join(to, ".."), { recursive: true });
  cpSync(f, to);
  assets++;
}
// Written last: its mtime is what bin/glycopilot.mjs compares the sources against.
writeFileSync(
  join(OUT, "build-info.json"),
  `${JSON.stringify({ builtAt: new Date().toISOString(), files: entryPoints.length, assets })}\n`,
);
process.stdout.write(
  `built ${entryPoints.length} files (+${assets} data files) into dist/ in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
);
