// @vitest-environment happy-dom
import { render } from "lit-html";
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import { App, endOfDay } from "../src/ui/app";
import { cardView, type Handlers } from "../src/ui/views";
import { json, workflow } from "./fixtures";

/** Alice asked Bob, who has not answered: her card offers a nudge, withdrawing, and a note. */
const unanswered = (overdue: boolean) => {
  const replyBy = new Date(Date.now() + (overdue ? -2 : 2) * 86_400_000).toISOString();
  return workflow({
    yourRole: "customer", whoseMove: "performer", yourMove: false, availableMoves: ["withdraw", "nudge", "note"],
    clocks: { replyBy, next: { kind: "replyBy", at: replyBy, overdue } },
  });
};

describe("a request with no answer yet, on the customer's card", () => {
  it.each([false, true])("offers Nudge and Withdraw side by side (reply-by passed: %s)", (overdue) => {
    const root = document.createElement("div");
    const w = unanswered(overdue);
    render(cardView({ workflow: w, etag: '"3"' }, undefined, false, new Proxy({}, { get: () => vi.fn() }) as unknown as Handlers), root);
    const buttons = [...root.querySelectorAll(".moves [data-move]")].map((b) => b.textContent!.trim());
    expect(buttons).toEqual(["Withdraw", "Nudge — remind them", "Add a note"]);
  });
});

describe("nudging from the card", () => {
  async function openCard(answer: (body: unknown) => Response) {
    const w = unanswered(true);
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input);
      if (init?.method === "POST") return answer(JSON.parse(String(init.body)));
      if (url.startsWith("/api/workflows/")) return json(200, w, { ETag: '"3"' });
      return json(200, { items: [{ ...w, counterpart: "Bob" }] });
    });
    const root = document.createElement("div");
    const app = new App(root, { itemKeyOf: () => null, tagItem: async () => undefined });
    app.setItem(null, null);
    await app.signedIn(new ApiClient({ baseUrl: "", token: async () => "t", fetch }), "alice@contoso.test");
    root.querySelector<HTMLElement>("button.row")!.click();
    await vi.waitFor(() => expect(root.querySelector('[data-move="nudge"]')).not.toBeNull());
    root.querySelector<HTMLElement>('[data-move="nudge"]')!.click();
    const form = root.querySelector<HTMLFormElement>("article.card form.move-form")!;
    const type = (selector: string, value: string) => {
      const field = form.querySelector<HTMLInputElement>(selector)!;
      field.value = value;
      field.dispatchEvent(new Event("input"));
    };
    const moves = () => fetch.mock.calls.filter(([, init]) => init?.method === "POST").map(([, init]) => JSON.parse(String(init?.body)) as unknown);
    return { root, form, type, moves, submit: () => form.dispatchEvent(new Event("submit", { cancelable: true })) };
  }

  it("asks for an optional later reply-by and a note, and sends the date as the end of that day", async () => {
    const { form, type, moves, submit } = await openCard(() => json(200, workflow({ yourRole: "customer", yourMove: false, availableMoves: ["withdraw", "note"] }), { ETag: '"4"' }));
    expect(form.textContent).toContain("Give them until (optional)");
    // Its reply-by has passed: the form says so beside the date that would extend it.
    expect(form.querySelector("#nudge-reply-by")!.textContent).toMatch(/^Answer by .* \(overdue\)\. Leave it empty to keep that\.$/);
    type('input[name="replyBy"]', "2099-12-05");
    type("textarea", "The board meets on Monday.");
    submit();
    await vi.waitFor(() => expect(moves()).toHaveLength(1));
    expect(moves()[0]).toEqual({ move: "nudge", replyBy: endOfDay("2099-12-05"), text: "The board meets on Monday." });
  });

  it("sends a plain nudge when no date is given", async () => {
    const { moves, submit } = await openCard(() => json(200, workflow({ yourRole: "customer", yourMove: false }), { ETag: '"4"' }));
    submit();
    await vi.waitFor(() => expect(moves()).toHaveLength(1));
    expect(moves()[0]).toEqual({ move: "nudge" });
  });

  it("shows the server's refusal of a second nudge the same day in its own words, and keeps the form", async () => {
    const detail = "'nudge' in state 'requested': the customer nudged at 2026-12-01 09:00:00Z, and nudges are at most one a day; the next is possible at 2026-12-02 09:00:00Z.";
    const { root, submit } = await openCard(() => json(409, { type: "https://workflow.dev/problems/move-not-allowed", status: 409, title: "That move is not possible now.", detail }));
    submit();
    await vi.waitFor(() => expect(root.querySelector("fluent-message-bar")).not.toBeNull());
    const notice = root.querySelector("fluent-message-bar")!;
    expect(notice.getAttribute("role")).toBe("alert");
    expect(notice.textContent).toContain(`That move is not possible now. ${detail}`);
    expect(root.querySelector("article.card form.move-form")).not.toBeNull();
  });
});
