// The pane's URLs have one source, config/pane.json; the manifest, the app registration, MSAL's configuration and
// the build must all say the same.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import pane from "../config/pane.json" with { type: "json" };
import { directivesOf } from "../scripts/hosting.ts";
import { authConfigFrom } from "../src/auth/config";

const origin = "https://workflow-addin.example.net";
const addinDir = resolve(import.meta.dirname, "..");

/** Runs infra/register-apps.sh against a stand-in `az` that logs its arguments; returns the add-in's SPA redirects. */
function registeredRedirects(): string[] {
  const bin = mkdtempSync(join(tmpdir(), "fake-az-"));
  const log = join(bin, "calls.log");
  writeFileSync(join(bin, "az"), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >> "${log}"\necho 00000000-0000-4000-8000-00000000000a\n`);
  chmodSync(join(bin, "az"), 0o755);
  execFileSync("bash", [join(addinDir, "../infra/register-apps.sh"), `${origin}/`], { env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}` }, stdio: "pipe" });
  const spa = readFileSync(log, "utf8").split("\n").find((a) => a.startsWith("spa="));
  return (JSON.parse(spa!.slice("spa=".length)) as { redirectUris: string[] }).redirectUris;
}

describe("the pane's URLs", () => {
  let out = "";
  beforeAll(() => {
    // A production build (sign-in through NAA) for an API on another origin, as scripts/deploy.sh makes it.
    out = mkdtempSync(join(tmpdir(), "pane-dist-"));
    execFileSync(join(addinDir, "node_modules/.bin/vite"), ["build", "--outDir", out, "--emptyOutDir", "--logLevel", "error"],
      { cwd: addinDir, env: { ...process.env, VITE_API_BASE_URL: "https://workflow-api.example.net" }, stdio: "pipe" });
  }, 120_000);

  it("the manifest opens the page the build emits", () => {
    const file = join(mkdtempSync(join(tmpdir(), "manifest-")), "manifest.json");
    execFileSync(process.execPath, ["scripts/write-manifest.mjs", "prod", file], { cwd: addinDir, env: { ...process.env, WORKFLOW_ADDIN_BASE_URL: origin }, stdio: "pipe" });
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    expect(manifest.extensions[0].runtimes[0].code.page).toBe(`${origin}/${pane.page}`);
    expect(existsSync(join(out, pane.page))).toBe(true);
    // Teams: the meeting tab's configuration page and the personal tab open the Teams page the build emits.
    expect(manifest.configurableTabs[0].configurationUrl).toBe(`${origin}/${pane.teams}?view=config`);
    expect(manifest.staticTabs[0].contentUrl).toBe(`${origin}/${pane.teams}`);
    expect(existsSync(join(out, pane.teams))).toBe(true);
  });

  it("the app registration, MSAL and the build agree on where sign-ins come back to", () => {
    const config = authConfigFrom({ VITE_AUTH_MODE: "naa", VITE_CLIENT_ID: "c", VITE_API_SCOPE: "api://a/access_as_user" }, origin);
    const redirectUri = config.mode === "naa" ? config.redirectUri : "";
    expect(redirectUri).toBe(`${origin}/${pane.authRedirect}`);
    const pageUri = config.mode === "naa" ? config.pageUri : "";
    // The web app (a plain browser tab, MSAL's redirect flow) comes back to its own page, the one the manifest opens.
    expect(pageUri).toBe(`${origin}/${pane.page}`);
    expect(registeredRedirects()).toEqual([`brk-multihub://${new URL(origin).host}`, redirectUri, pageUri]);
    expect(existsSync(join(out, pane.authRedirect))).toBe(true);
  });

  it("the built pages load no inline script or style, which the policy would refuse", () => {
    for (const page of readdirSync(out).filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(join(out, page), "utf8");
      expect(html, page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style\b|\bstyle=/i);
    }
  });

  it("the built hosting configuration lets the pane call its API's origin", () => {
    const built = JSON.parse(readFileSync(join(out, "staticwebapp.config.json"), "utf8"));
    expect(directivesOf(built.globalHeaders["content-security-policy"]).get("connect-src")).toContain("https://workflow-api.example.net");
  });
});
