// Workflow inside a Teams meeting, end to end: headless Debian Chromium, the real local API and Azurite, and a scripted
// Teams host (e2e/fake-teams.js) at Teams' own origin framing the tab (teams.html) and answering the Teams SDK. The
// tab opens with the scripted context and signs in as the person Teams names (development sign-in); two attendees see
// the same purpose and each only their own workflows; a move made in the side panel carries the meeting and shows in
// the outcomes; the stage shows the agenda read-only; the theme follows Teams; axe finds nothing serious.
//
import { join } from "node:path";
import type { BrowserContext, Frame, FrameLocator, Page, Route } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe";
import { artifactsDir, stackPerSuite, type FakeTeams, type Stack } from "./harness";

const alice = "alice@contoso.test";
const bob = "bob@contoso.test";
const carol = "carol@contoso.test";
const chatId = "19:meeting_Qm9hcmQgcGFjayByZXZpZXc@thread.v2";
const key = `event:teams:${chatId}`;
const today = () => new Date().toISOString().slice(0, 10); // the browser contexts run in UTC
const shots = join(artifactsDir, "screenshots");

let stack: Stack;
let movesSent: MovesSent;
const contexts: BrowserContext[] = [];

/** The move bodies the pane sent, as it sent them: the request goes on to the real API unchanged. */
class MovesSent {
  readonly bodies: Record<string, unknown>[] = [];

  async attach(context: BrowserContext): Promise<void> {
    await context.route(/\/api\/workflows\/[0-9a-f]{32}\/moves$/, async (route: Route) => {
      if (route.request().method() === "POST") this.bodies.push(route.request().postDataJSON() as Record<string, unknown>);
      await route.continue();
    });
  }
}

/** Calls the API as `email` (development sign-in): what the tests set up without the UI. */
async function apiAs(email: string) {
  const token = ((await (await fetch(`${stack.apiUrl}/api/dev/token`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email }),
  })).json()) as { access_token: string }).access_token;
  return (path: string, body: object, headers: Record<string, string> = {}) => fetch(`${stack.apiUrl}${path}`, {
    method: "POST", body: JSON.stringify(body),
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), ...headers },
  });
}

/** `customer` asks `performer`, and links the workflow to the meeting: both through the API. */
async function askInMeeting(customer: string, concern: string, performer: string): Promise<string> {
  const call = await apiAs(customer);
  const opened = await call("/api/workflows", { concern, customer: "me", performer });
  expect(opened.status).toBe(201);
  const { id } = (await opened.json()) as { id: string };
  const asked = await call(`/api/workflows/${id}/moves`, { move: "request", conditions: "Agreed before the meeting ends", dueBy: new Date(Date.now() + 14 * 86_400_000).toISOString() },
    { "If-Match": opened.headers.get("ETag")! });
  expect(asked.status).toBe(200);
  const linked = await call(`/api/items/${encodeURIComponent(key)}/workflows`, { workflowId: id, kind: "event" });
  expect(linked.ok).toBe(true);
  return id;
}

interface Tab { page: Page; tab: FrameLocator; frame: () => Frame }

/** Teams (the scripted host) with the tab in it, as `teams` says. */
async function teamsWith(teams: FakeTeams): Promise<Tab> {
  const context = await stack.teamsContext(teams);
  contexts.push(context);
  await movesSent.attach(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => { console.error(`[page error] ${e.message}`); });
  await page.goto(stack.teamsUrl);
  return { page, tab: page.frameLocator("iframe"), frame: () => page.frames().find((f) => f.url().includes("/teams.html"))! };
}
const sidePanel = (email: string | undefined, extra: Partial<FakeTeams> = {}) =>
  teamsWith({ frameContext: "sidePanel", chatId, ...(email ? { loginHint: email } : {}), ...extra });
const teamsLog = (page: Page) => page.evaluate(() => (window as unknown as { __teamsLog: string[] }).__teamsLog);
const purposeText = (t: Tab) => t.tab.locator(".purpose-text").textContent();
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

// Every flow runs under the production Content-Security-Policy; whatever a page reports breaking it fails the test that was running.
stackPerSuite(shots, contexts, (started) => { stack = started; });
beforeAll(async () => {
  movesSent = new MovesSent();
});

describe("Workflow in a Teams meeting (scripted Teams host)", () => {
  const forBob = "Agree the board pack's agenda";
  const forCarol = "Book the boardroom for March";
  let alicePanel: Tab;
  let bobPanel: Tab;

  it("the side panel opens with Teams' context, signs in as the person Teams names and shows the meeting", async () => {
    await askInMeeting(alice, forBob, bob);
    await askInMeeting(alice, forCarol, carol);
    alicePanel = await sidePanel(alice);
    const { page, tab } = alicePanel;
    await expect.poll(() => purposeText(alicePanel), { timeout: 30_000 }).toBe("No purpose set");
    expect(await tab.locator(".who").textContent()).toBe(alice);
    expect(await teamsLog(page)).toEqual(expect.arrayContaining(["initialize", "getContext"]));
    const linked = tab.locator(".meeting-linked button.row");
    await expect.poll(() => linked.allTextContents(), { timeout: 20_000 }).toHaveLength(2);
    expect(await linked.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(forBob), expect.stringContaining(forCarol)]));
    expect(await tab.locator(".others-linked").count()).toBe(0);
    expect(await tab.locator(".meeting-agenda").textContent()).toContain("Set what the meeting is for");

    // Alice says what the meeting is for: every occurrence. The agenda is what that calls for.
    await tab.locator('fluent-button[data-purpose="Q2"]:not([disabled])').click();
    await expect.poll(() => purposeText(alicePanel), { timeout: 20_000 }).toBe("Q2 Negotiate (every occurrence)");
    await expect.poll(() => tab.locator(".meeting-agenda button.row").allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining(forBob), expect.stringContaining(forCarol)]));
    await expect.poll(() => tab.locator("fluent-button[disabled]").count(), { timeout: 20_000 }).toBe(0); // at rest, not mid-call
    await shot(page, "teams-side-panel");
    expect(await seriousViolations(alicePanel.frame())).toEqual([]);
  });

  it("another attendee sees the same purpose, only his own workflow, and that one more is linked", async () => {
    bobPanel = await sidePanel(bob);
    const { tab } = bobPanel;
    await expect.poll(() => purposeText(bobPanel), { timeout: 30_000 }).toBe("Q2 Negotiate (every occurrence)");
    expect(await tab.locator(".meeting-linked button.row").allTextContents()).toEqual([expect.stringContaining(forBob)]);
    expect(await tab.locator(".others-linked").textContent()).toBe("1 more workflow is linked that you are not a party to.");
    expect(await tab.locator(".meeting-agenda").textContent()).not.toContain(forCarol);
    expect(await seriousViolations(bobPanel.frame())).toEqual([]);
  });

  it("a move made in the side panel carries the meeting, and shows in the outcomes for everyone", async () => {
    const { page, tab } = bobPanel;
    await tab.locator(".meeting-linked button.row", { hasText: forBob }).click();
    await tab.locator('article.card fluent-button[data-move="promise"]:not([disabled])').click({ timeout: 20_000 });
    await tab.locator('article.card fluent-button[data-move="reportComplete"]').waitFor({ timeout: 20_000 });
    expect(movesSent.bodies.at(-1)).toEqual({ move: "promise", meeting: key, on: today() });
    await expect.poll(() => tab.locator(".outcomes li").allTextContents(), { timeout: 20_000 })
      .toEqual([expect.stringContaining(`Bob Baker (performer) promised: ${forBob}`)]);
    await tab.locator("article.card fluent-button[aria-label=Close]").click();
    await tab.locator(".meeting-outcomes").scrollIntoViewIfNeeded();
    await shot(page, "teams-outcomes");
    expect(await seriousViolations(bobPanel.frame())).toEqual([]);

    await alicePanel.page.reload();
    await expect.poll(() => alicePanel.tab.locator(".outcomes li").allTextContents(), { timeout: 30_000 })
      .toEqual([expect.stringContaining(`Bob Baker (performer) promised: ${forBob}`)]);
  });

  it("follows Teams' theme: dark and high contrast restyle the tab, and stay readable", async () => {
    const { page, frame } = bobPanel;
    const look = () => frame().evaluate(() => [document.documentElement.dataset["theme"], getComputedStyle(document.documentElement).backgroundColor]);
    expect(await look()).toEqual(["default", "rgb(255, 255, 255)"]);
    await page.evaluate(() => (window as unknown as { __teamsRaise(f: string, a: unknown[]): void }).__teamsRaise("themeChange", ["dark"]));
    await expect.poll(look).toEqual(["dark", "rgb(41, 41, 41)"]);
    await shot(page, "teams-side-panel-dark");
    // Polled: the buttons' colours ease into the new theme, and axe may look mid-way.
    await expect.poll(() => seriousViolations(frame()), { timeout: 5_000 }).toEqual([]);
    await page.evaluate(() => (window as unknown as { __teamsRaise(f: string, a: unknown[]): void }).__teamsRaise("themeChange", ["contrast"]));
    await expect.poll(look).toEqual(["contrast", "rgb(0, 0, 0)"]);
    // Polled: the buttons' colours ease into the new theme, and axe may look mid-way.
    await expect.poll(() => seriousViolations(frame()), { timeout: 5_000 }).toEqual([]);
  });

  it("the stage shows the agenda large and read-only", async () => {
    const stage = await teamsWith({ frameContext: "meetingStage", chatId, loginHint: alice, theme: "dark" });
    const { page, tab } = stage;
    await expect.poll(() => tab.locator("#stage-heading").textContent(), { timeout: 30_000 }).toBe("Agenda — Q2 Negotiate");
    await expect.poll(() => tab.locator(".stage-agenda li").allTextContents(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining(forCarol)]));
    expect(await tab.locator(".stage button, .stage fluent-button, .stage input").count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await shot(page, "teams-stage");
    expect(await seriousViolations(stage.frame())).toEqual([]);
  });
});

describe("the tab's other pages in Teams", () => {
  it("signs in with the development sign-in when Teams names nobody", async () => {
    const t = await sidePanel(undefined);
    await t.tab.locator('input[type="email"]').fill(carol, { timeout: 30_000 });
    await t.tab.locator("form fluent-button", { hasText: "Sign in" }).click();
    await expect.poll(() => t.tab.locator(".who").textContent(), { timeout: 20_000 }).toBe(carol);
    await expect.poll(() => t.tab.locator(".meeting-linked button.row").allTextContents(), { timeout: 20_000 }).toEqual([expect.stringContaining("Book the boardroom")]);
  });

  it("the configuration page offers the meeting tab, and Save adds it on teams.html", async () => {
    const { page, tab } = await teamsWith({ frameContext: "settings", chatId, loginHint: alice });
    await expect.poll(() => tab.locator("#config-heading").textContent(), { timeout: 30_000 }).toBe("Workflow in this meeting");
    const settings = () => page.evaluate(() => (window as unknown as { __teamsSettings: { valid: boolean; saved: { contentUrl?: string; websiteUrl?: string } | null; succeeded?: boolean } }).__teamsSettings);
    await expect.poll(async () => (await settings()).valid, { timeout: 20_000 }).toBe(true);
    await page.evaluate(() => (window as unknown as { __teamsRaise(f: string, a: unknown[]): void }).__teamsRaise("settings.save", []));
    await expect.poll(async () => (await settings()).succeeded, { timeout: 20_000 }).toBe(true);
    expect((await settings()).saved).toMatchObject({ entityId: "meeting", contentUrl: new URL("teams.html", stack.paneUrl).href, websiteUrl: new URL("index.html", stack.paneUrl).href });
    expect(await seriousViolations(page.frames().find((f) => f.url().includes("/teams.html"))!)).toEqual([]);
  });

  it("opened outside Teams, the page says where it belongs", async () => {
    const context = await stack.context(null);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(new URL("teams.html", stack.paneUrl).href);
    await expect.poll(() => page.locator("fluent-message-bar").textContent(), { timeout: 20_000 }).toContain("This page is Workflow's tab in Microsoft Teams");
  });
});
