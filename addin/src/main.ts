import "./ui/fluent";
import "./ui/styles.css";
import { ApiClient } from "./api/client";
import { authConfigFrom, localSession, naaSession, type Session } from "./auth";
import { itemKeyOf, readCurrentItem, tagCurrentItem, whenOfficeReady } from "./mailbox";
import { App } from "./ui/app";

const DEV_EMAIL_KEY = "workflow.devEmail"; // the email of the local test user, never a token

const config = authConfigFrom(import.meta.env, window.location.origin);
const clientOf = (session: Session) => new ApiClient({ baseUrl: config.apiBaseUrl, token: () => session.token() });

const app = new App(document.getElementById("app")!, {
  itemKeyOf,
  tagItem: (quadrant) => tagCurrentItem(quadrant),
  ...(config.mode === "local" ? {
    signInAs: async (email: string) => {
      const session = localSession(config, email);
      await session.token();
      sessionStorage.setItem(DEV_EMAIL_KEY, email);
      return { api: clientOf(session), who: email };
    },
  } : {}),
});
app.render(); // the shell is on screen before Office, MSAL or any token

// Office and sign-in start together; neither waits for the other.
const item = whenOfficeReady().then(async (host) => {
  const current = host ? await readCurrentItem().catch(() => null) : null;
  app.setItem(host, current);
  return current;
});

if (config.mode === "naa") {
  void naaSession(config).then((session) => app.signedIn(clientOf(session), session.who))
    .catch((error: unknown) => app.fail(`Sign-in failed: ${error instanceof Error ? error.message : String(error)}`));
} else {
  void item.then(async (current) => {
    const email = sessionStorage.getItem(DEV_EMAIL_KEY) ?? current?.me.email;
    if (!email) { app.needSignIn(); return; }
    const session = localSession(config, email);
    await app.signedIn(clientOf(session), email);
  });
}
