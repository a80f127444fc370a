// @vitest-environment happy-dom
// Links into the pane and the web app: `?workflow=<id>` opens the card, `&move=<name>` starts that move without sending
// it, `?view=review` shows the weekly review; whatever cannot be followed is said in plain words, and nothing crashes.
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { App } from "../src/ui/app";
import { deepLinkFrom } from "../src/ui/deeplink";
import { json, workflow } from "./fixtures";

const id = "0123456789abcdef0123456789abcdef";

describe("reading a link", () => {
  it("takes a workflow id, a move it knows and the review page", () => {
    expect(deepLinkFrom(`?workflow=${id.toUpperCase()}&move=promise`)).toEqual({ workflow: id, move: "promise" });
    expect(deepLinkFrom("?view=review")).toEqual({ view: "review" });
    expect(deepLinkFrom("")).toEqual({});
  });

  it("says why a malformed id, an unknown move, a move without a workflow or an unknown page cannot be followed", () => {
    expect(deepLinkFrom("?workflow=../../api/dev").problem).toMatch(/does not name a workflow/);
    expect(deepLinkFrom(`?workflow=${id}&move=launch`)).toEqual({ workflow: id, problem: 'That link asks for a move Workflow does not know ("launch").' });
    expect(deepLinkFrom("?move=promise").problem).toMatch(/no workflow/);
    expect(deepLinkFrom("?view=settings").problem).toMatch(/page Workflow does not have/);
  });
});

function backend(routes: (method: string, url: string) => Response) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => routes(init?.method ?? "GET", String(input)));
  return { fetch, api: new ApiClient({ baseUrl: "", token: async () => "t", fetch }) };
}

/** A web app page (no Office item) with the link followed, signed in as Bob. */
async function openWith(search: string, routes: (method: string, url: string) => Response) {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const { fetch, api } = backend(routes);
  const app = new App(root, { itemKeyOf: () => null, tagItem: async () => undefined });
  app.follow(deepLinkFrom(search));
  app.setItem(null, null);
  await app.signedIn(api, "bob@contoso.test");
  return { root, fetch };
}
const lists = () => json(200, { items: [] });
const posts = (fetch: ReturnType<typeof backend>["fetch"]) => fetch.mock.calls.filter(([, init]) => init?.method === "POST");

describe("following a link once signed in", () => {
  it("opens the named workflow's card and moves keyboard focus to it", async () => {
    const { root } = await openWith(`?workflow=${id}`, (_, url) => url === `/api/workflows/${id}` ? json(200, workflow(), { ETag: '"3"' }) : lists());
    expect(root.querySelector("article.card h2")!.textContent).toBe("Review the Q3 budget");
    expect(document.activeElement).toBe(root.querySelector("article.card"));
  });

  it("starts the named move's form with its field focused, and sends nothing", async () => {
    const { root, fetch } = await openWith(`?workflow=${id}&move=counter`, (_, url) => url.startsWith("/api/workflows/") ? json(200, workflow(), { ETag: '"3"' }) : lists());
    const form = root.querySelector("article.card form.move-form")!;
    expect(form.querySelector("h3")!.textContent).toBe("Counter-offer");
    expect(document.activeElement).toBe(form.querySelector("textarea"));
    expect(posts(fetch)).toEqual([]);
  });

  it("a move that takes no input is not sent either: its confirm button waits, focused, for a click", async () => {
    const { root, fetch } = await openWith(`?workflow=${id}&move=promise`, (method, url) =>
      method === "POST" ? json(200, workflow({ state: "promised" }), { ETag: '"4"' })
        : url.startsWith("/api/workflows/") ? json(200, workflow(), { ETag: '"3"' }) : lists());
    const confirm = root.querySelector<HTMLElement>('article.card form.move-form fluent-button[type="submit"]')!;
    expect(confirm.textContent).toBe("Promise");
    expect(document.activeElement).toBe(confirm);
    expect(posts(fetch)).toEqual([]);
    root.querySelector("form.move-form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(posts(fetch)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetch)[0]![1]!.body))).toEqual({ move: "promise" });
  });

  it("a move no longer open to the viewer: the card as it stands, and a notice in plain words", async () => {
    const now = workflow({ state: "promised", stateLabel: "Promised", whoseMove: "performer", availableMoves: ["reportComplete", "note"] });
    const { root } = await openWith(`?workflow=${id}&move=promise`, (_, url) => url.startsWith("/api/workflows/") ? json(200, now, { ETag: '"5"' }) : lists());
    expect(root.querySelector("fluent-message-bar")!.textContent).toContain('That move ("Promise") is no longer available — the workflow is now Promised.');
    expect(root.querySelector("form.move-form")).toBeNull();
    expect([...root.querySelectorAll("[data-move]")].map((b) => b.getAttribute("data-move"))).toEqual(["reportComplete", "note"]);
  });

  it("a workflow that is not there (or not mine): a notice, no card, the lists still shown", async () => {
    const { root } = await openWith(`?workflow=${id}`, (_, url) => url.startsWith("/api/workflows/")
      ? json(404, { type: "https://workflow.dev/problems/not-found", status: 404, title: "Not found" }) : lists());
    expect(root.querySelector("fluent-message-bar")!.textContent).toContain("cannot be found, or that you are not a party to");
    expect(root.querySelector("article.card")).toBeNull();
    expect(root.querySelector('section[aria-label="My lists"]')).not.toBeNull();
  });

  it("?view=review opens the weekly review page", async () => {
    const { root } = await openWith("?view=review", (_, url) => url === "/api/review"
      ? json(200, { week: "2026-W48", timeZone: "UTC", from: "2026-11-23T00:00:00Z", to: "2026-11-30T00:00:00Z", items: [] }) : lists());
    expect(root.querySelector("section.review h2")!.textContent).toBe("Your weekly review");
    expect(root.querySelector('section[aria-label="My lists"]')).toBeNull();
  });

  it("a malformed link: a notice and no call for it", async () => {
    const { root, fetch } = await openWith("?workflow=nope&move=promise", () => lists());
    expect(root.querySelector("fluent-message-bar")!.textContent).toContain("does not name a workflow");
    expect(fetch.mock.calls.map(([url]) => String(url)).filter((u) => u.startsWith("/api/workflows/"))).toEqual([]);
  });
});
