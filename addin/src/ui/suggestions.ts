import { html, nothing, type TemplateResult } from "lit-html";
import type { ApiClient, MoveName, Start, Versioned, WorkflowSummary } from "../api/client";
import type { ItemContext } from "../mailbox";
import type { Found, Kind } from "../suggest/detect";

/**
 * The moves the open mail's own text makes (src/suggest, run on the client), offered one click away: an untracked
 * thread's request or promise opens the track form filled in; on a tracked thread, the same move on its workflow, when
 * the reader may make it now. Nothing happens without that click, and the person sends the form themselves.
 */
export interface MailSuggestions {
  /** The item they were read from: what the person dismissed is kept under it. */
  itemId: string;
  found: Found[];
  /** Keys of the suggestions dismissed for this item (never their text). */
  dismissed: string[];
  /** The thread's linked workflows with the moves I may make now: read once a found move could apply to one. */
  workflows: Versioned[] | undefined;
}

export type Offer = { key: string; found: Found; text: string; button: string } & (
  | { track: { start: Start; customer: string; performer: string } }
  | { workflowId: string; move: MoveName }
);

export interface SuggestionHandlers {
  takeSuggestion(offer: Offer): void;
  dismissSuggestion(offer: Offer): void;
}

const SHOWN = 3;

/** The move on a tracked workflow that records what the sentence says, and how the offer asks about it. */
const MOVES: Partial<Record<Kind, [MoveName, string][]>> = {
  request: [["request", "ask it"]],
  promise: [["promise", "promise it"]],
  decline: [["decline", "decline it"]],
  done: [["reportComplete", "mark it reported"]],
  counter: [["counter", "counter-offer"], ["proposeChange", "propose the change"]],
};
/**
 * On a mail received, the reader's answer to the move the sender's sentence makes, when the app's state already holds it:
 * asked of me, I promise; told it is done (and reported), I assess; countered, I accept. Offered only when it is mine now.
 */
const REPLIES: Partial<Record<Kind, [MoveName, string][]>> = {
  request: [["promise", "promise it"]],
  done: [["declareSatisfied", "assess it"]],
  counter: [["accept", "accept it"]],
};
/** What the sender does, said of someone else and of me. */
const SAYS: Record<Kind, [string, string]> = {
  request: ["asks", "ask"], promise: ["promises", "promise"], decline: ["declines", "decline"], done: ["says it's done", "say it's done"],
  counter: ["proposes", "propose"], none: ["", ""],
};

/** A suggestion's key: a hash of what it says, so what the person dismissed is remembered without keeping the text. */
export function keyOf(found: Pick<Found, "kind" | "quote">): string {
  let hash = 0x811c9dc5;
  for (const c of `${found.kind}:${found.quote}`) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(36);
}

/** What is offered now, at most three: nothing until the thread's links are known, nothing the person dismissed. */
export function offersFor(item: ItemContext | null, linked: WorkflowSummary[] | undefined, s: MailSuggestions | undefined): Offer[] {
  if (!s || item?.kind !== "message" || item.itemId !== s.itemId || linked === undefined) return [];
  const other = item.sentByMe ? item.to[0] : item.from;
  const who = item.sentByMe ? "You" : firstName(other?.name ?? other?.email ?? "They");
  return s.found.flatMap((found): Offer[] => {
    const key = keyOf(found);
    if (s.dismissed.includes(key)) return [];
    const by = found.dueBy ? ` — by ${dayText(found.dueBy)}` : "";
    if (linked.length === 0) {
      if (!other || (found.kind !== "request" && found.kind !== "promise")) return [];
      // The sender asked or promised: who the customer is follows from who wrote it.
      const senderPerforms = found.kind === "promise";
      const mePerforms = senderPerforms === item.sentByMe;
      const track = { start: found.kind === "request" ? "requested" as const : "promised" as const, customer: mePerforms ? other.email : "me", performer: mePerforms ? "me" : other.email };
      const says = item.sentByMe ? `You ${SAYS[found.kind][1]} ${firstName(other.name)}` : `${who} ${SAYS[found.kind][0]}${found.kind === "request" ? " you" : ""}`;
      return [{ key, found, text: `${says}: ${lower(found.task)}${by}. Track it?`, button: "Track it", track }];
    }
    // The same move, recorded by the one who made it in the mail; or, on a mail received, the reader's answer to it.
    const moves = [...(MOVES[found.kind] ?? []), ...(item.sentByMe ? [] : REPLIES[found.kind] ?? [])];
    for (const v of s.workflows ?? []) {
      const [move, question] = moves.find(([m]) => v.workflow.availableMoves.includes(m)) ?? [];
      if (move && question) {
        const what = found.kind === "done" ? "" : `: ${lower(found.task)}${by}`;
        const toMe = found.kind === "request" && !item.sentByMe ? " you" : "";
        const text = `${who} ${SAYS[found.kind][item.sentByMe ? 1 : 0]}${toMe}${what} — ${question}?`;
        return [{ key, found, text, button: cap(question), workflowId: v.workflow.id, move }];
      }
    }
    return [];
  }).slice(0, SHOWN);
}

/** The linked workflows as I may act on them now, read only when a found move could apply (a closed one offers none). */
export async function linkedWorkflows(api: ApiClient, linked: WorkflowSummary[]): Promise<Versioned[]> {
  return Promise.all(linked.filter((l) => l.quadrant !== "closed").slice(0, SHOWN).map((l) => api.get(l.id)));
}

export function suggestionsView(offers: Offer[], busy: boolean, h: SuggestionHandlers): TemplateResult | typeof nothing {
  if (offers.length === 0) return nothing;
  return html`<section class="suggestions" aria-labelledby="suggestions-heading">
    <h3 id="suggestions-heading">From this mail</h3>
    <ul class="list">${offers.map((o) => html`<li class="suggestion" data-kind=${o.found.kind}>
      <blockquote>${o.found.quote}</blockquote>
      <p>${o.text}</p>
      <fluent-button appearance="primary" size="small" data-action="take" aria-label="${o.button}: ${o.found.task}" ?disabled=${busy}
        @click=${() => h.takeSuggestion(o)}>${o.button}</fluent-button>
      <fluent-button size="small" data-action="dismiss" aria-label="Dismiss: ${o.found.task}" @click=${() => h.dismissSuggestion(o)}>Dismiss</fluent-button>
    </li>`)}</ul>
  </section>`;
}

const STORE = "workflow.dismissedSuggestions";
/** Dismissals are kept for this many items, the latest first; older ones are forgotten. */
const ITEMS_KEPT = 200;

/** The keys dismissed for an item (localStorage, keyed by item id); none where storage cannot be read. */
export function dismissedFor(itemId: string, storage: Storage | undefined = globalThis.localStorage): string[] {
  return stored(storage)[itemId] ?? [];
}

/** Keeps a dismissal for the item and returns the item's dismissed keys. */
export function dismiss(itemId: string, key: string, storage: Storage | undefined = globalThis.localStorage): string[] {
  const all = stored(storage);
  const keys = [...new Set([...(all[itemId] ?? []), key])];
  const kept = Object.fromEntries([[itemId, keys] as const, ...Object.entries(all).filter(([id]) => id !== itemId)].slice(0, ITEMS_KEPT));
  try { storage?.setItem(STORE, JSON.stringify(kept)); } catch { /* a full or blocked storage: dismissed until the pane closes */ }
  return keys;
}

function stored(storage: Storage | undefined): Record<string, string[]> {
  try {
    const value: unknown = JSON.parse(storage?.getItem(STORE) ?? "{}");
    return value && typeof value === "object" ? value as Record<string, string[]> : {};
  } catch {
    return {};
  }
}

const firstName = (name: string) => name.trim().split(/[\s@]/)[0] || name;
const lower = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const dayText = (iso: string) => new Date(`${iso}T12:00:00`).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
