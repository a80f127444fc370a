// What every browser test file sets up the same way: the stack started once for the file and closed after it, no CSP
// violation after any test (harness.ts's stackPerSuite, which the pane, Teams and depth files use directly: they sign in
// differently), development tokens, and the pane signed in as someone.
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { artifactsDir, stackPerSuite, type Stack } from "./harness";

export const shots = join(artifactsDir, "screenshots");

export interface Session {
  readonly stack: () => Stack;
  /** A development token for `email` (the API's local sign-in). */
  token(email: string): Promise<string>;
  /** The pane as a web page in a fresh context, signed in as `email`, at `query`. */
  pane(email: string, query?: string): Promise<Page>;
}

/** Registers the file's hooks and returns its session. */
export function useStack(): Session {
  let stack: Stack | undefined;
  const contexts: BrowserContext[] = [];
  stackPerSuite(shots, contexts, (started) => { stack = started; });
  const session: Session = {
    stack: () => stack!,
    async token(email) {
      const answer = await fetch(`${stack!.apiUrl}/api/dev/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email }) });
      return ((await answer.json()) as { access_token: string }).access_token;
    },
    async pane(email, query = "") {
      const context = await stack!.context(null);
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (e) => { console.error(`[page error] ${e.message}`); });
      await page.goto(stack!.paneUrl + query);
      await page.locator('input[type="email"]').fill(email);
      await page.locator("form fluent-button", { hasText: "Sign in" }).click();
      await expect.poll(() => page.locator(".who").textContent(), { timeout: 30_000 }).toBe(email);
      return page;
    },
  };
  return session;
}
