import pane from "../../config/pane.json";

/** How the pane signs in, from Vite's env files (.env.development / .env.production). One place declares scopes. */
export type AuthConfig =
  | { mode: "local"; apiBaseUrl: string }
  | { mode: "naa"; apiBaseUrl: string; clientId: string; authority: string; scopes: string[]; redirectUri: string };

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
  };
}
