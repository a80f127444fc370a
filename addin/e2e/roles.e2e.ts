// Roles end to end (issue 14): headless Chromium against the real local API and Azurite, the pane as a web page. Bob
// saves the loop he closed for Alice as a monthly role, the RoleCycles timer (invoked as the Functions host does)
// opens its cycle for both, Bob hands the role to Carol, Carol takes the open cycle, and Alice sees Carol as its
// performer. axe-core checks the Roles page as the holder and as the new holder with an offer.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe";
import { artifactsDir, startStack, type Stack } from "./harness";
import { callAs, paneAs as paneIn } from "./web";

const concern = "Monthly board pack";
const shots = join(artifactsDir, "screenshots");
let stack: Stack;
const contexts: BrowserContext[] = [];

const call = (email: string, method: string, path: string, body?: object, headers: Record<string, string> = {}) =>
  callAs(stack, email, method, path, body, headers);

/** A loop Bob promised Alice and she declared satisfied, made through the API (the loop's own UI is tested in pane.e2e.ts). */
async function closedLoop(): Promise<string> {
  const opened = await call("bob@contoso.test", "POST", "/api/workflows", {
    concern, customer: "alice@contoso.test", performer: "me", conditions: "Figures checked, two pages", dueBy: new Date(Date.now() + 5 * 86_400_000).toISOString(), start: "promised",
  });
  expect(opened.status).toBe(201);
  const { id } = (await opened.json()) as { id: string };
  const reported = await call("bob@contoso.test", "POST", `/api/workflows/${id}/moves`, { move: "reportComplete" }, { "If-Match": opened.headers.get("ETag")! });
  expect(reported.status).toBe(200);
  const satisfied = await call("alice@contoso.test", "POST", `/api/workflows/${id}/moves`, { move: "declareSatisfied" }, { "If-Match": reported.headers.get("ETag")! });
  expect(satisfied.status).toBe(200);
  return id;
}

/** The pane as a web page, signed in as `email`, at `query`. */
const paneAs = (email: string, query = "") => paneIn(stack, contexts, email, query);

const rolesPage = (page: Page) => page.locator('section[aria-label="Roles"]');

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

describe("a role: saved from a closed loop, its cycle opened by the timer, handed over", () => {
  let roleId = "";
  let cycleId = "";

  it("Bob saves the loop he closed for Alice as a monthly role, with the next dates previewed", async () => {
    const loop = await closedLoop();
    const page = await paneAs("bob@contoso.test", `?workflow=${loop}`);
    await page.locator('fluent-button[data-action="save-as-role"]').click({ timeout: 30_000 });
    const form = rolesPage(page).locator("form.role-form");
    await form.locator('input[name="name"]').fill("Board reporting");
    // Two days from now at 09:00 (UTC in these browsers): within the week's lead, so the timer opens it at once.
    const due = new Date(Date.now() + 2 * 86_400_000);
    if (due.getUTCDate() <= 28) {
      await form.locator('input[name="day"]').fill(String(due.getUTCDate()));
    } else {
      await form.locator('input[name="repeats"][value="weekly"]').check();
      await form.locator('select[name="weekday"]').selectOption(String(due.getUTCDay()));
    }
    await form.locator('input[name="leadDays"]').fill("7");
    await expect.poll(() => form.locator("p.preview").textContent(), { timeout: 20_000 }).toMatch(/^Next: .+, .+, .+/);
    expect(await seriousViolations(page)).toEqual([]);
    await form.locator('fluent-button[type="submit"]').click();

    const held = rolesPage(page).locator("article.role", { hasText: "Board reporting" });
    await expect.poll(() => held.locator("li[data-accountability]").textContent(), { timeout: 20_000 }).toContain(concern);
    roleId = (await held.getAttribute("data-role"))!;
    await page.screenshot({ path: join(shots, "roles-01-saved.png"), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("the RoleCycles timer opens the cycle once; holder and customer both see it", async () => {
    for (let run = 0; run < 2; run++) {
      const fired = await fetch(`${stack.apiUrl}/RoleCycles`, {
        method: "POST", headers: { "Content-Type": "application/json", "X-Azure-Functions-InvocationId": crypto.randomUUID() },
        body: JSON.stringify({ Data: { timer: { IsPastDue: false } }, Metadata: {} }),
      });
      expect(fired.status, await fired.text()).toBe(200);
    }
    const role = (await (await call("bob@contoso.test", "GET", `/api/roles/${roleId}`)).json()) as { cycles: { workflowId: string }[] };
    expect(role.cycles).toHaveLength(1);
    cycleId = role.cycles[0]!.workflowId;

    for (const [email, yourRole] of [["bob@contoso.test", "Bob Baker"], ["alice@contoso.test", "Alice Archer"]] as const) {
      const page = await paneAs(email, `?workflow=${cycleId}`);
      const card = page.locator("article.card");
      await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain("A cycle of “Board reporting”");
      expect(await card.locator("h2").textContent()).toBe(concern);
      expect(await card.textContent()).toContain(yourRole);
    }
  });

  it("Bob hands the role to Carol; Carol takes the open cycle; Alice sees Carol as its performer", async () => {
    const bob = await paneAs("bob@contoso.test");
    await bob.locator('fluent-button[data-page="roles"]').click();
    const held = rolesPage(bob).locator(`article.role[data-role="${roleId}"]`);
    await held.locator('fluent-button[data-action="handover"]').click({ timeout: 30_000 });
    await held.locator('form.handover input[name="to"]').fill("carol@contoso.test");
    await held.locator('form.handover fluent-button[type="submit"]').click();
    await expect.poll(() => rolesPage(bob).textContent(), { timeout: 20_000 }).toContain("Roles you held");

    const carol = await paneAs("carol@contoso.test");
    await carol.locator('fluent-button[data-page="roles"]').click();
    const offer = rolesPage(carol).locator(`li[data-offer="${cycleId}"]`);
    await offer.waitFor({ timeout: 30_000 });
    expect(await seriousViolations(carol)).toEqual([]);
    await carol.screenshot({ path: join(shots, "roles-02-offer.png"), fullPage: true });
    await offer.locator("fluent-button", { hasText: "Take it" }).click();
    await expect.poll(() => offer.count(), { timeout: 20_000 }).toBe(0);

    const alice = await paneAs("alice@contoso.test", `?workflow=${cycleId}`);
    await expect.poll(() => alice.locator("article.card").textContent(), { timeout: 30_000 }).toContain("Carol Chen");
    const asCarol = (await (await call("carol@contoso.test", "GET", `/api/workflows/${cycleId}`)).json()) as { yourRole: string; performer: { email: string } };
    expect(asCarol).toMatchObject({ yourRole: "performer", performer: { email: "carol@contoso.test" } });
  });
});
