import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Pure and in-memory tests: fast, no processes, no network.
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/generators/**/*.test.ts"],
          // node-plop and its globbing must see the memfs mock in generator tests.
          server: { deps: { inline: ["node-plop", "tinyglobby", "fdir"] } },
        },
      },
      {
        // Spawned CLIs, moto_server, cfn-lint, generated projects installed and run.
        test: {
          name: "integration",
          include: ["test/cli/**/*.test.ts", "test/aws/**/*.test.ts", "test/check/**/*.test.ts", "test/e2e/**/*.test.ts", "test/perf/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          // Installs and servers compete for 2 cores; a few files at a time is faster than all at once.
          maxWorkers: 2,
          // Runs after the unit project; required when projects differ in maxWorkers.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
