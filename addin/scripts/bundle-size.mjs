// Prints the production bundle's own JavaScript, gzipped (Office.js is loaded from the CDN and not counted), against
// the bar in quality-bars.md: ≤ 150 KB gzipped in total. The lazily loaded MSAL chunk is listed on its own line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BAR_KB = 150;
const dir = new URL("../dist/assets/", import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith(".js")).map((f) => {
  const bytes = readFileSync(join(dir, f));
  return { f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
}).sort((a, b) => b.gz - a.gz);
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
console.log("\nBundle (own JS, gzipped):");
for (const { f, raw, gz } of files) console.log(`  ${kb(gz)}  (${kb(raw).trim()} raw)  ${f}`);
const total = files.reduce((s, x) => s + x.gz, 0);
console.log(`  ${kb(total)}  total — bar ${BAR_KB} KB: ${total <= BAR_KB * 1024 ? "within" : "OVER"}`);
if (total > BAR_KB * 1024) process.exitCode = 1;
