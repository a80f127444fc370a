// The network picture of one person's workflows (issue 15): me in the centre, the people I work with on a circle
// around me, one edge per direction (customer → performer) between us. Pure layout — numbers in, shapes out — so it
// is tested without a DOM; the view draws it as hand-written SVG. No graph library: a circle needs none. Loaded only
// when the page is first shown, so the pane's first load does not carry it.
import { html, nothing, render, svg, type TemplateResult } from "lit-html";
import type { ApiClient } from "../api/client";
import type { WorkflowSummary } from "../api/types";

/** What a line of my lists says about one workflow, as much as the picture needs. */
export interface NetworkLine {
  readonly id?: string;
  readonly concern?: string;
  readonly counterpart: string;
  /** Who the counterpart is, when a name is not enough (two people of one name); the name otherwise. */
  readonly counterpartKey?: string;
  readonly yourRole: "customer" | "performer";
  readonly quadrant: "Q1" | "Q2" | "Q3" | "Q4" | "closed";
  readonly overdue: boolean;
}

export type Quadrant = NetworkLine["quadrant"];

/** One direction between me and a person: who asks whom, how many, mostly where, any at risk. */
export interface NetworkEdge {
  readonly from: "me" | "them";
  readonly count: number;
  readonly byQuadrant: Readonly<Record<Quadrant, number>>;
  readonly dominant: Quadrant;
  readonly atRisk: boolean;
  /** Stroke width, 1.5 to 8, growing with the square root of the count. */
  readonly width: number;
}

export interface NetworkPerson {
  readonly key: string;
  readonly name: string;
  readonly lines: readonly NetworkLine[];
  readonly x: number;
  readonly y: number;
  readonly total: number;
  /** I am the customer: they perform for me ("you ask them"). */
  readonly youAsk?: NetworkEdge;
  /** They are the customer: I perform for them ("they ask you"). */
  readonly theyAsk?: NetworkEdge;
  readonly atRisk: boolean;
}

export interface NetworkLayout {
  readonly size: number;
  readonly centre: { readonly x: number; readonly y: number };
  readonly people: readonly NetworkPerson[];
  readonly workflows: number;
}

const QUADRANTS: readonly Quadrant[] = ["Q1", "Q2", "Q3", "Q4", "closed"];

/** Lays out every line: people sorted by how many workflows we share (most first, clockwise from the top), then by name. */
export function layoutNetwork(lines: readonly NetworkLine[], size = 480): NetworkLayout {
  const byPerson = new Map<string, { name: string; youAsk: NetworkLine[]; theyAsk: NetworkLine[] }>();
  for (const line of lines) {
    const key = line.counterpartKey ?? line.counterpart;
    const entry = byPerson.get(key) ?? { name: line.counterpart, youAsk: [], theyAsk: [] };
    (line.yourRole === "customer" ? entry.youAsk : entry.theyAsk).push(line);
    byPerson.set(key, entry);
  }
  const ordered = [...byPerson.entries()]
    .map(([key, e]) => ({ key, ...e, total: e.youAsk.length + e.theyAsk.length }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const centre = { x: size / 2, y: size / 2 };
  const radius = size / 2 - 40;
  const people = ordered.map((p, i): NetworkPerson => {
    const angle = (2 * Math.PI * i) / Math.max(1, ordered.length) - Math.PI / 2;
    const youAsk = edge("me", p.youAsk);
    const theyAsk = edge("them", p.theyAsk);
    return {
      key: p.key,
      name: p.name,
      lines: [...p.youAsk, ...p.theyAsk],
      x: round(centre.x + radius * Math.cos(angle)),
      y: round(centre.y + radius * Math.sin(angle)),
      total: p.total,
      ...(youAsk ? { youAsk } : {}),
      ...(theyAsk ? { theyAsk } : {}),
      atRisk: Boolean(youAsk?.atRisk || theyAsk?.atRisk),
    };
  });
  return { size, centre, people, workflows: lines.length };
}

function edge(from: "me" | "them", lines: readonly NetworkLine[]): NetworkEdge | undefined {
  if (lines.length === 0) return undefined;
  const byQuadrant = Object.fromEntries(QUADRANTS.map((q) => [q, 0])) as Record<Quadrant, number>;
  for (const line of lines) byQuadrant[line.quadrant] += 1;
  // The open quadrants win a tie over closed: the picture is about what is still in play.
  const dominant = QUADRANTS.reduce((best, q) => (byQuadrant[q] > byQuadrant[best] ? q : best), "closed" as Quadrant);
  return {
    from,
    count: lines.length,
    byQuadrant,
    dominant,
    atRisk: lines.some((l) => l.overdue),
    width: round(Math.min(8, 1.5 + Math.sqrt(lines.length - 1))),
  };
}

/** Roving focus: the person an arrow key moves to from index `at` (wrapping), or `at` for any other key. */
export function nextPerson(at: number, key: string, count: number): number {
  if (count === 0) return 0;
  if (key === "ArrowRight" || key === "ArrowDown") return (at + 1) % count;
  if (key === "ArrowLeft" || key === "ArrowUp") return (at - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return at;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Every former colleague is one person in the picture: their tombstones are unlinkable on purpose (ADR 0016). */
const FORMER = "@former-colleague.invalid";

/** The picture's lines from my lists' lines. */
export function networkLines(items: readonly WorkflowSummary[]): NetworkLine[] {
  return items.map((w) => ({
    id: w.id,
    concern: w.concern,
    counterpart: w.counterpart,
    counterpartKey: w.counterpartEmail?.endsWith(FORMER) ? FORMER : (w.counterpartEmail ?? w.counterpart),
    yourRole: w.yourRole,
    quadrant: w.quadrant,
    overdue: w.nextClock?.overdue ?? false,
  }));
}

/** How many lines the page reads at most (pages of the "all" list). */
export const MAX_LINES = 2000;

const QUADRANT_CLASS: Record<Quadrant, string> = { Q1: "q1", Q2: "q2", Q3: "q3", Q4: "q4", closed: "closed" };

function counts(e: NetworkEdge | undefined): string {
  return e ? QUADRANTS.filter((q) => e.byQuadrant[q] > 0).map((q) => `${q} ${e.byQuadrant[q]}`).join(", ") : "";
}

/** A person in words: what a screen reader says on the node, and the table's row says. */
export function personText(p: NetworkPerson): string {
  const risk = p.lines.filter((l) => l.overdue).length;
  return `${p.name}: you ask them ${p.youAsk?.count ?? 0}, they ask you ${p.theyAsk?.count ?? 0}${risk ? `, ${risk} at risk` : ""}`;
}

export class NetworkPage {
  private layout: NetworkLayout | undefined;
  private focused = 0;
  private selected: string | undefined;
  private table = false;
  private problem: string | undefined;
  private root: HTMLElement | undefined;

  constructor(private readonly api: ApiClient, private readonly openWorkflow: (id: string) => void) {}

  async mount(root: HTMLElement): Promise<void> {
    this.root = root;
    this.layout = undefined;
    this.draw();
    try {
      const items: WorkflowSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.api.list("all", cursor ? { cursor } : {});
        items.push(...page.items);
        cursor = page.next ?? undefined;
      } while (cursor && items.length < MAX_LINES);
      this.layout = layoutNetwork(networkLines(items));
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
    this.draw();
  }

  private draw(): void {
    if (this.root) render(this.view(), this.root);
  }

  private choose(index: number, open: boolean): void {
    const people = this.layout?.people ?? [];
    this.focused = index;
    if (open) this.selected = people[index]?.key;
    this.draw();
    this.root?.querySelector<SVGElement>(`[data-person="${index}"]`)?.focus();
  }

  private view(): TemplateResult {
    const l = this.layout;
    return html`<section class="section network" aria-labelledby="network-heading">
      <h2 id="network-heading">Who you work with</h2>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${l === undefined ? (this.problem ? nothing : html`<fluent-spinner size="tiny"></fluent-spinner>`) : html`
        <p class="muted">${l.workflows} workflows with ${l.people.length} people. Arrow keys move between people; Enter shows the workflows between you.</p>
        <fluent-button size="small" appearance="outline" class="network-toggle"
          @click=${() => { this.table = !this.table; this.draw(); }}>${this.table ? "Show the picture" : "Show as a table"}</fluent-button>
        ${this.table ? nothing : this.picture(l)}
        ${this.tableView(l)}
        ${this.between(l)}`}
    </section>`;
  }

  private picture(l: NetworkLayout): TemplateResult {
    const { x: cx, y: cy } = l.centre;
    return html`<svg class="network-picture" viewBox="0 0 ${l.size} ${l.size}" aria-label="Who you work with: you in the middle, the people around you" role="group">
      <defs><marker id="network-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">
        <path d="M0 0 L10 5 L0 10 z" fill="context-stroke"></path></marker></defs>
      ${l.people.map((p) => this.edges(p, cx, cy))}
      <circle class="network-me" cx=${cx} cy=${cy} r="22"></circle>
      <text class="network-label" x=${cx} y=${cy + 4} text-anchor="middle">You</text>
      ${l.people.map((p, i) => svg`<g class="network-person ${p.atRisk ? "at-risk" : ""} ${this.selected === p.key ? "selected" : ""}"
        data-person=${i} role="button" tabindex=${i === this.focused ? 0 : -1} aria-label=${personText(p)}
        aria-pressed=${this.selected === p.key ? "true" : "false"}
        @click=${() => this.choose(i, true)}
        @keydown=${(e: KeyboardEvent) => this.key(e, i)}>
        <circle cx=${p.x} cy=${p.y} r="14"></circle>
        ${p.atRisk ? svg`<text class="network-risk" x=${p.x + 10} y=${p.y - 10} aria-hidden="true">!</text>` : nothing}
        <text class="network-label" x=${p.x} y=${p.y < cy ? p.y - 20 : p.y + 28} text-anchor="middle" aria-hidden="true">${short(p.name)}</text>
      </g>`)}
    </svg>`;
  }

  /** Customer → performer: "you ask them" runs from me out to them, "they ask you" from them in to me, side by side. */
  private edges(p: NetworkPerson, cx: number, cy: number): TemplateResult {
    const dx = p.x - cx;
    const dy = p.y - cy;
    const length = Math.hypot(dx, dy) || 1;
    const [ux, uy] = [dx / length, dy / length];
    const [ox, oy] = [-uy * 4, ux * 4];
    const line = (e: NetworkEdge | undefined, side: number) => {
      if (!e) return nothing;
      const [x1, y1, x2, y2] = [cx + ux * 24 + ox * side, cy + uy * 24 + oy * side, p.x - ux * 16 + ox * side, p.y - uy * 16 + oy * side];
      const [a, b] = e.from === "me" ? [[x1, y1], [x2, y2]] : [[x2, y2], [x1, y1]];
      return svg`<line class="network-edge ${QUADRANT_CLASS[e.dominant]} ${e.atRisk ? "at-risk" : ""}" x1=${a![0]} y1=${a![1]} x2=${b![0]} y2=${b![1]}
        stroke-width=${e.width} marker-end="url(#network-arrow)" aria-hidden="true"></line>`;
    };
    return svg`${line(p.youAsk, 1)}${line(p.theyAsk, -1)}`;
  }

  private key(e: KeyboardEvent, at: number): void {
    const count = this.layout?.people.length ?? 0;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      this.choose(at, true);
      return;
    }
    const next = nextPerson(at, e.key, count);
    if (next !== at) {
      e.preventDefault();
      this.choose(next, false);
    }
  }

  /** The table alternative: always there for screen readers, shown to everyone when toggled. */
  private tableView(l: NetworkLayout): TemplateResult {
    return html`<table class="network-table ${this.table ? "" : "sr-only"}">
      <caption>The people you work with and the workflows between you</caption>
      <thead><tr><th scope="col">Person</th><th scope="col">You ask them</th><th scope="col">They ask you</th><th scope="col">By quadrant</th><th scope="col">At risk</th></tr></thead>
      <tbody>${l.people.map((p, i) => html`<tr>
        <th scope="row"><button class="link" @click=${() => this.choose(i, true)}>${p.name}</button></th>
        <td>${p.youAsk?.count ?? 0}</td><td>${p.theyAsk?.count ?? 0}</td>
        <td>${[counts(p.youAsk), counts(p.theyAsk)].filter(Boolean).join("; ")}</td>
        <td>${p.lines.filter((x) => x.overdue).length || "none"}</td>
      </tr>`)}</tbody>
    </table>`;
  }

  private between(l: NetworkLayout): TemplateResult {
    const p = l.people.find((x) => x.key === this.selected);
    if (!p) return html``;
    return html`<div class="network-between" aria-live="polite">
      <h3>Between you and ${p.name}</h3>
      <ul class="list">${p.lines.map((w) => html`<li><button class="row" @click=${() => w.id && this.openWorkflow(w.id)}>
        <strong class="q ${QUADRANT_CLASS[w.quadrant]}">${w.quadrant}</strong><span>${w.concern ?? ""}</span>
        <span class="meta muted">${w.yourRole === "customer" ? "You asked" : "They asked"}${w.overdue ? " · overdue" : ""}</span>
      </button></li>`)}</ul>
    </div>`;
  }
}

function short(name: string): string {
  return name.length > 16 ? `${name.slice(0, 15)}…` : name;
}
