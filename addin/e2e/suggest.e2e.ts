// Suggestions from the mail being read, end to end: headless Debian Chromium against the real local API and Azurite,
// with the scripted Outlook host (e2e/fake-office.js) holding a mail whose body asks Bob for something. Bob's pane reads
// the body in the page, offers the request quoted, and one click on "Track it" fills the form that he sends: the
// workflow exists, asked of him. No request the page makes carries the body. Screenshots go to artifacts/screenshots/.
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { detect } from "../src/suggest/detect";
import { seriousViolations } from "./axe";
import { artifactsDir, stackPerSuite, type Person, type Stack } from "./harness";

const alice: Person = { emailAddress: "alice@contoso.test", displayName: "Alice Martin" };
const bob: Person = { emailAddress: "bob@contoso.test", displayName: "Bob Stone" };
const request = "Could you send me the Q3 figures for the board pack by the end of next week?";
const body = [
  "Hi Bob,", "", `Hope the move went well. ${request}`, "Thanks for the help with the launch, by the way.", "",
  "Best regards,", "Alice", "", "On Mon, 30 Nov 2026 at 09:00, Bob Stone <bob@contoso.test> wrote:", "> I'll have the draft ready whenever you need it.",
].join("\n");
const sent = new Date().toISOString();
const shots = join(artifactsDir, "screenshots");

let stack: Stack;
const contexts: BrowserContext[] = [];
stackPerSuite(shots, contexts, (started) => { stack = started; });

describe("a mail's request, tracked in one click", () => {
  let page: Page;
  const sentToApi: string[] = [];

  it("Bob opens Alice's mail: the pane quotes its request and offers to track it", async () => {
    const context = await stack.context({ me: bob, item: { kind: "message", subject: "Board pack", from: alice, to: [bob], conversationId: "conv-suggest", itemId: "msg-suggest", body, sent } });
    contexts.push(context);
    page = await context.newPage();
    page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) sentToApi.push(`${r.method()} ${r.url()} ${r.postData() ?? ""}`); });
    page.on("pageerror", (e) => { console.error(`[page error] ${e.message}`); });
    await page.goto(stack.paneUrl);

    const offer = page.locator("section.suggestions li");
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.count()).toBe(1);
    expect(await offer.locator("blockquote").textContent()).toBe(request);
    expect(await offer.locator("p").textContent()).toMatch(/^Alice asks you: send the Q3 figures for the board pack — by .+\. Track it\?$/);
    await page.screenshot({ path: join(shots, "suggest-01-offered.png"), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("one click fills the form; Bob sends it and the workflow is asked of him, with the day the mail named", async () => {
    const offer = page.locator("section.suggestions li");
    await offer.locator('fluent-button[data-action="take"]:not([disabled])').click();
    const form = page.locator("form.track");
    const due = detect(request, new Date(sent), "UTC").dueBy!;
    await expect.poll(() => form.locator('input[name="dueBy"]').inputValue()).toBe(due);
    expect(await form.locator('textarea[name="conditions"]').inputValue()).toBe("Send the Q3 figures for the board pack");
    expect(await form.locator('input[name="start"]:checked').getAttribute("value")).toBe("requested");
    // Nothing but the local sign-in has been posted: the click filled the form and sent nothing.
    expect(sentToApi.filter((c) => c.startsWith("POST") && !c.includes("/api/dev/token"))).toEqual([]);
    await page.screenshot({ path: join(shots, "suggest-02-form-filled.png"), fullPage: true });

    await form.locator("fluent-button[type=submit]:not([disabled])", { hasText: "Track this" }).click();
    const card = page.locator("article.card");
    await expect.poll(() => card.locator(".state").textContent(), { timeout: 20_000 }).toBe("Asked");
    expect(await card.locator("h2").textContent()).toBe("Board pack");
    expect(await card.textContent()).toContain("Send the Q3 figures for the board pack");
    expect(await card.locator(".whose").textContent()).toBe("Your move.");
    // Tracked now: the thread's workflow is listed, and the mail's request is offered as Bob's answer to it, his promise.
    await page.locator('section[aria-label="Current item"] button.row').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator("section.suggestions li p").textContent(), { timeout: 20_000 }).toMatch(/^Alice asks you: .+ — promise it\?$/);
    await page.screenshot({ path: join(shots, "suggest-03-tracked.png"), fullPage: true });
  });

  it("sent the API no sentence of the mail, only what the form showed", () => {
    const posted = sentToApi.filter((c) => c.startsWith("POST /") || c.startsWith("POST http"));
    expect(posted.filter((c) => c.includes("/api/workflows "))).toHaveLength(1);
    for (const line of body.split("\n").map((l) => l.replace(/^> /, "")).filter((l) => l.length > 12)) {
      for (const call of sentToApi) expect(call).not.toContain(line);
    }
  });
});
