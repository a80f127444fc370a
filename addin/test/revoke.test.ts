// @vitest-environment happy-dom
// The other party outside the organisation acts through personal links mailed to them; from the card the person may
// stop those links, after a confirm step. The card's history says which moves came through such a link.
import { render } from "lit-html";
import { describe, expect, it, vi } from "vitest";
import { ApiClient, type HistoryEntry } from "../src/api/client";
import { App } from "../src/ui/app";
import { deepLinkFrom } from "../src/ui/deeplink";
import { eventLines } from "../src/ui/labels";
import { cardView, type Handlers } from "../src/ui/views";
import { json, workflow } from "./fixtures";

const id = "0123456789abcdef0123456789abcdef";
// Alice asked someone the directory does not know: the performer is pending, and it is their move.
const asked = workflow({
  yourRole: "customer", whoseMove: "performer", yourMove: false, availableMoves: ["withdraw", "note"],
  performer: { email: "auditor@outside.example", displayName: null, pending: true },
});

async function aliceCard(w = asked) {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const url = String(input);
    if (url.endsWith("/guest-links/revoke")) return json(200, { ...w, version: w.version + 1 }, { ETag: `"${w.version + 1}"` });
    if (url.startsWith(`/api/workflows/${id}`)) return json(200, w, { ETag: `"${w.version}"` });
    return init?.method === "GET" || !init?.method ? json(200, { items: [] }) : json(500, {});
  });
  const app = new App(root, { itemKeyOf: () => null, tagItem: async () => undefined });
  app.follow(deepLinkFrom(`?workflow=${id}`));
  app.setItem(null, null);
  await app.signedIn(new ApiClient({ baseUrl: "", token: async () => "t", fetch }), "alice@contoso.test");
  const posts = () => fetch.mock.calls.filter(([, init]) => init?.method === "POST").map(([url]) => String(url));
  const click = (selector: string) => root.querySelector<HTMLElement>(selector)!.click();
  return { root, posts, click };
}

describe("stopping the other party's personal link", () => {
  it("is offered when the other party is outside the organisation, and asks before it does anything", async () => {
    const { root, posts, click } = await aliceCard();
    expect(root.querySelector('[data-action="revoke"]')!.textContent).toContain("auditor@outside.example");
    click('[data-action="revoke"]');
    expect(root.querySelector(".revoke.confirm")!.textContent).toContain("will stop opening this workflow");
    expect(posts()).toEqual([]);
    click('[data-action="cancel-revoke"]');
    expect(root.querySelector(".revoke.confirm")).toBeNull();
    expect(posts()).toEqual([]);
  });

  it("stops it once confirmed, and says so", async () => {
    const { root, posts, click } = await aliceCard();
    click('[data-action="revoke"]');
    click('[data-action="confirm-revoke"]');
    await vi.waitFor(() => expect(root.querySelector("fluent-message-bar")?.textContent)
      .toContain("The links already mailed to auditor@outside.example no longer open this workflow."));
    expect(posts()).toEqual([`/api/workflows/${id}/guest-links/revoke`]);
    expect(root.querySelector(".revoke.confirm")).toBeNull();
  });

  it("is not offered when the other party is in the organisation, or when it is closed", async () => {
    const inside = await aliceCard(workflow({ yourRole: "customer", whoseMove: "performer", yourMove: false }));
    expect(inside.root.querySelector('[data-action="revoke"]')).toBeNull();
    const closed = await aliceCard({ ...asked, closed: true, quadrant: "closed", whoseMove: null, availableMoves: [] });
    expect(closed.root.querySelector('[data-action="revoke"]')).toBeNull();
  });
});

describe("the card's history", () => {
  const history: HistoryEntry[] = [
    { version: 1, event: "workflowOpened", by: "customer", who: "alice@contoso.test", at: "2026-11-21T09:00:00Z", details: {} },
    { version: 2, event: "promised", by: "performer", who: "auditor@outside.example", at: "2026-11-22T09:00:00Z", details: {}, via: "mailedLink" },
  ];

  it("lists the events newest first, and a move made through a personal link says so", () => {
    const lines = eventLines(history);
    expect(lines.map((l) => [l.text, l.who, l.via])).toEqual([
      ["Promised", "auditor@outside.example", "via mailed link"],
      ["Workflow opened", "alice@contoso.test", undefined],
    ]);
    const root = document.createElement("div");
    const h = new Proxy({}, { get: (t: Record<string, unknown>, k: string) => (t[k] ??= vi.fn()) }) as unknown as Handlers;
    render(cardView({ workflow: asked, etag: '"3"' }, undefined, false, h, { termsHistory: [], events: lines }), root);
    const items = [...root.querySelectorAll(".events li")].map((li) => li.textContent!.replace(/\s+/g, " ").trim());
    expect(items[0]).toMatch(/^Promised auditor@outside\.example, .* · via mailed link$/);
    expect(items[1]).not.toContain("via");
  });
});
