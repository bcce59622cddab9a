import { defineConfig } from "vitest/config";

// The native library is global to the process and the machine has two cores:
// test files run in forked workers, one file at a time per worker, at most two workers.
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["test/**/*.test.ts"],
    // Builds llama-server on a fresh clone (once), so that `npm ci && npm test` needs nothing else.
    globalSetup: ["test/globalSetup.ts"],
    exclude: ["test/data/**", "node_modules/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
