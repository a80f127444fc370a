// Prints each page's own JavaScript, gzipped (Office.js and the Teams SDK come from Microsoft's CDN and are not
// counted), from scripts/page-js.mjs: what its first view loads (entry, static imports, MSAL for the sign-in), held to
// quality-bars.md's 130 KB; what each view loaded later adds when first shown; and everything the page can ever load.
import { pageJs } from "./page-js.mjs";

const BAR_KB = 130;
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
let over = false;
for (const { page, firstView, later, total } of pageJs(new URL("../dist/", import.meta.url).pathname)) {
  console.log(`\n${page} — first view (own JS, gzipped):`);
  for (const { file, gz } of firstView.files) console.log(`  ${kb(gz)}  ${file}`);
  const within = firstView.total <= BAR_KB * 1024;
  over ||= !within;
  console.log(`  ${kb(firstView.total)}  first view — bar ${BAR_KB} KB: ${within ? "within" : "OVER"}`);
  for (const view of later) console.log(`  ${kb(view.total)}  + when first shown: ${view.module}`);
  console.log(`  ${kb(total)}  everything it can ever load`);
}
if (over) process.exitCode = 1;
