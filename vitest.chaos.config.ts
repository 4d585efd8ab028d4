import { defineConfig } from "vitest/config";

/**
 * `npm run chaos`: fault injection under load (worker kills, a Redis restart, duplicate channel
 * callbacks, a slow or broken model host). Minutes, not seconds, so apart from `vitest run`.
 * One file at a time: each starts worker processes or its own services on a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ["test/chaos/**/*.chaos.test.ts"],
    exclude: ["node_modules/**", ".glycopilot/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 10 * 60_000,
    hookTimeout: 3 * 60_000,
    teardownTimeout: 60_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    // The counts each test prints are the point of the run.
    silent: false,
    reporters: process.env.VITEST_JSON_OUT ? ["default", ["json", { outputFile: process.env.VITEST_JSON_OUT }]] : ["default"],
  },
});
