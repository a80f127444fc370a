// The objective tree (issue 14), loaded when someone asks for it: from the top objective down, each commitment the
// viewer may see with its quadrant, state, next clock and risk; the others as "Someone else's commitment" (only where
// something of the viewer's hangs beneath) or folded into "N more not yours" lines; the risk rolled up at the top.
// An ARIA tree, flat with aria-level, moved through with the arrow keys (one item in the Tab order at a time).
import { html, nothing, type TemplateResult } from "lit-html";
import type { Risk, Tree, TreeNode } from "../api/depth";
import { riskText } from "./depth";
import { clockText } from "./labels";
import { quadrantBadge } from "./views";

export type TreeModule = typeof import("./tree");

/** One line of the tree as shown: a node (visible or not) or the count of what is folded away under one. */
export interface TreeLine {
  level: number; posinset: number; setsize: number;
  kind: "node" | "hidden" | "more";
  node: TreeNode | undefined;
  text: string;
  meta: string;
  risk: string | undefined;
  parent: boolean;
}

const RISK_WORD: Record<Risk["kind"], string> = { overdue: "overdue", reneged: "reneged", renegotiating: "being renegotiated" };

/** The tree's risk, rolled up: what stands first anywhere in it. */
export function rolledUpText(r: Risk | null | undefined): string {
  return r ? `At risk: something in this tree is ${RISK_WORD[r.kind]}.` : "Nothing in this tree is at risk.";
}

/** "2 more not yours (1 at risk)". */
export function moreText(hidden: number, atRisk: number): string {
  return `${hidden} more not yours${atRisk === 0 ? "" : hidden === 1 ? ", at risk" : ` (${atRisk} at risk)`}`;
}

/** The tree, depth first, as the lines it shows: each node, then its children, then what is folded away under it. */
export function treeLines(root: TreeNode): TreeLine[] {
  const lines: TreeLine[] = [];
  const walk = (node: TreeNode, level: number, posinset: number, setsize: number) => {
    const count = node.children.length + (node.hiddenBelow > 0 ? 1 : 0);
    const next = node.clocks?.next;
    lines.push(node.visible ? {
      level, posinset, setsize, kind: "node", node, parent: count > 0,
      text: node.concern ?? "",
      meta: [node.stateLabel, node.performer && node.customer ? `${node.performer} for ${node.customer}` : "",
        node.yourRole ? `you are the ${node.yourRole}` : "", next ? clockText(next.kind, next.at, next.overdue) : ""].filter((m) => m).join(" · "),
      risk: node.risk ? riskText(node.risk, node.yourRole) : undefined,
    } : {
      level, posinset, setsize, kind: "hidden", node, parent: count > 0, text: "Someone else's commitment", meta: "",
      risk: node.rolledUp ? `Something under it is ${RISK_WORD[node.rolledUp.kind]}` : undefined,
    });
    node.children.forEach((c, n) => walk(c, level + 1, n + 1, count));
    if (node.hiddenBelow > 0) {
      lines.push({ level: level + 1, posinset: count, setsize: count, kind: "more", node: undefined, parent: false, text: moreText(node.hiddenBelow, node.hiddenAtRisk), meta: "", risk: undefined });
    }
  };
  walk(root, 1, 1, 1);
  return lines;
}

/**
 * Shows the items whose every ancestor is expanded and hides the rest (a collapsed node keeps its subtree in the DOM,
 * hidden, so expanding it again brings it back as it was).
 */
export function applyExpansion(items: HTMLElement[]): void {
  const open: boolean[] = []; // open[level - 1]: whether the nearest ancestor at that level is expanded
  for (const item of items) {
    const level = Number(item.getAttribute("aria-level"));
    open.length = level - 1;
    item.hidden = open.some((o) => !o);
    open.push(item.getAttribute("aria-expanded") !== "false");
  }
}

/**
 * The tree's keys (WAI-ARIA tree view): Down/Up move between the items shown, Home/End to the ends; Right expands a
 * collapsed node, or moves to its first child; Left collapses an expanded node, or moves to its parent; Enter opens.
 */
export function onKey(e: KeyboardEvent, open: (id: string) => void): void {
  const all = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role="treeitem"]')];
  const items = all.filter((item) => !item.hidden);
  const at = items.indexOf(e.target as HTMLElement);
  if (at < 0) return;
  const current = items[at]!;
  const level = (n: number) => Number(items[n]?.getAttribute("aria-level"));
  const expanded = current.getAttribute("aria-expanded");
  let to = -1;
  if (e.key === "ArrowDown") to = Math.min(at + 1, items.length - 1);
  else if (e.key === "ArrowUp") to = Math.max(at - 1, 0);
  else if (e.key === "Home") to = 0;
  else if (e.key === "End") to = items.length - 1;
  else if (e.key === "ArrowRight" && expanded === "false") { current.setAttribute("aria-expanded", "true"); applyExpansion(all); to = at; }
  else if (e.key === "ArrowRight") to = level(at + 1) > level(at) ? at + 1 : at;
  else if (e.key === "ArrowLeft" && expanded === "true") { current.setAttribute("aria-expanded", "false"); applyExpansion(all); to = at; }
  else if (e.key === "ArrowLeft") { to = at; while (to > 0 && level(to) >= level(at)) to--; }
  else if (e.key === "Enter" || e.key === " ") {
    const id = current.dataset["id"];
    if (id) { e.preventDefault(); open(id); }
    return;
  } else return;
  e.preventDefault();
  all.forEach((item) => item.setAttribute("tabindex", item === items[to] ? "0" : "-1"));
  items[to]!.focus();
}

export function treeView(t: Tree, host: { openWorkflow(id: string): void }): TemplateResult {
  const lines = treeLines(t.root);
  return html`<section class="tree-section" aria-labelledby="tree-heading">
    <h3 id="tree-heading">Objective tree</h3>
    <p class="rolled-up ${t.root.rolledUp ? "overdue" : ""}">${t.root.rolledUp ? "⚠ " : ""}${rolledUpText(t.root.rolledUp)}</p>
    <ul class="tree" role="tree" aria-labelledby="tree-heading" @keydown=${(e: KeyboardEvent) => onKey(e, (id) => host.openWorkflow(id))}>
      ${lines.map((l, n) => html`<li role="treeitem" class="tree-line ${l.kind} level-${Math.min(l.level, 6)}" tabindex=${n === 0 ? "0" : "-1"}
        aria-level=${l.level} aria-posinset=${l.posinset} aria-setsize=${l.setsize} aria-expanded=${l.parent ? "true" : nothing}
        data-id=${l.node?.id ?? nothing} @click=${() => { if (l.node?.id) host.openWorkflow(l.node.id); }}>
        ${l.node?.quadrant ? quadrantBadge(l.node.quadrant) : nothing}
        ${l.node?.objective ? html`<fluent-badge appearance="outline" class="objective">Objective</fluent-badge>` : nothing}
        <span class="concern">${l.text}</span>
        ${l.meta ? html`<span class="meta">${l.meta}</span>` : nothing}
        ${l.risk ? html`<span class="risk">⚠ ${l.risk}</span>` : nothing}
      </li>`)}
    </ul>
    ${t.truncated ? html`<p class="muted">The tree goes on beyond what is shown.</p>` : nothing}
    <p class="muted hint">Arrow keys move through the tree (Left and Right fold and unfold it); Enter opens a commitment of yours.</p>
  </section>`;
}
