// The MSAL pieces the web page's redirect sign-in needs, by name (see msal-naa.ts): loaded only outside Office.
export { BrowserCacheLocation, createStandardPublicClientApplication, InteractionRequiredAuthError } from "@azure/msal-browser";
