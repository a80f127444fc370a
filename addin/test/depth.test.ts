// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { ApiClient } from "../src/api/client";
import type { Children, TreeNode } from "../src/api/depth";
import { App } from "../src/ui/app";
import { checkInsText, childWho, countsText, feedbackLines, openChildrenQuestion, riskText } from "../src/ui/depth";
import { moreText, rolledUpText, treeLines, treeView } from "../src/ui/tree";
import { moveButtons } from "../src/ui/labels";
import { html, render } from "lit-html";
import { json, workflow } from "./fixtures";

const since = "2026-12-01T12:00:00Z";
const party = (name: string) => ({ email: `${name.toLowerCase()}@contoso.test`, displayName: name, pending: false });

describe("risk, in the viewer's words", () => {
  it("tells the performer the overdue part is theirs, and everyone else that it is overdue", () => {
    expect(riskText({ kind: "overdue", since }, "performer")).toMatch(/^Your part is overdue since /);
    expect(riskText({ kind: "overdue", since }, "customer")).toMatch(/^Overdue since /);
    expect(riskText({ kind: "overdue", since }, null)).toMatch(/^Overdue since /);
    expect(riskText({ kind: "reneged", since }, "performer")).toMatch(/^You reneged on it/);
    expect(riskText({ kind: "renegotiating", since }, "customer")).toMatch(/^Being renegotiated since /);
  });

  it("counts what the customer above may not see, and whether it is at risk", () => {
    expect(countsText({ others: 0, othersAtRisk: 0 }, 1)).toBeUndefined();
    expect(countsText({ others: 1, othersAtRisk: 1 }, 0)).toBe("1 sub-commitment, at risk, not shared with you");
    expect(countsText({ others: 2, othersAtRisk: 1 }, 1)).toBe("2 more sub-commitments (1 at risk), not shared with you");
    expect(countsText({ others: 3, othersAtRisk: 0 }, 0)).toBe("3 sub-commitments, not shared with you");
  });

  it("says who does what in a child from the viewer's side", () => {
    const c = { customer: party("Bob"), performer: party("Alice") };
    expect(childWho({ ...c, relation: "dual", yourRole: "performer" })).toBe("Bob needs it from you");
    expect(childWho({ ...c, relation: "dual", yourRole: "customer" })).toBe("You need it from Alice");
    const d = { customer: party("Bob"), performer: party("Carol"), relation: "delegated" as const };
    expect(childWho({ ...d, yourRole: "customer" })).toBe("Delegated to Carol");
    expect(childWho({ ...d, yourRole: null })).toBe("Bob delegated it to Carol, shared with you");
  });

  it("says when the next check-in is due, or that it was missed", () => {
    expect(checkInsText({ everyDays: 7, nextBy: "2026-12-12T12:00:00Z", missed: false })).toMatch(/^Check-ins every 7 days · Next check-in due /);
    expect(checkInsText({ everyDays: 1, nextBy: since, missed: true })).toMatch(/^Check-ins every 1 day · Check-in missed \(due /);
  });

  it("words each party's feedback by their own questions", () => {
    expect(feedbackLines("customer", { answers: { resultMet: "yes", keptInformed: "partly" }, at: since }))
      .toEqual(["Did the result meet what was promised? Yes", "Were you kept informed along the way? Partly"]);
    expect(feedbackLines("performer", { answers: { checkInsHelped: "no" }, at: since })).toEqual(["Did the check-ins help? No"]);
  });

  it("keeps the depth's moves off the card's move buttons: they have controls of their own", () => {
    const buttons = moveButtons({ availableMoves: ["reportComplete", "setCheckIns", "markObjective", "shareWithParent", "giveFeedback", "note"] });
    expect(buttons.map((b) => b.move)).toEqual(["reportComplete", "note"]);
  });
});

/** A node as the tree route answers it. */
const node = (overrides: Partial<TreeNode> = {}): TreeNode => ({ visible: true, objective: false, children: [], hiddenBelow: 0, hiddenAtRisk: 0, ...overrides });

describe("the objective tree, folded for the viewer", () => {
  // Carol's view: Alice's objective to Bob is not hers (shown only as there); her part beneath; two duals folded away.
  const carols = node({
    visible: false, rolledUp: { kind: "renegotiating", since }, hiddenBelow: 2, hiddenAtRisk: 1,
    children: [node({
      id: "c".repeat(32), concern: "The appendix charts", stateLabel: "Renegotiating", quadrant: "Q2", relation: "delegated",
      customer: "Bob Baker", performer: "Carol Chen", yourRole: "performer", risk: { kind: "renegotiating", since },
    })],
  });

  it("shows a hidden node without content, the viewer's node with its risk, and the rest as a count", () => {
    const lines = treeLines(carols);
    expect(lines.map((l) => [l.level, l.kind, l.text])).toEqual([
      [1, "hidden", "Someone else's commitment"],
      [2, "node", "The appendix charts"],
      [2, "more", "2 more not yours (1 at risk)"],
    ]);
    expect(lines[0]!.risk).toBe("Something under it is being renegotiated");
    expect(lines[1]!.meta).toBe("Renegotiating · Carol Chen for Bob Baker · you are the performer");
    expect(lines[1]!.risk).toMatch(/^Being renegotiated since /);
    expect(lines.map((l) => `${l.posinset}/${l.setsize}`)).toEqual(["1/1", "1/2", "2/2"]);
  });

  it("rolls the risk up to the top in words", () => {
    expect(rolledUpText({ kind: "overdue", since })).toBe("At risk: something in this tree is overdue.");
    expect(rolledUpText(null)).toBe("Nothing in this tree is at risk.");
    expect(moreText(1, 1)).toBe("1 more not yours, at risk");
    expect(moreText(3, 0)).toBe("3 more not yours");
  });

  it("is an ARIA tree the arrow keys walk, one item in the Tab order", () => {
    const root = document.createElement("div");
    document.body.append(root);
    const open = vi.fn();
    render(html`${treeView({ root: carols, truncated: false }, { openWorkflow: open })}`, root);
    const items = [...root.querySelectorAll<HTMLElement>('[role="tree"] > [role="treeitem"]')];
    expect(items.map((i) => i.getAttribute("tabindex"))).toEqual(["0", "-1", "-1"]);
    expect(items[0]!.getAttribute("aria-expanded")).toBe("true");
    const key = (k: string) => document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
    items[0]!.focus();
    key("ArrowDown");
    expect(document.activeElement).toBe(items[1]);
    expect(items.map((i) => i.getAttribute("tabindex"))).toEqual(["-1", "0", "-1"]);
    key("Enter");
    expect(open).toHaveBeenCalledWith("c".repeat(32));
    key("End");
    expect(document.activeElement).toBe(items[2]);
    key("ArrowLeft");
    expect(document.activeElement).toBe(items[0]);
    // Left on an expanded node folds it: its subtree is hidden and skipped; Right unfolds it as it was.
    key("ArrowLeft");
    expect(items[0]!.getAttribute("aria-expanded")).toBe("false");
    expect(items.slice(1).map((i) => i.hidden)).toEqual([true, true]);
    key("ArrowDown");
    expect(document.activeElement).toBe(items[0]);
    key("ArrowRight");
    expect(items[0]!.getAttribute("aria-expanded")).toBe("true");
    expect(items.map((i) => i.hidden)).toEqual([false, false, false]);
    key("ArrowRight");
    expect(document.activeElement).toBe(items[1]);
    root.remove();
  });
});

describe("closing a promise with open children, on the card", () => {
  const promised = workflow({ state: "promised", stateLabel: "Agreed", quadrant: "Q3", availableMoves: ["reportComplete", "renege"] });
  const reneged = workflow({ version: 4, state: "reneged", stateLabel: "Reneged", quadrant: "closed", closed: true, whoseMove: null, yourMove: false, availableMoves: ["note"] });
  const list: Children = { parentId: promised.id, children: [], others: 0, othersAtRisk: 0, openAfterClose: 0, youMayOpen: ["dual", "delegated"] };

  /** The server: the first renege is refused for the open dual; one naming what becomes of it is made. */
  function server() {
    const moves: unknown[] = [];
    const keys: (string | null)[] = [];
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input);
      if (init?.method === "POST" && url.endsWith("/moves")) {
        const body = JSON.parse(String(init.body)) as { openChildren?: string };
        moves.push(body);
        keys.push(new Headers(init.headers).get("Idempotency-Key"));
        return body.openChildren ? json(200, reneged, { ETag: '"4"' }) : json(409, {
          type: "https://workflow.dev/problems/open-children", status: 409, title: "This promise has open sub-commitments.",
          openChildren: [{ id: "d".repeat(32), relation: "dual", concern: "The audited figures", state: "requested" }],
        });
      }
      if (init?.method === "POST" && url.endsWith("/children")) {
        moves.push({ child: JSON.parse(String(init.body)), key: new Headers(init.headers).get("Idempotency-Key") });
        return json(201, workflow({ id: "e".repeat(32), state: "requested" }));
      }
      if (url.endsWith("/children")) return json(200, list);
      if (url.startsWith("/api/workflows/")) return json(200, promised, { ETag: '"3"' });
      return json(200, { items: [{ ...promised, counterpart: "Alice" }] });
    });
    return { moves, keys, api: new ApiClient({ baseUrl: "", token: async () => "t", fetch }) };
  }

  async function openCard() {
    const { moves, keys, api } = server();
    const root = document.createElement("div");
    const app = new App(root, {});
    app.setItem(null, null);
    await app.signedIn(api, "bob@contoso.test");
    root.querySelector<HTMLElement>("button.row")!.click();
    await vi.waitFor(() => expect(root.querySelector("section.children")).not.toBeNull());
    const renege = () => root.querySelector<HTMLElement>('fluent-button[data-move="renege"]')!.click();
    const choose = (choice: string) => root.querySelector<HTMLElement>(`fluent-button[data-open-children="${choice}"]`)!.click();
    return { root, moves, keys, renege, choose };
  }

  it("asks, naming the open children, and sends nothing more when the person goes back", async () => {
    const { root, moves, renege, choose } = await openCard();
    renege();
    await vi.waitFor(() => expect(root.querySelector('[role="alertdialog"]')).not.toBeNull());
    expect(root.querySelector('[role="alertdialog"] p')!.textContent).toBe(openChildrenQuestion(1));
    expect(root.querySelector('[role="alertdialog"]')!.textContent).toContain("The audited figures");
    expect(root.querySelector("fluent-message-bar")).toBeNull(); // asked, not an error
    choose("back");
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    expect(moves).toEqual([{ move: "renege" }]);
    expect(root.querySelector('fluent-button[data-move="renege"]')).not.toBeNull();
  });

  it("sends the move again with the answer, under a new idempotency key, and shows the closed promise", async () => {
    const { root, moves, keys, renege, choose } = await openCard();
    renege();
    await vi.waitFor(() => expect(root.querySelector('[role="alertdialog"]')).not.toBeNull());
    choose("close");
    await vi.waitFor(() => expect(root.querySelector("article.card .state")!.textContent).toBe("Reneged"));
    expect(moves).toEqual([{ move: "renege" }, { move: "renege", openChildren: "close" }]);
    expect(keys[1]).not.toBe(keys[0]);
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
  });

  it("offers the forms to open the dual and a delegation, and sends a delegation with whom it goes to", async () => {
    const { root, moves } = await openCard();
    const buttons = [...root.querySelectorAll("section.children fluent-button[data-open]")].map((b) => b.textContent!.trim());
    expect(buttons).toEqual(["Ask for what I need", "Delegate part"]);
    root.querySelector<HTMLElement>('fluent-button[data-open="delegated"]')!.click();
    const form = root.querySelector<HTMLFormElement>("form.child-form")!;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector("form.child-form .problem")!.textContent).toBe("Give what it is, to whom, the conditions, a due date."));
    const fill = (name: string, value: string) => {
      const input = root.querySelector<HTMLInputElement>(`form.child-form input[name="${name}"]`)!;
      input.value = value;
      input.dispatchEvent(new Event("input"));
    };
    fill("performer", "carol@contoso.test");
    fill("concern", "The appendix charts");
    fill("conditions", "One per division");
    fill("dueBy", "2026-12-20");
    root.querySelector<HTMLFormElement>("form.child-form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector("form.child-form")).toBeNull());
    expect(moves).toEqual([{
      child: { relation: "delegated", concern: "The appendix charts", conditions: "One per division", dueBy: new Date("2026-12-20T23:59:59").toISOString(), performer: "carol@contoso.test" },
      key: expect.stringMatching(/^[0-9a-f-]{36}$/),
    }]);
  });
});
