import { describe, expect, it } from "vitest";
import type { Clocks } from "../src/api/client";
import {
  OVERDUE, addDays, calendarDay, dayName, dueDaysOf, firstDayOfWeek, monthDayText, runningClocks, timeline, weekdayHeads,
} from "../src/ui/timeline";

const due = (id: string, clocks: Clocks) => ({ id, clocks });
const now = new Date("2026-12-02T10:00:00Z"); // a Wednesday
const cells = (t: ReturnType<typeof timeline>) => t.weeks.flat().filter((c) => c !== null);
const onDay = (t: ReturnType<typeof timeline>, day: string) => cells(t).find((c) => c.day === day)?.ids;

describe("which calendar day a clock falls on", () => {
  it("is the day in the person's own time zone, not in UTC", () => {
    const at = new Date("2026-12-08T23:30:00Z");
    expect(calendarDay(at, "UTC")).toBe("2026-12-08");
    expect(calendarDay(at, "Pacific/Auckland")).toBe("2026-12-09"); // 12:30 the next day (UTC+13)
    expect(calendarDay(at, "America/Los_Angeles")).toBe("2026-12-08"); // 15:30
  });

  it("changes at local midnight, to the second", () => {
    expect(calendarDay(new Date("2026-12-08T07:59:59Z"), "America/Los_Angeles")).toBe("2026-12-07");
    expect(calendarDay(new Date("2026-12-08T08:00:00Z"), "America/Los_Angeles")).toBe("2026-12-08");
  });

  it("counts days by the calendar across a daylight-saving change", () => {
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29"); // Europe springs forward on the 29th
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    // 00:30 on the 30th in Berlin (summer time), though still the 29th in UTC.
    const t = timeline([due("w", { dueBy: "2026-03-29T22:30:00Z" })], new Date("2026-03-27T12:00:00Z"), { timeZone: "Europe/Berlin" });
    expect(onDay(t, "2026-03-30")).toEqual(["w"]);
    expect(onDay(t, "2026-03-29")).toEqual([]);
  });
});

describe("the timeline of what falls due", () => {
  it("shows nothing for nobody's clocks", () => {
    const t = timeline([due("a", {}), due("b", { replyBy: null, dueBy: null, assessBy: null })], now, { timeZone: "UTC" });
    expect(t.overdue).toEqual([]);
    expect(t.later).toEqual([]);
    expect(cells(t).every((c) => c.ids.length === 0)).toBe(true);
  });

  it("puts a clock that has run out in the overdue bucket, not on its day — even earlier today", () => {
    const t = timeline([
      due("last-week", { dueBy: "2026-11-25T17:00:00Z" }),
      due("this-morning", { replyBy: "2026-12-02T09:00:00Z" }),
      due("tonight", { assessBy: "2026-12-02T23:59:59Z" }),
    ], now, { timeZone: "UTC" });
    expect(t.overdue).toEqual(["last-week", "this-morning"]);
    expect(onDay(t, "2026-12-02")).toEqual(["tonight"]);
    expect(cells(t).find((c) => c.today)?.day).toBe("2026-12-02");
  });

  it("runs from today in week rows starting on the week's first day, today plus at least three weeks", () => {
    const monday = timeline([], now, { timeZone: "UTC", firstDay: 1 });
    expect(monday.weeks).toHaveLength(4);
    expect(monday.weeks.every((w) => w.length === 7)).toBe(true);
    expect(monday.weeks[0]!.map((c) => c?.day ?? null)).toEqual([null, null, "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
    expect(cells(monday).at(-1)!.day).toBe("2026-12-27");
    const sunday = timeline([], now, { timeZone: "UTC", firstDay: 0 });
    expect(sunday.weeks[0]![0]).toBeNull(); // Sunday the 29th, before today
    expect(sunday.weeks[0]![3]!.day).toBe("2026-12-02");
    expect(cells(sunday).at(-1)!.day).toBe("2026-12-26");
  });

  it("leaves a clock beyond the window off the days and counts it as later", () => {
    const t = timeline([due("far", { dueBy: "2027-02-01T12:00:00Z" }), due("last-day", { dueBy: "2026-12-27T23:00:00Z" })], now, { timeZone: "UTC" });
    expect(cells(t).flatMap((c) => c.ids)).toEqual(["last-day"]);
    expect(t.later).toEqual(["far"]);
  });

  it("shows a workflow on each day it has a clock, once per day", () => {
    // Renegotiating: the change's reply-by and the promise's due-by both run.
    const t = timeline([
      due("renegotiating", { replyBy: "2026-12-04T12:00:00Z", dueBy: "2026-12-08T17:00:00Z" }),
      due("same-day", { replyBy: "2026-12-08T09:00:00Z", dueBy: "2026-12-08T17:00:00Z" }),
    ], now, { timeZone: "UTC" });
    expect(onDay(t, "2026-12-04")).toEqual(["renegotiating"]);
    expect(onDay(t, "2026-12-08")).toEqual(["renegotiating", "same-day"]);
  });

  it("buckets by the given time zone: late evening in UTC is the next day in Auckland", () => {
    const item = due("w", { dueBy: "2026-12-08T23:30:00Z" });
    expect(onDay(timeline([item], now, { timeZone: "UTC" }), "2026-12-08")).toEqual(["w"]);
    expect(onDay(timeline([item], now, { timeZone: "Pacific/Auckland" }), "2026-12-09")).toEqual(["w"]);
  });
});

describe("what a day filter matches", () => {
  it("matches a workflow on every day it has a clock, and OVERDUE for one run out", () => {
    const item = due("w", { replyBy: "2026-11-30T12:00:00Z", dueBy: "2026-12-08T17:00:00Z" });
    expect([...dueDaysOf(item, now, "UTC")]).toEqual([OVERDUE, "2026-12-08"]);
    expect(dueDaysOf(due("none", {}), now, "UTC").size).toBe(0);
  });

  it("lists the running clocks earliest first", () => {
    expect(runningClocks(due("w", { dueBy: "2026-12-08T17:00:00Z", replyBy: "2026-12-04T12:00:00Z" })).map((c) => c.kind)).toEqual(["replyBy", "dueBy"]);
  });
});

describe("words for the timeline", () => {
  it("names a day button with its date and count, and says which day is today", () => {
    expect(dayName({ day: "2026-12-08", ids: ["a", "b"], today: false }, "en-US")).toBe("Tue, Dec 8: 2 due");
    expect(dayName({ day: "2026-12-08", ids: ["a", "b"], today: false }, "en-GB")).toBe("Tue 8 Dec: 2 due");
    expect(dayName({ day: "2026-12-02", ids: ["a"], today: true }, "en-US")).toBe("Today, Wed, Dec 2: 1 due");
    expect(dayName({ day: "2026-12-03", ids: [], today: false }, "en-US")).toBe("Thu, Dec 3: nothing due");
  });

  it("heads the columns with the weekdays from the first day of the week", () => {
    expect(weekdayHeads(1, "en-US")).toEqual(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    expect(weekdayHeads(0, "en-US")[0]).toBe("Sun");
    expect(monthDayText("2027-01-01", "en-US")).toBe("Jan 1");
  });

  it("starts the week where the locale does when the runtime knows, else on Monday", () => {
    expect([0, 1, 6]).toContain(firstDayOfWeek("en-US"));
    expect(firstDayOfWeek("en-GB")).toBe(1);
    expect(firstDayOfWeek("not a locale")).toBe(1);
  });
});
