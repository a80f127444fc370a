import type { Workflow } from "../src/api/client";

export function workflow(overrides: Partial<Workflow> = {}): Workflow {
  return {
    id: "0123456789abcdef0123456789abcdef", version: 3, concern: "Review the Q3 budget",
    state: "requested", stateLabel: "Asked", quadrant: "Q2", closed: false,
    customer: { email: "alice@contoso.test", displayName: "Alice", pending: false },
    performer: { email: "bob@contoso.test", displayName: "Bob", pending: false },
    yourRole: "performer", whoseMove: "performer", yourMove: true, proposedToYou: false,
    terms: { proposed: { version: 1, conditions: "Comments on every line over 10k", dueBy: "2026-12-31T17:00:00Z", proposedBy: "customer", proposedAt: "2026-11-01T00:00:00Z" } },
    clocks: { replyBy: "2026-11-30T17:00:00Z", next: { kind: "replyBy", at: "2026-11-30T17:00:00Z", overdue: false } },
    links: [], availableMoves: ["promise", "counter", "decline", "commitToCommit", "note"],
    openedAt: "2026-11-01T00:00:00Z", updatedAt: "2026-11-02T00:00:00Z",
    objective: false, sharedWithParent: false, feedback: {}, youMayOpen: [],
    ...overrides,
  };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
