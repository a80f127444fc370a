// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { ApiClient, type MeetingView, type WorkflowSummary } from "../src/api/client";
import { App } from "../src/ui/app";
import { othersLinkedText, outcomeText } from "../src/ui/meeting";
import { json, workflow } from "./fixtures";

const key = "event:teams:19:meeting_abc@thread.v2";
const encoded = encodeURIComponent(key);
const on = "2026-01-05";
const summary = (overrides: Partial<WorkflowSummary> = {}): WorkflowSummary => ({ ...workflow(), counterpart: "Alice", ...overrides } as WorkflowSummary);
const record = (overrides: Partial<MeetingView> = {}): MeetingView => ({
  key, on, purpose: "Q2", purposeSetFor: "meeting", workflows: [summary()], othersLinked: 2,
  outcomes: [{ workflowId: workflow().id, concern: "Review the Q3 budget", event: "Promised", words: "promised", by: "performer", byName: "Bob", at: "2026-01-05T10:12:00Z", on }],
  ...overrides,
});

function backend(routes: (method: string, url: string, body: unknown) => Response) {
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => routes(init?.method ?? "GET", String(input), init?.body ? JSON.parse(String(init.body)) : undefined));
  return { fetch, api: new ApiClient({ baseUrl: "", token: async () => "t", fetch }) };
}
const sent = (fetch: ReturnType<typeof backend>["fetch"], method: string) =>
  fetch.mock.calls.filter(([, init]) => init?.method === method).map(([url, init]) => ({ url: String(url), body: JSON.parse(String(init?.body ?? "null")) }));

/** The server as the contract says: the record, the agenda, the lists and one workflow. */
const server = (view = record()) => (method: string, url: string): Response => {
  if (url.startsWith(`/api/meetings/${encoded}/agenda`)) return json(200, { purpose: view.purpose, items: [summary({ id: "c".repeat(32), concern: "Agree the venue" })] });
  if (url.startsWith(`/api/meetings/${encoded}/purpose`)) return json(200, view);
  if (url.startsWith(`/api/meetings/${encoded}`)) return json(200, view);
  if (url.startsWith("/api/workflows?")) return json(200, { items: [summary({ id: "d".repeat(32), concern: "Send the slides" })] });
  if (method === "POST" && url.endsWith("/moves")) return json(200, workflow({ version: 4, state: "promised", stateLabel: "Agreed", quadrant: "Q3", availableMoves: ["reportComplete"] }), { ETag: '"4"' });
  if (url.startsWith("/api/workflows/")) return json(200, workflow(), { ETag: '"3"' });
  return json(404, { title: "Not found", status: 404 });
};

async function inMeeting(routes: Parameters<typeof backend>[0], surface: "sidePanel" | "stage" = "sidePanel") {
  const { fetch, api } = backend(routes);
  const root = document.createElement("div");
  const app = new App(root, {});
  app.inMeeting({ key, on, surface });
  await app.signedIn(api, "bob@contoso.test");
  return { fetch, root, app };
}

describe("the meeting's side panel", () => {
  it("shows the purpose, the agenda, my linked workflows, how many others are linked, and the outcomes", async () => {
    const { fetch, root } = await inMeeting(server());
    expect(root.querySelector(".purpose-text")!.textContent).toBe("Q2 Negotiate (every occurrence)");
    expect(root.querySelector('fluent-button[data-purpose="Q2"]')!.getAttribute("aria-current")).toBe("true");
    expect(root.querySelector(".meeting-agenda")!.textContent).toContain("Agree the venue");
    expect(root.querySelector(".meeting-linked")!.textContent).toContain("Review the Q3 budget");
    expect(root.querySelector(".others-linked")!.textContent).toBe("2 more workflows are linked that you are not a party to.");
    expect(root.querySelector(".outcomes li")!.textContent).toContain("Bob (performer) promised: Review the Q3 budget");
    expect(fetch.mock.calls.map(([url]) => String(url))).toEqual(expect.arrayContaining([
      `/api/meetings/${encoded}?on=${on}`, `/api/meetings/${encoded}/agenda?on=${on}`, "/api/workflows?view=all",
    ]));
  });

  it("sets the purpose for this occurrence only when that is chosen, and reads the agenda again", async () => {
    const { fetch, root } = await inMeeting(server());
    root.querySelector<HTMLInputElement>('input[name="purpose-scope"][value="occurrence"]')!.dispatchEvent(new Event("change"));
    root.querySelector<HTMLElement>('fluent-button[data-purpose="Q4"]')!.click();
    await vi.waitFor(() => expect(sent(fetch, "PUT")).toEqual([{ url: `/api/meetings/${encoded}/purpose`, body: { purpose: "Q4", on } }]));
    await vi.waitFor(() => expect(fetch.mock.calls.filter(([url]) => String(url).includes("/agenda"))).toHaveLength(2));
  });

  it("makes every move carry the meeting and the occurrence, then reads the outcomes again", async () => {
    const { fetch, root } = await inMeeting(server());
    root.querySelector<HTMLElement>(".meeting-linked button.row")!.click();
    await vi.waitFor(() => expect(root.querySelector('article.card fluent-button[data-move="promise"]')).not.toBeNull());
    root.querySelector<HTMLElement>('article.card fluent-button[data-move="promise"]')!.click();
    await vi.waitFor(() => expect(sent(fetch, "POST")).toEqual([{ url: `/api/workflows/${workflow().id}/moves`, body: { move: "promise", meeting: key, on } }]));
    await vi.waitFor(() => expect(fetch.mock.calls.filter(([url]) => String(url) === `/api/meetings/${encoded}?on=${on}`)).toHaveLength(2));
  });

  it("says plainly when the record cannot be read", async () => {
    const { root } = await inMeeting((method, url) => url.startsWith("/api/meetings/")
      ? json(403, { title: "You are not an attendee of this meeting.", status: 403 }) : server()(method, url));
    expect(root.querySelector(".meeting-problem")!.textContent).toBe("The meeting's record could not be read. You are not an attendee of this meeting.");
    expect(root.querySelector("fluent-spinner")).toBeNull();
  });

  it("says plainly when the purpose is refused", async () => {
    const { root } = await inMeeting((method, url) => method === "PUT"
      ? json(400, { title: "That purpose is not one of Q1–Q4.", status: 400 }) : server()(method, url));
    root.querySelector<HTMLElement>('fluent-button[data-purpose="Q1"]')!.click();
    await vi.waitFor(() => expect(root.querySelector("fluent-message-bar")!.textContent).toContain("The meeting's purpose was not saved: That purpose is not one of Q1–Q4."));
  });

  it("links one of my workflows to the meeting, and unlinks one", async () => {
    const { fetch, root } = await inMeeting((method, url) => method === "POST" && url.includes("/api/items/") ? json(200, workflow(), { ETag: '"3"' })
      : method === "DELETE" ? new Response(null, { status: 204 }) : server()(method, url));
    root.querySelector<HTMLFormElement>(".meeting-linked form.link")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(sent(fetch, "POST")).toEqual([{ url: `/api/items/${encoded}/workflows`, body: { workflowId: "d".repeat(32), kind: "event" } }]));
    await vi.waitFor(() => expect(root.querySelector<HTMLElement>(`fluent-button[data-unlink="${workflow().id}"]:not([disabled])`)).not.toBeNull());
    root.querySelector<HTMLElement>(`fluent-button[data-unlink="${workflow().id}"]`)!.click();
    await vi.waitFor(() => expect(fetch.mock.calls.some(([url, init]) => init?.method === "DELETE" && String(url) === `/api/items/${encoded}/workflows/${workflow().id}`)).toBe(true));
  });
});

describe("the meeting's stage", () => {
  it("shows the agenda alone, read-only, and reads nothing else", async () => {
    const { fetch, root } = await inMeeting(server(), "stage");
    expect(root.querySelector("#stage-heading")!.textContent).toBe("Agenda — Q2 Negotiate");
    expect(root.querySelector(".stage-agenda")!.textContent).toContain("Agree the venue");
    expect(root.querySelectorAll("button, fluent-button, input, select")).toHaveLength(0);
    expect(fetch.mock.calls.map(([url]) => String(url))).toEqual([`/api/meetings/${encoded}/agenda?on=${on}`]);
  });
});

describe("the meeting's words", () => {
  it("counts the workflows linked that the viewer is not a party to", () => {
    expect(othersLinkedText(1)).toBe("1 more workflow is linked that you are not a party to.");
    expect(othersLinkedText(3)).toBe("3 more workflows are linked that you are not a party to.");
  });

  it("says an outcome in the words the server gives its move", () => {
    const o = { workflowId: "x", concern: "Ship it", by: "customer" as const, byName: "Alice", at: "2026-01-05T10:00:00Z", on: null };
    expect(outcomeText({ ...o, event: "SatisfactionDeclared", words: "declared satisfied with" })).toBe("Alice (customer) declared satisfied with: Ship it");
  });
});

describe("a meeting whose sign-in failed", () => {
  it("says why its record is not shown instead of spinning on", () => {
    const root = document.createElement("div");
    const app = new App(root, {});
    app.inMeeting({ key, on, surface: "sidePanel" });
    expect(root.querySelector("fluent-spinner")).not.toBeNull();

    app.fail("Sign-in failed: the user cancelled.");

    expect(root.querySelector("fluent-spinner")).toBeNull();
    expect(root.querySelector(".meeting-problem")!.textContent).toBe("The meeting's record is shown once you are signed in.");
    expect(root.querySelector("fluent-message-bar")!.textContent).toContain("Sign-in failed: the user cancelled.");
  });
});

describe("a meeting opened in Outlook", () => {
  const resolvedKey = "event:teams:19:meeting_board@thread.v2";
  const resolvedEncoded = encodeURIComponent(resolvedKey);
  const meetingItem = (start: Date, end: Date) => ({
    kind: "appointment" as const, mode: "attendee" as const, subject: "Board pack review", start, end,
    me: { email: "bob@contoso.test", name: "Bob" }, itemId: "AAMk/board", categories: [] as string[],
  });

  /** The server: Graph answers (or, locally, 404 mailbox-unavailable) and the record under whichever key is asked. */
  const outlookServer = (graph: boolean) => (method: string, url: string): Response => {
    if (url.startsWith("/api/mailbox/event/")) {
      return graph ? json(200, { item: {}, key: resolvedKey, workflows: [], on: "2026-12-16" })
        : json(404, { title: "No mailbox can be reached here.", status: 404, type: "https://workflow.example/problems/mailbox-unavailable" });
    }
    if (url.startsWith("/api/items/")) return json(200, [summary()]);
    if (/^\/api\/meetings\/[^/?]+\/agenda/.test(url)) return json(200, { purpose: "Q4", attendeesKnown: false, items: [] });
    if (url.startsWith("/api/meetings/")) return json(200, record({ key: resolvedKey, purpose: method === "PUT" ? "Q4" : null, purposeSetFor: method === "PUT" ? "meeting" : null }));
    return server()(method, url);
  };

  async function openInOutlook(graph: boolean, item = meetingItem(new Date(Date.now() - 10 * 60_000), new Date(Date.now() + 20 * 60_000))) {
    const { fetch, api } = backend(outlookServer(graph));
    const root = document.createElement("div");
    const tagItem = vi.fn(async () => undefined);
    const app = new App(root, { itemKeyOf: (i) => (i.itemId ? `event:${i.itemId}` : null), tagItem, isTagged: () => false });
    app.setItem("Outlook", item);
    await app.signedIn(api, "bob@contoso.test");
    await vi.waitFor(() => expect(root.querySelector(".purpose-text")).not.toBeNull());
    return { fetch, root, tagItem };
  }

  it("keeps the record and the links under the key the server resolves, the same as the Teams tab's", async () => {
    const { fetch, root } = await openInOutlook(true);
    const urls = fetch.mock.calls.map(([url]) => String(url));
    expect(urls).toEqual(expect.arrayContaining([
      `/api/mailbox/event/${encodeURIComponent("AAMk/board")}`, `/api/items/${resolvedEncoded}/workflows`, `/api/meetings/${resolvedEncoded}?on=2026-12-16`,
    ]));
    // Beside the item's own workflows and forms, not in place of the pages.
    expect(root.querySelector('section[aria-label="Current item"] .meeting-purpose')).not.toBeNull();
    expect(root.querySelector("nav.pages")).not.toBeNull();
  });

  it("falls back to the item's own key where the server has no mailbox to ask", async () => {
    const { fetch } = await openInOutlook(false);
    expect(fetch.mock.calls.map(([url]) => String(url))).toEqual(expect.arrayContaining([`/api/items/${encodeURIComponent("event:AAMk/board")}/workflows`]));
  });

  it("sets the purpose with this copy's id, and this copy shows it as its category at once", async () => {
    const { fetch, root, tagItem } = await openInOutlook(true);
    root.querySelector<HTMLElement>('fluent-button[data-purpose="Q4"]')!.click();
    await vi.waitFor(() => expect(sent(fetch, "PUT")).toEqual([{ url: `/api/meetings/${resolvedEncoded}/purpose`, body: { purpose: "Q4", itemId: "AAMk/board" } }]));
    await vi.waitFor(() => expect(tagItem).toHaveBeenCalledWith("Q4"));
  });

  it("records a move as made in the meeting while it is on, and not when the meeting is long over", async () => {
    const during = await openInOutlook(true);
    during.root.querySelector<HTMLElement>('section[aria-label="Current item"] button.row')!.click();
    await vi.waitFor(() => expect(during.root.querySelector('article.card fluent-button[data-move="promise"]')).not.toBeNull());
    during.root.querySelector<HTMLElement>('article.card fluent-button[data-move="promise"]')!.click();
    await vi.waitFor(() => expect(sent(during.fetch, "POST")[0]!.body).toEqual({ move: "promise", meeting: resolvedKey, on: "2026-12-16" }));

    const lastWeek = meetingItem(new Date(Date.now() - 8 * 86_400_000), new Date(Date.now() - 8 * 86_400_000 + 30 * 60_000));
    const after = await openInOutlook(true, lastWeek);
    after.root.querySelector<HTMLElement>('section[aria-label="Current item"] button.row')!.click();
    await vi.waitFor(() => expect(after.root.querySelector('article.card fluent-button[data-move="promise"]')).not.toBeNull());
    after.root.querySelector<HTMLElement>('article.card fluent-button[data-move="promise"]')!.click();
    await vi.waitFor(() => expect(sent(after.fetch, "POST")[0]!.body).toEqual({ move: "promise" }));
  });
});

describe("a tracked mail in Outlook", () => {
  const message = {
    kind: "message" as const, mode: "read" as const, subject: "Q3 budget", from: { email: "alice@contoso.test", name: "Alice" }, to: [],
    me: { email: "bob@contoso.test", name: "Bob" }, sentByMe: false, conversationId: "conv-1", itemId: "AAMk-msg", categories: [] as string[],
  };

  it("shows its workflow's quadrant when opened, and follows it after a move", async () => {
    const { fetch, api } = backend((method, url) => url.startsWith("/api/items/") ? json(200, [summary({ quadrant: "Q2" })]) : server()(method, url));
    const tagItem = vi.fn(async () => undefined);
    const root = document.createElement("div");
    const app = new App(root, { itemKeyOf: () => "thread:conv-1", tagItem, isTagged: () => false });
    app.setItem("Outlook", message);
    await app.signedIn(api, "bob@contoso.test");
    await vi.waitFor(() => expect(tagItem).toHaveBeenCalledWith("Q2"));

    root.querySelector<HTMLElement>('section[aria-label="Current item"] button.row')!.click();
    await vi.waitFor(() => expect(root.querySelector('article.card fluent-button[data-move="promise"]')).not.toBeNull());
    root.querySelector<HTMLElement>('article.card fluent-button[data-move="promise"]')!.click();
    await vi.waitFor(() => expect(tagItem).toHaveBeenCalledWith("Q3"));
    expect(sent(fetch, "POST")[0]!.body).toEqual({ move: "promise" });
  });
});
