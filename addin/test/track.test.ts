// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { ItemContext } from "../src/mailbox";
import { App, endOfDay } from "../src/ui/app";
import { startChoices, trackProblem, trackSide } from "../src/ui/labels";
import { json, workflow } from "./fixtures";

const alice = { email: "alice@contoso.test", name: "Alice Martin" };
const bob = { email: "bob@contoso.test", name: "Bob Stone" };
const received: ItemContext = {
  kind: "message", mode: "read", subject: "Q3 budget", from: alice, to: [bob], me: bob, sentByMe: false,
  conversationId: "conv-1", itemId: "rest:1", categories: [],
};
const sent: ItemContext = { ...received, from: alice, to: [bob], me: alice, sentByMe: true };

describe("how a tracked mail starts, by the reader's side", () => {
  it("offers the performer the request they received, and promising it at once, by the sender's first name", () => {
    const { side, otherName } = trackSide(received, { customer: alice.email, performer: "me" });
    expect({ side, otherName }).toEqual({ side: "performer", otherName: "Alice" });
    expect(startChoices(side, otherName)).toEqual([
      { start: "draft", label: "Just track it (draft)" },
      { start: "requested", label: "Alice asked me" },
      { start: "promised", label: "Alice asked me, and I promise" },
    ]);
  });

  it("offers the customer asking now, or the promise they were given", () => {
    const { side, otherName } = trackSide(sent, { customer: "me", performer: bob.email });
    expect({ side, otherName }).toEqual({ side: "customer", otherName: "Bob" });
    expect(startChoices(side, otherName).map((c) => [c.start, c.label])).toEqual([
      ["draft", "Just track it (draft)"], ["requested", "Ask now"], ["promised", "Bob promised me"],
    ]);
  });

  it("says They when the other party is not someone the mail names, and my own address counts as me", () => {
    const { side, otherName } = trackSide(received, { customer: "carol@elsewhere.test", performer: "BOB@contoso.test" });
    expect({ side, otherName }).toEqual({ side: "performer", otherName: undefined });
    expect(startChoices(side, otherName).map((c) => c.label)).toEqual(["Just track it (draft)", "They asked me", "They asked me, and I promise"]);
  });

  it("offers only a draft when I am both parties or neither", () => {
    expect(startChoices(trackSide(received, { customer: "me", performer: "me" }).side, undefined)).toEqual([{ start: "draft", label: "Just track it (draft)" }]);
    expect(trackSide(received, { customer: alice.email, performer: "carol@elsewhere.test" }).side).toBeUndefined();
  });

  it("needs the conditions and a due date for anything but a draft", () => {
    expect(trackProblem("draft", { conditions: "", dueBy: "" })).toBeUndefined();
    expect(trackProblem("promised", { conditions: " ", dueBy: "" })).toBe("To record it as promised, give the conditions of satisfaction and a due date.");
    expect(trackProblem("requested", { conditions: "All lines", dueBy: "" })).toBe("To record it as asked, give a due date.");
    expect(trackProblem("requested", { conditions: "All lines", dueBy: "2026-12-31" })).toBeUndefined();
  });
});

describe("the track form records what happened in one step", () => {
  function start(item: ItemContext) {
    const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) =>
      init?.method === "POST" ? json(201, workflow({ state: "promised", stateLabel: "Agreed", quadrant: "Q3" }), { ETag: '"2"' })
        : String(_input).startsWith("/api/items/") ? json(200, []) : json(200, { items: [] }));
    const root = document.createElement("div");
    const app = new App(root, { itemKeyOf: (i) => (i.kind === "message" ? `thread:${i.conversationId}` : null), tagItem: async () => undefined });
    app.setItem("Outlook", item);
    return { fetch, root, app, signIn: () => app.signedIn(new ApiClient({ baseUrl: "", token: async () => "t", fetch }), item.me.email) };
  }
  const form = (root: HTMLElement) => root.querySelector<HTMLFormElement>("form.track")!;
  const choose = (root: HTMLElement, label: string) => {
    const choice = [...form(root).querySelectorAll("label.choice")].find((l) => l.textContent!.trim() === label)!;
    choice.querySelector("input")!.dispatchEvent(new Event("change"));
  };
  const type = (root: HTMLElement, selector: string, value: string) => {
    const field = form(root).querySelector<HTMLInputElement>(selector)!;
    field.value = value;
    field.dispatchEvent(new Event("input"));
  };
  const submit = (root: HTMLElement) => form(root).dispatchEvent(new Event("submit", { cancelable: true }));
  const posts = (fetch: ReturnType<typeof start>["fetch"]) => fetch.mock.calls.filter(([, init]) => init?.method === "POST");

  it("shows the performer's choices with the draft checked, and sends a promise with its terms and the mail as source", async () => {
    const { fetch, root, signIn } = start(received);
    await signIn();
    const labels = [...form(root).querySelectorAll("label.choice")].map((l) => l.textContent!.trim());
    expect(labels).toEqual(["Just track it (draft)", "Alice asked me", "Alice asked me, and I promise"]);
    expect(form(root).querySelector<HTMLInputElement>('input[name="start"]:checked')!.value).toBe("draft");

    choose(root, "Alice asked me, and I promise");
    expect(form(root).querySelector<HTMLInputElement>('input[name="start"]:checked')!.value).toBe("promised");
    type(root, 'textarea[name="conditions"]', "Comments on every line over 10k");
    type(root, 'input[name="dueBy"]', "2026-12-31");
    submit(root);
    await vi.waitFor(() => expect(posts(fetch)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetch)[0]![1]?.body))).toEqual({
      concern: "Q3 budget", customer: "alice@contoso.test", performer: "me", start: "promised",
      conditions: "Comments on every line over 10k", dueBy: endOfDay("2026-12-31"),
      source: { key: "thread:conv-1", kind: "message", subject: "Q3 budget" },
    });
  });

  it("refuses a non-draft start without conditions and due date, says what is missing beside the form, and sends nothing", async () => {
    const { fetch, root, signIn } = start(sent);
    await signIn();
    choose(root, "Ask now");
    submit(root);
    const problem = form(root).querySelector("#track-problem")!;
    expect(problem.getAttribute("role")).toBe("alert");
    expect(problem.textContent).toBe("To record it as asked, give the conditions of satisfaction and a due date.");
    expect(form(root).querySelector('textarea[name="conditions"]')!.getAttribute("aria-invalid")).toBe("true");
    expect(form(root).querySelector('input[name="dueBy"]')!.getAttribute("aria-describedby")).toBe("track-problem");
    expect(posts(fetch)).toHaveLength(0);

    type(root, 'textarea[name="conditions"]', "Signed off by legal");
    expect(form(root).querySelector("#track-problem")!.textContent).toBe("To record it as asked, give a due date.");
    type(root, 'input[name="dueBy"]', "2026-12-31");
    expect(form(root).querySelector("#track-problem")).toBeNull();
    submit(root);
    await vi.waitFor(() => expect(posts(fetch)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetch)[0]![1]?.body))).toMatchObject({ customer: "me", performer: "bob@contoso.test", start: "requested" });
  });

  it("falls back to a draft when the parties change so the choice is no longer offered", async () => {
    const { fetch, root, signIn } = start(received);
    await signIn();
    choose(root, "Alice asked me");
    type(root, 'input[name="performer"]', "carol@elsewhere.test"); // no longer me: only a draft is possible
    expect(form(root).querySelectorAll("label.choice")).toHaveLength(0);
    submit(root);
    await vi.waitFor(() => expect(posts(fetch)).toHaveLength(1));
    expect(JSON.parse(String(posts(fetch)[0]![1]?.body))).not.toHaveProperty("start");
  });
});
