// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { render } from "lit-html";
import { bars, chartLabel, emailsOf, teamTitle, weekChart } from "../src/ui/figures";

const week = (loops: number, kept: number, broken: number) => ({ start: "2026-11-30T00:00:00+00:00", loops, kept, broken });

describe("the figures chart", () => {
  it("scales each week's bar to the busiest week, kept promises inside it", () => {
    expect(bars([week(0, 0, 0), week(2, 1, 1), week(4, 4, 0)], 40)).toEqual([
      { loops: 0, kept: 0 }, { loops: 20, kept: 10 }, { loops: 40, kept: 40 },
    ]);
  });

  it("draws nothing tall for an empty window and says what it shows", () => {
    expect(bars([week(0, 0, 0)], 40)).toEqual([{ loops: 0, kept: 0 }]);
    expect(chartLabel([week(1, 1, 0), week(2, 0, 1)])).toBe("3 loops over 2 weeks: 1 kept by the due date, 1 not");
  });

  it("renders as one labelled SVG image with two bars a week", () => {
    const host = document.createElement("div");
    render(weekChart([week(1, 1, 0), week(3, 1, 2)]), host);
    const chart = host.querySelector("svg")!;
    expect(chart.getAttribute("role")).toBe("img");
    expect(chart.getAttribute("aria-label")).toBe("4 loops over 2 weeks: 2 kept by the due date, 2 not");
    expect(chart.querySelectorAll("rect")).toHaveLength(4);
  });

  it("reads the team's members from one box", () => {
    expect(emailsOf(" bob@contoso.test, carol@contoso.test;dave@contoso.test\nerin@contoso.test ,")).toEqual([
      "bob@contoso.test", "carol@contoso.test", "dave@contoso.test", "erin@contoso.test",
    ]);
  });

  it("names the directory group a team follows", () => {
    expect(teamTitle({ name: "Platform" })).toBe("Platform");
    expect(teamTitle({ name: "Delivery", group: "Delivery" })).toBe("Delivery (directory group)");
    expect(teamTitle({ name: "Design", group: "Design review" })).toBe("Design (the Design review group)");
  });
});
