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
