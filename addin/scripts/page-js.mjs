// The JavaScript each page of the add-in can ever load, gzipped: its entry chunk and every chunk reachable from it
// through static and dynamic imports, read from Vite's build manifest. The Outlook pane never loads the Teams SDK,
// and the Teams tab never loads the pane's Outlook code, so each page is held to the bar on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** @returns {{ page: string, files: { file: string, gz: number }[], total: number }[]} */
export function pageJs(distDir) {
  const manifest = JSON.parse(readFileSync(join(distDir, ".vite", "manifest.json"), "utf8"));
  const gz = new Map();
  const size = (file) => {
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length);
    return gz.get(file);
  };
  return Object.entries(manifest)
    .filter(([key, chunk]) => chunk.isEntry && key.endsWith(".html"))
    .map(([page]) => {
      const seen = new Set();
      const walk = (key) => {
        const chunk = manifest[key];
        if (!chunk || seen.has(key)) return;
        seen.add(key);
        for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) walk(next);
      };
      walk(page);
      const files = [...seen].map((key) => manifest[key].file).filter((f) => f.endsWith(".js"))
        .map((file) => ({ file, gz: size(file) })).sort((a, b) => b.gz - a.gz);
      return { page, files, total: files.reduce((sum, f) => sum + f.gz, 0) };
    });
}
