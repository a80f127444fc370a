import { html, nothing, type TemplateResult } from "lit-html";
import type { GuestMail, MoveRequest, Review, ReviewItem, Start, Versioned, WorkflowSummary } from "../api/client";
import type { ItemContext } from "../mailbox";
import {
  LIST_TABS, QUADRANT_TEXT, REVIEW_EMPTY, clockText, formatDate, guestBannerText, guestParty, loopCounts, moveButtons, partyText, reviewItemText,
  reviewSections, trackChoices, whoseMoveText, type EventLine, type ListTab, type MoveButton, type TermsVersionLine,
} from "./labels";
import { meetingView, outlookMeetingView, type MeetingHandlers, type MeetingPanel } from "./meeting";
import { offersFor, suggestionsView, type MailSuggestions, type SuggestionHandlers } from "./suggestions";
import type { ForgetRun } from "../api/types";
import { FORGET_WORDS, forgottenText, NOTIFY_CHOICES, timeZoneNames, type PreferencesForm } from "./preferences";
import {
  OVERDUE, dayName, dayText, dueDaysOf, firstDayOfWeek, monthDayText, runningClocks, timeline, weekdayHeads,
  type DueDay, type TimelineDay,
} from "./timeline";

/** Everything the views show. Views are pure functions of this and the handlers; app.ts owns the changes. */
export interface ViewState {
  /** The page beside the card: my lists (with the current item, in Outlook) or the weekly review. */
  page: Page;
  /** The weekly review, once the page was shown. */
  review: Review | undefined;
  host: string | null;
  who: string | undefined;
  needsSignIn: boolean;
  item: ItemContext | null;
  linked: WorkflowSummary[] | undefined;
  track: TrackForm;
  open: Versioned | undefined;
  /** The open workflow's terms versions, once the person asked for them. */
  termsHistory: TermsVersionLine[] | undefined;
  /** The open workflow's events, newest first, read with the terms versions. */
  events: EventLine[] | undefined;
  /** The person asked to stop the other party's personal link: the card asks them to confirm. */
  confirmRevoke: boolean;
  /** Acting through a personal link from a mail (someone outside the organisation): that one card, nothing else. */
  guest: boolean;
  /** Mail to the guest's address, once they stopped or restarted it from the banner. */
  guestMail: GuestMail | undefined;
  /** The notification preferences, once the page was shown. */
  preferences: PreferencesForm | undefined;
  /** What the person typed to confirm deleting their data, and what the deletion did once made. */
  forgetTyped: string;
  forgotten: ForgetRun | undefined;
  pending: PendingMove | undefined;
  notice: Notice | undefined;
  tab: ListTab;
  list: WorkflowSummary[] | undefined;
  all: WorkflowSummary[] | undefined;
  quadrant: "Q1" | "Q2" | "Q3" | "Q4" | undefined;
  /** The day picked on the timeline (or OVERDUE): the list shows the workflows with a clock on it. */
  day: DueDay | undefined;
  busy: boolean;
  /**
   * The meeting the page is about: in a Teams meeting (teams.html) its record takes the place of the pages; on a
   * meeting item in Outlook it shows beside the item's workflows.
   */
  meeting: MeetingPanel | undefined;
  /** The card's depth (sub-commitments, cadence, toggles, feedback, the tree), once its module is loaded. */
  depth: DepthRenderer | undefined;
  /** The moves the open mail's text makes (ui/suggestions.ts), once found on the client. */
  suggestions: MailSuggestions | undefined;
}

/** Renders a card's depth: ui/depth.ts, loaded with the first card opened, so the pane's first load does without it. */
export type DepthRenderer = (v: Versioned, busy: boolean) => TemplateResult;

export type Page = "lists" | "review" | "preferences" | "roles" | "network" | "figures";
const PAGES: { id: Page; label: string }[] = [
  { id: "lists", label: "My lists" }, { id: "review", label: "Weekly review" }, { id: "roles", label: "Roles" }, { id: "network", label: "People" },
  { id: "figures", label: "Figures" }, { id: "preferences", label: "Notifications" },
];

export interface TrackForm {
  concern: string; customer: string; performer: string; conditions: string; dueBy: string;
  /** How it starts: the choice made, kept when the parties change so it comes back if they change back. */
  start: Start;
  /** Why it cannot be sent as chosen, said beside the form. */
  problem?: string | undefined;
}
export type TrackField = "concern" | "customer" | "performer" | "conditions" | "dueBy";
export interface PendingMove {
  button: MoveButton; key: string; conditions: string; dueBy: string; replyBy: string; text: string;
  /** What a move made from the card's depth carries (a cadence, a toggle, feedback), sent as it is. */
  body?: Partial<MoveRequest>;
}
export interface Notice { kind: "info" | "error"; text: string; details?: string[] }

export interface Handlers extends MeetingHandlers, SuggestionHandlers {
  signIn(email: string): void;
  /** Through a personal link: stop (true) or restart mail to the link's address. */
  setGuestMail(stopped: boolean): void;
  openWorkflow(id: string): void;
  showPage(page: Page): void;
  closeCard(): void;
  showTermsHistory(): void;
  startMove(button: MoveButton): void;
  editMove(field: "conditions" | "dueBy" | "replyBy" | "text", value: string): void;
  sendMove(): void;
  cancelMove(): void;
  editTrack(field: TrackField, value: string): void;
  chooseStart(start: Start): void;
  track(): void;
  linkExisting(workflowId: string): void;
  showTab(tab: ListTab): void;
  filterQuadrant(quadrant: "Q1" | "Q2" | "Q3" | "Q4" | undefined): void;
  filterDay(day: DueDay | undefined): void;
  clearFilters(): void;
  dismissNotice(): void;
  editPreferences(field: "notify" | "quietFrom" | "quietTo" | "timeZone", value: string): void;
  savePreferences(): void;
  downloadMine(): void;
  typeForget(text: string): void;
  forgetMine(): void;
  askRevoke(): void;
  confirmRevoke(): void;
  cancelRevoke(): void;
  /** A closed loop I performed: save it as a role ("do this every month"), on the Roles page. */
  saveAsRole(workflowId: string, concern: string): void;
}

/** What the card shows beyond the workflow itself. */
export interface CardExtras {
  termsHistory?: TermsVersionLine[] | undefined;
  events?: EventLine[] | undefined;
  confirmRevoke?: boolean;
  /** Through a personal link: no close, no history, no revoking — the one card and its moves. */
  guest?: boolean;
  depth?: DepthRenderer | undefined;
}

const valueOf = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

export function appView(s: ViewState, h: Handlers): TemplateResult {
  return html`
    <header class="bar">
      <h1>Workflow</h1>
      <span class="who">${s.who ?? ""}</span>
    </header>
    ${s.notice ? noticeView(s.notice, h) : nothing}
    ${s.guest ? guestView(s, h) : s.needsSignIn ? signInView(h) : s.meeting && s.meeting.surface !== "outlook" ? meetingView(s, s.meeting, h) : html`
      <nav class="pages" aria-label="Pages">
        ${PAGES.map((p) => html`<fluent-button size="small" appearance=${s.page === p.id ? "primary" : "subtle"}
          aria-current=${s.page === p.id ? "page" : "false"} data-page=${p.id} @click=${() => h.showPage(p.id)}>${p.label}</fluent-button>`)}
      </nav>
      <div class="panes ${s.open ? "with-card" : ""}">
        <div class="detail">${s.open ? cardView(s.open, s.pending, s.busy, h, s)
          : html`<p class="muted pick">Pick a workflow to see it here.</p>`}</div>
        <div class="side">
          ${s.page === "review" ? reviewView(s, h) : s.page === "preferences" ? preferencesView(s, h)
            : s.page === "roles" ? html`<div id="roles-page"></div>`
            : s.page === "network" ? html`<div id="network-page"></div>`
            : s.page === "figures" ? html`<div id="figures-page"></div>`
            : html`${s.item ? itemView(s, h) : nothing}${listsView(s, h)}`}
        </div>
      </div>`}
  `;
}

/**
 * Through a personal link: who they act as, and that one workflow's card with their moves — no lists, no pages, no
 * other workflow. Until it loads (or when the link is refused, said in the notice above), nothing else.
 */
function guestView(s: ViewState, h: Handlers): TemplateResult {
  if (!s.open) return s.busy ? html`<p class="muted" role="status">Opening the workflow from your link…</p>` : html``;
  const stopped = s.guestMail?.stopped ?? false;
  return html`<p class="guest-banner" role="note">${guestBannerText(s.open.workflow)}</p>
    <p class="guest-mail">
      ${stopped ? html`<span role="status">Mails to ${s.guestMail!.address} are stopped.</span> ` : ""}
      <fluent-button appearance="subtle" size="small" ?disabled=${s.busy} @click=${() => h.setGuestMail(!stopped)}>
        ${stopped ? "Send me mails again" : "Stop mails to this address"}</fluent-button>
    </p>
    ${cardView(s.open, s.pending, s.busy, h, { guest: true, depth: s.depth })}`;
}

/** How often notification mail comes, quiet hours, and the time zone both are read in; saved with one button. */
function preferencesView(s: ViewState, h: Handlers): TemplateResult {
  const p = s.preferences;
  return html`<section class="section preferences" aria-labelledby="preferences-heading">
    <h2 id="preferences-heading">Notification mail</h2>
    ${p === undefined ? html`<fluent-spinner size="tiny"></fluent-spinner>` : html`
    <form class="preferences-form" @submit=${(e: Event) => { e.preventDefault(); h.savePreferences(); }}>
      <fieldset>
        <legend>When a move hands you the ball, tell me</legend>
        ${NOTIFY_CHOICES.map((c) => html`<label class="choice"><input type="radio" name="notify" value=${c.id} .checked=${p.notify === c.id}
          @change=${() => h.editPreferences("notify", c.id)}> ${c.label} <small class="muted">${c.hint}</small></label>`)}
      </fieldset>
      <fieldset>
        <legend>Quiet hours (no mail between)</legend>
        <label>From <input type="time" name="quietFrom" .value=${p.quietFrom} @input=${(e: Event) => h.editPreferences("quietFrom", valueOf(e))}></label>
        <label>To <input type="time" name="quietTo" .value=${p.quietTo} @input=${(e: Event) => h.editPreferences("quietTo", valueOf(e))}></label>
        <small class="muted">Leave both empty for none.</small>
      </fieldset>
      <label>Time zone <input name="timeZone" list="time-zones" autocomplete="off" .value=${p.timeZone}
        aria-describedby="time-zone-source" @input=${(e: Event) => h.editPreferences("timeZone", valueOf(e))}></label>
      <datalist id="time-zones">${timeZoneNames().map((z) => html`<option value=${z}></option>`)}</datalist>
      <small id="time-zone-source" class="muted">${p.timeZoneFromMailbox && p.timeZone === p.loadedTimeZone
        ? "Taken from your Outlook mailbox settings." : "Quiet hours and summaries are read in this time zone."}</small>
      ${p.problem ? html`<p class="problem" role="alert">${p.problem}</p>` : nothing}
      ${p.saved ? html`<p class="saved" role="status">Saved.</p>` : nothing}
      <fluent-button appearance="primary" type="submit" ?disabled=${s.busy}>Save</fluent-button>
    </form>
    <h2 id="my-data-heading">Your data</h2>
    <p class="muted">Everything the product holds about you — your workflows and their histories, links, meetings, roles, preferences and figures — as a JSON file.</p>
    <fluent-button class="download-mine" appearance="outline" ?disabled=${s.busy} @click=${() => h.downloadMine()}>Download my data</fluent-button>
    <h2 id="forget-heading">Delete my data</h2>
    ${s.forgotten ? html`<p class="saved" role="status">${forgottenText(s.forgotten)}</p>` : nothing}
    ${s.forgotten?.complete ? nothing : html`
      <p class="muted">Your preferences, lists, notices, roles and figures are deleted. In workflows you shared, the other person keeps
        their record and sees you as “a former colleague”. This cannot be undone.</p>
      <label>Type “${FORGET_WORDS}” to show the button that deletes it <input name="confirmForget" autocomplete="off" .value=${s.forgetTyped}
        @input=${(e: Event) => h.typeForget(valueOf(e))}></label>
      ${s.forgetTyped === FORGET_WORDS ? html`<fluent-button class="forget-mine" appearance="outline" ?disabled=${s.busy}
        @click=${() => h.forgetMine()}>Delete my data</fluent-button>` : nothing}`}`}
  </section>`;
}

/** The weekly review as a page: the digest mail's sections, order, titles and hints; each line opens its workflow. */
function reviewView(s: ViewState, h: Handlers): TemplateResult {
  const r = s.review;
  return html`<section class="section review" aria-labelledby="review-heading">
    <h2 id="review-heading">Your weekly review</h2>
    ${r === undefined ? html`<fluent-spinner size="tiny"></fluent-spinner>` : html`
      <p class="muted">Week ${r.week} (${r.timeZone})</p>
      ${r.items.length === 0 ? html`<p class="empty">${REVIEW_EMPTY}</p>` : reviewSections(r.items).map((section) => html`
        <section class="review-section" aria-labelledby="review-${section.id}">
          <h3 id="review-${section.id}">${section.title} (${section.items.length})</h3>
          <p class="muted hint">${section.hint}</p>
          <ul class="list">${section.items.map((i) => reviewRow(i, h))}</ul>
        </section>`)}
      ${meetingsHeldView(r.meetingsHeld)}`}
  </section>`;
}

/**
 * The meetings of the last week that had a purpose, and what came out of each: "Q2 · Pricing — no move came out of
 * it". Nothing where no calendar can be read (null), and nothing to say about a week without such meetings.
 */
function meetingsHeldView(held: Review["meetingsHeld"]): TemplateResult {
  if (!held || held.length === 0) return html``;
  return html`<section class="review-section meetings-held" aria-labelledby="review-meetings">
    <h3 id="review-meetings">Meetings this week (${held.length})</h3>
    <p class="muted hint">Meetings with a purpose, and whether anything came out of them.</p>
    <ul class="list">${held.map((m) => html`<li class="meeting-held">
      ${quadrantBadge(m.purpose)} <span class="concern">${m.subject ?? "A meeting"}</span>
      <span class="meta">${formatDate(m.start)} · ${m.words}</span></li>`)}</ul>
  </section>`;
}

function reviewRow(i: ReviewItem, h: Handlers): TemplateResult {
  const t = reviewItemText(i);
  return html`<li><button class="row review-row" data-id=${i.id} @click=${() => h.openWorkflow(i.id)}>
    <span class="state-label">${i.stateLabel}</span>
    <span class="concern">${i.concern}</span>
    <span class="meta">${t.who}${t.when ? html` · <span class=${i.overdue ? "overdue" : ""}>${i.overdue ? "⚠ " : ""}${t.when}</span>` : nothing}${t.waiting ? ` · ${t.waiting}` : ""}</span>
  </button></li>`;
}

function noticeView(n: Notice, h: Handlers): TemplateResult {
  return html`<fluent-message-bar intent=${n.kind === "error" ? "error" : "info"} role=${n.kind === "error" ? "alert" : "status"}>
    ${n.text}
    ${n.details?.length ? html`<ul class="changes">${n.details.map((d) => html`<li>${d}</li>`)}</ul>` : nothing}
    <fluent-button slot="actions" size="small" @click=${() => h.dismissNotice()}>OK</fluent-button>
  </fluent-message-bar>`;
}

function signInView(h: Handlers): TemplateResult {
  let email = "alice@contoso.test";
  return html`<form class="section" @submit=${(e: Event) => { e.preventDefault(); h.signIn(email); }}>
    <h2>Sign in (local development)</h2>
    <label>Email <input type="email" name="email" .value=${email} @input=${(e: Event) => { email = valueOf(e); }} required></label>
    <fluent-button appearance="primary" type="submit">Sign in</fluent-button>
  </form>`;
}

export function quadrantBadge(quadrant: WorkflowSummary["quadrant"]): TemplateResult {
  const q = QUADRANT_TEXT[quadrant];
  return html`<fluent-badge class="q ${quadrant.toLowerCase()}" appearance="tint" title=${q.name}>${q.badge} ${q.name}</fluent-badge>`;
}

/** The other party opened it and I have not acted on it yet: said in words, so it never rests on colour alone. */
function proposedBadge(item: { proposedToYou: boolean }): TemplateResult | typeof nothing {
  return item.proposedToYou ? html`<fluent-badge class="proposed" appearance="outline">Proposed to you</fluent-badge>` : nothing;
}

export function cardView(
  v: Versioned, pending: PendingMove | undefined, busy: boolean, h: Handlers, extras: CardExtras = {},
): TemplateResult {
  const { termsHistory, events, guest = false } = extras;
  const w = v.workflow;
  const outside = guest ? undefined : guestParty(w);
  const { promised, proposed } = w.terms;
  const clocks = ([["replyBy", w.clocks.replyBy], ["dueBy", w.clocks.dueBy], ["assessBy", w.clocks.assessBy]] as const)
    .filter((c): c is readonly ["replyBy" | "dueBy" | "assessBy", string] => !!c[1]);
  return html`<article class="card section" tabindex="-1" aria-label="Workflow: ${w.concern}">
    <div class="card-head">
      ${quadrantBadge(w.quadrant)}
      <span class="state">${w.stateLabel}</span>
      ${proposedBadge(w)}
      ${guest ? nothing : html`<fluent-button size="small" appearance="subtle" @click=${() => h.closeCard()} aria-label="Close">✕</fluent-button>`}
    </div>
    <h2>${w.concern}</h2>
    <dl>
      <dt>Customer</dt><dd>${partyText(w.customer, w.yourRole === "customer")}</dd>
      <dt>Performer</dt><dd>${partyText(w.performer, w.yourRole === "performer")}</dd>
      ${promised ? html`<dt>Promised</dt><dd>${promised.conditions || "—"}${promised.dueBy ? html`, by ${formatDate(promised.dueBy)}` : nothing}</dd>` : nothing}
      ${proposed ? html`<dt>Proposed</dt><dd>${proposed.conditions || "—"}${proposed.dueBy ? html`, by ${formatDate(proposed.dueBy)}` : nothing} <small>(by the ${proposed.proposedBy})</small></dd>` : nothing}
      ${clocks.map(([kind, at]) => html`<dt>Clock</dt><dd class=${w.clocks.next?.kind === kind && w.clocks.next.overdue ? "overdue" : ""}>${clockText(kind, at, w.clocks.next?.kind === kind && w.clocks.next.overdue)}</dd>`)}
      ${w.gaps ? html`<dt>Missing</dt><dd>${w.gaps}</dd>` : nothing}
      ${w.cycle ? html`<dt>Role</dt><dd>A cycle of “${w.cycle.roleName}”, due ${formatDate(w.cycle.due)}</dd>` : nothing}
    </dl>
    ${termsHistory ? html`<section class="terms-history" aria-label="History">
      ${termsHistory.length ? html`<h3>How the terms evolved</h3>
      <ol>${termsHistory.map((t) => html`<li><strong>v${t.version}</strong> ${t.text}
        <small>${t.proposed}${t.promised ? html` · <span class="promised">${t.promised}</span>` : nothing}</small></li>`)}</ol>` : nothing}
      ${events?.length ? html`<h3>What happened</h3>
      <ol class="events">${events.map((e) => html`<li data-version=${e.version}>${e.text}
        <small>${e.who}, ${e.at}${e.via ? html` · <span class="via">${e.via}</span>` : nothing}</small></li>`)}</ol>` : nothing}
    </section>` : guest ? nothing : html`<fluent-button class="history-button" size="small" appearance="subtle"
      @click=${() => h.showTermsHistory()}>${promised || proposed ? "History and terms" : "History"}</fluent-button>`}
    <p class="whose ${w.yourMove ? "mine" : ""}">${whoseMoveText(w)}</p>
    ${outside ? revokeView(outside.email, extras.confirmRevoke ?? false, busy, h) : nothing}
    ${pending ? moveForm(pending, busy, h, w.clocks.replyBy) : html`<div class="moves">
      ${moveButtons(w).map((b) => html`<fluent-button data-move=${b.move} appearance=${b.primary ? "primary" : "secondary"}
        ?disabled=${busy} @click=${() => h.startMove(b)}>${b.label}</fluent-button>`)}
      ${w.closed && w.yourRole === "performer" && !guest ? html`<fluent-button data-action="save-as-role" appearance="secondary" ?disabled=${busy}
        @click=${() => h.saveAsRole(w.id, w.concern)}>Save as a role</fluent-button>` : nothing}
    </div>`}
    ${extras.depth ? extras.depth(v, busy) : nothing}
  </article>`;
}

/**
 * The other party acts through personal links mailed to them; the person may stop those links. Two steps: the first
 * click only asks, saying what it does (and that a later mail brings them a new link).
 */
function revokeView(email: string, confirming: boolean, busy: boolean, h: Handlers): TemplateResult {
  if (!confirming) {
    return html`<div class="revoke"><fluent-button size="small" appearance="subtle" data-action="revoke" ?disabled=${busy}
      @click=${() => h.askRevoke()}>Stop the link mailed to ${email}</fluent-button></div>`;
  }
  return html`<div class="revoke confirm" role="group" aria-label="Stop the personal link">
    <p>The links in mails already sent to ${email} will stop opening this workflow. A later mail about it brings them a new one.</p>
    <fluent-button size="small" appearance="primary" data-action="confirm-revoke" ?disabled=${busy} @click=${() => h.confirmRevoke()}>Stop the link</fluent-button>
    <fluent-button size="small" data-action="cancel-revoke" @click=${() => h.cancelRevoke()}>Keep it</fluent-button>
  </div>`;
}

/** `replyBy`: the running reply-by, which a nudge may extend (to a later day only). */
function moveForm(p: PendingMove, busy: boolean, h: Handlers, replyBy?: string | null): TemplateResult {
  const input = p.button.input;
  return html`<form class="move-form" @submit=${(e: Event) => { e.preventDefault(); h.sendMove(); }}>
    <h3>${p.button.label}</h3>
    ${input === "terms" ? html`
      <label>Conditions of satisfaction <textarea .value=${p.conditions} @input=${(e: Event) => h.editMove("conditions", valueOf(e))}></textarea></label>
      <label>Due by <input type="date" .value=${p.dueBy} @input=${(e: Event) => h.editMove("dueBy", valueOf(e))}></label>` : nothing}
    ${input === "replyBy" ? html`<label>I'll answer by <input type="date" required .value=${p.replyBy} @input=${(e: Event) => h.editMove("replyBy", valueOf(e))}></label>` : nothing}
    ${input === "gaps" ? html`<label>What is missing <textarea required .value=${p.text} @input=${(e: Event) => h.editMove("text", valueOf(e))}></textarea></label>` : nothing}
    ${input === "nudge" ? html`<label>Give them until (optional) <input type="date" name="replyBy" .value=${p.replyBy}
        min=${localDay(replyBy && new Date(replyBy) > new Date() ? new Date(replyBy) : new Date())} aria-describedby="nudge-reply-by"
        @input=${(e: Event) => h.editMove("replyBy", valueOf(e))}></label>
      <small id="nudge-reply-by" class="muted">${replyBy ? `${clockText("replyBy", replyBy, new Date(replyBy) < new Date())}. ` : ""}Leave it empty to keep that.</small>` : nothing}
    ${input === "text" || input === "nudge" ? html`<label>Note (optional) <textarea .value=${p.text} @input=${(e: Event) => h.editMove("text", valueOf(e))}></textarea></label>` : nothing}
    <div class="moves">
      <fluent-button appearance="primary" type="submit" ?disabled=${busy}>${p.button.label}</fluent-button>
      <fluent-button type="button" @click=${() => h.cancelMove()}>Back</fluent-button>
    </div>
  </form>`;
}

/** A date field's value (yyyy-mm-dd) for the day `at` falls on here. */
function localDay(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`;
}

function itemView(s: ViewState, h: Handlers): TemplateResult {
  const item = s.item!;
  const what = item.kind === "message" ? "this thread" : "this meeting";
  return html`<section class="section" aria-label="Current item">
    <h2>Workflows in ${what}</h2>
    ${s.linked === undefined ? html`<fluent-spinner size="tiny"></fluent-spinner>` : s.linked.length === 0
      ? html`<p class="muted">None yet.</p>`
      : summaryList(s.linked, h)}
    ${suggestionsView(offersFor(item, s.linked, s.suggestions), s.busy, h)}
    ${item.kind === "appointment" && s.meeting ? outlookMeetingView(s.meeting, s.busy, h) : nothing}
    ${linkForm(s, h)}
    ${trackForm(s, h)}
  </section>`;
}


/** Link this thread or meeting to a workflow it serves that is not linked yet. */
function linkForm(s: ViewState, h: Handlers): TemplateResult {
  const linked = new Set((s.linked ?? []).map((l) => l.id));
  const candidates = (s.all ?? []).filter((w) => !linked.has(w.id) && w.quadrant !== "closed");
  if (candidates.length === 0) return html``;
  let chosen = candidates[0]!.id;
  return html`<form class="link" @submit=${(e: Event) => { e.preventDefault(); h.linkExisting(chosen); }}>
    <label>Link to a workflow
      <select @change=${(e: Event) => { chosen = valueOf(e); }}>
        ${candidates.map((w) => html`<option value=${w.id}>${w.quadrant} · ${w.concern} (${w.counterpart})</option>`)}
      </select></label>
    <fluent-button type="submit" ?disabled=${s.busy}>Link</fluent-button>
  </form>`;
}

function trackForm(s: ViewState, h: Handlers): TemplateResult {
  const t = s.track;
  const { choices, start } = trackChoices(s.item, t);
  const recorded = start !== "draft";
  const invalid = (missing: boolean) => (t.problem && missing ? "true" : "false");
  const field = (name: TrackField, label: string, type = "text", required = false) => html`<label>${label}
    <input type=${type} name=${name} .value=${t[name]} aria-required=${required ? "true" : "false"} aria-invalid=${invalid(required && !t[name])}
      aria-describedby=${required && t.problem ? "track-problem" : nothing} @input=${(e: Event) => h.editTrack(name, valueOf(e))}></label>`;
  return html`<form class="track" @submit=${(e: Event) => { e.preventDefault(); h.track(); }}>
    <h3>Track this</h3>
    ${field("concern", "Concern")}
    ${field("customer", "Customer (email or me)")}
    ${field("performer", "Performer (email or me)")}
    ${choices.length > 1 ? html`<fieldset class="start">
      <legend>What happened</legend>
      ${choices.map((c) => html`<label class="choice"><input type="radio" name="start" value=${c.start} .checked=${start === c.start}
        @change=${() => h.chooseStart(c.start)}> ${c.label}</label>`)}
      ${recorded ? html`<small class="muted">The other party is told by mail and can dispute it.</small>` : nothing}
    </fieldset>` : nothing}
    <label>Conditions of satisfaction <textarea name="conditions" .value=${t.conditions} aria-required=${recorded ? "true" : "false"}
      aria-invalid=${invalid(recorded && !t.conditions.trim())} aria-describedby=${recorded && t.problem ? "track-problem" : nothing}
      @input=${(e: Event) => h.editTrack("conditions", valueOf(e))}></textarea></label>
    ${field("dueBy", "Due by", "date", recorded)}
    ${t.problem ? html`<p class="problem" id="track-problem" role="alert">${t.problem}</p>` : nothing}
    <fluent-button appearance="primary" type="submit" ?disabled=${s.busy}>Track this</fluent-button>
  </form>`;
}

export function summaryList(items: WorkflowSummary[], h: Handlers, now = new Date()): TemplateResult {
  return html`<ul class="list">${items.map((i) => html`<li>
    <button class="row" @click=${() => h.openWorkflow(i.id)}>
      ${quadrantBadge(i.quadrant)}
      <span class="concern">${i.concern}</span>${proposedBadge(i)}
      <span class="meta">${i.stateLabel} · ${i.counterpart}${i.yourMove ? " · your move" : ""}${i.objective ? " · objective" : ""}${i.partOf ? ` · ${i.partOf === "dual" ? "a dual" : "delegated"}` : ""}
        ${runningClocks(i).map((c) => html` · <span class=${c.at < now ? "overdue" : ""}>${clockText(c.kind, c.at.toISOString(), c.at < now)}</span>`)}</span>
    </button></li>`)}</ul>`;
}

function listsView(s: ViewState, h: Handlers): TemplateResult {
  const counts = loopCounts(s.all ?? []);
  const now = new Date();
  const shown = (s.list ?? []).filter((i) => (!s.quadrant || i.quadrant === s.quadrant) && (!s.day || dueDaysOf(i, now).has(s.day)));
  return html`<section class="section" aria-label="My lists">
    <h2>My loops</h2>
    <div class="loop" role="group" aria-label="Workflows per quadrant">
      ${(["Q1", "Q2", "Q3", "Q4"] as const).map((q, n) => html`${n > 0 ? html`<span class="arrow" aria-hidden="true">→</span>` : nothing}
        <button class="quadrant ${q.toLowerCase()} ${s.quadrant === q ? "selected" : ""}" aria-pressed=${s.quadrant === q ? "true" : "false"}
          @click=${() => h.filterQuadrant(s.quadrant === q ? undefined : q)}>
          <strong>${QUADRANT_TEXT[q].badge}</strong><span>${QUADRANT_TEXT[q].name}</span>
          <span class="count">${counts[q].total}</span><span class="mine">${counts[q].waitingOnMe} on me</span>
        </button>`)}
    </div>
    ${s.all === undefined ? nothing : dueView(s, h, now)}
    ${filtersView(s, h)}
    <div class="tabs" role="tablist">
      ${LIST_TABS.map((t) => html`<fluent-button role="tab" aria-selected=${s.tab === t.id ? "true" : "false"}
        appearance=${s.tab === t.id ? "primary" : "subtle"} @click=${() => h.showTab(t.id)}>${t.label}</fluent-button>`)}
    </div>
    ${s.list === undefined ? html`<fluent-spinner size="tiny"></fluent-spinner>` : shown.length === 0
      ? html`<p class="muted">${s.quadrant || s.day ? "Nothing in this list matches the filters." : "Nothing here."}</p>` : summaryList(shown, h, now)}
  </section>`;
}

/**
 * What falls due in the coming weeks: an Overdue bucket, then week rows from today with a count on each day that has
 * something due. A day with something (or the day picked) is a toggle button that filters the list; within a picked
 * quadrant, the timeline counts only that quadrant's workflows. A button's name is its visually hidden full text
 * ("Tue, Dec 8: 2 due"), so it holds everything its short face shows.
 */
function dueView(s: ViewState, h: Handlers, now: Date): TemplateResult {
  const firstDay = firstDayOfWeek();
  const active = (s.all ?? []).filter((i) => i.quadrant !== "closed" && (!s.quadrant || i.quadrant === s.quadrant));
  const t = timeline(active, now, { firstDay });
  const toggle = (day: DueDay) => h.filterDay(s.day === day ? undefined : day);
  const pressed = (day: DueDay) => (s.day === day ? "true" : "false");
  const firstShown = t.weeks.flat().find((c) => c !== null)?.day;
  const dayCell = (cell: TimelineDay | null) => {
    if (!cell) return html`<span class="day blank" aria-hidden="true"></span>`;
    const date = cell.day === firstShown || cell.day.endsWith("-01") ? monthDayText(cell.day) : String(Number(cell.day.slice(8)));
    const classes = `day${cell.today ? " today" : ""}${s.day === cell.day ? " selected" : ""}`;
    return cell.ids.length > 0 || s.day === cell.day
      ? html`<button class="${classes} has" data-day=${cell.day} aria-pressed=${pressed(cell.day)} @click=${() => toggle(cell.day)}>
          <span class="sr-only">${dayName(cell)}</span>
          <span class="face" aria-hidden="true"><span class="date">${date}</span><span class="count">${cell.ids.length}</span></span></button>`
      : html`<span class=${classes} aria-hidden="true"><span class="date">${date}</span></span>`;
  };
  return html`<div class="due" role="group" aria-labelledby="due-heading">
    <h3 id="due-heading">Falling due${s.quadrant ? html` <small>(${s.quadrant} only)</small>` : nothing}</h3>
    ${t.overdue.length > 0 || s.day === OVERDUE
      ? html`<button class="overdue-bucket ${s.day === OVERDUE ? "selected" : ""}" aria-pressed=${pressed(OVERDUE)} @click=${() => toggle(OVERDUE)}>
          <span class="sr-only">Overdue: ${t.overdue.length}</span>
          <span class="face" aria-hidden="true">⚠ Overdue <span class="count">${t.overdue.length}</span></span></button>`
      : html`<p class="muted nothing-overdue">Nothing overdue.</p>`}
    <div class="days">
      ${weekdayHeads(firstDay).map((d) => html`<span class="head" aria-hidden="true">${d}</span>`)}
      ${t.weeks.flat().map(dayCell)}
    </div>
    ${t.later.length > 0 ? html`<p class="muted later">${t.later.length} more due later.</p>` : nothing}
  </div>`;
}

/** Which filters narrow the list, in words, with one way to clear them; announced when they change. */
function filtersView(s: ViewState, h: Handlers): TemplateResult {
  const parts = [
    s.quadrant ? `${QUADRANT_TEXT[s.quadrant].badge} ${QUADRANT_TEXT[s.quadrant].name}` : "",
    s.day === OVERDUE ? "overdue" : s.day ? `due ${dayText(s.day)}` : "",
  ].filter((p) => p);
  return html`<div class="filters">
    <span role="status">${parts.length > 0 ? `Showing only: ${parts.join(" · ")}` : ""}</span>
    ${parts.length > 0 ? html`<fluent-button size="small" @click=${() => h.clearFilters()}>Clear filters</fluent-button>` : nothing}
  </div>`;
}
