// The Teams SDK is Microsoft's, served from Microsoft's CDN as Office.js is (docs: "Reference the library inside of
// your .html page … via CDN"), so the tab does not ship its own copy: the tab's JS stays within its size bar, and Teams
// and Outlook clients share a cached copy. Its types come from the npm package of the same version; sdk.test.ts holds
// the two versions together.
import type * as TeamsJs from "@microsoft/teams-js";

export const TEAMS_JS_VERSION = "2.58.0";
export const TEAMS_JS_URL = `https://res.cdn.office.net/teams-js/${TEAMS_JS_VERSION}/js/MicrosoftTeams.min.js`;

export type TeamsSdk = typeof TeamsJs;

let loading: Promise<TeamsSdk> | undefined;

/** Loads the SDK once (its UMD build defines `window.microsoftTeams`); a failed load is forgotten so a retry tries again. */
export function loadTeamsSdk(): Promise<TeamsSdk> {
  loading ??= new Promise<TeamsSdk>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = TEAMS_JS_URL;
    script.onload = () => {
      const sdk = (window as unknown as { microsoftTeams?: TeamsSdk }).microsoftTeams;
      if (sdk) resolve(sdk);
      else reject(new Error("The Teams SDK loaded but did not define microsoftTeams."));
    };
    script.onerror = () => reject(new Error(`The Teams SDK could not be loaded from ${new URL(TEAMS_JS_URL).host}.`));
    document.head.append(script);
  }).catch((error: unknown) => { loading = undefined; throw error; });
  return loading;
}
