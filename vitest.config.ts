import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "**/*.chaos.test.ts", ".glycopilot/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: more parallel files only add contention with Redis/Chroma.
    maxWorkers: 2,
    // .ci/run reads the counts from a JSON report to print its closing line.
    reporters: process.env.VITEST_JSON_OUT ? ["default", ["json", { outputFile: process.env.VITEST_JSON_OUT }]] : ["default"],
  },
});
