// @vitest-environment happy-dom
import { render } from "lit";
import { describe, expect, it, vi } from "vitest";
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

  it("starts the move the person clicked", () => {
    const { root, h } = show();
    (root.querySelector('[data-move="promise"]') as HTMLElement).click();
    expect(h.startMove).toHaveBeenCalledWith(expect.objectContaining({ move: "promise", label: "Promise" }));
  });

  it("marks an overdue clock", () => {
    const w = workflow({ clocks: { dueBy: "2026-01-01T00:00:00Z", next: { kind: "dueBy", at: "2026-01-01T00:00:00Z", overdue: true } } });
    expect(show(w).root.querySelector(".overdue")?.textContent).toContain("(overdue)");
  });
});
