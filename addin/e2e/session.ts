// What every browser test file sets up the same way: the stack started once for the file and closed after it, no CSP
// violation after any test (harness.ts's stackPerSuite, which the pane, Teams and depth files use directly: they sign in
// differently), development tokens, and the pane signed in as someone.
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { artifactsDir, stackPerSuite, type Stack } from "./harness";
import { paneAs, tokenOf } from "./web";

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
    token: (email) => tokenOf(stack!, email),
    pane: (email, query = "") => paneAs(stack!, contexts, email, query),
  };
  return session;
}
