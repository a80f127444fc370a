// What the browser tests stand on: Azurite (in memory) and the API (Development, local sign-in) on free ports, the
// task pane built in local sign-in mode and served by a small static server that proxies /api to the API (as the
// dev server does), stand-ins for Microsoft's Office.js CDN and for Teams on the web, and Debian's Chromium driven by
// playwright-core (never a downloaded browser: platform.md D6).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { generateCertificates } from "office-addin-dev-certs/lib/generate.js";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { readHostingConfig } from "../scripts/hosting.ts";
import { TEAMS_JS_URL } from "../src/teams/sdk";

export const addinDir = resolve(import.meta.dirname, "..");
export const repoDir = resolve(addinDir, "..");
export const distDir = join(addinDir, "dist-e2e");
export const artifactsDir = join(repoDir, "artifacts");
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const OFFICE_CDN_HOST = "appsforoffice.microsoft.com";
/** Teams on the web: the scripted host page (fake-teams.html) is served at Teams' own origin, which the Teams SDK trusts. */
const TEAMS_HOST = "teams.microsoft.com";
/** Microsoft's CDN, from which the tab loads the Teams SDK (src/teams/sdk.ts): served here from the npm package's same build. */
const TEAMS_SDK_HOST = new URL(TEAMS_JS_URL).host;
const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Person { emailAddress: string; displayName: string }
export type FakeItem =
  | {
    kind: "message"; subject: string; from: Person; to: readonly Person[]; conversationId: string; itemId: string;
    /** A read message's body as plain text (Office's body.getAsync), and when it was sent (ISO). */
    body?: string; sent?: string;
  }
  | { kind: "appointment"; subject: string; start: string; end: string; itemId: string };
/** The Outlook host a page gets; null = no Office at all (a plain web page). */
export type FakeHost = { me: Person; item: FakeItem | null } | null;

/**
 * What the scripted Teams host (e2e/fake-teams.js) tells the tab: the frame it is in, the meeting chat, the theme and the
 * person (the Teams context's fields, in the names the host sends them), whether it recommends NAA, and its SSO token.
 */
export interface FakeTeams {
  frameContext: "sidePanel" | "meetingStage" | "content" | "settings";
  chatId?: string;
  theme?: "default" | "dark" | "contrast";
  loginHint?: string;
  userPrincipalName?: string;
  naaRecommended?: boolean;
  ssoToken?: string;
}

/**
 * A port free now, for a program that cannot listen on port 0 and say which port it got (Azurite prints ":0"). Another
 * process may take it before that program binds it, so whoever uses it must check, when probing, that what answers is
 * that program.
 */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createNetServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => { const port = (s.address() as { port: number }).port; s.close(() => ok(port)); });
  });
}

/** Waits for a line of `output` that `pattern` matches and returns its first group; throws if the program exits first. */
async function waitForLine(what: string, output: () => string, pattern: RegExp, timeoutMs: number, child: ChildProcess): Promise<string> {
  let found: string | undefined;
  await waitFor(what, async () => { found = pattern.exec(output())?.[1]; return found !== undefined; }, timeoutMs, child);
  return found!;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
}

function started(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout!.on("data", (d: Buffer) => { output = (output + d.toString()).slice(-20000); });
  child.stderr!.on("data", (d: Buffer) => { output = (output + d.toString()).slice(-20000); });
  return { child, output: () => output };
}

function stop(child: ChildProcess | undefined): void {
  if (!child?.pid || child.exitCode !== null) return;
  try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
}

const types: Record<string, string> = {
  ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
  ".json": "application/json", ".map": "application/json",
};

/** A Static Web App route pattern in the forms we use: `/folder/*` or `/folder/*.{ext,…}`. */
function routePattern(route: string): RegExp {
  const match = /^(?<prefix>[^*]*)\*(?:\.\{(?<exts>[^}]+)\})?$/.exec(route);
  if (!match) throw new Error(`staticwebapp.config.json: the e2e server does not understand the route ${route}`);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const { prefix = "", exts } = match.groups!;
  return new RegExp(`^${escape(prefix)}.*${exts ? `\\.(${exts.split(",").map(escape).join("|")})` : ""}$`);
}

/**
 * The headers the Static Web App sends for a path, from the staticwebapp.config.json built into dist-e2e/: every global
 * header (the Content-Security-Policy among them), and a matching route's headers over them.
 */
function hostingHeaders(): (path: string) => Record<string, string> {
  const { globalHeaders, routes = [] } = readHostingConfig(join(distDir, "staticwebapp.config.json"));
  const rules = routes.filter((r) => r.headers).map((r) => ({ pattern: routePattern(r.route), headers: r.headers! }));
  // Anything else is revalidated on each load (this server has no ETags, so it always answers in full).
  return (path) => ({ ...globalHeaders, ...(rules.find((r) => r.pattern.test(path))?.headers ?? { "cache-control": "no-cache" }) });
}

/** A page that breaks the policy on purpose (an inline script and a style attribute), served only here. */
export const CSP_PROBE_PATH = "/csp-probe.html";
const cspProbe = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Probe</title></head><body>"
  + "<p style=\"color: red\">inline style</p><script>document.title = \"inline script ran\";</script></body></html>";

/** Serves dist-e2e/, /blank.html and the CSP probe, all with the hosting's headers, and proxies /api to the API. */
function paneServer(apiPortNow: () => number): Server {
  const headersFor = hostingHeaders();
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname.startsWith("/api/")) {
      const apiPort = apiPortNow();
      const upstream = httpRequest({ host: "127.0.0.1", port: apiPort, path: req.url, method: req.method, headers: { ...req.headers, host: `127.0.0.1:${apiPort}` } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on("error", () => { res.writeHead(502); res.end(); });
      req.pipe(upstream);
      return;
    }
    if (url.pathname === "/blank.html") {
      res.writeHead(200, { "Content-Type": "text/html", ...headersFor(url.pathname) });
      // One word, so that it paints: its first contentful paint is the floor the pane's is compared with.
      res.end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Blank</title></head><body><p>Blank</p></body></html>");
      return;
    }
    if (url.pathname === CSP_PROBE_PATH) {
      res.writeHead(200, { "Content-Type": "text/html", ...headersFor(url.pathname) });
      res.end(cspProbe);
      return;
    }
    const path = normalize(join(distDir, url.pathname === "/" ? "index.html" : url.pathname));
    if (!path.startsWith(distDir) || !existsSync(path)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "Content-Type": types[extname(path)] ?? "application/octet-stream", ...headersFor(url.pathname) });
    res.end(readFileSync(path));
  });
}

/**
 * Stands in for Microsoft's hosts over HTTPS, to which the browser resolves their names: Office.js on its CDN (the
 * scripted Outlook host, fake-office.js), and Teams on the web (the scripted Teams host, fake-teams.html, which frames
 * the tab). The pane loads Office.js exactly as in production — the same tag, another origin, TLS — and the Teams SDK
 * talks to a parent at Teams' own origin; no request of the pane passes through the test process (request
 * interception would route every request of the page through it).
 */
async function microsoftHosts(certDir: string): Promise<Server> {
  const [ca, cert, key] = ["ca.crt", "cdn.crt", "cdn.key"].map((f) => join(certDir, f)) as [string, string, string];
  await generateCertificates(ca, cert, key, 1, [OFFICE_CDN_HOST, TEAMS_HOST, TEAMS_SDK_HOST]);
  const file = (name: string) => readFileSync(join(import.meta.dirname, name));
  const served: Record<string, { type: string; body: Buffer }> = {
    [`${OFFICE_CDN_HOST}/lib/1/hosted/office.js`]: { type: "text/javascript", body: file("fake-office.js") },
    [`${TEAMS_HOST}/fake-teams.html`]: { type: "text/html", body: file("fake-teams.html") },
    [`${TEAMS_HOST}/fake-teams.js`]: { type: "text/javascript", body: file("fake-teams.js") },
    [`${TEAMS_SDK_HOST}${new URL(TEAMS_JS_URL).pathname.toLowerCase()}`]: {
      type: "text/javascript", body: readFileSync(join(import.meta.dirname, "..", "node_modules", "@microsoft", "teams-js", "dist", "umd", "MicrosoftTeams.min.js")),
    },
  };
  return createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://x");
    const found = served[`${(req.headers.host ?? "").split(":")[0]}${url.pathname.toLowerCase()}`];
    if (!found) { res.writeHead(404); res.end(); return; }
    // Cacheable: Office keeps the CDN's files after an add-in's first load.
    res.writeHead(200, { "Content-Type": found.type, "Cache-Control": "public, max-age=86400" });
    res.end(found.body);
  });
}

/** What a page reported breaking its Content-Security-Policy (a `securitypolicyviolation` event). */
export interface CspViolation { page: string; directive: string; blocked: string; source: string; line: number; sample: string }

export interface Stack {
  paneUrl: string;
  apiUrl: string;
  /** The API's development mail: one .eml file per message (Mail:OutboxPath). */
  outbox: string;
  browser: Browser;
  /** A fresh browser context (its own sessionStorage: its own signed-in user) with the given Outlook host. */
  context(host: FakeHost): Promise<BrowserContext>;
  /** A fresh browser context whose Teams (https://teams.microsoft.com/fake-teams.html) frames the tab with this context. */
  teamsContext(teams: FakeTeams): Promise<BrowserContext>;
  /** The scripted Teams host's page, framing the tab (teams.html). */
  teamsUrl: string;
  /** Every CSP violation any page of any context has reported since the last call, in order; then forgets them. */
  takeCspViolations(): Promise<CspViolation[]>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const outbox = mkdtempSync(join(tmpdir(), "workflow-e2e-outbox-"));
  const certs = mkdtempSync(join(tmpdir(), "workflow-e2e-cdn-"));
  let azurite: ReturnType<typeof started> | undefined;
  let api: ReturnType<typeof started> | undefined;
  let server: Server | undefined;
  let hosts: Server | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    for (const s of [server, hosts]) await new Promise((r) => (s ? s.close(r) : r(undefined)));
    stop(api?.child);
    stop(azurite?.child);
    rmSync(outbox, { recursive: true, force: true });
    rmSync(certs, { recursive: true, force: true });
  };
  try {
    // The pane in local sign-in mode (.env.development), minified like production, in its own folder.
    execFileSync(join(addinDir, "node_modules/.bin/vite"), ["build", "--mode", "development", "--outDir", "dist-e2e", "--emptyOutDir", "--logLevel", "warn"],
      { cwd: addinDir, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });

    // Every server here binds port 0 and is asked which port it got, except Azurite (it cannot say): a port picked
    // free and then handed over can be taken in between, and a probe would then find some other program ready. The
    // pane's server comes first, since the API's mail links need its address; it reaches the API once that is up.
    let apiPort = 0;
    server = paneServer(() => apiPort);
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const paneUrl = `http://localhost:${(server.address() as { port: number }).port}/`;

    // Azurite's port is picked free and may be taken before it binds it: then it exits, and a fresh port is tried.
    let tablePort = 0;
    for (let attempt = 1; ; attempt++) {
      tablePort = await freePort();
      const port = tablePort;
      const child = started(join(repoDir, "node_modules/.bin/azurite-table"),
        ["--tableHost", "127.0.0.1", "--tablePort", String(port), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck"], {}, repoDir);
      azurite = child;
      // Only Azurite's own answer counts (its Server header), not that of whatever else may have taken the port.
      const up = await waitFor("Azurite", () => fetch(`http://127.0.0.1:${port}/`).then((r) => (r.headers.get("server") ?? "").startsWith("Azurite")), 30_000, child.child)
        .then(() => true, (e: Error) => { if (attempt === 3) throw new Error(`${e.message} on port ${port}\n${child.output()}`); return false; });
      if (up) break;
      stop(child.child);
    }

    // scripts/test.sh hands over the handler as it ships, compiled ahead of time (with the local sign-in, for these
    // tests' users); without it, the Debug build, built here if dotnet test has not (incremental, quiet).
    const native = process.env.WORKFLOW_API_EXECUTABLE;
    if (!native) {
      execFileSync("dotnet", ["build", "functions/Workflow.Api/Workflow.Api.csproj", "--nologo", "-v", "quiet", "-clp:ErrorsOnly"], { cwd: repoDir, stdio: "inherit" });
    }
    const [apiCommand, apiArgs, apiDir]: [string, string[], string] = native
      ? [native, ["--urls", "http://127.0.0.1:0"], dirname(native)]
      : ["dotnet", ["run", "--project", "functions/Workflow.Api", "--no-build", "--no-launch-profile", "--urls", "http://127.0.0.1:0"], repoDir];
    api = started(apiCommand, apiArgs, {
      ASPNETCORE_ENVIRONMENT: "Development",
      Mail__OutboxPath: outbox,
      // Notification mail at once (no coalescing), looked for every second; its links open this pane as the web app.
      Notifications__CoalesceWindow: "00:00:00",
      Notifications__PollInterval: "00:00:01",
      Digest__AppBaseUrl: paneUrl,
      Tables__ConnectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${tablePort}/devstoreaccount1;`,
    }, apiDir);
    const a = api;
    const failedToStart = (e: Error) => { throw new Error(`${e.message}\n${a.output()}`); };
    // ASP.NET Core says where it listens once it does ("Now listening on: http://127.0.0.1:41234").
    apiPort = Number(await waitForLine("The API", a.output, /Now listening on: http:\/\/127\.0\.0\.1:(\d+)/, 120_000, a.child).catch(failedToStart));
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor("The API", () => fetch(`${apiUrl}/`).then((r) => r.ok), 120_000, a.child).catch(failedToStart);

    hosts = await microsoftHosts(certs);
    await new Promise<void>((r) => hosts!.listen(0, "127.0.0.1", r));
    const hostsPort = (hosts.address() as { port: number }).port;

    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: scripts/install-tools.sh installs Debian's chromium.`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        // The CDN's and Teams' names lead to the stand-ins; every other name but this machine's fails at once: no network.
        `--host-resolver-rules=MAP ${OFFICE_CDN_HOST} 127.0.0.1:${hostsPort}, MAP ${TEAMS_HOST} 127.0.0.1:${hostsPort}, MAP ${TEAMS_SDK_HOST} 127.0.0.1:${hostsPort}, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1`],
      // playwright-core gives every launch a fresh user-data dir of its own (it refuses --user-data-dir here).
    });
    const b = browser;
    const violations: CspViolation[] = [];
    const newContext = async (host: FakeHost) => {
      // The stand-in's certificate is our own, so this browser context accepts it (the pane itself is plain HTTP).
      const context = await b.newContext({ viewport: { width: 420, height: 900 }, locale: "en-US", timezoneId: "UTC", ignoreHTTPSErrors: true });
      // Every page reports its CSP violations to the test process as they happen: a binding outlives navigations,
      // where a list kept in the page would not. Neither the binding nor this script is itself subject to the CSP.
      await context.exposeBinding("__workflowCspViolation", ({ page }, v: Omit<CspViolation, "page">) => { violations.push({ page: page.url(), ...v }); });
      await context.addInitScript(() => {
        const w = window as unknown as { __workflowCspViolation(v: object): Promise<void> };
        window.addEventListener("securitypolicyviolation", (e) => {
          void w.__workflowCspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
        }, true);
      });
      // The scripted host reads its mailbox from here; without one, Office.js does nothing: a plain web page.
      if (host) await context.addInitScript((h) => { (window as unknown as { __fakeHost: unknown }).__fakeHost = h; }, host);
      return context;
    };
    return {
      paneUrl, apiUrl, outbox, browser: b, close,
      teamsUrl: `https://${TEAMS_HOST}/fake-teams.html`,
      context: newContext,
      async teamsContext(teams) {
        const context = await newContext(null);
        // Read by fake-teams.js in the top page only: the tab it frames and what it answers the Teams SDK.
        const tab = new URL("teams.html", paneUrl).href;
        await context.addInitScript((setup) => { if (window === window.top) (window as unknown as { __fakeTeams: unknown }).__fakeTeams = setup; }, { tab, ...teams });
        return context;
      },
      async takeCspViolations() {
        // A violation is reported in a task after the fact, and the binding's call crosses to this process: let both land.
        await new Promise((r) => setTimeout(r, 250));
        return violations.splice(0);
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * One stack for a test file: started before its first test (with the screenshots folder), its browser contexts and
 * servers closed after its last; after each test, whatever a page reported breaking the Content-Security-Policy fails
 * the test that was running.
 */
export function stackPerSuite(shots: string, contexts: BrowserContext[], started: (stack: Stack) => void): void {
  let stack: Stack | undefined;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    stack = await startStack();
    started(stack);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await stack?.close();
  });
  afterEach(async () => {
    expect(await stack!.takeCspViolations()).toEqual([]);
  });
}
