import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { webLightTheme } from "@fluentui/tokens";
import { defineConfig, type Plugin } from "vitest/config";

// HTTPS with office-addin-dev-certs' certificate when it exists (scripts/dev-certs.mjs makes it); plain HTTP otherwise,
// which serves the pane as a web page but is not enough for Outlook.
const certDir = join(homedir(), ".office-addin-dev-certs");
const https = existsSync(join(certDir, "localhost.crt")) && process.env["WORKFLOW_PANE_HTTP"] !== "1"
  ? { cert: readFileSync(join(certDir, "localhost.crt")), key: readFileSync(join(certDir, "localhost.key")) }
  : undefined;

// The dev server proxies /api to the local backend, so the pane and the API share an origin (no CORS needed).
const apiTarget = process.env["WORKFLOW_API_URL"] ?? "http://127.0.0.1:7071";

/**
 * Fluent's theme as a style sheet made at build time: the same custom properties `setTheme(webLightTheme)` would set on
 * `html`, without shipping ~22 KB of token data in our JavaScript and building the sheet before the first render.
 */
const fluentTheme: Plugin = {
  name: "workflow:fluent-theme",
  resolveId: (id) => (id === "virtual:fluent-theme.css" ? "\0virtual:fluent-theme.css" : undefined),
  load: (id) => (id === "\0virtual:fluent-theme.css"
    ? `html{${Object.entries(webLightTheme).map(([token, value]) => `--${token}:${value};`).join("")}}\n`
    : undefined),
};

export default defineConfig({
  base: "./",
  plugins: [fluentTheme],
  build: { target: "es2022", sourcemap: true, reportCompressedSize: false },
  server: { port: 3000, strictPort: true, host: "localhost", ...(https ? { https } : {}), proxy: { "/api": { target: apiTarget, changeOrigin: true } } },
  preview: { port: 3000, strictPort: true },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
