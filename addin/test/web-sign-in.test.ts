// The web app's sign-in outside Office: which mode a page takes, and MSAL's redirect flow with the link's query kept
// across the round trip to Entra. MSAL itself is a stand-in here: these pin what we ask of it and what we do with
// its answers.
import { describe, expect, it, vi } from "vitest";
import { authConfigFrom, recallReturn, redirectSession, rememberReturn, signInModeFor, type MsalModule } from "../src/auth";

const production = authConfigFrom({ VITE_AUTH_MODE: "naa", VITE_CLIENT_ID: "client", VITE_API_SCOPE: "api://a/access_as_user" }, "https://web.example.net");
const config = production.mode === "naa" ? production : (() => { throw new Error("expected the production config"); })();

describe("which sign-in a page takes", () => {
  it("a development build signs in locally, in Outlook or not", () => {
    const local = authConfigFrom({ VITE_AUTH_MODE: "local" }, "https://localhost:3000");
    expect(signInModeFor(local, "Outlook")).toBe("local");
    expect(signInModeFor(local, null)).toBe("local");
  });

  it("a production build uses NAA inside Office and the redirect flow in a plain browser tab", () => {
    expect(signInModeFor(production, "Outlook")).toBe("naa");
    expect(signInModeFor(production, null)).toBe("redirect");
  });
});

/** sessionStorage as a Map. */
function storage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => { items.set(k, v); },
    removeItem: (k: string) => { items.delete(k); },
  };
}

class InteractionRequiredAuthError extends Error {}
const account = { username: "alice@contoso.com", homeAccountId: "h" };

/** A stand-in MSAL module; `returned` is what handleRedirectPromise finds in the URL (null: not a return from Entra). */
function fakeMsal(returned: { state?: string; account: typeof account } | null, accounts: (typeof account)[] = []) {
  const app = {
    handleRedirectPromise: vi.fn(async () => returned),
    getActiveAccount: vi.fn(() => null),
    getAllAccounts: vi.fn(() => accounts),
    setActiveAccount: vi.fn(),
    loginRedirect: vi.fn(async () => undefined),
    acquireTokenRedirect: vi.fn(async () => undefined),
    acquireTokenSilent: vi.fn(async () => ({ accessToken: "silent-token" })),
  };
  const create = vi.fn(async () => app);
  const module = {
    createStandardPublicClientApplication: create,
    BrowserCacheLocation: { SessionStorage: "sessionStorage", MemoryStorage: "memoryStorage", LocalStorage: "localStorage" },
    InteractionRequiredAuthError,
  } as unknown as MsalModule;
  return { app, create, load: async () => module };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setTimeout(r, 0));
  return done;
};

describe("the redirect sign-in", () => {
  it("configures the standard client to come back to the web app's page, caching in sessionStorage", async () => {
    const msal = fakeMsal(null, [account]);
    await redirectSession(config, { search: () => "", storage: storage() }, msal.load);
    expect(msal.create).toHaveBeenCalledWith({
      auth: { clientId: "client", authority: "https://login.microsoftonline.com/organizations", redirectUri: "https://web.example.net/index.html" },
      cache: { cacheLocation: "sessionStorage" },
    });
    expect(msal.app.handleRedirectPromise).toHaveBeenCalledWith({ navigateToLoginRequestUrl: false });
  });

  it("with nobody signed in, goes to Entra with the link's query put aside under the state it sends, and stays pending", async () => {
    const msal = fakeMsal(null);
    const kept = storage();
    const pending = redirectSession(config, { search: () => "?workflow=0123456789abcdef0123456789abcdef&move=promise", storage: kept }, msal.load);
    expect(await settled(pending)).toBe(false);
    expect(msal.app.loginRedirect).toHaveBeenCalledTimes(1);
    const { scopes, state } = (msal.app.loginRedirect.mock.calls[0] as unknown as [{ scopes: string[]; state: string }])[0];
    expect(scopes).toEqual(["api://a/access_as_user"]);
    // The state is a key, not the query: no URL travels to Entra and back.
    expect(state).not.toContain("workflow");
    expect(recallReturn(kept, state)).toBe("?workflow=0123456789abcdef0123456789abcdef&move=promise");
  });

  it("back from Entra, gives the query back and signs in the account Entra returned; tokens then come silently", async () => {
    const kept = storage();
    const state = rememberReturn(kept, "?view=review");
    const msal = fakeMsal({ state, account });
    const { session, returnedFrom } = await redirectSession(config, { search: () => "", storage: kept }, msal.load);
    expect(returnedFrom).toBe("?view=review");
    expect(kept.items.size).toBe(0); // used once
    expect(msal.app.setActiveAccount).toHaveBeenCalledWith(account);
    expect(session.who).toBe("alice@contoso.com");
    expect(await session.token()).toBe("silent-token");
    expect(msal.app.acquireTokenSilent).toHaveBeenCalledWith({ scopes: ["api://a/access_as_user"], account });
    expect(msal.app.loginRedirect).not.toHaveBeenCalled();
  });

  it("a return whose state is not the one put aside restores nothing", async () => {
    const kept = storage();
    rememberReturn(kept, "?workflow=0123456789abcdef0123456789abcdef");
    const msal = fakeMsal({ state: "someone-else's", account });
    expect((await redirectSession(config, { search: () => "", storage: kept }, msal.load)).returnedFrom).toBeUndefined();
  });

  it("an ordinary load with an account in the tab's cache neither redirects nor restores", async () => {
    const msal = fakeMsal(null, [account]);
    const result = await redirectSession(config, { search: () => "?workflow=0123456789abcdef0123456789abcdef", storage: storage() }, msal.load);
    expect(result.returnedFrom).toBeUndefined();
    expect(msal.app.loginRedirect).not.toHaveBeenCalled();
    expect(result.session.who).toBe("alice@contoso.com");
  });

  it("when Entra needs the person again, redirects for the token with the page's current query put aside", async () => {
    const msal = fakeMsal(null, [account]);
    msal.app.acquireTokenSilent.mockRejectedValue(new InteractionRequiredAuthError("consent"));
    const kept = storage();
    let search = "";
    const { session } = await redirectSession(config, { search: () => search, storage: kept }, msal.load);
    search = "?workflow=0123456789abcdef0123456789abcdef"; // the person opened a card since the page loaded
    expect(await settled(session.token())).toBe(false);
    const request = (msal.app.acquireTokenRedirect.mock.calls[0] as unknown as [{ scopes: string[]; account: unknown; state: string }])[0];
    expect(request.account).toBe(account);
    expect(recallReturn(kept, request.state)).toBe(search);
  });

  it("any other token failure is an error, not a redirect", async () => {
    const msal = fakeMsal(null, [account]);
    msal.app.acquireTokenSilent.mockRejectedValue(new Error("network down"));
    const { session } = await redirectSession(config, { search: () => "", storage: storage() }, msal.load);
    await expect(session.token()).rejects.toThrow("network down");
    expect(msal.app.acquireTokenRedirect).not.toHaveBeenCalled();
  });
});
