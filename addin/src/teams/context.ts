// What the pane takes from a Teams context, as plain data: which surface it is on, the meeting's key on the server,
// and the day of the occurrence. Pure, so it is tested without Teams; only ./index.ts knows the Teams SDK.

/** Where in Teams the page is: a meeting's side panel, its stage, its details or chat tab, the tab's configuration, or the personal tab. */
export type TeamsSurface = "sidePanel" | "stage" | "details" | "config" | "personal";

/** Teams' themes; the page follows them (dark and high contrast included). */
export type TeamsTheme = "default" | "dark" | "contrast";

/**
 * The surface from Teams' frame context (`sidePanel`, `meetingStage`, `content`, `settings`…): a meeting's details and
 * chat tab are `content` in a meeting chat; `content` anywhere else is the personal tab.
 */
export function surfaceOf(frameContext: string | undefined, chatId: string | undefined): TeamsSurface {
  switch (frameContext) {
    case "settings": return "config";
    case "sidePanel": return "sidePanel";
    case "meetingStage":
    case "stage": return "stage";
    default: return chatId ? "details" : "personal";
  }
}

/** Teams names a theme the pane does not know yet (a host newer than the pane): the default one, rather than none. */
export function themeOf(name: string | undefined): TeamsTheme {
  return name === "dark" || name === "contrast" ? name : "default";
}

/**
 * The meeting's key on the server: its chat thread (`19:meeting_…@thread.v2`). The server turns the Teams join URL that
 * Outlook knows into the same key, so the add-in in Outlook and the tab in Teams share one record.
 */
export function meetingKeyOf(chatId: string): string {
  return `event:teams:${chatId}`;
}

/** The occurrence a meeting tab is used in: today, where the person is (YYYY-MM-DD). */
export function occurrenceOn(now: Date): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}
