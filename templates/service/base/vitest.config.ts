import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests start the service as a child process and wait for its shutdown.
    testTimeout: 20_000,
  },
});
