import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { teamsDarkTheme, teamsHighContrastTheme, webLightTheme, type Theme } from "@fluentui/tokens";
import { loadEnv } from "vite";
import { defineConfig, type Plugin } from "vitest/config";
import pane from "./config/pane.json" with { type: "json" };
import { hostingFor, readHostingConfig, withSources, type HostingConfig } from "./scripts/hosting.ts";

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
const tokens = (theme: Theme) => Object.entries(theme).map(([token, value]) => `--${token}:${value};`).join("");
const themeSheets: Record<string, string> = {
  "virtual:fluent-theme.css": `html{${tokens(webLightTheme)}}\n`,
  // Teams' dark and high-contrast themes, imported by teams.html alone: the page sets data-theme as Teams says.
  "virtual:fluent-teams-themes.css": `html[data-theme="dark"]{${tokens(teamsDarkTheme)}}\nhtml[data-theme="contrast"]{${tokens(teamsHighContrastTheme)}}\n`,
};
const fluentTheme: Plugin = {
  name: "workflow:fluent-theme",
  resolveId: (id) => (id in themeSheets ? `\0${id}` : undefined),
  load: (id) => (id.startsWith("\0") ? themeSheets[id.slice(1)] : undefined),
};

/**
 * The built staticwebapp.config.json: public/'s, with the API's origin in connect-src when the build calls an API on
 * another origin. Written after Vite has copied public/, so what is deployed is what the headers were computed from.
 */
const hostingConfig = (hosting: HostingConfig): Plugin => {
  let outDir = "";
  return {
    name: "workflow:hosting-config",
    apply: "build",
    configResolved: (config) => { outDir = resolve(config.root, config.build.outDir); },
    writeBundle: () => writeFileSync(join(outDir, "staticwebapp.config.json"), JSON.stringify(hosting, null, 2) + "\n"),
  };
};

/**
 * The page's modulepreload links for the app its entry imports once the shell has painted (main.ts → pane.ts): the
 * browser fetches and compiles it while the page paints, and runs it after. Vite links only what an entry imports
 * statically.
 */
const preloadApp: Plugin = {
  name: "workflow:preload-app",
  apply: "build",
  transformIndexHtml: {
    order: "post",
    handler: (_html, ctx) => {
      const bundle = ctx.bundle;
      const entry = ctx.chunk;
      if (!bundle || !entry) return [];
      const app = entry.dynamicImports.map((file) => bundle[file])
        .find((chunk) => chunk?.type === "chunk" && chunk.facadeModuleId?.endsWith("/src/pane.ts"));
      if (!app || app.type !== "chunk") return [];
      // What the entry imports statically is linked by Vite already.
      const files = new Set<string>(entry.imports);
      const walk = (file: string) => {
        const chunk = bundle[file];
        if (files.has(file) || chunk?.type !== "chunk") return;
        files.add(file);
        chunk.imports.forEach(walk);
      };
      walk(app.fileName);
      return [...files].filter((file) => !entry.imports.includes(file)).map((file) => ({ tag: "link", attrs: { rel: "modulepreload", crossorigin: true, href: `./${file}` }, injectTo: "head" as const }));
    },
  },
};

export default defineConfig(({ mode, command, isPreview }) => {
  // loadEnv lets the environment override the env files, as the deployment does with VITE_API_BASE_URL.
  const hosting = hostingFor(readHostingConfig(), loadEnv(mode, import.meta.dirname, "VITE_")["VITE_API_BASE_URL"]);
  // The dev server's client puts each CSS module in a <style> element (measured: style-src-elem violations under the
  // production policy), so it alone gets a nonce for them; Vite stamps it on every element it adds. Builds have none.
  const devNonce = command === "serve" && !isPreview ? randomBytes(18).toString("base64") : undefined;
  return {
    ...(devNonce ? { html: { cspNonce: devNonce } } : {}),
    base: "./",
    plugins: [fluentTheme, hostingConfig(hosting), preloadApp],
    build: {
      target: "es2022", sourcemap: true, reportCompressedSize: false,
      // Which chunks each page loads, statically or lazily: what scripts/bundle-size.mjs holds to the size bar.
      manifest: true,
      // With two pages Vite would put its modulepreload polyfill in a chunk of its own: one more request before the
      // first render, for browsers that Office no longer runs add-ins in.
      modulePreload: { polyfill: false },
      // The pane, the page Entra returns sign-ins to and the Teams tab, all named in config/pane.json.
      rolldownOptions: { input: [pane.page, pane.authRedirect, pane.teams].map((page) => resolve(import.meta.dirname, page)) },
    },
    // Served with the production headers (the dev server proxies /api, so the API is on the pane's own origin there).
    server: {
      port: 3000, strictPort: true, host: "localhost", ...(https ? { https } : {}),
      headers: devNonce ? withSources(hosting, "style-src", [`'nonce-${devNonce}'`]).globalHeaders : hosting.globalHeaders,
      proxy: { "/api": { target: apiTarget, changeOrigin: true } },
    },
    preview: { port: 3000, strictPort: true, headers: hosting.globalHeaders },
    test: {
      environment: "node",
      include: ["test/**/*.test.ts"],
    },
  };
});
