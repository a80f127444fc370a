import { describe, expect, it } from "vitest";
import { MOVES, type MoveName, type WorkflowSummary } from "../src/api/client";
import { MOVE_TEXT, loopCounts, moveButtons, partyText, whoseMoveText } from "../src/ui/labels";
import { workflow } from "./fixtures";

describe("move labels", () => {
  it("gives every move of the model a plain, distinct label", () => {
    const labels = MOVES.map((m) => MOVE_TEXT[m]?.label ?? "");
    expect(labels.every((l) => l.trim().length > 0)).toBe(true);
    expect(new Set(labels).size).toBe(MOVES.length);
    expect(Object.keys(MOVE_TEXT).sort()).toEqual([...MOVES].sort());
  });

  it.each([
    ["promise", "Promise"], ["counter", "Counter-offer"], ["reportComplete", "Done — ready for review"],
    ["declareSatisfied", "I'm satisfied"], ["declareNotSatisfied", "Not yet — here's what's missing"],
  ] as const)("labels %s as \"%s\"", (move, label) => {
    expect(MOVE_TEXT[move]?.label).toBe(label);
  });

  it("asks for the gaps before 'not satisfied' and for terms before a counter-offer", () => {
    expect(MOVE_TEXT.declareNotSatisfied?.input).toBe("gaps");
    expect(MOVE_TEXT.counter?.input).toBe("terms");
    expect(MOVE_TEXT.promise?.input).toBeUndefined();
  });

  it("labels the customer's reminder plainly and lets it carry a few words", () => {
    expect(MOVE_TEXT.nudge?.label).toBe("Nudge — remind them");
    expect(MOVE_TEXT.nudge?.input).toBe("nudge");
  });
});

describe("which buttons a card shows", () => {
  it("shows exactly the available moves, in the server's order", () => {
    const w = workflow({ availableMoves: ["declareSatisfied", "declareNotSatisfied", "cancel", "note"] });
    expect(moveButtons(w).map((b) => b.move)).toEqual(["declareSatisfied", "declareNotSatisfied", "cancel", "note"]);
  });

  it("shows no move buttons when none are available", () => {
    expect(moveButtons(workflow({ availableMoves: [] }))).toEqual([]);
  });

  it("offers a move this build has no words for by its name, asking for nothing, rather than dropping it", () => {
    // A server newer than the pane: its contract names a move this build's generated types do not have yet.
    const newer = ["promise", "teleport"] as unknown as MoveName[];
    expect(moveButtons(workflow({ availableMoves: newer }))).toEqual([
      { move: "promise", label: "Promise", input: undefined, primary: true },
      { move: "teleport", label: "teleport", input: undefined, primary: false },
    ]);
  });

  it("says whose move it is in plain words", () => {
    expect(whoseMoveText(workflow())).toBe("Your move.");
    expect(whoseMoveText(workflow({ yourMove: false, whoseMove: "customer" }))).toBe("Waiting on Alice.");
    expect(whoseMoveText(workflow({ closed: true, whoseMove: null, yourMove: false }))).toBe("Nobody's move — it is closed.");
  });
});

describe("the picture of my loops", () => {
  it("counts workflows per quadrant and those waiting on me, leaving closed ones out", () => {
    const s = (quadrant: WorkflowSummary["quadrant"], yourMove: boolean) => ({ quadrant, yourMove }) as WorkflowSummary;
    expect(loopCounts([s("Q1", true), s("Q2", false), s("Q2", true), s("Q4", true), s("closed", false)])).toEqual({
      Q1: { total: 1, waitingOnMe: 1 }, Q2: { total: 2, waitingOnMe: 1 }, Q3: { total: 0, waitingOnMe: 0 }, Q4: { total: 1, waitingOnMe: 1 },
    });
  });
});

describe("how a party is named on the card", () => {
  it("shows whom a typed address was bound to, so a wrong binding is visible", () => {
    expect(partyText({ email: "robert.baker@contoso.com", displayName: "Robert Baker", pending: false, invitedAs: "bob@contoso.com" }))
      .toBe("Robert Baker <robert.baker@contoso.com>, found for bob@contoso.com");
  });

  it("says nothing more when the address was found as typed, and marks a pending party", () => {
    expect(partyText({ email: "bob@contoso.com", displayName: "Bob Baker", pending: false })).toBe("Bob Baker <bob@contoso.com>");
    expect(partyText({ email: "vip@elsewhere.test", pending: true })).toBe("vip@elsewhere.test (not signed in yet)");
  });
});
