// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { readBody, readCurrentItem } from "../src/mailbox";
import { suggest } from "../src/suggest/detect";
import { App, endOfDay } from "../src/ui/app";
import { json, workflow } from "./fixtures";
import { alice, me, outlookWith } from "./office-mock";

// The pane's suggestions from the mail being read, with the item from office-addin-mock and the ports wired as
// main.ts wires them: the body is read through src/mailbox and analysed by src/suggest, in the page.

const REQUEST_MAIL = [
  "Hi Bob,", "", "Hope the move went well. Could you send me the Q3 numbers by Friday?", "", "Best regards,", "Alice",
  "", "On Thu, 3 Dec 2026 at 09:00, Bob <bob@contoso.test> wrote:", "> I'll promise anything you like.",
].join("\n");
const SENT = new Date("2026-12-04T09:30:00Z"); // a Friday: "by Friday" is the 11th

function outlook(body: string, item: Record<string, unknown> = {}) {
  return outlookWith({
    itemType: "message", subject: "Q3 numbers", from: alice, to: [me], conversationId: "conv-1", itemId: "ews-1",
    dateTimeCreated: SENT, body: { getAsync: (_type: string, callback: (r: unknown) => void) => callback({ status: "succeeded", value: body }) },
    ...item,
  });
}

/** A backend answering by route; every call recorded. */
function backend(routes: (method: string, url: string) => Response | undefined = () => undefined) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const method = init?.method ?? "GET", url = String(input);
    return routes(method, url) ?? (method === "POST" ? json(201, workflow({ state: "requested" }), { ETag: '"1"' })
      : url.startsWith("/api/items/") ? json(200, []) : json(200, { items: [] }));
  });
  return { fetch, api: new ApiClient({ baseUrl: "", token: async () => "t", fetch }) };
}

async function pane(office: typeof Office, api: ApiClient) {
  const item = (await readCurrentItem(office))!;
  const root = document.createElement("div");
  document.body.append(root);
  const app = new App(root, {
    itemKeyOf: (i) => (i.kind === "message" ? `thread:${i.conversationId}` : null),
    tagItem: async () => undefined,
    suggest: async () => { const b = await readBody(office); return b ? suggest(b.text, b.sent, "Europe/Amsterdam") : []; },
  });
  app.setItem("Outlook", item);
  await app.signedIn(api, item.me.email);
  return { root, app };
}

const suggestions = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>("section.suggestions li")];
const button = (li: HTMLElement, action: "take" | "dismiss") => li.querySelector<HTMLElement>(`[data-action="${action}"]`)!;
const posts = (fetch: ReturnType<typeof backend>["fetch"]) => fetch.mock.calls.filter(([, init]) => init?.method === "POST");
/** Everything the pane sent: each call's address and body. */
const sentText = (fetch: ReturnType<typeof backend>["fetch"]) => fetch.mock.calls.map(([url, init]) => `${String(url)} ${String(init?.body ?? "")}`).join("\n");

beforeEach(() => { localStorage.clear(); document.body.innerHTML = ""; });

describe("suggestions from the mail being read", () => {
  it("shows the request the mail makes, quoting it, with a Track it and a Dismiss button named for it", async () => {
    const { api } = backend();
    const { root } = await pane(outlook(REQUEST_MAIL), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(1));
    const [li] = suggestions(root) as [HTMLElement];
    expect(li.querySelector("blockquote")!.textContent).toBe("Could you send me the Q3 numbers by Friday?");
    expect(li.querySelector("p")!.textContent).toMatch(/^Alice asks you: send the Q3 numbers — by Fri.* 11.*\. Track it\?$/);
    expect(button(li, "take").getAttribute("aria-label")).toBe("Track it: Send the Q3 numbers");
    expect(button(li, "dismiss").getAttribute("aria-label")).toBe("Dismiss: Send the Q3 numbers");
    expect(root.querySelector("section.suggestions")!.getAttribute("aria-labelledby")).toBe("suggestions-heading");
  });

  it("fills the track form on the click, sends nothing until the person submits it, and never sends the body", async () => {
    const { fetch, api } = backend();
    const { root } = await pane(outlook(REQUEST_MAIL), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(1));
    const before = fetch.mock.calls.length;
    button(suggestions(root)[0]!, "take").click();

    const form = root.querySelector<HTMLFormElement>("form.track")!;
    expect(form.querySelector<HTMLInputElement>('input[name="start"]:checked')!.closest("label")!.textContent!.trim()).toBe("Alice asked me");
    expect(form.querySelector<HTMLTextAreaElement>('textarea[name="conditions"]')!.value).toBe("Send the Q3 numbers");
    expect(form.querySelector<HTMLInputElement>('input[name="dueBy"]')!.value).toBe("2026-12-11");
    expect(document.activeElement).toBe(form.querySelector('textarea[name="conditions"]'));
    expect(fetch.mock.calls.length).toBe(before);
    expect(posts(fetch)).toHaveLength(0);

    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(posts(fetch)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetch)[0]![1]?.body))).toEqual({
      concern: "Q3 numbers", customer: "alice@contoso.test", performer: "me", start: "requested",
      conditions: "Send the Q3 numbers", dueBy: endOfDay("2026-12-11"), source: { key: "thread:conv-1", kind: "message", subject: "Q3 numbers" },
    });
    // No sentence of the mail as written, not even the one suggested, reached the API.
    for (const line of REQUEST_MAIL.split("\n").filter((l) => l.length > 8)) expect(sentText(fetch)).not.toContain(line.replace(/^> /, ""));
    expect(sentText(fetch)).not.toContain("Could you send me");
  });

  it("offers a promise the sender made as 'they promised me', with the sender as performer", async () => {
    const { api } = backend();
    const { root } = await pane(outlook("Leave it with me, I'll have the contract back to you by Wednesday."), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(1));
    expect(suggestions(root)[0]!.querySelector("p")!.textContent).toMatch(/^Alice promises: have the contract back to you — by Wed/);
    button(suggestions(root)[0]!, "take").click();
    const form = root.querySelector<HTMLFormElement>("form.track")!;
    expect(form.querySelector<HTMLInputElement>('input[name="customer"]')!.value).toBe("me");
    expect(form.querySelector<HTMLInputElement>('input[name="performer"]')!.value).toBe("alice@contoso.test");
    expect(form.querySelector<HTMLInputElement>('input[name="start"]:checked')!.value).toBe("promised");
    expect(form.querySelector<HTMLInputElement>('input[name="dueBy"]')!.value).toBe("2026-12-09");
  });

  it("keeps a dismissed suggestion dismissed for that mail, and for that mail only", async () => {
    const { api } = backend();
    const first = await pane(outlook(REQUEST_MAIL), api);
    await vi.waitFor(() => expect(suggestions(first.root)).toHaveLength(1));
    button(suggestions(first.root)[0]!, "dismiss").click();
    expect(first.root.querySelector("section.suggestions")).toBeNull();
    expect(localStorage.getItem("workflow.dismissedSuggestions")).not.toContain("Q3");

    const again = await pane(outlook(REQUEST_MAIL), api);
    await new Promise((r) => setTimeout(r, 20));
    expect(again.root.querySelector("section.suggestions")).toBeNull();
    const other = await pane(outlook(REQUEST_MAIL, { itemId: "ews-2" }), api);
    await vi.waitFor(() => expect(suggestions(other.root)).toHaveLength(1));
  });

  it("shows at most three, in the order written", async () => {
    const { api } = backend();
    const body = "Could you review the deck by Monday? Please sign the NDA. Can you book the room for Tuesday? Please call the vendor today.";
    const { root } = await pane(outlook(body), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(3));
    expect(suggestions(root).map((li) => li.querySelector("blockquote")!.textContent)).toEqual([
      "Could you review the deck by Monday?", "Please sign the NDA.", "Can you book the room for Tuesday?",
    ]);
  });

  it("reads a meeting invitation's body too, and no body of a message being written", async () => {
    const invitation = outlook("Could you prepare the agenda by Monday?", { itemClass: "IPM.Schedule.Meeting.Request" });
    expect(await readBody(invitation)).toEqual({ text: "Could you prepare the agenda by Monday?", sent: SENT });
    const getAsync = vi.fn();
    const compose = outlookWith({ itemType: "message", subject: { getAsync }, body: { getAsync } });
    expect(await readBody(compose)).toBeNull();
    expect(getAsync).not.toHaveBeenCalled();
  });
});

describe("on a thread already tracked, the move the mail makes", () => {
  const summary = { ...workflow({ id: "w1", state: "promised", stateLabel: "Agreed", quadrant: "Q3" }), counterpart: "Alice" };
  const linkedBackend = (availableMoves: string[], yourRole: "customer" | "performer") => backend((method, url) => {
    if (url.startsWith("/api/items/")) return json(200, [summary]);
    if (method === "GET" && url === "/api/workflows/w1") return json(200, workflow({ id: "w1", state: "promised", stateLabel: "Agreed", quadrant: "Q3", yourRole, availableMoves } as never), { ETag: '"5"' });
    if (method === "POST" && url === "/api/workflows/w1/moves") return json(200, workflow({ id: "w1", state: "reported", stateLabel: "Done?", quadrant: "Q4", availableMoves: ["note"] }), { ETag: '"6"' });
    return undefined;
  });
  const DONE = "It's done — the numbers are in the shared folder.\n\nCheers,\nBob";

  it("is offered when I may make it now, and starts it on the card without sending it", async () => {
    const { fetch, api } = linkedBackend(["reportComplete", "renege", "proposeChange", "reportProgress", "note"], "performer");
    // A mail I sent: my "it's done" is mine to record.
    const { root } = await pane(outlook(DONE, { from: me, to: [alice] }), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(1));
    const li = suggestions(root)[0]!;
    expect(li.querySelector("p")!.textContent).toBe("You say it's done — mark it reported?");
    expect(button(li, "take").textContent!.trim()).toBe("Mark it reported");
    expect(root.querySelector("form.track")).not.toBeNull(); // the form stays, but nothing is offered to track
    button(li, "take").click();
    const form = root.querySelector<HTMLFormElement>("article.card form.move-form")!;
    expect(form.querySelector("h3")!.textContent).toBe("Done — ready for review");
    expect(posts(fetch)).toHaveLength(0);
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(posts(fetch)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetch)[0]![1]?.body))).toEqual({ move: "reportComplete" });
    expect(sentText(fetch)).not.toContain("shared folder");
  });

  it("is not offered when the move is not mine to make now", async () => {
    const { fetch, api } = linkedBackend(["cancel", "proposeChange", "checkIn", "note"], "customer");
    const { root } = await pane(outlook(DONE, { from: { ...me, displayName: "Bob", emailAddress: "bob@contoso.test" }, to: [alice] }), api);
    await vi.waitFor(() => expect(fetch.mock.calls.some(([url]) => String(url) === "/api/workflows/w1")).toBe(true));
    await new Promise((r) => setTimeout(r, 20));
    expect(root.querySelector("section.suggestions")).toBeNull();
  });

  it("offers the reader's answer on a mail received: told it is done, the customer is asked to assess it", async () => {
    const { fetch, api } = linkedBackend(["declareSatisfied", "declareNotSatisfied", "note"], "customer");
    // Alice's mail, read by me, her customer: she reported it in the app too, so assessing is mine now.
    const { root } = await pane(outlook(DONE), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(1));
    const li = suggestions(root)[0]!;
    expect(li.querySelector("p")!.textContent).toBe("Alice says it's done — assess it?");
    button(li, "take").click();
    expect(root.querySelector("article.card")).not.toBeNull();
    expect(root.querySelector("article.card")!.textContent).toContain("I'm satisfied");
    expect(posts(fetch)).toHaveLength(0);
  });

  it("offers the performer a promise in answer to a request on the thread's workflow, addressed to them", async () => {
    const { fetch, api } = linkedBackend(["promise", "counter", "decline", "commitToCommit", "note"], "performer");
    const { root } = await pane(outlook(REQUEST_MAIL), api);
    await vi.waitFor(() => expect(suggestions(root)).toHaveLength(1));
    expect(suggestions(root)[0]!.querySelector("p")!.textContent).toMatch(/^Alice asks you: send the Q3 numbers — by .+ — promise it\?$/);
    expect(posts(fetch)).toHaveLength(0);
  });
});
