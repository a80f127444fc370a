// @vitest-environment happy-dom
import { render } from "lit-html";
import { describe, expect, it, vi } from "vitest";
import type { HistoryEntry, MoveName } from "../src/api/client";
import { termsVersions } from "../src/ui/labels";
import { cardView, type Handlers } from "../src/ui/views";
import { workflow } from "./fixtures";

const handlers = () => new Proxy({}, { get: (t: Record<string, unknown>, k: string) => (t[k] ??= vi.fn()) }) as unknown as Handlers;

function show(w = workflow()) {
  const root = document.createElement("div");
  const h = handlers();
  render(cardView({ workflow: w, etag: `"${w.version}"` }, undefined, false, h), root);
  return { root, h };
}

describe("the workflow card", () => {
  it("shows the quadrant, the state in plain words, the parties, the proposed terms, the clock and whose move", () => {
    const text = show().root.textContent!.replace(/\s+/g, " ");
    expect(text).toContain("Q2 Negotiate");
    expect(text).toContain("Asked");
    expect(text).toContain("Alice <alice@contoso.test>");
    expect(text).toContain("Bob <bob@contoso.test> — you");
    expect(text).toContain("Comments on every line over 10k");
    expect(text).toContain("Answer by");
    expect(text).toContain("Your move.");
  });

  it("has one button per available move, with its plain label", () => {
    const { root } = show(workflow({ availableMoves: ["declareSatisfied", "declareNotSatisfied"] }));
    const buttons = [...root.querySelectorAll("[data-move]")];
    expect(buttons.map((b) => b.getAttribute("data-move"))).toEqual(["declareSatisfied", "declareNotSatisfied"]);
    expect(buttons.map((b) => b.textContent!.trim())).toEqual(["I'm satisfied", "Not yet — here's what's missing"]);
  });

  it("shows a move it has no words for by its name, and starts it when clicked", () => {
    // What a pane older than the API meets: the server offers a move this build's types do not name yet.
    const { root, h } = show(workflow({ availableMoves: ["note", "escalate"] as unknown as MoveName[] }));
    const button = root.querySelector('[data-move="escalate"]') as HTMLElement;
    expect(button.textContent!.trim()).toBe("escalate");
    button.click();
    expect(h.startMove).toHaveBeenCalledWith(expect.objectContaining({ move: "escalate", label: "escalate" }));
  });

  it("starts the move the person clicked", () => {
    const { root, h } = show();
    (root.querySelector('[data-move="promise"]') as HTMLElement).click();
    expect(h.startMove).toHaveBeenCalledWith(expect.objectContaining({ move: "promise", label: "Promise" }));
  });

  it("says in words when the other party proposed it and I have not acted on it yet", () => {
    expect(show().root.querySelector(".proposed")).toBeNull();
    const badge = show(workflow({ proposedToYou: true })).root.querySelector(".card-head .proposed")!;
    expect(badge.textContent!.trim()).toBe("Proposed to you");
  });

  it("names an outside party not signed in yet, unless that party is the reader", () => {
    const outside = { email: "vip@elsewhere.test", displayName: null, pending: true };
    const customer = (w: ReturnType<typeof workflow>) => show(w).root.querySelector("dd")!.textContent;
    expect(customer(workflow({ customer: outside, yourRole: "performer" }))).toBe("vip@elsewhere.test (not signed in yet)");
    expect(customer(workflow({ customer: outside, yourRole: "customer" }))).toBe("vip@elsewhere.test — you");
  });

  it("marks an overdue clock", () => {
    const w = workflow({ clocks: { dueBy: "2026-01-01T00:00:00Z", next: { kind: "dueBy", at: "2026-01-01T00:00:00Z", overdue: true } } });
    expect(show(w).root.querySelector(".overdue")?.textContent).toContain("(overdue)");
  });
});

describe("how the terms evolved", () => {
  const at = (day: number) => `2026-11-${String(day).padStart(2, "0")}T09:00:00+00:00`;
  const terms = (version: number, conditions: string, dueBy: string | null, proposedBy: "customer" | "performer") =>
    ({ version, conditions, dueBy, proposedBy, proposedAt: at(20 + version) });
  const history: HistoryEntry[] = [
    { version: 1, event: "workflowOpened", by: "customer", who: "Alice", at: at(21), details: { terms: terms(1, "All lines", at(30), "customer") } },
    { version: 2, event: "requested", by: "customer", who: "Alice", at: at(21), details: { terms: terms(1, "All lines", at(30), "customer") } },
    { version: 3, event: "countered", by: "performer", who: "Bob", at: at(22), details: { terms: terms(2, "Top 20 lines", at(30), "performer") } },
    { version: 4, event: "counterAccepted", by: "customer", who: "Alice", at: at(23), details: { termsVersion: 2 } },
  ];

  it("lists each version once, newest first, with who proposed it and which became the promise", () => {
    const lines = termsVersions(history);
    expect(lines.map((l) => l.version)).toEqual([2, 1]);
    expect(lines[0]).toMatchObject({ text: expect.stringContaining("Top 20 lines"), proposed: expect.stringContaining("Bob") });
    expect(lines[0]!.promised).toContain("promised");
    expect(lines[1]!.promised).toBeUndefined();
  });

  it("is offered as a button until asked for, then shown on the card", () => {
    const w = workflow();
    const { root, h } = show(w);
    const button = root.querySelector<HTMLElement>(".history-button")!;
    button.click();
    expect(h.showTermsHistory).toHaveBeenCalledOnce();

    const shown = document.createElement("div");
    render(cardView({ workflow: w, etag: `"${w.version}"` }, undefined, false, handlers(), { termsHistory: termsVersions(history) }), shown);
    expect(shown.querySelector(".history-button")).toBeNull();
    expect(shown.querySelectorAll(".terms-history li")).toHaveLength(2);
    expect(shown.textContent).toContain("v2");
  });
});
