import type { ClockKind, WorkflowSummary } from "../api/client";

// What falls due in the coming weeks, by calendar day in the person's own time zone. Pure: the time zone, "now" and
// the first day of the week come in as arguments (the view passes the browser's), so tests need no clock or TZ.

/** A calendar day as "YYYY-MM-DD", or the one bucket for every clock that has already run out. */
export type DueDay = string;
export const OVERDUE: DueDay = "overdue";

const CLOCK_KINDS: readonly ClockKind[] = ["replyBy", "dueBy", "assessBy"];

const dayFormats = new Map<string | undefined, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in `timeZone` (default: the runtime's own). */
export function calendarDay(at: Date, timeZone?: string): DueDay {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }));
  const parts = format.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Calendar arithmetic on days, not hours: a day across a daylight-saving change is still one day. */
export function addDays(day: DueDay, days: number): DueDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: DueDay): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** Every running clock of a workflow (reply-by, due-by, assess-by), earliest first. */
export function runningClocks(item: Pick<WorkflowSummary, "clocks">): { kind: ClockKind; at: Date }[] {
  return CLOCK_KINDS.flatMap((kind) => {
    const at = item.clocks?.[kind];
    return at ? [{ kind, at: new Date(at) }] : [];
  }).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The days a workflow has a clock on: OVERDUE for a clock already run out, else the clock's calendar day. */
export function dueDaysOf(item: Pick<WorkflowSummary, "clocks">, now: Date, timeZone?: string): Set<DueDay> {
  return new Set(runningClocks(item).map(({ at }) => (at < now ? OVERDUE : calendarDay(at, timeZone))));
}

export interface TimelineDay {
  day: DueDay;
  /** The workflows with a clock on this day. */
  ids: string[];
  today: boolean;
}

export interface Timeline {
  overdue: string[];
  /** Week rows of 7, starting on `firstDay`; null where a row starts before today. */
  weeks: (TimelineDay | null)[][];
  /** Workflows with a clock after the last day shown. */
  later: string[];
}

export interface TimelineOptions {
  timeZone?: string | undefined;
  /** The first day of the week, 0 = Sunday … 6 = Saturday (default Monday). */
  firstDay?: number;
  /** Whole weeks shown after the current one: today plus at least 3 weeks by default. */
  weeks?: number;
}

/** The picture of what falls due: the overdue bucket, then today to the end of the window, day by day. */
export function timeline(items: Pick<WorkflowSummary, "id" | "clocks">[], now: Date, options: TimelineOptions = {}): Timeline {
  const { timeZone, firstDay = 1, weeks = 3 } = options;
  const today = calendarDay(now, timeZone);
  const start = addDays(today, -((weekdayOf(today) - firstDay + 7) % 7));
  const days = new Map<DueDay, TimelineDay>();
  const rows: (TimelineDay | null)[][] = [];
  for (let w = 0; w <= weeks; w++) {
    rows.push(Array.from({ length: 7 }, (_, d) => {
      const day = addDays(start, w * 7 + d);
      if (day < today) return null;
      const cell: TimelineDay = { day, ids: [], today: day === today };
      days.set(day, cell);
      return cell;
    }));
  }
  const last = addDays(start, (weeks + 1) * 7 - 1);
  const overdue: string[] = [];
  const later: string[] = [];
  for (const item of items) {
    const due = dueDaysOf(item, now, timeZone);
    if (due.has(OVERDUE)) overdue.push(item.id);
    for (const day of due) days.get(day)?.ids.push(item.id);
    if ([...due].some((d) => d !== OVERDUE && d > last)) later.push(item.id);
  }
  return { overdue, weeks: rows, later };
}

/** "Tue, Dec 8" in the person's language (the day is a calendar day, so it is formatted as such, in UTC). */
export function dayText(day: DueDay, locale?: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
}

/** "Dec 8": where a strip of day numbers needs its month. */
export function monthDayText(day: DueDay, locale?: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, { month: "short", day: "numeric", timeZone: "UTC" });
}

/** A day button's accessible name: "Tue, Dec 8: 2 due", and "Today, …" for today. */
export function dayName(cell: TimelineDay, locale?: string): string {
  return `${cell.today ? "Today, " : ""}${dayText(cell.day, locale)}: ${cell.ids.length === 0 ? "nothing" : cell.ids.length} due`;
}

/** Short weekday names for the column heads, starting on `firstDay`. */
export function weekdayHeads(firstDay = 1, locale?: string): string[] {
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, n) => new Date(Date.UTC(2023, 0, 1 + ((firstDay + n) % 7)))
    .toLocaleDateString(locale, { weekday: "short", timeZone: "UTC" }));
}

/** The locale's first day of the week where the browser says (Intl.Locale week info), else Monday. */
export function firstDayOfWeek(locale?: string): number {
  try {
    const l = new Intl.Locale(locale ?? new Intl.DateTimeFormat().resolvedOptions().locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number }; weekInfo?: { firstDay: number };
    };
    const first = (l.getWeekInfo?.() ?? l.weekInfo)?.firstDay; // 1 = Monday … 7 = Sunday
    return first ? first % 7 : 1;
  } catch {
    return 1;
  }
}
