// The pane, started by main.ts once index.html's shell has painted (its styles are linked by main.ts).
import "./ui/fluent";
import { ApiClient } from "./api/client";
import { authConfigFrom, forgetGuestLink, localSession, naaSession, redirectSession, signInModeFor, takeGuestLink, type Session } from "./auth";
import { QUADRANT_CATEGORIES, itemKeyOf, readBody, readCurrentItem, tagCurrentItem, whenOfficeReady } from "./mailbox";
import { App } from "./ui/app";
import { deepLinkFrom } from "./ui/deeplink";

const DEV_EMAIL_KEY = "workflow.devEmail"; // the email of the local test user, never a token

const config = authConfigFrom(import.meta.env, window.location.origin);
const clientOf = (session: Session) => new ApiClient({ baseUrl: config.apiBaseUrl, token: () => session.token() });
const failed = (error: unknown) => app.fail(`Sign-in failed: ${error instanceof Error ? error.message : String(error)}`);

const app = new App(document.getElementById("app")!, {
  itemKeyOf,
  tagItem: (quadrant) => tagCurrentItem(quadrant),
  isTagged: (item, quadrant) => item.categories.includes(QUADRANT_CATEGORIES[quadrant].name),
  // The detector (and chrono-node) load with the first mail read, not with the pane; the body stays in this page.
  suggest: async () => {
    const [body, { suggest }] = await Promise.all([readBody(), import("./suggest/detect")]);
    return body ? suggest(body.text, body.sent) : [];
  },
  ...(config.mode === "local" ? {
    signInAs: async (email: string) => {
      const session = localSession(config, email);
      await session.token();
      sessionStorage.setItem(DEV_EMAIL_KEY, email);
      return { api: clientOf(session), who: email };
    },
  } : {}),
});
// A link's card, move or page (the digest's `?workflow=`) is followed once someone is signed in.
app.follow(deepLinkFrom(window.location.search));
app.render(); // the shell is on screen before Office, MSAL or any token

// A personal link from a mail (`#guest=<token>`, someone outside the organisation): nobody signs in; the token alone
// opens that one workflow. Its fragment leaves the address bar at once (screenshots, history); this tab keeps the token.
const guestLink = takeGuestLink({
  hash: window.location.hash,
  storage: sessionStorage,
  clearHash: () => window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}`),
});
if (guestLink && "problem" in guestLink) app.fail(guestLink.problem);
else if (guestLink) {
  void app.guest(new ApiClient({ baseUrl: config.apiBaseUrl, guestLink: guestLink.token }))
    .then((opened) => { if (!opened) forgetGuestLink(sessionStorage); });
} else {
  signIn();
}

/** Everyone else signs in: Office and the local sign-in, or NAA / the redirect flow in a production build. */
function signIn(): void {
  // Office and the local sign-in start together; neither waits for the other. A production build needs the host first:
  // it decides between NAA (in Office) and the redirect flow (a plain browser tab).
  const host = whenOfficeReady();
  const item = host.then(async (officeHost) => {
    const current = officeHost ? await readCurrentItem().catch(() => null) : null;
    app.setItem(officeHost, current);
    return current;
  });

  if (config.mode === "naa") {
    void host.then(async (officeHost) => {
      if (signInModeFor(config, officeHost) === "naa") {
        const session = await naaSession(config);
        await app.signedIn(clientOf(session), session.who);
        return;
      }
      const { session, returnedFrom } = await redirectSession(config, { search: () => window.location.search, storage: sessionStorage });
      if (returnedFrom !== undefined) {
        // Back from Entra on the bare page: put the link's query back in the address bar, and follow it.
        window.history.replaceState(null, "", `${window.location.pathname}${returnedFrom}`);
        app.follow(deepLinkFrom(returnedFrom));
      }
      await app.signedIn(clientOf(session), session.who);
    }).catch(failed);
  } else {
    void item.then(async (current) => {
      const email = sessionStorage.getItem(DEV_EMAIL_KEY) ?? current?.me.email;
      if (!email) { app.needSignIn(); return; }
      const session = localSession(config, email);
      await app.signedIn(clientOf(session), email);
    });
  }
}
