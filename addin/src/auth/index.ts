import { requestDevToken } from "../api/client";
import type { AuthConfig } from "./config";

export { authConfigFrom, type AuthConfig } from "./config";

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
 * Nested App Authentication in Outlook: MSAL is imported lazily, so the pane's shell renders while it loads, and
 * its cache is kept in memory (never localStorage).
 */
export async function naaSession(config: Extract<AuthConfig, { mode: "naa" }>, loginHint?: string): Promise<Session> {
  const msal = await import("@azure/msal-browser");
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
