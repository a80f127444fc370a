// The only module that knows the Teams SDK (@microsoft/teams-js, loaded from Microsoft's CDN: sdk.ts). teams.html imports
// it lazily, after its first render, and nothing else imports it at all: the Outlook pane and the web app never load it.
// Everything it hands out is plain data and plain functions.
import { loadTeamsSdk } from "./sdk";
import { surfaceOf, themeOf, type TeamsSurface, type TeamsTheme } from "./context";

export { meetingKeyOf, occurrenceOn, surfaceOf, themeOf, type TeamsSurface, type TeamsTheme } from "./context";

export interface TeamsHost {
  surface: TeamsSurface;
  /** The chat's thread id (`19:meeting_…@thread.v2` in a meeting); undefined in the personal tab. */
  chatId: string | undefined;
  theme: TeamsTheme;
  /** Who Teams says is signed in (their UPN or email), to sign in as without asking. */
  loginHint: string | undefined;
  /** Teams offers Nested App Authentication here (MSAL through the host), as Outlook does. */
  naaRecommended: boolean;
  onThemeChange(handler: (theme: TeamsTheme) => void): void;
  /** Teams' own single sign-on: a token for the app named in the manifest's webApplicationInfo. */
  ssoToken(): Promise<string>;
  /**
   * On the configuration page: enables Teams' Save button; saving makes the tab open `contentUrl` on every meeting
   * surface. A save that fails is reported back to Teams, which says so.
   */
  offerTab(tab: { contentUrl: string; websiteUrl: string; name: string }): void;
}

export async function connectTeams(): Promise<TeamsHost> {
  const { app, authentication, nestedAppAuth, pages } = await loadTeamsSdk();
  await app.initialize();
  const context = await app.getContext();
  const chatId = context.chat?.id;
  return {
    surface: surfaceOf(context.page.frameContext, chatId),
    chatId,
    theme: themeOf(context.app.theme),
    loginHint: context.user?.loginHint ?? context.user?.userPrincipalName,
    naaRecommended: nestedAppAuth.isNAAChannelRecommended(),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(themeOf(theme))),
    ssoToken: () => authentication.getAuthToken(),
    offerTab: ({ contentUrl, websiteUrl, name }) => {
      pages.config.registerOnSaveHandler((save) => {
        pages.config.setConfig({ entityId: "meeting", contentUrl, websiteUrl, suggestedDisplayName: name })
          .then(() => save.notifySuccess(), (error: unknown) => save.notifyFailure(error instanceof Error ? error.message : String(error)));
      });
      pages.config.setValidityState(true);
    },
  };
}
