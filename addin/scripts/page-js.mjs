// The JavaScript each page of the add-in loads, gzipped, read from Vite's build manifest:
// - its first view: the entry chunk and its static imports, and what every start loads at once (MSAL's nestable client
//   for the sign-in; in Teams, the Teams glue) — what stands between opening the page and using it;
// - each view loaded later, when first shown (a read mail's suggestions, the card's depth, Roles, People, Figures, the
//   web page's redirect sign-in): what it adds to the first view;
// - everything the page can ever load.
// The Outlook pane never loads the Teams SDK, and the Teams tab never loads the pane's Outlook code, so each page is
// measured on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Dynamic imports every start of a page makes at once: part of its first view (the pane's app starts after its shell paints). */
const AT_START = ["src/pane.ts", "src/auth/msal-naa.ts", "src/teams/index.ts"];

/** @returns {import("./page-js.d.mts").PageJs[]} */
export function pageJs(distDir) {
  const manifest = JSON.parse(readFileSync(join(distDir, ".vite", "manifest.json"), "utf8"));
  const gz = new Map();
  const size = (file) => {
    if (!gz.has(file)) gz.set(file, gzipSync(readFileSync(join(distDir, file)), { level: 9 }).length);
    return gz.get(file);
  };
  /** The chunks reachable from `keys`, through static imports and, when `dynamic` says so, dynamic ones. */
  const closure = (keys, dynamic) => {
    const seen = new Set();
    const walk = (key) => {
      const chunk = manifest[key];
      if (!chunk || seen.has(key)) return;
      seen.add(key);
      for (const next of chunk.imports ?? []) walk(next);
      for (const next of chunk.dynamicImports ?? []) if (dynamic(next)) walk(next);
    };
    keys.forEach(walk);
    return seen;
  };
  const js = (keys) => {
    const files = [...keys].map((key) => manifest[key].file).filter((f) => f.endsWith(".js"))
      .map((file) => ({ file, gz: size(file) })).sort((a, b) => b.gz - a.gz);
    return { files, total: files.reduce((sum, f) => sum + f.gz, 0) };
  };
  return Object.entries(manifest)
    .filter(([key, chunk]) => chunk.isEntry && key.endsWith(".html"))
    .map(([page]) => {
      const first = closure([page], (key) => AT_START.includes(key));
      const all = closure([page], () => true);
      const later = [...all].flatMap((key) => manifest[key].dynamicImports ?? [])
        .filter((key, i, keys) => !first.has(key) && keys.indexOf(key) === i)
        .map((module) => ({ module, ...js([...closure([module], () => false)].filter((key) => !first.has(key))) }))
        .sort((a, b) => b.total - a.total);
      return { page, ...js(all), firstView: js(first), later };
    });
}
