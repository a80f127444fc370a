// The cost of suggestions from the mail being read (addin/src/suggest): analysing a long mail — 200 sentences, with a
// quoted reply and a signature — against the pane's first render (new App, its shell rendered, the item shown), both
// in one node process on happy-dom's DOM, alternating, medians of 11 after 3 warm-up rounds. A ratio within this run:
// timings are for people to read, never asserted. Run by scripts/bench.sh; alone: node bench/suggestions.mjs.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const repo = new URL("..", import.meta.url);
const addin = new URL("addin/", repo).pathname;
const fromAddin = createRequire(`${addin}package.json`);
const { Window } = await import(pathToFileURL(fromAddin.resolve("happy-dom")).href);
const { runnerImport } = await import(pathToFileURL(fromAddin.resolve("vite")).href);

// The pane's DOM, before lit-html is loaded (it reads `document` as it loads).
const window = new Window({ url: "https://localhost:3000/" });
for (const name of ["window", "document", "Node", "Element", "HTMLElement", "DocumentFragment", "Event", "customElements", "localStorage", "NodeFilter"]) {
  globalThis[name] = name === "window" ? window : window[name];
}
const load = async (path) => (await runnerImport(`${addin}${path}`, { root: addin, configFile: false, logLevel: "silent" })).module;
const { App } = await load("src/ui/app.ts");
const { suggest } = await load("src/suggest/detect.ts");

// 200 sentences as mail has them: every other line of the tuning corpus (every kind, about half moving nothing — more
// moves than most mail makes, so the estimate errs high), in paragraphs of five, then a signature and a quoted earlier
// message, which the analysis reads past.
const sentences = readFileSync(new URL("addin/test/suggest/tuning.tsv", repo), "utf8").split("\n")
  .filter((l) => l && !l.startsWith("#")).map((l) => l.split("\t")[2]).filter((_, i) => i % 2 === 0).slice(0, 200);
const paragraphs = Array.from({ length: 40 }, (_, i) => sentences.slice(i * 5, i * 5 + 5).join(" "));
const body = ["Hi Bob,", ...paragraphs, "Best regards,", "Alice Martin", "Head of Finance", "",
  "On Thu, 3 Dec 2026 at 09:00, Bob Stone <bob@contoso.test> wrote:", ...sentences.slice(0, 20).map((s) => `> ${s}`)].join("\n\n");
const sent = new Date("2026-12-04T09:30:00Z");

const item = {
  kind: "message", mode: "read", subject: "Q3 numbers", from: { email: "alice@contoso.test", name: "Alice Martin" },
  to: [{ email: "bob@contoso.test", name: "Bob Stone" }], me: { email: "bob@contoso.test", name: "Bob Stone" }, sentByMe: false,
  conversationId: "conv-1", itemId: "rest:1", categories: [],
};
function firstRender() {
  const root = window.document.createElement("div");
  const app = new App(root, { itemKeyOf: () => "thread:conv-1", tagItem: async () => undefined });
  app.render();
  app.setItem("Outlook", item);
  if (!root.querySelector("h1")) throw new Error("The pane rendered no shell.");
}
let found = 0;
const analyse = () => { found = suggest(body, sent, "Europe/Amsterdam").length; };

const time = (work) => { const start = performance.now(); work(); return performance.now() - start; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const firstCalls = { render: time(firstRender), analyse: time(analyse) };
for (let i = 0; i < 3; i++) { firstRender(); analyse(); }
const render = [], analysis = [];
for (let i = 0; i < 11; i++) { render.push(time(firstRender)); analysis.push(time(analyse)); }

const ms = (n) => `${n.toFixed(2).padStart(8)} ms`;
const report = [
  `Suggestions from the mail being read — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  `node ${process.version}, happy-dom ${fromAddin("happy-dom/package.json").version}; one process, alternating, medians of 11 after 3 warm-up rounds (first calls in brackets)`,
  `  the pane's first render (new App, shell, the item shown)      ${ms(median(render))}   (first ${firstCalls.render.toFixed(1)} ms)`,
  `  analysing a ${sentences.length}-sentence mail (${body.length} characters; ${found} moves found) ${ms(median(analysis))}   (first ${firstCalls.analyse.toFixed(1)} ms)`,
  `  analysis / first render = ${(median(analysis) / median(render)).toFixed(2)}   no bar: it runs after the first render, once per mail opened`,
].join("\n");
console.log(report);
mkdirSync(new URL("artifacts/", repo), { recursive: true });
writeFileSync(new URL("artifacts/bench-suggestions.txt", repo), `${report}\n`);
