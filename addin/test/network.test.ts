import { describe, expect, it } from "vitest";
import { layoutNetwork, nextPerson, type NetworkLine } from "../src/ui/network";

const quadrants = ["Q1", "Q2", "Q3", "Q4", "closed"] as const;

/** 500 workflows among 60 people: person i shares i % 17 + 1 extra lines, every seventh overdue. */
function manyLines(): NetworkLine[] {
  const lines: NetworkLine[] = [];
  for (let i = 0; lines.length < 500; i++) {
    lines.push({
      counterpart: `Person ${String(i % 60).padStart(2, "0")}`,
      yourRole: i % 3 === 0 ? "performer" : "customer",
      quadrant: quadrants[i % 5]!,
      overdue: i % 7 === 0,
    });
  }
  return lines;
}

describe("the network layout", () => {
  it("puts each person I work with on the circle once, one edge per direction, sorted by how much we share", () => {
    const layout = layoutNetwork(manyLines());

    expect(layout.workflows).toBe(500);
    expect(layout.people).toHaveLength(60);
    expect(new Set(layout.people.map((p) => p.name)).size).toBe(60);
    expect(layout.people.reduce((n, p) => n + (p.youAsk?.count ?? 0) + (p.theyAsk?.count ?? 0), 0)).toBe(500);
    const totals = layout.people.map((p) => p.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    for (const p of layout.people) {
      const distance = Math.hypot(p.x - layout.centre.x, p.y - layout.centre.y);
      expect(distance).toBeCloseTo(layout.size / 2 - 40, 0);
      for (const e of [p.youAsk, p.theyAsk]) {
        if (!e) continue;
        expect(e.width).toBeGreaterThanOrEqual(1.5);
        expect(e.width).toBeLessThanOrEqual(8);
        expect(Object.values(e.byQuadrant).reduce((a, b) => a + b, 0)).toBe(e.count);
        expect(e.byQuadrant[e.dominant]).toBe(Math.max(...Object.values(e.byQuadrant)));
      }
    }
  });

  it("marks a direction at risk when any of its workflows is overdue, and a person when either direction is", () => {
    const layout = layoutNetwork([
      { counterpart: "Bob", yourRole: "customer", quadrant: "Q3", overdue: true },
      { counterpart: "Bob", yourRole: "performer", quadrant: "Q2", overdue: false },
      { counterpart: "Carol", yourRole: "performer", quadrant: "Q4", overdue: false },
      { counterpart: "Carol", yourRole: "performer", quadrant: "Q4", overdue: false },
      { counterpart: "Carol", yourRole: "performer", quadrant: "closed", overdue: false },
    ]);

    const [carol, bob] = layout.people;
    expect(carol!.name).toBe("Carol");
    expect(carol!.youAsk).toBeUndefined();
    expect(carol!.theyAsk).toMatchObject({ from: "them", count: 3, dominant: "Q4", atRisk: false });
    expect(carol!.atRisk).toBe(false);
    expect(bob!.youAsk).toMatchObject({ from: "me", count: 1, dominant: "Q3", atRisk: true, width: 1.5 });
    expect(bob!.atRisk).toBe(true);
  });

  it("draws nobody around me when I have no workflows", () => {
    expect(layoutNetwork([]).people).toEqual([]);
  });

  it("moves focus between people with the arrow keys, wrapping, and Home and End", () => {
    expect(nextPerson(0, "ArrowRight", 3)).toBe(1);
    expect(nextPerson(2, "ArrowDown", 3)).toBe(0);
    expect(nextPerson(0, "ArrowLeft", 3)).toBe(2);
    expect(nextPerson(1, "End", 3)).toBe(2);
    expect(nextPerson(2, "Home", 3)).toBe(0);
    expect(nextPerson(1, "Enter", 3)).toBe(1);
  });
});
