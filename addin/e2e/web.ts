// What the browser tests that need no Outlook host share: the API called as a signed-in user (the development
// sign-in's token), and the pane as a web page, signed in as someone.
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { Stack } from "./harness";

export async function tokenOf(stack: Stack, email: string): Promise<string> {
  const answer = await fetch(`${stack.apiUrl}/api/dev/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email }) });
  return ((await answer.json()) as { access_token: string }).access_token;
}

export async function callAs(
  stack: Stack, email: string, method: string, path: string, body?: object, headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${stack.apiUrl}${path}`, {
    method, ...(body ? { body: JSON.stringify(body) } : {}),
    headers: { Authorization: `Bearer ${await tokenOf(stack, email)}`, "Content-Type": "application/json", ...headers },
  });
}

/** The pane as a web page, signed in as `email`, at `query`; its context joins `contexts`, for the test to close. */
export async function paneAs(stack: Stack, contexts: BrowserContext[], email: string, query = ""): Promise<Page> {
  const context = await stack.context(null);
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => { console.error(`[page error] ${e.message}`); });
  await page.goto(stack.paneUrl + query);
  await page.locator('input[type="email"]').fill(email);
  await page.locator("form fluent-button", { hasText: "Sign in" }).click();
  await expect.poll(() => page.locator(".who").textContent(), { timeout: 30_000 }).toBe(email);
  return page;
}
