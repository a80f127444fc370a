import type { Me, Preferences } from "../api/client";
import type { ForgetRun } from "../api/types";

// The notification preferences page (`?view=preferences`, linked from every notification mail): how often mail comes,
// quiet hours, and the time zone both are read in. Pure: the form's values in, the body to save or a problem out.

export type NotifyChoice = "immediate" | "daily" | "weekly";

export const NOTIFY_CHOICES: readonly { id: NotifyChoice; label: string; hint: string }[] = [
  { id: "immediate", label: "Immediately", hint: "A mail soon after each move that hands you the ball." },
  { id: "daily", label: "Daily summary", hint: "One mail a day with everything that happened." },
  { id: "weekly", label: "Weekly only", hint: "Nothing but the weekly review." },
];

export interface PreferencesForm {
  notify: NotifyChoice;
  /** "HH:mm", or "" for no quiet hours (both or neither). */
  quietFrom: string;
  quietTo: string;
  timeZone: string;
  /** The time zone came from the Outlook mailbox's settings (not chosen here). */
  timeZoneFromMailbox: boolean;
  /** The time zone as read: saved only when changed, so one taken from the mailbox is not made a choice by a save. */
  loadedTimeZone: string;
  /** The server's (or the form's) reason the last save was refused, in its words. */
  problem: string | undefined;
  saved: boolean;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function preferencesFormFrom(me: Me): PreferencesForm {
  const notify = NOTIFY_CHOICES.some((c) => c.id === me.notify) ? me.notify as NotifyChoice : "immediate";
  return {
    notify, quietFrom: me.quietFrom ?? "", quietTo: me.quietTo ?? "", timeZone: me.timeZone, loadedTimeZone: me.timeZone,
    timeZoneFromMailbox: me.timeZoneFromMailbox, problem: undefined, saved: false,
  };
}

/** What is wrong with the form before it is sent, in plain words; undefined when it may be saved. */
export function preferencesProblem(form: Pick<PreferencesForm, "quietFrom" | "quietTo" | "timeZone">): string | undefined {
  const from = form.quietFrom.trim();
  const to = form.quietTo.trim();
  if (!form.timeZone.trim()) return "Choose a time zone: quiet hours and summaries are read in it.";
  if (!!from !== !!to) return "Quiet hours need both a start and an end — or leave both empty for none.";
  if ((from && !HH_MM.test(from)) || (to && !HH_MM.test(to))) return "Quiet hours are times of day, like 22:00.";
  if (from && from === to) return "Quiet hours cannot start and end at the same time.";
  return undefined;
}

/** The PUT body: how often, the quiet hours ("" for both clears them), and the time zone only when it was changed. */
export function preferencesBody(form: PreferencesForm): Preferences {
  const timeZone = form.timeZone.trim();
  return {
    notify: form.notify, quietFrom: form.quietFrom.trim(), quietTo: form.quietTo.trim(),
    ...(timeZone !== form.loadedTimeZone ? { timeZone } : {}),
  };
}

/** The time zones this browser knows, for the field's suggestions (a short list where Intl cannot say). */
export function timeZoneNames(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: "timeZone") => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo"];
}

/** The words a deletion is confirmed with, typed by the person: the same the API requires (ADR 0016). */
export const FORGET_WORDS = "delete my data";

/** What a deletion did, in plain words. */
export function forgottenText(run: ForgetRun): string {
  if (!run.complete) return `Some of your workflows were busy (${run.workflowsLeft} left). Ask again to finish deleting your data.`;
  const shared = run.workflowsForgotten === 1 ? "1 workflow" : `${run.workflowsForgotten} workflows`;
  return `Your data was deleted. In ${shared} you shared, the other person now sees you as “a former colleague”.`;
}
