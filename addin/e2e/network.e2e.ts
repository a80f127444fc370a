// The network picture and "Download my data" end to end (issue 15): headless Chromium against the real local API and
// Azurite. Alice works with Bob, Carol and Dave; she opens the People page, walks the people by keyboard, opens the
// workflows between her and one of them, shows the table alternative, and downloads her data. axe-core checks both
// the picture and the table; the screenshots are the README's.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousViolations } from "./axe";
import { shots, useStack } from "./session";

const session = useStack();

async function open(email: string, customer: string, performer: string, concern: string, start = "requested"): Promise<void> {
  const answer = await fetch(`${session.stack().apiUrl}/api/workflows`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await session.token(email)}`, "Content-Type": "application/json" },
    body: JSON.stringify({ concern, customer, performer, conditions: "As agreed", dueBy: new Date(Date.now() + 9 * 86_400_000).toISOString(), start }),
  });
  expect(answer.status, await answer.text()).toBe(201);
}

const focusedPerson = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-person") ?? null);

describe("the people Alice works with, and her data", () => {
  it("shows Alice in the middle and Bob, Carol and Dave around her, walked by keyboard, with a table alternative", async () => {
    await open("alice@contoso.test", "me", "bob@contoso.test", "Review the Q3 budget");
    await open("alice@contoso.test", "me", "bob@contoso.test", "Book the offsite", "promised");
    await open("alice@contoso.test", "me", "bob@contoso.test", "Draft the hiring plan");
    await open("carol@contoso.test", "me", "alice@contoso.test", "Proofread the annual report");
    await open("alice@contoso.test", "me", "dave@contoso.test", "Renew the licences", "promised");
    await open("dave@contoso.test", "me", "alice@contoso.test", "Sign off the invoices");
    const page = await session.pane("alice@contoso.test");

    await page.locator('fluent-button[data-page="network"]').click();
    const people = page.locator(".network-person");
    await expect.poll(() => people.count(), { timeout: 30_000 }).toBe(3);
    expect(await people.first().getAttribute("aria-label")).toBe("Bob Baker: you ask them 3, they ask you 0");
    expect(await page.locator(".network-edge").count()).toBe(4);
    await page.locator('.network-person[tabindex="0"]').focus();
    expect(await focusedPerson(page)).toBe("0");
    await page.keyboard.press("ArrowRight");
    expect(await focusedPerson(page)).toBe("1");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("Enter");
    const between = page.locator(".network-between");
    await expect.poll(() => between.locator("h3").textContent(), { timeout: 10_000 }).toBe("Between you and Bob Baker");
    expect(await between.locator("li").count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, "network-01-picture.png"), fullPage: true });

    await page.locator("fluent-button.network-toggle").click();
    const table = page.locator("table.network-table");
    await expect.poll(() => table.getAttribute("class"), { timeout: 10_000 }).not.toContain("sr-only");
    expect(await table.locator("tbody tr").count()).toBe(3);
    expect(await table.locator("tbody tr").first().textContent()).toContain("Bob Baker");
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, "network-02-table.png"), fullPage: true });
  });

  it("downloads everything the product holds about Alice as a dated JSON file", async () => {
    const page = await session.pane("alice@contoso.test");
    await page.locator('fluent-button[data-page="preferences"]').click();
    const button = page.locator("fluent-button.download-mine");
    await button.waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 30_000 }), button.click()]);

    expect(download.suggestedFilename()).toMatch(/^workflow-export-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const exported = JSON.parse(await readFile(path, "utf8")) as { me: { email: string }; workflows: unknown[]; figures: unknown };
    expect(exported.me.email).toBe("alice@contoso.test");
    expect(exported.workflows).toHaveLength(6);
    expect(exported.figures).toBeDefined();
  });

  it("Dave deletes his data from the pane, and Alice then sees a former colleague where he was", async () => {
    const page = await session.pane("dave@contoso.test");
    await page.locator('fluent-button[data-page="preferences"]').click();
    const confirm = page.locator('input[name="confirmForget"]');
    await confirm.waitFor({ timeout: 30_000 });
    const button = page.locator("fluent-button.forget-mine");
    await confirm.fill("delete my dat");
    expect(await button.count()).toBe(0);
    await confirm.fill("delete my data");
    await button.waitFor({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);

    await button.click();

    await expect.poll(() => page.locator("p.saved[role=status]").textContent(), { timeout: 30_000 })
      .toBe("Your data was deleted. In 2 workflows you shared, the other person now sees you as “a former colleague”.");
    const alice = await session.pane("alice@contoso.test");
    await alice.locator('fluent-button[data-page="network"]').click();
    const former = alice.locator('.network-person[aria-label^="a former colleague"]');
    await expect.poll(() => former.count(), { timeout: 30_000 }).toBe(1);
    expect(await former.getAttribute("aria-label")).toBe("a former colleague: you ask them 1, they ask you 1");
    expect(await alice.locator(".network-person").count()).toBe(3);
  });
});
