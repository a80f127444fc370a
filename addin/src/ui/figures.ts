// The Figures page (issue 15): my own promise-keeping figures in sentences beside a small bar chart per week, for one
// counterpart or all, over 4, 13 or 52 weeks; and my teams — create one, opt in or out, and the team's sums once 5
// people opted in. Loaded only when the page is first shown. The chart is a hand-drawn SVG: no chart library.
import { html, nothing, render, svg, type TemplateResult } from "lit-html";
import type { ApiClient } from "../api/client";
import {
  answerTeam, createGroupTeam, createTeam, figures, myGroups, team, teams,
  type DirectoryGroup, type Figures, type Team, type TeamListing, type WeekFigures, type Window,
} from "../api/figures";
import { GuardedPage } from "./page";

// ---- Pure (test/figures.test.ts) ----

/** The bar heights of a week chart, scaled to the busiest week; a week with nothing is a zero-height bar. */
export function bars(weeks: readonly Pick<WeekFigures, "loops" | "kept" | "broken">[], height = 40): { loops: number; kept: number }[] {
  const top = Math.max(1, ...weeks.map((w) => w.loops));
  return weeks.map((w) => ({ loops: Math.round((w.loops / top) * height), kept: Math.round((w.kept / top) * height) }));
}

/** What the chart says to a screen reader: the totals it draws. */
export function chartLabel(weeks: readonly Pick<WeekFigures, "loops" | "kept" | "broken">[]): string {
  const loops = weeks.reduce((n, w) => n + w.loops, 0);
  const kept = weeks.reduce((n, w) => n + w.kept, 0);
  const broken = weeks.reduce((n, w) => n + w.broken, 0);
  return `${loops} ${loops === 1 ? "loop" : "loops"} over ${weeks.length} weeks: ${kept} kept by the due date, ${broken} not`;
}

/** How a team is listed: its name, and the directory group it follows when it follows one. */
export function teamTitle(team: Pick<TeamListing, "name" | "group">): string {
  return team.group && team.group !== team.name ? `${team.name} (the ${team.group} group)` : team.group ? `${team.name} (directory group)` : team.name;
}

/** Addresses typed into one box, separated by commas, semicolons or spaces. */
export function emailsOf(text: string): string[] {
  return text.split(/[\s,;]+/).map((e) => e.trim()).filter((e) => e.length > 0);
}

export function weekChart(weeks: readonly WeekFigures[]): TemplateResult {
  const width = 8;
  const gap = 3;
  const height = 40;
  const shown = bars(weeks, height);
  return html`<svg class="week-chart" role="img" aria-label=${chartLabel(weeks)} width=${shown.length * (width + gap)} height=${height + 1}
    viewBox="0 0 ${shown.length * (width + gap)} ${height + 1}">
    <line x1="0" y1=${height + 0.5} x2=${shown.length * (width + gap)} y2=${height + 0.5} stroke="#8a8886"></line>
    ${shown.map((b, i) => svg`<rect x=${i * (width + gap)} y=${height - b.loops} width=${width} height=${b.loops} fill="#c7e0f4"></rect>
      <rect x=${i * (width + gap)} y=${height - b.kept} width=${width} height=${b.kept} fill="#0f6cbd"></rect>`)}
  </svg>`;
}

// ---- The page ----

const WINDOWS: readonly Window[] = [4, 13, 52];
const valueOf = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

export class FiguresPage extends GuardedPage {
  private weeks: Window = 13;
  private withEmail = "";
  private mine: Figures | undefined;
  private listings: TeamListing[] = [];
  private shownTeam: Team | undefined;
  private newTeam = { name: "", members: "" };
  /** The directory groups I am in; the first is chosen until I choose another. */
  private groups: DirectoryGroup[] = [];
  private chosenGroup = "";
  private root: HTMLElement | undefined;

  constructor(private readonly api: ApiClient) { super(); }

  async mount(root: HTMLElement): Promise<void> {
    this.root = root;
    this.draw();
    await this.guard(async () => { await this.load(); });
  }

  private async load(): Promise<void> {
    const [mine, listed, groups] = await Promise.all([
      figures(this.api, this.weeks, this.withEmail || undefined), teams(this.api), myGroups(this.api),
    ]);
    this.mine = mine;
    this.listings = listed.teams;
    this.groups = groups.groups;
    if (!this.groups.some((g) => g.id === this.chosenGroup)) this.chosenGroup = this.groups[0]?.id ?? "";
    if (this.shownTeam) this.shownTeam = await team(this.api, this.shownTeam.id, this.weeks);
  }

  protected draw(): void {
    if (this.root) render(this.view(), this.root);
  }

  private view(): TemplateResult {
    const f = this.mine;
    return html`<section class="figures" aria-label="Figures" aria-busy=${this.busy ? "true" : "false"}>
      <h2>Your figures</h2>
      <p class="muted">Private to you: no one else sees them.</p>
      <div class="figure-filters">
        <label>Window <select @change=${(e: Event) => { this.weeks = Number(valueOf(e)) as Window; void this.guard(() => this.load()); }}>
          ${WINDOWS.map((w) => html`<option value=${w} ?selected=${w === this.weeks}>Last ${w} weeks</option>`)}
        </select></label>
        <label>With <select @change=${(e: Event) => { this.withEmail = valueOf(e); void this.guard(() => this.load()); }}>
          <option value="" ?selected=${this.withEmail === ""}>Everyone</option>
          ${(f?.counterparts ?? []).filter((c) => c.email).map((c) => html`<option value=${c.email!} ?selected=${c.email === this.withEmail}>${c.counterpart}</option>`)}
        </select></label>
      </div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${f ? html`${weekChart(f.byWeek)}
        <p class="muted">One bar a week, oldest first: every loop that counted that week, in dark the promises kept by their date.</p>
        ${f.sentences.length === 0 ? html`<p class="muted">Nothing to count yet in this window.</p>`
          : html`<ul class="sentences">${f.sentences.map((s) => html`<li>${s}</li>`)}</ul>`}` : nothing}
      ${this.teamsView()}
    </section>`;
  }

  private teamsView(): TemplateResult {
    const t = this.shownTeam;
    return html`<h2>Teams</h2>
      <p class="muted">A team sees only sums, and only once 5 people have opted in.</p>
      <ul class="teams">${this.listings.map((l) => html`<li>
        <span>${teamTitle(l)}</span>
        ${l.optedIn
          ? html`<fluent-button size="small" appearance="subtle" @click=${() => void this.guard(async () => { this.shownTeam = await team(this.api, l.id, this.weeks); })}>Show</fluent-button>
            <fluent-button size="small" appearance="subtle" @click=${() => void this.answer(l, false)}>Opt out</fluent-button>`
          : html`<fluent-button size="small" @click=${() => void this.answer(l, true)}>Opt in</fluent-button>`}
      </li>`)}</ul>
      ${t ? html`<div class="team" aria-label=${`Team ${t.name}`}>
        <h3>${t.name}</h3>
        <p class="muted">${t.members.length} of ${t.named} opted in${t.group ? html` · follows the directory group ${t.group}: whoever joins it may opt in, whoever leaves it leaves the team` : nothing}</p>
        ${t.aggregate ? html`<ul class="sentences">${t.sentences.map((s) => html`<li>${s}</li>`)}</ul>
          <ul class="network">${(t.network ?? []).map((e) => html`<li>${e.customer} → ${e.performer}: ${e.open} open${e.atRisk ? `, ${e.atRisk} past a date` : ""}</li>`)}</ul>`
          : html`<p>${t.withheld ?? "Needs 5 people who opted in."}</p>`}
      </div>` : nothing}
      <form class="new-team" @submit=${(e: Event) => { e.preventDefault(); void this.create(); }}>
        <label>Team name <input .value=${this.newTeam.name} @input=${(e: Event) => { this.newTeam.name = valueOf(e); }} required maxlength="100"></label>
        <label>Members (emails) <input .value=${this.newTeam.members} @input=${(e: Event) => { this.newTeam.members = valueOf(e); }}></label>
        <fluent-button type="submit" ?disabled=${this.busy}>Create team</fluent-button>
      </form>
      ${this.groups.length > 0 ? html`<form class="group-team" @submit=${(e: Event) => { e.preventDefault(); void this.createFromGroup(); }}>
        <label>Or a directory group you are in <select @change=${(e: Event) => { this.chosenGroup = valueOf(e); }}>
          ${this.groups.map((g) => html`<option value=${g.id} ?selected=${g.id === this.chosenGroup}>${g.displayName}</option>`)}
        </select></label>
        <fluent-button type="submit" ?disabled=${this.busy}>Create team from group</fluent-button>
        <p class="muted">Everyone in the group is named and opts in for themselves.</p>
      </form>` : nothing}`;
  }

  private async createFromGroup(): Promise<void> {
    if (!this.chosenGroup) return;
    await this.guard(async () => {
      this.shownTeam = await createGroupTeam(this.api, this.chosenGroup);
      await this.load();
    });
  }

  private async answer(listing: TeamListing, optIn: boolean): Promise<void> {
    await this.guard(async () => {
      await answerTeam(this.api, listing.id, optIn);
      if (!optIn && this.shownTeam?.id === listing.id) this.shownTeam = undefined;
      await this.load();
    });
  }

  private async create(): Promise<void> {
    await this.guard(async () => {
      this.shownTeam = await createTeam(this.api, this.newTeam.name.trim(), emailsOf(this.newTeam.members));
      this.newTeam = { name: "", members: "" };
      await this.load();
    });
  }
}
