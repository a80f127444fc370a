import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function write(env: "dev" | "prod", vars: Record<string, string> = {}) {
  const out = join(mkdtempSync(join(tmpdir(), "manifest-")), "manifest.json");
  execFileSync(process.execPath, ["scripts/write-manifest.mjs", env, out], { env: { ...process.env, ...vars }, stdio: "pipe" });
  return JSON.parse(readFileSync(out, "utf8"));
}

describe("the unified manifest", () => {
  it("declares the task pane for read, compose and both sides of a meeting", () => {
    const m = write("dev");
    expect(m.extensions[0].ribbons.flatMap((r: { contexts: string[] }) => r.contexts).sort())
      .toEqual(["mailCompose", "mailRead", "meetingDetailsAttendee", "meetingDetailsOrganizer"]);
    expect(m.extensions[0].runtimes[0].code.page).toBe("https://localhost:3000/index.html");
  });

  it("asks for one permission only, what the quadrant categories need", () => {
    expect(write("dev").authorization.permissions.resourceSpecific).toEqual([{ name: "Mailbox.ReadWrite.User", type: "Delegated" }]);
  });

  it("declares the Teams activity the API sends when a move hands someone the ball", () => {
    // The type is GraphTeamsNotifier.ActivityType; its template takes no parameter but {actor}, which Teams fills in.
    expect(write("dev").activities.activityTypes).toEqual([
      { type: "workflowMove", description: "A workflow move hands you the ball", templateText: "{actor}: your move in a workflow" },
    ]);
  });

  it("declares one meeting tab for the side panel, the stage, the details and the chat, configured on teams.html", () => {
    const m = write("dev");
    expect(m.configurableTabs).toEqual([{
      id: "meeting",
      configurationUrl: "https://localhost:3000/teams.html?view=config",
      canUpdateConfiguration: false,
      scopes: ["groupChat"],
      meetingSurfaces: ["sidePanel", "stage"],
      context: ["meetingSidePanel", "meetingStage", "meetingDetailsTab", "meetingChatTab"],
    }]);
  });

  it("pins a personal tab beside it (a meeting app needs one): the lists, in Teams", () => {
    expect(write("dev").staticTabs).toEqual([{
      entityId: "lists", name: "My lists", contentUrl: "https://localhost:3000/teams.html", websiteUrl: "https://localhost:3000/index.html",
      scopes: ["personal"], context: ["personalTab"],
    }]);
  });

  it("names the API for Teams single sign-on in production only (development signs in locally)", () => {
    expect(write("dev").webApplicationInfo).toBeUndefined();
    const m = write("prod", { WORKFLOW_ADDIN_BASE_URL: "https://pane.contoso.com", WORKFLOW_API_CLIENT_ID: "22222222-3333-4444-8555-666666666666" });
    expect(m.webApplicationInfo).toEqual({ id: "22222222-3333-4444-8555-666666666666", resource: "api://pane.contoso.com/22222222-3333-4444-8555-666666666666" });
  });

  it("takes production URLs and ids from the environment, not from hand edits", () => {
    const m = write("prod", { WORKFLOW_ADDIN_BASE_URL: "https://pane.contoso.com", WORKFLOW_ADDIN_APP_ID: "11111111-2222-4333-8444-555555555555" });
    expect(m.id).toBe("11111111-2222-4333-8444-555555555555");
    expect(m.validDomains).toEqual(["pane.contoso.com"]);
    expect(JSON.stringify(m)).not.toContain("localhost");
  });

  it("refuses a base URL that is not HTTPS", () => {
    expect(() => write("prod", { WORKFLOW_ADDIN_BASE_URL: "http://pane.contoso.com" })).toThrow();
  });
});
