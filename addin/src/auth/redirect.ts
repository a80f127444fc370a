// The sign-in redirect page: hands Entra's answer to the pane that opened the popup (or the hidden frame) and closes.
// MSAL 5 delivers popup and silent-frame answers only through this bridge, so the pane itself is never the redirect.
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";

broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = `Sign-in could not finish: ${error instanceof Error ? error.message : String(error)}`;
});
