import { defineConfig } from "vitest/config";

// The dev server proxies /api to the local backend, so the pane and the API share an origin (no CORS needed).
const apiTarget = process.env["WORKFLOW_API_URL"] ?? "http://127.0.0.1:7071";

export default defineConfig({
  base: "./",
  build: { target: "es2022", sourcemap: true, reportCompressedSize: false },
  server: { port: 3000, strictPort: true, proxy: { "/api": { target: apiTarget, changeOrigin: true } } },
  preview: { port: 3000, strictPort: true },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
