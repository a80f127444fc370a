// Prints each page's own JavaScript, gzipped (Office.js is loaded from the CDN and not counted): everything the page
// can ever load, its lazily loaded views and MSAL included (scripts/page-js.mjs). Each page is held to the bar in
// quality-bars.md, ≤ 150 KB gzipped; issue 17 aims the pane at 130 KB.
import { pageJs } from "./page-js.mjs";

const BAR_KB = 150;
const TARGET_KB = 130;
const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
let over = false;
for (const { page, files, total } of pageJs(new URL("../dist/", import.meta.url).pathname)) {
  console.log(`\n${page} (own JS it can load, gzipped):`);
  for (const { file, gz } of files) console.log(`  ${kb(gz)}  ${file}`);
  const within = total <= BAR_KB * 1024;
  over ||= !within;
  console.log(`  ${kb(total)}  total — bar ${BAR_KB} KB: ${within ? "within" : "OVER"}; target ${TARGET_KB} KB: ${total <= TARGET_KB * 1024 ? "met" : "not yet"}`);
}
if (over) process.exitCode = 1;
