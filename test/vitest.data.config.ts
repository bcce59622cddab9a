import { defineConfig } from "vitest/config";

// The data suite reads the real benchmark files in ../shared/data (see its PROVENANCE.md).
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["test/data/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 300_000,
  },
});
