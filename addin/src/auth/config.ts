import pane from "../../config/pane.json";

/** How the pane signs in, from Vite's env files (.env.development / .env.production). One place declares scopes. */
export type AuthConfig =
  | { mode: "local"; apiBaseUrl: string }
  | {
    mode: "naa"; apiBaseUrl: string; clientId: string; authority: string; scopes: string[];
    /** Where Entra returns popup and silent sign-ins in Outlook when NAA is not there (the redirect bridge page). */
    redirectUri: string;
    /** The web app's own page: where Entra returns a full-page (redirect) sign-in outside Office. */
    pageUri: string;
  };

/**
 * How this page signs in: the local development sign-in in a development build; in a production build, Nested App
 * Authentication inside Office (a host) and MSAL's redirect flow in a plain browser tab (no host), where NAA is not.
 */
export type SignInMode = "local" | "naa" | "redirect";

export function signInModeFor(config: AuthConfig, host: string | null): SignInMode {
  if (config.mode === "local") return "local";
  return host ? "naa" : "redirect";
}

/**
 * How the page signs in inside Teams: the local development sign-in in a development build; in a production build,
 * Nested App Authentication where Teams offers it (MSAL through the host, as in Outlook), and Teams' own single sign-on
 * (`authentication.getAuthToken`, the manifest's webApplicationInfo) where it does not.
 */
export type TeamsSignInMode = "local" | "naa" | "teamsSso";

export function teamsSignInModeFor(config: AuthConfig, naaRecommended: boolean): TeamsSignInMode {
  if (config.mode === "local") return "local";
  return naaRecommended ? "naa" : "teamsSso";
}

/**
 * `origin` is the pane's own: the redirect page (config/pane.json, the same file the app registration reads) is served
 * beside it. MSAL's default would be the page it runs on, which neither the registration nor the redirect bridge knows.
 */
export function authConfigFrom(env: Record<string, string | undefined>, origin: string): AuthConfig {
  const apiBaseUrl = env["VITE_API_BASE_URL"] ?? "";
  if ((env["VITE_AUTH_MODE"] ?? "local") === "local") return { mode: "local", apiBaseUrl };
  const clientId = env["VITE_CLIENT_ID"] ?? "";
  const apiScope = env["VITE_API_SCOPE"] ?? "";
  if (!clientId || !apiScope) throw new Error("VITE_CLIENT_ID and VITE_API_SCOPE are required when VITE_AUTH_MODE=naa.");
  return {
    mode: "naa",
    apiBaseUrl,
    clientId,
    authority: env["VITE_AUTHORITY"] ?? "https://login.microsoftonline.com/organizations",
    scopes: [apiScope],
    redirectUri: new URL(pane.authRedirect, `${origin}/`).href,
    pageUri: new URL(pane.page, `${origin}/`).href,
  };
}
