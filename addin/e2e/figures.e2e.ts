// Figures end to end (issue 15): headless Chromium against the real local API and Azurite, the pane as a web page.
// Bob closes loops for Alice and Carol (made through the API), opens the Figures page and reads his own sentences
// beside the week chart; five colleagues opt into a team and Bob sees its sums. axe-core checks the page; the
// screenshots go to artifacts/screenshots.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousViolations } from "./axe";
import { shots, useStack } from "./session";
import { callAs } from "./web";

const session = useStack();

const call = (email: string, method: string, path: string, body?: object, headers: Record<string, string> = {}) =>
  callAs(session.stack(), email, method, path, body, headers);

/** A loop `customer` asked of Bob: promised, then reported and accepted — or reneged. */
async function loop(customer: string, concern: string, end: "satisfied" | "reneged"): Promise<void> {
  const asked = await call(customer, "POST", "/api/workflows", {
    concern, customer: "me", performer: "bob@contoso.test", conditions: "As agreed", dueBy: new Date(Date.now() + 5 * 86_400_000).toISOString(), start: "requested",
  });
  expect(asked.status).toBe(201);
  const { id } = (await asked.json()) as { id: string };
  const move = (email: string, m: string, etag: string) => call(email, "POST", `/api/workflows/${id}/moves`, { move: m, ...(m === "renege" ? { text: "No longer possible" } : {}) }, { "If-Match": etag });
  const promised = await move("bob@contoso.test", "promise", asked.headers.get("ETag")!);
  expect(promised.status).toBe(200);
  if (end === "reneged") {
    expect((await move("bob@contoso.test", "renege", promised.headers.get("ETag")!)).status).toBe(200);
    return;
  }
  const reported = await move("bob@contoso.test", "reportComplete", promised.headers.get("ETag")!);
  expect(reported.status).toBe(200);
  expect((await move(customer, "declareSatisfied", reported.headers.get("ETag")!)).status).toBe(200);
}

const paneAs = (email: string) => session.pane(email);

const figuresPage = (page: Page) => page.locator('section[aria-label="Figures"]');

describe("my figures and a team's", () => {
  it("Bob reads his own figures in sentences beside the week chart, and for one counterpart", async () => {
    await loop("alice@contoso.test", "Quarterly numbers", "satisfied");
    await loop("alice@contoso.test", "Board pack", "satisfied");
    await loop("carol@contoso.test", "Office move", "reneged");

    const page = await paneAs("bob@contoso.test");
    await page.locator('fluent-button[data-page="figures"]').click();
    const section = figuresPage(page);
    await expect.poll(() => section.locator("ul.sentences").first().textContent(), { timeout: 30_000 })
      .toContain("You kept 2 of 3 promises by their due date this quarter.");
    expect(await section.locator("svg.week-chart").getAttribute("aria-label")).toBe("3 loops over 13 weeks: 2 kept by the due date, 1 not");
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, "figures-01-mine.png"), fullPage: true });

    await section.locator("select").nth(1).selectOption("carol@contoso.test");
    await expect.poll(() => section.locator("ul.sentences").first().textContent(), { timeout: 20_000 })
      .toContain("You reneged on 1 of 1 promise this quarter.");
  });

  it("a team of five who opted in shows its sums; with fewer it says it needs five", async () => {
    const created = await call("bob@contoso.test", "POST", "/api/teams", {
      name: "Platform", members: ["alice@contoso.test", "carol@contoso.test", "dave@contoso.test", "erin@contoso.test"],
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    for (const email of ["alice@contoso.test", "carol@contoso.test", "dave@contoso.test"]) {
      expect((await call(email, "PUT", `/api/teams/${id}/membership`, { optIn: true })).status).toBe(200);
    }

    const page = await paneAs("bob@contoso.test");
    await page.locator('fluent-button[data-page="figures"]').click();
    const section = figuresPage(page);
    await section.locator("ul.teams fluent-button", { hasText: "Show" }).click({ timeout: 30_000 });
    await expect.poll(() => section.locator("div.team").textContent(), { timeout: 20_000 }).toContain("once 5 people have opted in; 4 have");

    expect((await call("erin@contoso.test", "PUT", `/api/teams/${id}/membership`, { optIn: true })).status).toBe(200);
    await section.locator("ul.teams fluent-button", { hasText: "Show" }).click();
    await expect.poll(() => section.locator("div.team").textContent(), { timeout: 20_000 }).toContain("The team kept 2 of 3 promises");
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, "figures-02-team.png"), fullPage: true });
  });

  it("Carol makes a team of her directory group in the pane; its people opt in and it shows sums at five", async () => {
    const page = await paneAs("carol@contoso.test");
    await page.locator('fluent-button[data-page="figures"]').click();
    const section = figuresPage(page);
    const fromGroup = section.locator("form.group-team");
    // The development directory's groups Carol is in, by name; Delivery has five people, Design review four.
    await expect.poll(() => fromGroup.locator("option").allTextContents(), { timeout: 30_000 }).toEqual(["Delivery", "Design review"]);
    await fromGroup.locator("fluent-button", { hasText: "Create team from group" }).click();
    const shown = section.locator("div.team");
    await expect.poll(() => shown.textContent(), { timeout: 20_000 }).toContain("1 of 5 opted in");
    expect(await shown.textContent()).toContain("follows the directory group Delivery");
    expect(await section.locator("ul.teams li", { hasText: "Delivery (directory group)" }).count()).toBe(1);

    // The others find it among their teams and opt in for themselves.
    const listed = await call("dave@contoso.test", "GET", "/api/teams");
    const { teams } = (await listed.json()) as { teams: { id: string; group?: string }[] };
    const delivery = teams.find((t) => t.group === "Delivery")!;
    for (const email of ["alice@contoso.test", "bob@contoso.test", "dave@contoso.test", "erin@contoso.test"]) {
      expect((await call(email, "PUT", `/api/teams/${delivery.id}/membership`, { optIn: true })).status).toBe(200);
    }
    await section.locator("ul.teams li", { hasText: "Delivery (directory group)" }).locator("fluent-button", { hasText: "Show" }).click();
    await expect.poll(() => shown.textContent(), { timeout: 20_000 }).toContain("5 of 5 opted in");
    expect(await shown.textContent()).not.toContain("once 5 people have opted in");
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, "figures-03-group-team.png"), fullPage: true });
  });
});
