import { requestDevToken } from "../api/client";
import type { AuthConfig } from "./config";

export { authConfigFrom, signInModeFor, teamsSignInModeFor, type AuthConfig, type SignInMode, type TeamsSignInMode } from "./config";

/** Where the signed-in person's bearer token comes from. Tokens live in memory only. */
export interface Session {
  /** A valid access token for our API, refreshed as needed. */
  token(): Promise<string>;
  /** Who is signed in, if known (an email). */
  readonly who: string | undefined;
}

/**
 * Signs in with the backend's local development sign-in as `email`. Only the email is remembered (so a reload keeps
 * the same test user); the token stays in memory.
 */
export function localSession(config: Extract<AuthConfig, { mode: "local" }>, email: string, fetchImpl?: typeof fetch): Session {
  let pending: Promise<{ token: string; at: number }> | undefined;
  const lifetimeMs = 30 * 60 * 1000;
  return {
    who: email,
    async token() {
      if (!pending || Date.now() - (await pending).at > lifetimeMs) {
        pending = requestDevToken(config.apiBaseUrl, email, fetchImpl).then((token) => ({ token, at: Date.now() }));
        pending.catch(() => { pending = undefined; });
      }
      return (await pending).token;
    },
  };
}

/**
 * Nested App Authentication in Outlook, and in Teams where it offers it: MSAL is imported lazily, so the shell renders
 * while it loads, and its cache is kept in memory (never localStorage).
 */
export async function naaSession(config: Extract<AuthConfig, { mode: "naa" }>, loginHint?: string): Promise<Session> {
  const msal = await import("./msal-naa");
  const app = await msal.createNestablePublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority, redirectUri: config.redirectUri },
    cache: { cacheLocation: msal.BrowserCacheLocation.MemoryStorage },
  });
  let who = loginHint;
  const request = { scopes: config.scopes, ...(loginHint ? { loginHint } : {}) };
  return {
    get who() { return who; },
    async token() {
      try {
        const result = await app.acquireTokenSilent(request);
        who = result.account?.username ?? who;
        return result.accessToken;
      } catch (error) {
        if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
        const result = await app.acquireTokenPopup(request);
        who = result.account?.username ?? who;
        return result.accessToken;
      }
    },
  };
}

/**
 * Teams' own single sign-on, where Teams offers no Nested App Authentication: each token comes from Teams
 * (`getAuthToken`, which keeps and renews them itself) for the API named in the manifest's webApplicationInfo.
 */
export function teamsSsoSession(getAuthToken: () => Promise<string>, loginHint: string | undefined): Session {
  return { who: loginHint, token: getAuthToken };
}

/** What the web page's sign-in takes from MSAL, imported lazily; tests pass a stand-in. */
export type MsalModule = typeof import("./msal-web");
const importMsal = (): Promise<MsalModule> => import("./msal-web");

/**
 * Where the page's query (`?workflow=…&move=…`, `?view=review`) waits while the browser is at Entra: sessionStorage,
 * under a random key that travels as MSAL's `state` and comes back in the result. The key, not the query, goes in
 * `state` (MSAL's advice: no URLs or data there); a stored query whose key does not come back is never used.
 */
const RETURN_KEY = "workflow.signInReturn";

export function rememberReturn(storage: Pick<Storage, "setItem">, search: string, key: string = crypto.randomUUID()): string {
  storage.setItem(RETURN_KEY, JSON.stringify({ key, search }));
  return key;
}

export function recallReturn(storage: Pick<Storage, "getItem" | "removeItem">, state: string | undefined): string | undefined {
  const raw = storage.getItem(RETURN_KEY);
  storage.removeItem(RETURN_KEY);
  if (!raw || !state) return undefined;
  try {
    const saved = JSON.parse(raw) as { key?: unknown; search?: unknown };
    return saved.key === state && typeof saved.search === "string" ? saved.search : undefined;
  } catch {
    return undefined;
  }
}

export interface RedirectSignIn {
  session: Session;
  /** The query the page had when it went to sign in, when this load is the return from Entra (else undefined). */
  returnedFrom: string | undefined;
}

/**
 * The web app outside Office: MSAL's standard PublicClientApplication with full-page redirects, Entra returning to the
 * page itself (config.pageUri, registered by infra/register-apps.sh). Each load first lets MSAL finish a redirect it
 * started (`handleRedirectPromise`); with no account yet it sends the browser to sign in (`loginRedirect`) and the
 * returned promise never settles, as the page is leaving. Tokens come silently (`acquireTokenSilent`); when Entra needs
 * the person again (`InteractionRequiredAuthError`), `acquireTokenRedirect`. MSAL's cache is sessionStorage: the
 * redirect leaves the page, so a memory cache would forget the account on every return and every reload; this tab only,
 * gone when it closes, and never localStorage.
 */
export async function redirectSession(
  config: Extract<AuthConfig, { mode: "naa" }>,
  page: { search: () => string; storage: Pick<Storage, "getItem" | "setItem" | "removeItem"> },
  loadMsal: () => Promise<MsalModule> = importMsal,
): Promise<RedirectSignIn> {
  const msal = await loadMsal();
  const app = await msal.createStandardPublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority, redirectUri: config.pageUri },
    cache: { cacheLocation: msal.BrowserCacheLocation.SessionStorage },
  });
  // The page itself is the redirect URI, so MSAL has nowhere else to go back to: the query is restored by us, from state.
  const result = await app.handleRedirectPromise({ navigateToLoginRequestUrl: false });
  const returnedFrom = result ? recallReturn(page.storage, result.state) : undefined;
  const account = result?.account ?? app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
  const leave = (go: (state: string) => Promise<void>): Promise<never> =>
    go(rememberReturn(page.storage, page.search())).then(() => new Promise<never>(() => undefined));
  if (!account) return leave((state) => app.loginRedirect({ scopes: config.scopes, state }));
  app.setActiveAccount(account);
  return {
    returnedFrom,
    session: {
      who: account.username,
      async token() {
        try {
          return (await app.acquireTokenSilent({ scopes: config.scopes, account })).accessToken;
        } catch (error) {
          if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
          return leave((state) => app.acquireTokenRedirect({ scopes: config.scopes, account, state }));
        }
      },
    },
  };
}

export { forgetGuestLink, guestLinkFrom, takeGuestLink, MALFORMED_GUEST_LINK, type GuestLink, type GuestPage } from "./guest";
