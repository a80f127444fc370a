// The depth of a promise end to end (issue 14): headless Debian Chromium against the real local API and Azurite,
// three people in their own browser contexts. Bob asks Alice for what he needs (the dual) and delegates part to Carol;
// Carol's part goes at risk and Alice sees only that until Bob shares it; Alice makes the concern an objective and Carol
// reads the objective tree from her part; closing a promise asks what becomes of its open children; feedback goes both
// ways once the loop closes. Each view is checked with axe-core; screenshots go to artifacts/screenshots/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe";
import { artifactsDir, startStack, type Stack } from "./harness";

const alice = "alice@contoso.test", bob = "bob@contoso.test", carol = "carol@contoso.test";
const concern = "The Q4 board pack";
const shots = join(artifactsDir, "screenshots");
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);
const day = (n: number) => inDays(n).toISOString().slice(0, 10);

let stack: Stack;
const contexts: BrowserContext[] = [];

/** A call to the API as `email` (the development sign-in): the steps whose UI is tested elsewhere. */
async function call(email: string, method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<Response> {
  const token = ((await (await fetch(`${stack.apiUrl}/api/dev/token`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email }),
  })).json()) as { access_token: string }).access_token;
  return fetch(`${stack.apiUrl}${path}`, {
    method, ...(body ? { body: JSON.stringify(body) } : {}),
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID(), ...headers },
  });
}

/** `email` makes a move on a workflow as it stands now. */
async function move(email: string, id: string, body: object): Promise<void> {
  const current = await call(email, "GET", `/api/workflows/${id}`);
  const moved = await call(email, "POST", `/api/workflows/${id}/moves`, body, { "If-Match": current.headers.get("ETag")! });
  expect(moved.status, JSON.stringify(await moved.clone().json())).toBe(200);
}

/** Alice asks Bob and Bob promises: a promise in force. */
async function promised(what: string): Promise<string> {
  const opened = await call(alice, "POST", "/api/workflows", {
    concern: what, customer: "me", performer: bob, start: "requested", conditions: "In the board template, checked by finance", dueBy: inDays(14).toISOString(),
  });
  expect(opened.status).toBe(201);
  const { id } = (await opened.json()) as { id: string };
  await move(bob, id, { move: "promise" });
  return id;
}

/** The pane as a web page, signed in as `email`, with the workflow's card open. */
async function paneOn(email: string, id: string): Promise<Page> {
  const context = await stack.context(null);
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => { console.error(`[page error] ${e.message}`); });
  await page.goto(`${stack.paneUrl}?workflow=${id}`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator("form fluent-button", { hasText: "Sign in" }).click();
  await card(page).waitFor({ timeout: 30_000 });
  return page;
}

const card = (page: Page) => page.locator("article.card");
const section = (page: Page) => card(page).locator("section.children");
const child = (page: Page, text: string) => section(page).locator("li[data-child]", { hasText: text });
const ready = (page: Page) => page.locator("header.bar").waitFor(); // the pane is drawn
const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
/** Waits until no call is in flight (buttons are disabled while one is), then runs axe. */
async function axe(page: Page): Promise<string[]> {
  await expect.poll(() => card(page).locator("fluent-button[disabled]").count(), { timeout: 20_000 }).toBe(0);
  return seriousViolations(page);
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  stack = await startStack();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await stack?.close();
});

afterEach(async () => {
  expect(await stack.takeCspViolations()).toEqual([]);
});

describe("a promise's depth: the dual, a delegation at risk, the objective tree, closing and feedback", () => {
  let parent: string;
  let bobPage: Page, alicePage: Page;
  let delegated: string;

  it("Bob asks Alice for what he needs (the dual); Alice sees it as hers to perform, and at risk once overdue", async () => {
    parent = await promised(concern);
    bobPage = await paneOn(bob, parent);
    await section(bobPage).locator('fluent-button[data-open="dual"]').click({ timeout: 20_000 });
    const form = card(bobPage).locator("form.child-form");
    await form.locator('input[name="concern"]').fill("Last year's audited figures");
    await form.locator('input[name="conditions"]').fill("The signed PDF from the auditors");
    await form.locator('input[name="dueBy"]').fill(day(7));
    await form.locator('fluent-button[type="submit"]:not([disabled])').click();
    await expect.poll(() => child(bobPage, "Last year's audited figures").textContent(), { timeout: 20_000 }).toMatch(/You need it from alice/i);

    // A second dual, through the API, whose reply-by runs out in a few seconds: at risk once Alice looks.
    const dual = await call(bob, "POST", `/api/workflows/${parent}/children`, {
      relation: "dual", concern: "The minutes of the last board", conditions: "Approved minutes", dueBy: inDays(5).toISOString(), replyBy: new Date(Date.now() + 3_000).toISOString(),
    });
    expect(dual.status).toBe(201);
    await new Promise((r) => setTimeout(r, 3_500));

    alicePage = await paneOn(alice, parent);
    const hers = child(alicePage, "Last year's audited figures");
    await expect.poll(() => hers.textContent(), { timeout: 20_000 }).toContain("needs it from you");
    const overdue = child(alicePage, "The minutes of the last board");
    await expect.poll(() => overdue.locator(".risk").textContent(), { timeout: 20_000 }).toContain("Your part is overdue");
    // Hers to perform: the line opens its card, where the move is hers.
    await hers.locator("button.row").click();
    await expect.poll(() => card(alicePage).locator("h2").textContent(), { timeout: 20_000 }).toBe("Last year's audited figures");
    expect(await card(alicePage).locator(".whose").textContent()).toBe("Your move.");
    expect(await card(alicePage).locator(".part-of").textContent()).toContain(`Part of: ${concern}`);
    await shot(alicePage, "depth-01-alice-dual");
    expect(await axe(alicePage)).toEqual([]);
  });

  it("Bob delegates part to Carol; Carol's part goes at risk: Bob sees it, Alice only that one is at risk", async () => {
    await section(bobPage).locator('fluent-button[data-open="delegated"]').click();
    const form = card(bobPage).locator("form.child-form");
    await form.locator('input[name="performer"]').fill(carol);
    await form.locator('input[name="concern"]').fill("The appendix charts");
    await form.locator('input[name="conditions"]').fill("One chart per division, in the board colours");
    await form.locator('input[name="dueBy"]').fill(day(10));
    await form.locator('fluent-button[type="submit"]:not([disabled])').click();
    const row = child(bobPage, "The appendix charts");
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toMatch(/Delegated to carol/i);
    delegated = (await row.getAttribute("data-child"))!;

    // Carol promises from her pane, then asks for more time: the promise is renegotiated, so at risk.
    const carolPage = await paneOn(carol, delegated);
    expect(await card(carolPage).locator(".part-of").textContent()).toContain("Part of a larger promise");
    await card(carolPage).locator('fluent-button[data-move="promise"]:not([disabled])').click();
    await card(carolPage).locator('fluent-button[data-move="proposeChange"]:not([disabled])').click({ timeout: 20_000 });
    await card(carolPage).locator('form.move-form input[type="date"]').fill(day(20));
    await card(carolPage).locator('form.move-form fluent-button[type="submit"]:not([disabled])').click();
    await expect.poll(() => card(carolPage).locator(".state").textContent(), { timeout: 20_000 }).toBe("Renegotiating");

    await bobPage.reload();
    await ready(bobPage);
    await expect.poll(() => child(bobPage, "The appendix charts").locator(".risk").textContent(), { timeout: 30_000 }).toContain("Being renegotiated");

    await alicePage.goto(`${stack.paneUrl}?workflow=${parent}`);
    await expect.poll(() => section(alicePage).locator(".counts").textContent(), { timeout: 30_000 }).toBe("⚠ 1 more sub-commitment, at risk, not shared with you");
    expect(await card(alicePage).textContent()).not.toContain("The appendix charts");
    expect(await axe(alicePage)).toEqual([]);
  });

  it("Bob shares Carol's part with Alice: she sees it, with its risk", async () => {
    await child(bobPage, "The appendix charts").locator("button.row").click();
    const share = card(bobPage).locator('input[name="shared"]');
    await expect.poll(() => card(bobPage).locator(".toggles").textContent(), { timeout: 20_000 }).toMatch(/Share with alice/i);
    await share.check();
    await expect.poll(() => card(bobPage).locator(".depth-badges").textContent(), { timeout: 20_000 }).toContain("Shared with the customer above");
    await card(bobPage).locator(".part-of button.link").click();
    await expect.poll(() => card(bobPage).locator("h2").textContent(), { timeout: 20_000 }).toBe(concern);
    await expect.poll(() => child(bobPage, "The appendix charts").textContent(), { timeout: 20_000 }).toContain("Being renegotiated");
    await shot(bobPage, "depth-02-bob-sub-commitments"); // docs/delegation.png is a copy of it: a test run never changes a tracked file
    expect(await axe(bobPage)).toEqual([]);

    await alicePage.reload();
    await ready(alicePage);
    const shared = child(alicePage, "The appendix charts");
    await expect.poll(() => shared.textContent(), { timeout: 30_000 }).toMatch(/delegated it to carol.*, shared with you/i);
    expect(await shared.locator(".risk").textContent()).toContain("Being renegotiated");
    expect(await section(alicePage).locator(".counts").count()).toBe(0);
    await shot(alicePage, "depth-03-alice-shared");
    expect(await axe(alicePage)).toEqual([]);
  });

  it("Alice sets a check-in cadence on Bob's promise: both see when the next check-in is due", async () => {
    const cadence = card(alicePage).locator("form.cadence");
    await cadence.locator('input[name="checkInEveryDays"]').fill("5");
    await cadence.locator('fluent-button[type="submit"]:not([disabled])').click();
    await expect.poll(() => card(alicePage).locator(".check-ins").textContent(), { timeout: 20_000 }).toMatch(/^Check-ins every 5 days · Next check-in due /);
    await bobPage.reload();
    await expect.poll(() => card(bobPage).locator(".check-ins").textContent(), { timeout: 30_000 }).toMatch(/^Check-ins every 5 days/);
    expect(await card(bobPage).locator("form.cadence").count()).toBe(0); // the customer's to set
  });

  it("Alice marks the concern an objective; Carol reads the objective tree from her part: hers, and the rest folded", async () => {
    await card(alicePage).locator('input[name="objective"]').check();
    await expect.poll(() => card(alicePage).locator(".depth-badges").textContent(), { timeout: 20_000 }).toContain("Objective");
    await card(alicePage).locator('fluent-button[data-action="tree"]:not([disabled])').click();
    const aliceTree = card(alicePage).locator('[role="tree"]');
    await expect.poll(() => aliceTree.locator('[role="treeitem"]').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    expect(await axe(alicePage)).toEqual([]);

    const carolPage = await paneOn(carol, delegated);
    await card(carolPage).locator('fluent-button[data-action="tree"]:not([disabled])').click({ timeout: 20_000 });
    const tree = card(carolPage).locator('[role="tree"]');
    const items = tree.locator('[role="treeitem"]');
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const lines = await items.allTextContents();
    // The top is Alice's promise to Bob: not Carol's, so shown only as there; her part beneath it; the duals counted.
    expect(lines[0]).toContain("Someone else's commitment");
    expect(lines[0]).not.toContain(concern);
    expect(lines.some((l) => l.includes("The appendix charts") && l.includes("you are the performer"))).toBe(true);
    expect(lines.some((l) => /\d+ more not yours/.test(l))).toBe(true);
    expect(await card(carolPage).locator(".rolled-up").textContent()).toContain("At risk");
    // The keyboard walks it: the first item is in the Tab order, the arrows move on.
    expect(await items.first().getAttribute("tabindex")).toBe("0");
    await items.first().focus();
    await carolPage.keyboard.press("ArrowDown");
    expect(await carolPage.evaluate(() => document.activeElement?.getAttribute("aria-level"))).toBe("2");
    await carolPage.keyboard.press("ArrowLeft");
    expect(await carolPage.evaluate(() => document.activeElement?.getAttribute("aria-level"))).toBe("1");
    await shot(carolPage, "depth-04-carol-objective-tree"); // docs/objective-tree.png is a copy of it
    expect(await axe(carolPage)).toEqual([]);
  });

  it("closing a promise with open sub-commitments asks what becomes of them: back sends nothing, close closes them too", async () => {
    const other = await promised("The venue for the offsite");
    await call(bob, "POST", `/api/workflows/${other}/children`, { relation: "dual", concern: "The head count", conditions: "Names by team", dueBy: inDays(3).toISOString() });
    const page = await paneOn(bob, other);
    const renege = card(page).locator('fluent-button[data-move="renege"]:not([disabled])');
    await renege.click({ timeout: 20_000 });
    const ask = card(page).locator('[role="alertdialog"]');
    await expect.poll(() => ask.locator("p").textContent(), { timeout: 20_000 })
      .toBe("This promise has 1 open sub-commitment: close it with it, or keep it open?");
    expect(await ask.textContent()).toContain("The head count");
    await shot(page, "depth-05-bob-asked-about-open-children");
    expect(await axe(page)).toEqual([]);
    await ask.locator('fluent-button[data-open-children="back"]').click();
    expect(await ask.count()).toBe(0);
    expect(await card(page).locator(".state").textContent()).toBe("Agreed");

    await renege.click();
    await ask.locator('fluent-button[data-open-children="close"]:not([disabled])').click({ timeout: 20_000 });
    await expect.poll(() => card(page).locator(".state").textContent(), { timeout: 20_000 }).toBe("Reneged");
    const children = (await (await call(bob, "GET", `/api/workflows/${other}/children`)).json()) as { children: { state: string }[]; openAfterClose: number };
    expect(children.openAfterClose).toBe(0);
    expect(children.children.map((c) => c.state)).toEqual(["declined"]);
  });

  it("the loop closes: Bob closes what he kept open under it, and feedback goes both ways", async () => {
    await move(bob, parent, { move: "reportComplete" });
    await alicePage.goto(`${stack.paneUrl}?workflow=${parent}`);
    await card(alicePage).locator('fluent-button[data-move="declareSatisfied"]:not([disabled])').click({ timeout: 30_000 });
    await expect.poll(() => card(alicePage).locator(".state").textContent(), { timeout: 20_000 }).toBe("Accepted");

    // Alice held nothing under it, so nothing was asked; Bob still holds its open children, and may close them now.
    await bobPage.goto(`${stack.paneUrl}?workflow=${parent}`);
    const closeThem = section(bobPage).locator('fluent-button[data-action="close-children"]:not([disabled])');
    await closeThem.click({ timeout: 30_000 });
    await expect.poll(() => section(bobPage).locator('fluent-button[data-action="close-children"]').count(), { timeout: 20_000 }).toBe(0);

    const feedback = (page: Page) => card(page).locator("form.feedback-form");
    await feedback(alicePage).waitFor({ timeout: 20_000 });
    await feedback(alicePage).locator('input[name="resultMet"][value="yes"]').check();
    await feedback(alicePage).locator('input[name="keptInformed"][value="partly"]').check();
    await feedback(alicePage).locator('textarea[name="feedbackText"]').fill("Great pack; tell me sooner when a part slips.");
    expect(await axe(alicePage)).toEqual([]);
    await feedback(alicePage).locator('fluent-button[type="submit"]:not([disabled])').click();
    await expect.poll(() => card(alicePage).locator('.feedback-given[data-party="customer"]').textContent(), { timeout: 20_000 })
      .toContain("Were you kept informed along the way? Partly");

    await bobPage.reload();
    await feedback(bobPage).waitFor({ timeout: 30_000 });
    // Bob sees Alice's feedback before giving his own.
    expect(await card(bobPage).locator('.feedback-given[data-party="customer"]').textContent()).toContain("tell me sooner");
    await feedback(bobPage).locator('input[name="concernClear"][value="yes"]').check();
    await feedback(bobPage).locator('input[name="conditionsNegotiable"][value="yes"]').check();
    await feedback(bobPage).locator('input[name="checkInsHelped"][value="no"]').check();
    await feedback(bobPage).locator('fluent-button[type="submit"]:not([disabled])').click();
    await expect.poll(() => card(bobPage).locator('.feedback-given[data-party="performer"]').textContent(), { timeout: 20_000 })
      .toContain("Did the check-ins help? No");
    await shot(bobPage, "depth-06-bob-feedback");
    expect(await axe(bobPage)).toEqual([]);

    await alicePage.reload();
    await expect.poll(() => card(alicePage).locator('.feedback-given[data-party="performer"]').textContent(), { timeout: 30_000 })
      .toContain("Was the concern clear? Yes");
  });
});
