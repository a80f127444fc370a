import { defineConfig } from "vitest/config";

// The browser end-to-end tests (e2e/): one file, run in order, against the real local API, Azurite and Chromium.
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
