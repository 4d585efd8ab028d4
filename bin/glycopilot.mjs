#!/usr/bin/env node
// The `glycopilot` command. Runs the TypeScript sources through tsx so `npm start` needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../server/cli/index.ts");
const code = await main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
