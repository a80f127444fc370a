// The pane's entry. index.html carries the shell, and the styles linked from here block its first paint as they must;
// the app itself (Fluent's components, lit, the Office glue: pane.ts, fetched at once by the page's modulepreload
// links) starts right after that paint, so what a person sees first does not wait for our script to run.
import "virtual:fluent-theme.css";
import "./ui/styles.css";

/** Runs `start` once the page has painted: after the next frame, or at the latest soon (a hidden page paints no frames). */
function afterFirstPaint(start: () => void): void {
  let started = false;
  const once = () => { if (!started) { started = true; start(); } };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

afterFirstPaint(() => { void import("./pane"); });
