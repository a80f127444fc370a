import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TEAMS_JS_URL, TEAMS_JS_VERSION } from "../src/teams/sdk";

describe("the Teams SDK from Microsoft's CDN", () => {
  it("is the version whose types the tab is built against", () => {
    const installed = JSON.parse(readFileSync(new URL("../node_modules/@microsoft/teams-js/package.json", import.meta.url), "utf8")) as { version: string };
    expect(TEAMS_JS_VERSION).toBe(installed.version);
    expect(TEAMS_JS_URL).toBe(`https://res.cdn.office.net/teams-js/${installed.version}/js/MicrosoftTeams.min.js`);
  });
});
