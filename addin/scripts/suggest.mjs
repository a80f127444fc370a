// The detector on the command line: one sentence a line on stdin, one JSON line out for each,
// {"kind": "request|promise|decline|done|counter|none", "dueBy": "YYYY-MM-DD" | null}.
//   node addin/scripts/suggest.mjs --sent 2026-12-04 [--tz Europe/Amsterdam] < sentences.txt
// --sent is the day the mail was sent (or an instant, e.g. 2026-12-04T23:30:00Z, read in --tz: the reader's time zone,
// UTC when left out). Node 20 cannot import TypeScript, so Vite's module runner loads src/suggest/detect.ts as it is:
// no build step.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { runnerImport } from "vite";

const usage = "usage: node addin/scripts/suggest.mjs --sent 2026-12-04 [--tz Europe/Amsterdam] < sentences.txt";
const { values } = parseArgs({ options: { sent: { type: "string" }, tz: { type: "string" }, help: { type: "boolean" } } });
if (values.help) { console.log(usage); process.exit(0); }
const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(values.sent ?? "");
const sent = new Date(dateOnly ? `${values.sent}T12:00:00Z` : values.sent ?? "");
if (Number.isNaN(sent.getTime())) { console.error(`--sent needs a date or an ISO instant.\n${usage}`); process.exit(2); }
// A day given without a time is that day wherever the reader is.
const timeZone = dateOnly ? "UTC" : values.tz ?? "UTC";
try { new Intl.DateTimeFormat("en", { timeZone }); } catch { console.error(`Unknown time zone: ${values.tz}`); process.exit(2); }

const root = new URL("..", import.meta.url).pathname;
const { module: { detect } } = await runnerImport(`${root}src/suggest/detect.ts`, { root, configFile: false, logLevel: "silent" });
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  console.log(JSON.stringify(detect(line, sent, timeZone)));
}
