// The MSAL pieces Nested App Authentication needs, by name: the bundler then leaves the standard client's code (the
// web page's redirect sign-in, msal-web.ts) out of what Outlook and Teams load.
export { BrowserCacheLocation, createNestablePublicClientApplication, InteractionRequiredAuthError } from "@azure/msal-browser";
