import type { ClockKind, HistoryEntry, MoveName, Party, PartyRole, Quadrant, ReviewItem, ReviewSection, Start, Workflow, WorkflowSummary } from "../api/client";
import type { ItemContext } from "../mailbox";

/** What each move asks for before it is sent. */
export type MoveInput = "terms" | "replyBy" | "gaps" | "text" | "nudge";

interface MoveText { label: string; input?: MoveInput; primary?: boolean }

/**
 * Plain words for every move (workflow-model.md, "Language in daily use"); the API keeps the exact names. Partial:
 * a move the API gains reaches the generated types at once, and shows by its name until it has words here.
 */
export const MOVE_TEXT: Partial<Record<MoveName, MoveText>> = {
  request: { label: "Ask", input: "terms", primary: true },
  offer: { label: "Offer to do it", input: "terms", primary: true },
  withdraw: { label: "Withdraw" },
  promise: { label: "Promise", primary: true },
  counter: { label: "Counter-offer", input: "terms" },
  decline: { label: "Decline" },
  commitToCommit: { label: "I'll answer by…", input: "replyBy" },
  nudge: { label: "Nudge — remind them", input: "nudge" },
  accept: { label: "Accept", primary: true },
  reportComplete: { label: "Done — ready for review", input: "text", primary: true },
  renege: { label: "I can't do it after all" },
  cancel: { label: "Cancel it" },
  proposeChange: { label: "Propose a change", input: "terms" },
  acceptChange: { label: "Accept the change", primary: true },
  rejectChange: { label: "Keep the old terms" },
  withdrawChange: { label: "Withdraw my change" },
  checkIn: { label: "Check in", input: "text" },
  reportProgress: { label: "Report progress", input: "text" },
  declareSatisfied: { label: "I'm satisfied", primary: true },
  declareNotSatisfied: { label: "Not yet — here's what's missing", input: "gaps" },
  note: { label: "Add a note", input: "text" },
  repeat: { label: "Do it again" },
  setCheckIns: { label: "Set check-ins" },
  markObjective: { label: "Mark as objective" },
  shareWithParent: { label: "Share with the customer above" },
  giveFeedback: { label: "Send feedback" },
};

/** Moves the card's depth (ui/depth.ts) offers as controls of their own: a cadence, two toggles, the feedback form. */
const SHOWN_APART = new Set<MoveName>(["setCheckIns", "markObjective", "shareWithParent", "giveFeedback"]);

export interface MoveButton { move: MoveName; label: string; input: MoveInput | undefined; primary: boolean }

/**
 * Exactly the moves the server says I may make now, in its order. A move this build has no words for (a server newer
 * than the pane) is offered by its name, asking for nothing: the server says what is missing if it needs details.
 */
export function moveButtons(workflow: Pick<Workflow, "availableMoves">): MoveButton[] {
  return workflow.availableMoves.filter((move) => !SHOWN_APART.has(move)).map((move) => {
    const text = Object.hasOwn(MOVE_TEXT, move) ? MOVE_TEXT[move] : undefined;
    return { move, label: text?.label ?? move, input: text?.input, primary: text?.primary ?? false };
  });
}

export const QUADRANT_TEXT: Record<Quadrant, { badge: string; name: string }> = {
  Q1: { badge: "Q1", name: "Listen" },
  Q2: { badge: "Q2", name: "Negotiate" },
  Q3: { badge: "Q3", name: "Execute" },
  Q4: { badge: "Q4", name: "Assess" },
  closed: { badge: "Closed", name: "Closed" },
};

const CLOCK_TEXT: Record<ClockKind, string> = { replyBy: "Answer by", dueBy: "Due by", assessBy: "Review by" };

export function clockText(kind: ClockKind, at: string, overdue = false): string {
  return `${CLOCK_TEXT[kind]} ${formatDate(at)}${overdue ? " (overdue)" : ""}`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/**
 * A party as the card names it. `you`: the reader is this party — signed in, or acting through their mailed link, where
 * "not signed in yet" would be news to nobody: their address says whom they act as.
 */
export function partyText(party: Party, you = false): string {
  const name = party.displayName && party.displayName !== party.email ? `${party.displayName} <${party.email}>` : party.email;
  if (you) return `${party.pending ? party.email : name} — you`;
  if (party.pending) return `${name} (not signed in yet)`;
  // Whom a typed address was bound to, so a wrong binding shows at once.
  return party.invitedAs ? `${name}, found for ${party.invitedAs}` : name;
}

export function whoseMoveText(w: Pick<Workflow, "closed" | "yourMove" | "whoseMove" | "customer" | "performer">): string {
  if (w.closed || !w.whoseMove) return "Nobody's move — it is closed.";
  if (w.yourMove) return "Your move.";
  const other = w.whoseMove === "customer" ? w.customer : w.performer;
  return `Waiting on ${other.displayName || other.email}.`;
}

/** The people proposed when tracking an item: the sender is the customer and I perform — reversed if I sent it. */
export function proposeParties(item: ItemContext | null): { customer: string; performer: string } {
  if (!item) return { customer: "me", performer: "" };
  if (item.kind === "appointment") return { customer: "me", performer: "" };
  if (item.sentByMe) return { customer: "me", performer: item.to[0]?.email ?? "" };
  return { customer: item.from?.email ?? "", performer: "me" };
}

/** One way to record what happened in the mail, in the reader's words. */
export interface StartChoice { start: Start; label: string }

/**
 * Which side of the tracked item the reader is on, from the parties as the form has them now ("me" or the mailbox's
 * own address), and the other party's first name where the mail names them. No side when the reader is both or
 * neither: then the item can only be tracked as a draft.
 */
export function trackSide(item: ItemContext | null, parties: { customer: string; performer: string }):
  { side: PartyRole | undefined; otherName: string | undefined } {
  const mine = (value: string) => {
    const v = value.trim().toLowerCase();
    return v === "me" || (!!item && v === item.me.email.toLowerCase());
  };
  const customer = mine(parties.customer), performer = mine(parties.performer);
  const side = customer === performer ? undefined : customer ? "customer" : "performer";
  const otherEmail = (side === "customer" ? parties.performer : parties.customer).trim().toLowerCase();
  const people = item?.kind === "message" ? [item.from, ...item.to] : [];
  const name = people.find((p) => p?.email.toLowerCase() === otherEmail)?.name.trim().split(/\s+/)[0];
  return { side, otherName: name && !name.includes("@") ? name : undefined };
}

/**
 * The ways to start, offered by side: the performer records the request they received (and may promise at once); the
 * customer asks at once, or records the promise they were given. Tracking as a draft is always first, and the default.
 */
export function startChoices(side: PartyRole | undefined, otherName: string | undefined): StartChoice[] {
  const they = otherName ?? "They";
  const draft: StartChoice = { start: "draft", label: "Just track it (draft)" };
  if (side === "performer") {
    return [draft, { start: "requested", label: `${they} asked me` }, { start: "promised", label: `${they} asked me, and I promise` }];
  }
  if (side === "customer") return [draft, { start: "requested", label: "Ask now" }, { start: "promised", label: `${they} promised me` }];
  return [draft];
}

/** The choices the form offers now, and the one it stands on: the one made, when still offered; a draft otherwise. */
export function trackChoices(item: ItemContext | null, track: { customer: string; performer: string; start: Start }):
  { choices: StartChoice[]; start: Start } {
  const { side, otherName } = trackSide(item, track);
  const choices = startChoices(side, otherName);
  return { choices, start: choices.some((c) => c.start === track.start) ? track.start : "draft" };
}

/** Anything but a draft tells the other party what was agreed or asked: it needs the conditions and a due date. */
export function trackProblem(start: Start, form: { conditions: string; dueBy: string }): string | undefined {
  if (start === "draft") return undefined;
  const missing = [form.conditions.trim() ? "" : "the conditions of satisfaction", form.dueBy ? "" : "a due date"].filter((m) => m);
  return missing.length ? `To record it as ${start === "promised" ? "promised" : "asked"}, give ${missing.join(" and ")}.` : undefined;
}

export interface LoopCounts { total: number; waitingOnMe: number }

/** The picture of my loops: how many workflows stand in each quadrant, and how many of those wait on me. */
export function loopCounts(items: WorkflowSummary[]): Record<"Q1" | "Q2" | "Q3" | "Q4", LoopCounts> {
  const counts = { Q1: { total: 0, waitingOnMe: 0 }, Q2: { total: 0, waitingOnMe: 0 }, Q3: { total: 0, waitingOnMe: 0 }, Q4: { total: 0, waitingOnMe: 0 } };
  for (const item of items) {
    if (item.quadrant === "closed") continue;
    counts[item.quadrant].total += 1;
    if (item.yourMove) counts[item.quadrant].waitingOnMe += 1;
  }
  return counts;
}

export type ListTab = "iOwe" | "owedToMe" | "myMove" | "dueForAssessment";
export const LIST_TABS: { id: ListTab; label: string }[] = [
  { id: "iOwe", label: "I owe" },
  { id: "owedToMe", label: "Owed to me" },
  { id: "myMove", label: "My move" },
  { id: "dueForAssessment", label: "Due for assessment" },
];

/** One version of the conditions of satisfaction, as the card's history lists it. */
export interface TermsVersionLine { version: number; text: string; proposed: string; promised?: string }

const PROMISING_EVENTS = new Set(["promised", "counterAccepted", "changeAccepted"]);

/**
 * How the terms evolved: each version proposed (by whom, when, what, by when) and, where it became the promise, when.
 * A request that keeps the terms proposed at opening repeats a version; it is listed once.
 */
export function termsVersions(history: HistoryEntry[]): TermsVersionLine[] {
  const lines = new Map<number, TermsVersionLine>();
  for (const entry of history) {
    const terms = entry.details.terms;
    if (terms && !lines.has(terms.version)) {
      lines.set(terms.version, {
        version: terms.version,
        text: `${terms.conditions || "—"}${terms.dueBy ? `, by ${formatDate(terms.dueBy)}` : ""}`,
        proposed: `proposed by ${entry.who}, ${formatDate(entry.at)}`,
      });
    }
    const fixed = entry.details.termsVersion;
    const line = fixed === undefined ? undefined : lines.get(fixed);
    if (line && PROMISING_EVENTS.has(entry.event)) {
      line.promised = `promised ${formatDate(entry.at)}`;
    }
  }
  return [...lines.values()].sort((a, b) => b.version - a.version);
}

/**
 * The weekly review's sections, in the digest mail's order and words (functions/Workflow.Application/Review/
 * DigestContent.cs; test/review-labels.test.ts fails when the two differ), so the page and the mail read alike.
 */
export const REVIEW_SECTIONS: readonly { id: ReviewSection; title: string; hint: string }[] = [
  { id: "dueForAssessment", title: "Waiting for your assessment", hint: "Work reported done to you. Are you satisfied?" },
  { id: "myPromisesDue", title: "Your promises due this week", hint: "Done? Report it. Not going to make it? Renegotiate now." },
  { id: "waitingOnMyAnswer", title: "Waiting for your answer", hint: "Requests and changes others proposed to you." },
  { id: "noAnswerToMe", title: "No answer yet", hint: "Past their reply-by: nudge, extend, or withdraw?" },
  { id: "noRecentCheckIn", title: "Time to check in", hint: "Promises made to you that you have not asked about lately." },
  { id: "waitingOnOthers", title: "Waiting on others", hint: "Nothing to do but know it." },
];

/** The mail's words when nothing is in the review. */
export const REVIEW_EMPTY = "Nothing is waiting on you or on others this week.";

/** The review's items under their sections, in REVIEW_SECTIONS' order; sections with nothing in them are left out. */
export function reviewSections(items: readonly ReviewItem[]): { id: ReviewSection; title: string; hint: string; items: ReviewItem[] }[] {
  return REVIEW_SECTIONS.map((s) => ({ ...s, items: items.filter((i) => i.section === s.id) })).filter((s) => s.items.length > 0);
}

/** One review line's second line, as the mail words it: who it is for, when it falls due, how long it has waited. */
export function reviewItemText(item: ReviewItem): { who: string; when: string | undefined; waiting: string | undefined } {
  const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
  return {
    who: item.yourRole === "customer" ? `for you, by ${item.counterpart}` : `you for ${item.counterpart}`,
    when: item.by ? `${item.overdue ? "overdue since" : "by"} ${day(item.by)}` : undefined,
    waiting: item.section === "waitingOnOthers" && item.waitingDays >= 1 ? `waiting ${item.waitingDays} days` : undefined,
  };
}

/** What a deep link's move turned into when the workflow no longer offers it to the viewer. */
export function moveGoneText(move: MoveName, stateLabel: string): string {
  const label = Object.hasOwn(MOVE_TEXT, move) ? MOVE_TEXT[move]?.label ?? move : move;
  return `That move ("${label}") is no longer available — the workflow is now ${stateLabel}.`;
}

/** "You are acting as …": who holds a personal link, and for which party, in the guest view's banner. */
export function guestBannerText(w: Pick<Workflow, "yourRole" | "customer" | "performer">): string {
  return `You are acting as ${w[w.yourRole].email}, the ${w.yourRole}, through the link mailed to you.`;
}

/**
 * Why a personal link did not open its workflow, in plain words: by the API's problem type where it says (401 none or
 * malformed, 404 unknown, 410 expired or no longer valid), by the status otherwise.
 */
export function guestProblemText(status: number, kind: string): string {
  if (status === 401) return "This link is not complete. Open the whole link from your mail.";
  if (status === 404) return "This link is not valid. Check that the whole link from the mail was opened, or ask the other party to send it again.";
  if (status === 410 && kind === "link-expired") return "This link has expired. The next mail about this workflow brings a new one.";
  if (status === 410) return "This link no longer opens the workflow: the other party stopped it, or your address now has an account here — sign in instead.";
  return "";
}

/** The other party, when their moves come through personal links (outside the organisation: pending, never bound). */
export function guestParty(w: Pick<Workflow, "yourRole" | "customer" | "performer" | "closed">): Party | undefined {
  const other = w.yourRole === "customer" ? w.performer : w.customer;
  return other.pending && !w.closed ? other : undefined;
}

/** One event of the card's history: what happened, who, when, and how when it came through a personal link. */
export interface EventLine { version: number; text: string; who: string; at: string; via: string | undefined }

const VIA_TEXT: Record<string, string> = { mailedLink: "via mailed link" };

/** Every event, newest first, in plain words ("counterAccepted" → "Counter accepted"). */
export function eventLines(history: HistoryEntry[]): EventLine[] {
  return history.map((e) => ({
    version: e.version,
    text: e.event.replace(/([A-Z])/g, " $1").toLowerCase().replace(/^./, (c) => c.toUpperCase()),
    who: e.who,
    at: formatDate(e.at),
    via: e.via ? VIA_TEXT[e.via] ?? `via ${e.via}` : undefined,
  })).reverse();
}
