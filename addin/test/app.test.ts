// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { ItemContext } from "../src/mailbox";
import { App } from "../src/ui/app";
import { json, workflow } from "./fixtures";

const message: ItemContext = {
  kind: "message", mode: "read", subject: "Q3 budget", from: { email: "alice@contoso.test", name: "Alice" },
  to: [{ email: "bob@contoso.test", name: "Bob" }], me: { email: "bob@contoso.test", name: "Bob" }, sentByMe: false,
  conversationId: "conv-1", itemId: "rest:1", categories: [],
};

/** Answers each request by route, and records them. */
function backend(routes: (method: string, url: string) => Response) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => routes(init?.method ?? "GET", String(input)));
  return { fetch, api: new ApiClient({ baseUrl: "", token: async () => "t", fetch }) };
}
const calls = (fetch: ReturnType<typeof backend>["fetch"]) => fetch.mock.calls.map(([url, init]) => `${init?.method ?? "GET"} ${String(url)}`);

function start() {
  const root = document.createElement("div");
  const tagItem = vi.fn(async () => undefined);
  const app = new App(root, { itemKeyOf: (i) => (i.kind === "message" ? `thread:${i.conversationId}` : null), tagItem });
  return { root, app, tagItem };
}

describe("the pane on a message", () => {
  it("shows the item's workflows with exactly one API call for them", async () => {
    const { fetch, api } = backend((_, url) => url.startsWith("/api/items/") ? json(200, [{ ...workflow(), counterpart: "Alice" }]) : json(200, { items: [] }));
    const { root, app } = start();
    app.setItem("Outlook", message);
    await app.signedIn(api, "bob@contoso.test");
    expect(calls(fetch).filter((c) => c.includes("/api/items/"))).toEqual(["GET /api/items/thread%3Aconv-1/workflows"]);
    expect(root.textContent).toContain("Review the Q3 budget");
  });

  it("tracks the message with the sender as customer and me as performer, then tags it with the quadrant", async () => {
    const { fetch, api } = backend((method, url) =>
      method === "POST" ? json(201, workflow({ version: 1, state: "draft", quadrant: "Q1" }), { ETag: '"1"' })
        : url.startsWith("/api/items/") ? json(200, []) : json(200, { items: [] }));
    const { root, app, tagItem } = start();
    app.setItem("Outlook", message);
    await app.signedIn(api, "bob@contoso.test");
    root.querySelector<HTMLFormElement>("form.track")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(tagItem).toHaveBeenCalledWith("Q1"));
    const open = fetch.mock.calls.find(([, init]) => init?.method === "POST")!;
    expect(JSON.parse(String(open[1]?.body))).toEqual({
      concern: "Q3 budget", customer: "alice@contoso.test", performer: "me",
      source: { key: "thread:conv-1", kind: "message", subject: "Q3 budget" },
    });
    expect(new Headers(open[1]?.headers).get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("marks the list lines the other party proposed to me, in words", async () => {
    const lines = [
      { ...workflow({ id: "a".repeat(32), concern: "Theirs", proposedToYou: true }), counterpart: "Alice" },
      { ...workflow({ id: "b".repeat(32), concern: "Mine" }), counterpart: "Alice" },
    ];
    const { api } = backend(() => json(200, { items: lines }));
    const { root, app } = start();
    app.setItem(null, null);
    await app.signedIn(api, "bob@contoso.test");
    const rows = [...root.querySelectorAll('section[aria-label="My lists"] button.row')];
    expect(rows.map((r) => r.querySelector(".proposed")?.textContent?.trim() ?? null)).toEqual(["Proposed to you", null]);
    expect(rows[0]!.textContent).toContain("Theirs");
  });

  it("after a conflict shows the workflow as it is now and says what changed", async () => {
    const now = workflow({ version: 4, state: "declined", stateLabel: "Declined", quadrant: "closed", closed: true, whoseMove: null, yourMove: false, availableMoves: ["note"] });
    let gets = 0;
    const { api } = backend((method, url) => {
      if (method === "POST") return json(412, { type: "https://workflow.dev/problems/stale-version", status: 412, title: "The workflow has changed since you loaded it." });
      if (url.startsWith("/api/workflows/")) return gets++ === 0 ? json(200, workflow(), { ETag: '"3"' }) : json(200, now, { ETag: '"4"' });
      return json(200, { items: [{ ...workflow(), counterpart: "Alice" }] });
    });
    const { root, app } = start();
    app.setItem(null, null); // a plain web page: lists and cards, no item
    await app.signedIn(api, "bob@contoso.test");
    (root.querySelector("button.row") as HTMLElement).click();
    await vi.waitFor(() => expect(root.querySelector('[data-move="promise"]')).not.toBeNull());
    (root.querySelector('[data-move="promise"]') as HTMLElement).click();
    await vi.waitFor(() => expect(root.textContent).toContain("Someone else changed this workflow first"));
    expect(root.textContent).toContain('It is now "Declined" (was "Asked").');
    expect([...root.querySelectorAll("[data-move]")].map((b) => b.getAttribute("data-move"))).toEqual(["note"]);
  });
});

describe("my lists: the timeline of what falls due", () => {
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
  const lines = [
    { ...workflow({ id: "soon", concern: "Due soon", quadrant: "Q3", clocks: { dueBy: inDays(2) } }), counterpart: "Alice" },
    { ...workflow({ id: "later", concern: "Answer next week", quadrant: "Q2", clocks: { replyBy: inDays(9) } }), counterpart: "Alice" },
    { ...workflow({ id: "late", concern: "Run out", quadrant: "Q3", clocks: { dueBy: inDays(-3) } }), counterpart: "Alice" },
  ];
  const shown = (root: HTMLElement) => [...root.querySelectorAll('section[aria-label="My lists"] .concern')].map((e) => e.textContent);
  const status = (root: HTMLElement) => root.querySelector(".filters [role=status]")!.textContent!.trim();

  it("filters the list to a day's workflows, toggles off, and combines with the quadrant until cleared", async () => {
    const { api } = backend(() => json(200, { items: lines }));
    const { root, app } = start();
    app.setItem(null, null);
    await app.signedIn(api, "bob@contoso.test");
    expect(shown(root)).toEqual(["Due soon", "Answer next week", "Run out"]);

    const days = [...root.querySelectorAll<HTMLButtonElement>("button.day")];
    expect(days.map((d) => d.querySelector(".sr-only")!.textContent)).toEqual([expect.stringMatching(/: 1 due$/), expect.stringMatching(/: 1 due$/)]);
    days[0]!.click();
    expect(shown(root)).toEqual(["Due soon"]);
    expect(root.querySelector("button.day")!.getAttribute("aria-pressed")).toBe("true");
    expect(status(root)).toMatch(/^Showing only: due /);
    root.querySelector<HTMLButtonElement>("button.day")!.click();
    expect(shown(root)).toEqual(["Due soon", "Answer next week", "Run out"]);
    expect(status(root)).toBe("");

    const overdue = root.querySelector<HTMLButtonElement>("button.overdue-bucket")!;
    expect(overdue.querySelector(".sr-only")!.textContent).toBe("Overdue: 1");
    overdue.click();
    expect(shown(root)).toEqual(["Run out"]);
    root.querySelector<HTMLButtonElement>("button.quadrant.q2")!.click();
    expect(shown(root)).toEqual([]);
    expect(status(root)).toBe("Showing only: Q2 Negotiate · overdue");
    // Within Q2 nothing is overdue, yet the picked bucket stays, pressed, so it can be unpicked where it was picked.
    expect(root.querySelector("button.overdue-bucket .sr-only")!.textContent).toBe("Overdue: 0");
    expect(root.querySelectorAll("button.day")).toHaveLength(1);

    (root.querySelector(".filters fluent-button") as HTMLElement).click();
    expect(shown(root)).toEqual(["Due soon", "Answer next week", "Run out"]);
    expect([...root.querySelectorAll("[aria-pressed=true]")]).toEqual([]);
  });
});
