import { describe, expect, it } from "vitest";
import { directivesOf, hostingFor, readHostingConfig } from "../scripts/hosting.ts";

const { globalHeaders } = readHostingConfig();
const policy = directivesOf(globalHeaders["content-security-policy"] ?? "");
const sources = (directive: string) => policy.get(directive);

describe("the task pane's Content-Security-Policy (staticwebapp.config.json)", () => {
  it("loads nothing that no directive names", () => {
    expect(sources("default-src")).toEqual(["'none'"]);
  });

  it("runs scripts only from the pane itself and Office.js's CDNs, never inline or evaluated", () => {
    expect(sources("script-src")).toEqual(["'self'", "https://appsforoffice.microsoft.com", "https://ajax.aspnetcdn.com", "https://res.cdn.office.net"]);
    expect(globalHeaders["content-security-policy"]).not.toMatch(/'unsafe-(inline|eval|hashes)'|'strict-dynamic'|\bdata:|\*/);
  });

  it("takes styles and images from the pane itself only", () => {
    expect(sources("style-src")).toEqual(["'self'"]);
    expect(sources("img-src")).toEqual(["'self'"]);
  });

  it("connects only to the pane's own origin (the API), Entra and the Teams SDK's list of hosts, and frames only Entra", () => {
    // The Teams SDK (teams.html only) reads the list of origins allowed to host it from res.cdn.office.net, falling back
    // to the list it ships when that fails.
    expect(sources("connect-src")).toEqual(["'self'", "https://login.microsoftonline.com", "https://res.cdn.office.net"]);
    expect(sources("frame-src")).toEqual(["https://login.microsoftonline.com"]);
  });

  it("lets Outlook on the web, the new Outlook and Teams host the pane, and nothing else frame it", () => {
    expect(sources("frame-ancestors")).toEqual([
      "https://outlook.office.com", "https://outlook.office365.com", "https://outlook.cloud.microsoft", "https://teams.microsoft.com", "https://teams.cloud.microsoft",
    ]);
  });

  it("allows no plugins, no other base URL and no form submissions", () => {
    expect(sources("object-src")).toEqual(["'none'"]);
    expect(sources("base-uri")).toEqual(["'self'"]);
    expect(sources("form-action")).toEqual(["'none'"]);
  });

  it("sends the other security headers with it", () => {
    expect(globalHeaders["x-content-type-options"]).toBe("nosniff");
    expect(globalHeaders["referrer-policy"]).toBe("no-referrer");
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) {
      expect(globalHeaders["permissions-policy"]).toContain(`${feature}=()`);
    }
  });
});

describe("the hosting headers of a build", () => {
  it("are the configuration's own when the API is on the pane's origin", () => {
    for (const api of [undefined, "", "/api"]) expect(hostingFor(readHostingConfig(), api)).toEqual(readHostingConfig());
  });

  it("add an API on another origin to connect-src, and to nothing else", () => {
    const built = directivesOf(hostingFor(readHostingConfig(), "https://workflow-api.azurewebsites.net/").globalHeaders["content-security-policy"]!);
    expect(built.get("connect-src")).toEqual(["'self'", "https://login.microsoftonline.com", "https://res.cdn.office.net", "https://workflow-api.azurewebsites.net"]);
    expect([...built].filter(([name]) => name !== "connect-src")).toEqual([...policy].filter(([name]) => name !== "connect-src"));
  });
});
