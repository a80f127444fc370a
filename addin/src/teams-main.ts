// teams.html: Workflow inside Teams — a meeting's side panel, stage, details and chat tab, the tab's configuration
// page, and the personal tab (the lists). The shell renders first; the Teams SDK is imported after it, and only here.
import "./ui/fluent";
import "virtual:fluent-teams-themes.css";
import "./ui/styles.css";
import pane from "../config/pane.json";
import { ApiClient } from "./api/client";
import { authConfigFrom, localSession, naaSession, teamsSignInModeFor, teamsSsoSession, type Session } from "./auth";
import type { TeamsHost, TeamsTheme } from "./teams";
import { App } from "./ui/app";

const DEV_EMAIL_KEY = "workflow.devEmail"; // the email of the local test user, never a token

const config = authConfigFrom(import.meta.env, window.location.origin);
const clientOf = (session: Session) => new ApiClient({ baseUrl: config.apiBaseUrl, token: () => session.token() });
const says = (error: unknown) => (error instanceof Error ? error.message : String(error));
/**
 * This tab's sessionStorage, where the browser lets a framed page have it: with third-party cookies blocked, Chromium
 * denies it to a page framed by another site (Teams frames us), and the page works on without remembering.
 */
const tabStorage = ((): Storage | undefined => { try { return window.sessionStorage; } catch { return undefined; } })();

const app = new App(document.getElementById("app")!, config.mode === "local" ? {
  signInAs: async (email: string) => {
    const session = localSession(config, email);
    await session.token();
    tabStorage?.setItem(DEV_EMAIL_KEY, email);
    return { api: clientOf(session), who: email };
  },
} : {});
app.render();

if (window.parent === window) {
  // Not in Teams (opened on its own): the Teams SDK would wait for a host that is not there.
  app.fail("This page is Workflow's tab in Microsoft Teams: add the app to a meeting in Teams. In a browser, open the web app instead (index.html).");
} else {
  void import("./teams").then(async (teams) => {
    const host = await teams.connectTeams().catch((error: unknown) => { throw new Error(`Teams did not answer: ${says(error)}`); });
    followTheme(host);
    if (host.surface === "config") {
      app.inMeeting({ key: host.chatId ? teams.meetingKeyOf(host.chatId) : "", on: teams.occurrenceOn(new Date()), surface: "config" });
      host.offerTab({ contentUrl: new URL(pane.teams, window.location.href).href, websiteUrl: new URL(pane.page, window.location.href).href, name: "Workflow" });
      return;
    }
    if (host.chatId && host.surface !== "personal") {
      app.inMeeting({ key: teams.meetingKeyOf(host.chatId), on: teams.occurrenceOn(new Date()), surface: host.surface });
    }
    const session = await sessionIn(host).catch((error: unknown) => { throw new Error(`Sign-in failed: ${says(error)}`); });
    if (!session) { app.needSignIn(); return; }
    await app.signedIn(clientOf(session), session.who);
  }).catch((error: unknown) => app.fail(says(error)));
}

/** The page takes Teams' theme, and follows it when the person changes it. */
function followTheme(host: TeamsHost): void {
  const apply = (theme: TeamsTheme) => { document.documentElement.dataset["theme"] = theme; };
  apply(host.theme);
  host.onThemeChange(apply);
}

/**
 * Who the page acts for: in development the local sign-in, as the person Teams names (or whom they pick, when Teams
 * names nobody); in production Nested App Authentication where Teams offers it, else Teams' single sign-on.
 */
async function sessionIn(host: TeamsHost): Promise<Session | undefined> {
  if (config.mode === "local") {
    const email = tabStorage?.getItem(DEV_EMAIL_KEY) ?? host.loginHint;
    return email ? localSession(config, email) : undefined;
  }
  return teamsSignInModeFor(config, host.naaRecommended) === "naa"
    ? naaSession(config, host.loginHint)
    : teamsSsoSession(() => host.ssoToken(), host.loginHint);
}
