// A Teams meeting's shared record (issue 13): in the side panel and the meeting's details tab its purpose with a
// picker, the agenda the purpose calls for, the workflows linked to it and the moves made in it; on the stage the
// agenda alone, large and read-only, for everyone to look at together. Pure views of the state, like views.ts.
import { html, nothing, type TemplateResult } from "lit-html";
import type { MeetingAgenda, MeetingOutcome, MeetingPurpose, MeetingView, WorkflowSummary } from "../api/client";
import type { TeamsSurface } from "../teams/context";
import { clockText, formatDate } from "./labels";
import { runningClocks } from "./timeline";
import { cardView, quadrantBadge, summaryList, type Handlers, type ViewState } from "./views";

export type PurposeScope = "meeting" | "occurrence";

/** The meeting the page is in, and what has been read of its record. */
export interface MeetingPanel {
  /** The server's key: `event:teams:<chat id>`. */
  key: string;
  /** The occurrence (YYYY-MM-DD) its purpose and outcomes are read for. */
  on: string;
  /** Where it shows: a Teams surface, or beside a meeting item's workflows in Outlook ("outlook"). */
  surface: Exclude<TeamsSurface, "personal"> | "outlook";
  record: MeetingView | undefined;
  agenda: MeetingAgenda | undefined;
  /** What the picker sets: the purpose of every occurrence, or of this one only. */
  scope: PurposeScope;
  /** A call for the record or the agenda that failed, in plain words, said where the record would be. */
  problem: string | undefined;
}

export interface MeetingHandlers {
  setPurpose(purpose: MeetingPurpose | null): void;
  choosePurposeScope(scope: PurposeScope): void;
  linkToMeeting(workflowId: string): void;
  unlinkFromMeeting(workflowId: string): void;
}

/** What each purpose is for, in a meeting's words: Q3 is a check-in on work being done. */
export const PURPOSE_TEXT: Record<MeetingPurpose, string> = { Q1: "Listen", Q2: "Negotiate", Q3: "Check-in", Q4: "Assess" };
const PURPOSES = ["Q1", "Q2", "Q3", "Q4"] as const;
const SCOPE_TEXT: Record<PurposeScope, string> = { meeting: "For every occurrence", occurrence: "This occurrence only" };

export function purposeText(purpose: MeetingPurpose | null): string {
  return purpose ? `${purpose} ${PURPOSE_TEXT[purpose]}` : "No purpose set";
}

export function othersLinkedText(count: number): string {
  return count === 1 ? "1 more workflow is linked that you are not a party to." : `${count} more workflows are linked that you are not a party to.`;
}

/** "Bob Baker (performer) promised: Send the contract", as the server words the move. */
export function outcomeText(o: MeetingOutcome): string {
  return `${o.byName} (${o.by}) ${o.words}: ${o.concern}`;
}

export function meetingView(s: ViewState, m: MeetingPanel, h: Handlers): TemplateResult {
  if (m.surface === "config") return configView();
  if (m.surface === "stage") return stageView(m);
  return html`${s.open ? html`<div class="detail">${cardView(s.open, s.pending, s.busy, h, s)}</div>` : nothing}
    ${m.problem ? html`<p class="problem meeting-problem" role="alert">${m.problem}</p>` : nothing}
    ${purposeView(m, s.busy, h)}
    ${agendaView(m, h)}
    ${linkedView(s, m, h)}
    ${outcomesView(m)}`;
}

/**
 * In Outlook, on a meeting item: the meeting's shared record beside the item's own workflows (which the item view
 * lists and links): its purpose with the picker, the agenda, how many others are linked, and the outcomes.
 */
export function outlookMeetingView(m: MeetingPanel, busy: boolean, h: Handlers): TemplateResult {
  return html`${m.problem ? html`<p class="problem meeting-problem" role="alert">${m.problem}</p>` : nothing}
    ${purposeView(m, busy, h)}
    ${agendaView(m, h)}
    ${m.record && m.record.othersLinked > 0 ? html`<p class="others-linked">${othersLinkedText(m.record.othersLinked)}</p>` : nothing}
    ${outcomesView(m)}`;
}

/** Shown when the app is added to a meeting: what it will do there. Teams' own Save button adds it. */
function configView(): TemplateResult {
  return html`<section class="section" aria-labelledby="config-heading">
    <h2 id="config-heading">Workflow in this meeting</h2>
    <p>Everyone in the meeting sees what it is for, the agenda that calls for, the workflows linked to it and the moves
      made in it — each person only the workflows they are a party to.</p>
    <p>Select <strong>Save</strong> to add it.</p>
  </section>`;
}

function purposeView(m: MeetingPanel, busy: boolean, h: Handlers): TemplateResult {
  const r = m.record;
  const current = r?.purpose ?? null;
  const setFor = r?.purposeSetFor === "occurrence" ? ` (this occurrence, ${m.on})` : r?.purposeSetFor === "meeting" ? " (every occurrence)" : "";
  return html`<section class="section meeting-purpose" aria-labelledby="purpose-heading">
    <h2 id="purpose-heading">This meeting is for</h2>
    ${r === undefined ? (m.problem ? nothing : html`<fluent-spinner size="tiny"></fluent-spinner>`) : html`
      <p class="purpose" role="status">${current ? quadrantBadge(current) : nothing} <span class="purpose-text">${purposeText(current)}${setFor}</span></p>
      <div class="purpose-picker" role="group" aria-label="Set what the meeting is for">
        ${PURPOSES.map((q) => html`<fluent-button size="small" data-purpose=${q} appearance=${current === q ? "primary" : "secondary"}
          aria-current=${current === q ? "true" : "false"} ?disabled=${busy} @click=${() => h.setPurpose(q)}>${q} ${PURPOSE_TEXT[q]}</fluent-button>`)}
        ${current ? html`<fluent-button size="small" appearance="subtle" data-purpose="none" ?disabled=${busy} @click=${() => h.setPurpose(null)}>Clear</fluent-button>` : nothing}
      </div>
      <fieldset class="purpose-scope">
        <legend>Set it</legend>
        ${(["meeting", "occurrence"] as const).map((scope) => html`<label class="choice"><input type="radio" name="purpose-scope" value=${scope}
          .checked=${m.scope === scope} @change=${() => h.choosePurposeScope(scope)}> ${SCOPE_TEXT[scope]}</label>`)}
      </fieldset>`}
  </section>`;
}

function agendaView(m: MeetingPanel, h: Handlers): TemplateResult {
  const a = m.agenda;
  return html`<section class="section meeting-agenda" aria-labelledby="agenda-heading">
    <h2 id="agenda-heading">Agenda</h2>
    ${a === undefined ? (m.problem ? nothing : html`<fluent-spinner size="tiny"></fluent-spinner>`)
      : !a.purpose ? html`<p class="muted">Set what the meeting is for to see what it should go through.</p>`
      : a.items.length === 0 ? html`<p class="muted">Nothing between the attendees calls for ${purposeText(a.purpose)} now.</p>`
      : summaryList(a.items, h)}
  </section>`;
}

function linkedView(s: ViewState, m: MeetingPanel, h: Handlers): TemplateResult {
  const r = m.record;
  if (!r) return html``;
  const linked = new Set(r.workflows.map((w) => w.id));
  const candidates = (s.all ?? []).filter((w) => !linked.has(w.id) && w.quadrant !== "closed");
  let chosen = candidates[0]?.id ?? "";
  return html`<section class="section meeting-linked" aria-labelledby="linked-heading">
    <h2 id="linked-heading">Linked to this meeting</h2>
    ${r.workflows.length === 0 ? html`<p class="muted">None of yours.</p>` : html`<ul class="list">${r.workflows.map((w) => html`<li class="linked-row">
      ${summaryList([w], h)}
      <fluent-button size="small" appearance="subtle" data-unlink=${w.id} ?disabled=${s.busy} aria-label="Unlink ${w.concern}"
        @click=${() => h.unlinkFromMeeting(w.id)}>Unlink</fluent-button></li>`)}</ul>`}
    ${r.othersLinked > 0 ? html`<p class="others-linked">${othersLinkedText(r.othersLinked)}</p>` : nothing}
    ${candidates.length === 0 ? nothing : html`<form class="link" @submit=${(e: Event) => { e.preventDefault(); h.linkToMeeting(chosen); }}>
      <label>Link a workflow
        <select @change=${(e: Event) => { chosen = (e.currentTarget as HTMLSelectElement).value; }}>
          ${candidates.map((w) => html`<option value=${w.id}>${w.quadrant} · ${w.concern} (${w.counterpart})</option>`)}
        </select></label>
      <fluent-button type="submit" ?disabled=${s.busy}>Link</fluent-button>
    </form>`}
  </section>`;
}

function outcomesView(m: MeetingPanel): TemplateResult {
  const r = m.record;
  if (!r) return html``;
  return html`<section class="section meeting-outcomes" aria-labelledby="outcomes-heading">
    <h2 id="outcomes-heading">Outcomes</h2>
    ${r.outcomes.length === 0 ? html`<p class="muted">No moves made in this meeting yet. A move made from this panel is recorded here.</p>`
      : html`<ol class="outcomes">${r.outcomes.map((o) => html`<li data-workflow=${o.workflowId}>${outcomeText(o)} <small>${formatDate(o.at)}</small></li>`)}</ol>`}
  </section>`;
}

/** The stage: the agenda, large, for everyone at once; nothing to press. */
function stageView(m: MeetingPanel): TemplateResult {
  const a = m.agenda;
  return html`<section class="stage" aria-labelledby="stage-heading">
    <h2 id="stage-heading">${a?.purpose ? `Agenda — ${purposeText(a.purpose)}` : "Agenda"}</h2>
    ${m.problem ? html`<p class="problem" role="alert">${m.problem}</p>`
      : a === undefined ? html`<fluent-spinner></fluent-spinner>`
      : !a.purpose ? html`<p class="muted">The meeting's purpose is not set yet: set it in the side panel.</p>`
      : a.items.length === 0 ? html`<p class="muted">Nothing between the attendees calls for ${purposeText(a.purpose)} now.</p>`
      : html`<ol class="stage-agenda">${a.items.map((i) => stageItem(i))}</ol>`}
  </section>`;
}

function stageItem(i: WorkflowSummary, now = new Date()): TemplateResult {
  return html`<li>${quadrantBadge(i.quadrant)} <span class="concern">${i.concern}</span>
    <span class="meta">${i.stateLabel} · ${i.counterpart}${runningClocks(i).map((c) => ` · ${clockText(c.kind, c.at.toISOString(), c.at < now)}`)}</span></li>`;
}
