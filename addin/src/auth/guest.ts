/**
 * The personal link a notification mail gives someone outside the organisation: `…?workflow=<id>&move=<move>#guest=
 * <token>`. The token is in the fragment, which the browser never sends to a server; the page sends it only to our API,
 * in the Workflow-Link header. It is kept in memory and in this tab's sessionStorage (so a reload still works), never
 * localStorage, and taken out of the address bar at once so that it is not left in screenshots, history or bookmarks.
 */
const GUEST_KEY = "workflow.guestLink";
/** 32 random bytes, base64url without padding: what the API issues (and the only shape it accepts). */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type GuestLink = { token: string } | { problem: string };

export const MALFORMED_GUEST_LINK = "This link is not complete. Open the whole link from your mail — copied by hand, part of it may be missing.";

/** Reads `#guest=<token>` from a location's fragment: undefined when there is none, a problem when it is malformed. */
export function guestLinkFrom(hash: string): GuestLink | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("guest");
  if (token === null) return undefined;
  return TOKEN.test(token) ? { token } : { problem: MALFORMED_GUEST_LINK };
}

export interface GuestPage {
  /** location.hash */
  hash: string;
  storage: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  /** Takes the fragment out of the address bar (history.replaceState), keeping the query. */
  clearHash(): void;
}

/**
 * The personal link this tab acts through, if any: the fragment's (kept for a reload, and taken out of the address
 * bar), else the one this tab kept earlier. A fragment always wins over what was kept: it is the newer mail's.
 */
export function takeGuestLink(page: GuestPage): GuestLink | undefined {
  const fromFragment = guestLinkFrom(page.hash);
  if (fromFragment) {
    page.clearHash();
    if ("token" in fromFragment) page.storage.setItem(GUEST_KEY, fromFragment.token);
    else page.storage.removeItem(GUEST_KEY);
    return fromFragment;
  }
  const kept = page.storage.getItem(GUEST_KEY);
  return kept && TOKEN.test(kept) ? { token: kept } : undefined;
}

/** Forgets the kept link (the API refused it: a reload should not try it again). */
export function forgetGuestLink(storage: Pick<Storage, "removeItem">): void {
  storage.removeItem(GUEST_KEY);
}
