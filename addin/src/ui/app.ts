import { render } from "lit-html";
import { ApiClient, ApiProblem, newIdempotencyKey, type MeetingPurpose, type MoveRequest, type Versioned } from "../api/client";
import type { ItemContext } from "../mailbox";
import { isEmptyLink, type DeepLink } from "./deeplink";
import { MOVE_TEXT, eventLines, guestParty, guestProblemText, moveButtons, moveGoneText, proposeParties, termsVersions, trackChoices, trackProblem, type ListTab, type MoveButton } from "./labels";
import { FORGET_WORDS, preferencesBody, preferencesFormFrom, preferencesProblem, type NotifyChoice } from "./preferences";
import type { Depth } from "./depth";
import type { MeetingPanel } from "./meeting";
import type { NetworkPage } from "./network";
import type { FiguresPage } from "./figures";
import type { RolesPage, SaveFrom } from "./roles";
import { dismiss, dismissedFor, linkedWorkflows, type Offer } from "./suggestions";
import type { Found } from "../suggest/detect";
import { appView, type Handlers, type Page, type ViewState } from "./views";

/**
 * What the app needs from the outside world: the api client once signed in, and, in Outlook, the item's own operations
 * (a Teams tab has no Outlook item).
 */
export interface AppPorts {
  itemKeyOf?(item: ItemContext): string | null;
  tagItem?(quadrant: "Q1" | "Q2" | "Q3" | "Q4"): Promise<void>;
  /** Whether the item already shows the quadrant's category (read when it was opened). */
  isTagged?(item: ItemContext, quadrant: "Q1" | "Q2" | "Q3" | "Q4"): boolean;
  /** Local development only: sign in as a test user by email. */
  signInAs?(email: string): Promise<{ api: ApiClient; who: string }>;
  /** Outlook: the moves the open mail's own text makes, found on the client (src/suggest); its body goes nowhere. */
  suggest?(): Promise<Found[]>;
}

/** Said when a page names another workflow than the personal link this tab acts through. */
export const OTHER_WORKFLOW_THAN_THE_LINK =
  "This page was opened for another workflow than the one your personal link is for. Here is your link's workflow; open the other one from its own mail.";

export class App {
  private api: ApiClient | undefined;
  /** Kept until the workflow is created, so a retry after a lost response does not open a second one. */
  private trackKey: string | undefined;
  /** A link's card, move or page, waiting for the sign-in. */
  private link: DeepLink | undefined;
  /** What gets keyboard focus after the next render (a card that opened, a move's form): a selector in the root. */
  private focusNext: string | undefined;
  /** The card's depth (ui/depth.ts): loaded with the first card, not with the pane. */
  private depth: Depth | undefined;
  private depthLoad: Promise<void> | undefined;
  private roles: RolesPage | undefined;
  private network: NetworkPage | undefined;
  private figures: FiguresPage | undefined;
  private rendered = false;
  readonly state: ViewState = {
    page: "lists", review: undefined,
    host: null, who: undefined, needsSignIn: false, item: null, linked: undefined,
    track: { concern: "", customer: "", performer: "", conditions: "", dueBy: "", start: "draft" },
    open: undefined, termsHistory: undefined, events: undefined, confirmRevoke: false, guest: false, guestMail: undefined, preferences: undefined, forgetTyped: "", forgotten: undefined, pending: undefined, notice: undefined, tab: "iOwe", list: undefined, all: undefined,
    quadrant: undefined, day: undefined, busy: false, meeting: undefined, depth: undefined, suggestions: undefined,
  };

  constructor(private readonly root: HTMLElement, private readonly ports: AppPorts) {}

  render(): void {
    // The page's static shell (index.html) gives way to the app on its first render.
    if (!this.rendered) { this.root.replaceChildren(); this.rendered = true; }
    // Whatever changed the card (opened, moved, linked, closed), its depth follows before it is drawn.
    if (this.depth) this.depth.cardChanged(this.state.open);
    else if (this.state.open && this.api) this.loadDepth();
    render(appView(this.state, this.handlers), this.root);
    const focus = this.focusNext && this.root.querySelector<HTMLElement>(this.focusNext);
    if (focus) { this.focusNext = undefined; focus.focus(); }
  }

  private loadDepth(): void {
    const api = () => this.api!;
    this.depthLoad ??= import("./depth").then(({ Depth }) => {
      const depth = new Depth({
        get api() { return api(); },
        open: () => this.state.open,
        move: (move, body) => {
          const pending = { ...this.pendingFor({ move, label: MOVE_TEXT[move]?.label ?? move, input: undefined, primary: false }), body };
          void this.sendMove(pending);
        },
        guard: (work) => this.guard(work),
        openWorkflow: (id) => this.handlers.openWorkflow(id),
        render: () => this.render(),
      });
      this.depth = depth;
      this.state.depth = (v, busy) => depth.view(v, busy);
      this.render();
    }, (error: unknown) => { this.depthLoad = undefined; this.fail(`Part of the pane did not load: ${errorText(error)}`); });
  }

  /** Follows a link (`?workflow=…&move=…`, `?view=review`) once signed in: at once if already. */
  follow(link: DeepLink): void {
    if (isEmptyLink(link)) return;
    this.link = link;
    if (this.api) void this.followLink();
  }

  /** The item is known before sign-in finishes; the shell shows it at once. */
  setItem(host: string | null, item: ItemContext | null): void {
    this.state.host = host;
    this.state.item = item;
    const parties = proposeParties(item);
    this.state.track = { ...this.state.track, concern: item?.subject ?? "", ...parties };
    this.render();
    if (this.api) { void this.loadLinked(); this.suggestForItem(); } // signed in before Office was ready
  }

  /**
   * A read mail's suggestions come after the first view: the detector (and chrono-node) load once the person is signed
   * in and their lists are asked for, so they never compete with the shell, MSAL or the first answer.
   */
  private suggestForItem(): void {
    const item = this.state.item;
    if (item?.kind !== "message" || item.mode !== "read" || !item.itemId || this.state.suggestions?.itemId === item.itemId) return;
    void this.loadSuggestions(item.itemId);
  }

  /** The moves the mail's text makes, found without the API; shown once the thread's links are known. */
  private async loadSuggestions(itemId: string): Promise<void> {
    const found = await this.ports.suggest?.().catch(() => []) ?? [];
    if (found.length === 0 || this.state.item?.kind !== "message" || this.state.item.itemId !== itemId) return;
    this.state.suggestions = { itemId, found, dismissed: dismissedFor(itemId), workflows: undefined };
    await this.readLinkedMoves();
    this.render();
  }

  /** A tracked thread's suggestions are moves on its workflows: those are read (with my moves now) only then. */
  private async readLinkedMoves(): Promise<void> {
    const s = this.state.suggestions, linked = this.state.linked;
    if (!s || !this.api || !linked?.length || s.workflows) return;
    s.workflows = await linkedWorkflows(this.api, linked).catch(() => []);
  }

  /**
   * The page is in a Teams meeting: its record (purpose, agenda, linked workflows, outcomes) takes the place of the
   * pages, and every move made here carries the meeting and the occurrence.
   */
  inMeeting(meeting: Pick<MeetingPanel, "key" | "on" | "surface">): void {
    this.state.meeting = { ...meeting, record: undefined, agenda: undefined, scope: "meeting", problem: undefined };
    this.render();
    if (this.api) void this.loadMeeting();
  }

  fail(text: string): void {
    this.state.notice = { kind: "error", text };
    // A meeting whose record was waiting for the sign-in says why it is not shown, instead of spinning on.
    const meeting = this.state.meeting;
    if (meeting && !this.api && meeting.record === undefined) meeting.problem = "The meeting's record is shown once you are signed in.";
    this.render();
  }

  needSignIn(): void {
    this.state.needsSignIn = true;
    this.render();
  }

  /**
   * Someone outside the organisation, through the personal link a mail gave them (`api` sends its token): the link's
   * one workflow, its move started when the link names one, and nothing else. False when the API refused the link (the
   * notice says why in plain words), so the caller can forget it.
   */
  async guest(api: ApiClient): Promise<boolean> {
    this.api = api;
    Object.assign(this.state, { guest: true, needsSignIn: false });
    const link = this.link ?? {};
    this.link = undefined;
    let refused = false;
    await this.guard(async () => {
      const opened = await api.get(link.workflow ?? "").catch((error: unknown) => {
        const text = error instanceof ApiProblem ? guestProblemText(error.status, error.kind) : "";
        if (!text) throw error;
        refused = true;
        this.state.notice = { kind: "error", text };
        return undefined;
      });
      if (!opened) return;
      // A kept link acts for its own workflow only: a page opened for another one never starts a move on this one.
      const elsewhere = link.workflow !== undefined && link.workflow.toLowerCase() !== opened.workflow.id;
      this.openAt(opened, elsewhere ? undefined : link.move);
      if (elsewhere) this.state.notice = { kind: "info", text: OTHER_WORKFLOW_THAN_THE_LINK };
    });
    return !refused;
  }

  async signedIn(api: ApiClient, who: string | undefined): Promise<void> {
    this.api = api;
    Object.assign(this.state, { who, needsSignIn: false });
    this.render();
    if (this.state.meeting) {
      // The side panel offers the person's open workflows to link; the stage shows the agenda alone.
      await Promise.all([this.loadMeeting(), this.state.meeting.surface === "stage" ? undefined : this.loadAll()]);
      return;
    }
    // The review page may have been picked before the sign-in finished; a link to it loads it itself.
    const review = this.state.page === "review" && this.link?.view !== "review" ? this.loadReview()
      : this.state.page === "preferences" && this.link?.view !== "preferences" ? this.loadPreferences()
      : this.state.page === "roles" ? this.showRoles() : this.state.page === "network" ? this.showNetwork() : this.state.page === "figures" ? this.showFigures() : undefined;
    const first = Promise.all([this.loadLinked(), this.loadLists(), this.followLink(), review]);
    this.suggestForItem();
    await first;
  }

  /**
   * Opens what the link names. A move is only ever started — its form, or its confirm button, focused — never sent: a
   * link does nothing without a click. A move the viewer may not make now leaves the card as it stands, with a notice.
   */
  private async followLink(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    if (!link || !this.api) return;
    if (link.problem) this.state.notice = { kind: "error", text: link.problem };
    if (link.view) await this.showPage(link.view);
    if (!link.workflow) { this.render(); return; }
    const id = link.workflow;
    await this.guard(async () => {
      const opened = await this.api!.get(id).catch((error: unknown) => {
        if (error instanceof ApiProblem && (error.status === 404 || error.status === 403)) return undefined;
        throw error;
      });
      if (!opened) {
        this.state.notice = { kind: "error", text: "That link names a workflow that cannot be found, or that you are not a party to." };
        return;
      }
      this.openAt(opened, link.move);
    });
  }

  /** Shows the card a link named, with its move started when it names one the viewer may make now. */
  private openAt(opened: Versioned, move: DeepLink["move"]): void {
    this.showCard(opened);
    if (!move) return;
    const button = moveButtons(opened.workflow).find((b) => b.move === move);
    if (button) {
      this.state.pending = this.pendingFor(button);
      this.focusNext = "article.card form.move-form textarea, article.card form.move-form input, article.card form.move-form fluent-button[type=submit]";
    } else {
      this.state.notice = { kind: "info", text: moveGoneText(move, opened.workflow.stateLabel) };
    }
  }

  /** Opens a card; keyboard focus goes to it, so a wide window's list keeps its place and the reader starts there. */
  private showCard(opened: Versioned): void {
    this.state.open = opened;
    this.state.pending = undefined;
    this.forgetHistory();
    this.state.confirmRevoke = false;
    this.focusNext = "article.card";
  }

  private pendingFor(button: MoveButton): NonNullable<ViewState["pending"]> {
    const terms = this.state.open?.workflow.terms;
    const current = terms?.proposed ?? terms?.promised;
    return {
      button, key: newIdempotencyKey(), conditions: current?.conditions ?? "",
      dueBy: current?.dueBy?.slice(0, 10) ?? "", replyBy: "", text: "",
    };
  }

  /** The card's history is read when asked for, and again after anything that may have added to it. */
  private forgetHistory(): void {
    this.state.termsHistory = undefined;
    this.state.events = undefined;
  }

  private async showPage(page: Page, saveFrom?: SaveFrom): Promise<void> {
    this.state.page = page;
    if (page === "review") { this.state.review = undefined; await this.loadReview(); return; }
    if (page === "preferences") { this.state.preferences = undefined; await this.loadPreferences(); return; }
    this.render();
    if (page === "roles") await this.showRoles(saveFrom);
    if (page === "network") await this.showNetwork();
    if (page === "figures") await this.showFigures();
  }

  /** The Figures page is its own module too, loaded the first time it is shown. */
  private async showFigures(): Promise<void> {
    const api = this.api;
    const root = this.root.querySelector<HTMLElement>("#figures-page");
    if (!api || !root) return;
    await this.guard(async () => {
      if (!this.figures) {
        const { FiguresPage } = await import("./figures");
        this.figures = new FiguresPage(api);
      }
      await this.figures.mount(root);
    });
  }

  /** The network picture is its own module too, loaded the first time it is shown; it reads my lists afresh each time. */
  private async showNetwork(): Promise<void> {
    const api = this.api;
    const root = this.root.querySelector<HTMLElement>("#network-page");
    if (!api || !root) return;
    if (!this.network) {
      const { NetworkPage } = await import("./network");
      this.network = new NetworkPage(api, (id) => { void this.guard(async () => { this.showCard(await api.get(id)); }); });
    }
    await this.network.mount(root);
  }

  /** The Roles page is its own module, loaded the first time it is shown. */
  private async showRoles(saveFrom?: SaveFrom): Promise<void> {
    const api = this.api;
    const root = this.root.querySelector<HTMLElement>("#roles-page");
    if (!api || !root) return;
    await this.guard(async () => {
      if (!this.roles) {
        const { RolesPage } = await import("./roles");
        this.roles = new RolesPage(api, (id) => { void this.guard(async () => { this.showCard(await api.get(id)); }); });
      }
      await this.roles.mount(root, saveFrom);
    });
  }

  private async loadPreferences(): Promise<void> {
    if (!this.api) return;
    await this.guard(async () => { this.state.preferences = preferencesFormFrom(await this.api!.me()); });
  }

  /** Checked here first (in plain words), then by the server, whose 400 is shown in its words beside the form. */
  /** Saves the export as a file through a link the browser downloads from (the pane has no file system of its own). */
  private async downloadMine(): Promise<void> {
    if (!this.api) return;
    const api = this.api;
    await this.guard(async () => {
      const { blob, fileName } = await api.exportMine();
      const url = URL.createObjectURL(blob);
      const link = Object.assign(document.createElement("a"), { href: url, download: fileName });
      link.click();
      URL.revokeObjectURL(url);
    });
  }

  /** Deletes my data once I typed the words; the page then says what it did (and to ask again if it could not finish). */
  private async forgetMine(): Promise<void> {
    if (!this.api || this.state.forgetTyped !== FORGET_WORDS) return;
    const api = this.api;
    await this.guard(async () => {
      this.state.forgotten = await api.forgetMe(FORGET_WORDS);
      this.state.forgetTyped = "";
    });
  }

  private async savePreferences(): Promise<void> {
    const form = this.state.preferences;
    if (!this.api || !form) return;
    form.saved = false;
    form.problem = preferencesProblem(form);
    if (form.problem) { this.render(); return; }
    this.state.busy = true;
    this.render();
    try {
      await this.api.setPreferences(preferencesBody(form));
      this.state.preferences = { ...preferencesFormFrom(await this.api.me()), saved: true };
    } catch (error) {
      form.problem = error instanceof ApiProblem ? problemText(error) : error instanceof Error ? error.message : String(error);
    } finally {
      this.state.busy = false;
      this.render();
    }
  }

  /** Stops the personal links mailed to the open workflow's other party, after the person confirmed. */
  private async revokeGuestLinks(): Promise<void> {
    const open = this.state.open;
    const other = open && guestParty(open.workflow);
    if (!this.api || !open || !other) return;
    await this.guard(async () => {
      this.state.open = await this.api!.revokeGuestLinks(open.workflow.id);
      this.state.confirmRevoke = false;
      this.forgetHistory();
      this.state.notice = { kind: "info", text: `The links already mailed to ${other.email} no longer open this workflow.` };
    });
  }

  private async loadReview(): Promise<void> {
    if (!this.api) return;
    await this.guard(async () => { this.state.review = await this.api!.review(); });
  }

  private async loadLinked(): Promise<void> {
    if (this.state.guest) return;
    const item = this.state.item;
    if (item?.kind === "appointment" && this.api && !this.state.meeting) await this.openOutlookMeeting(item);
    const key = this.itemKey();
    if (!this.api || !key) { this.state.linked = this.state.item ? [] : undefined; this.render(); return; }
    await this.guard(async () => { this.state.linked = await this.api!.linkedTo(key); });
    if (this.state.suggestions) { this.state.suggestions.workflows = undefined; await this.readLinkedMoves(); this.render(); }
    // A tracked mail shows its workflow's quadrant: the other party's copy too, the first time they open it here.
    const only = this.state.linked?.length === 1 ? this.state.linked[0]!.quadrant : undefined;
    if (item?.kind === "message" && this.state.host && only && only !== "closed" && this.ports.isTagged && !this.ports.isTagged(item, only)) {
      await this.ports.tagItem?.(only).catch(() => undefined);
    }
  }

  /** The key the current item is linked by: the meeting's (as the server resolved it) on a meeting, else the item's own. */
  private itemKey(): string | null {
    const item = this.state.item;
    if (!item) return null;
    return item.kind === "appointment" && this.state.meeting ? this.state.meeting.key : this.ports.itemKeyOf?.(item) ?? null;
  }

  /**
   * A meeting opened in Outlook: its key as the server resolves it (the same for every attendee, and for a Teams meeting
   * the same as its tab's), its occurrence's date, and its shared record beside the item's workflows. Where the server
   * has no mailbox to ask (local development), the item's own key stands in.
   */
  private async openOutlookMeeting(item: Extract<ItemContext, { kind: "appointment" }>): Promise<void> {
    let key = this.ports.itemKeyOf?.(item) ?? null;
    let on = localDate(item.start ?? new Date());
    if (item.itemId) {
      try {
        const resolved = await this.api!.resolveItem("event", item.itemId);
        if (resolved) ({ key, on } = { key: resolved.key, on: resolved.on ?? on });
      } catch {
        // The record still opens under the item's own key; the links it shows are this mailbox's.
      }
    }
    if (!key) return;
    this.state.meeting = { key, on, surface: "outlook", record: undefined, agenda: undefined, scope: "meeting", problem: undefined };
    await this.loadMeeting();
    // This copy shows the meeting's purpose as its category, whoever set it.
    const purpose = this.state.meeting.record?.purpose;
    if (purpose && this.state.host && this.ports.isTagged && !this.ports.isTagged(item, purpose)) await this.ports.tagItem?.(purpose).catch(() => undefined);
  }

  /**
   * The meeting a move is made in: in Teams, the one the tab is in; in Outlook, the meeting item open in the pane while
   * it is on (from a quarter of an hour before it starts to half an hour after it ends) — a move made on it days later
   * was not made in it.
   */
  private meetingNow(): MeetingPanel | undefined {
    const meeting = this.state.meeting;
    if (!meeting || meeting.surface !== "outlook") return meeting;
    const item = this.state.item;
    if (item?.kind !== "appointment" || !item.start || !item.end) return undefined;
    const now = Date.now();
    return now >= item.start.getTime() - 15 * 60_000 && now <= item.end.getTime() + 30 * 60_000 ? meeting : undefined;
  }

  /**
   * The meeting's record and its agenda, read together (the stage needs the agenda alone). A refusal or failure is
   * said where the record would be.
   */
  private async loadMeeting(): Promise<void> {
    const m = this.state.meeting;
    const api = this.api;
    if (!api || !m || m.surface === "config") return;
    await this.guard(async () => {
      try {
        const [record, agenda] = await Promise.all([m.surface === "stage" ? undefined : api.meeting(m.key, m.on), api.agenda(m.key, m.on)]);
        Object.assign(m, { record, agenda, problem: undefined });
      } catch (error) {
        m.problem = `The meeting's record could not be read. ${errorText(error)}`;
      }
    });
  }

  private async loadAll(): Promise<void> {
    if (!this.api) return;
    await this.guard(async () => { this.state.all = (await this.api!.list("all")).items; });
  }

  /** A change to the meeting's record, read again after it; what went wrong is said with what was being done. */
  private changeMeeting(what: string, change: (api: ApiClient, m: MeetingPanel) => Promise<void>): void {
    const m = this.state.meeting;
    const api = this.api;
    if (!api || !m) return;
    void this.guard(async () => {
      await change(api, m).catch((error: unknown) => { throw new Error(`${what}: ${errorText(error)}`); });
    }).then(() => this.loadMeeting());
  }

  private async loadLists(): Promise<void> {
    if (!this.api || this.state.guest) return;
    await this.guard(async () => {
      const [all, list] = await Promise.all([this.api!.list("all"), this.fetchTab(this.state.tab)]);
      this.state.all = all.items;
      this.state.list = list;
    });
  }

  private async fetchTab(tab: ListTab) {
    const api = this.api!;
    if (tab === "dueForAssessment") return (await api.list("owedToMe", { quadrant: "Q4" })).items;
    return (await api.list(tab)).items;
  }

  /** Runs a call, turning problem details into a notice in the server's own words. */
  private async guard(work: () => Promise<void>): Promise<void> {
    this.state.busy = true;
    this.render();
    try {
      await work();
    } catch (error) {
      // Through a personal link, a link that stopped working mid-way is said as when it is first opened.
      const text = error instanceof ApiProblem
        ? (this.state.guest && guestProblemText(error.status, error.kind)) || problemText(error)
        : error instanceof Error ? error.message : String(error);
      this.state.notice = { kind: "error", text };
    } finally {
      this.state.busy = false;
      this.render();
    }
  }

  /**
   * Sends the move started on the card (or one made from its depth). A closing move refused because the person holds
   * open children under it (409 open-children) is asked about on the card, and sent again with their answer.
   */
  private async sendMove(pending = this.state.pending, openChildren?: "close" | "keep"): Promise<void> {
    const open = this.state.open;
    if (!this.api || !open || !pending) return;
    const move: MoveRequest = { move: pending.button.move, ...pending.body };
    if (openChildren) move.openChildren = openChildren;
    if (pending.button.input === "terms") {
      if (pending.conditions) move.conditions = pending.conditions;
      if (pending.dueBy) move.dueBy = endOfDay(pending.dueBy);
    }
    const input = pending.button.input;
    // A nudge's date extends the performer's reply-by; the server refuses one that is not later (and a second nudge the same day).
    if ((input === "replyBy" || input === "nudge") && pending.replyBy) move.replyBy = endOfDay(pending.replyBy);
    if ((input === "gaps" || input === "text" || input === "nudge") && pending.text) move.text = pending.text;
    // A move made in a meeting says so: the server records it among the meeting's outcomes for that occurrence.
    const meeting = this.meetingNow();
    const request = meeting ? { ...move, meeting: meeting.key, on: meeting.on } : move;
    const linkedHere = this.state.linked?.some((l) => l.id === open.workflow.id) ?? false;
    let asked = false;
    await this.guard(async () => {
      // The key was made when the person chose the move, so a retry of this same action is applied once.
      const outcome = await this.api!.move(open, request, pending.key).catch((error: unknown) => {
        asked = !!this.depth?.askAbout(error, (choice) => {
          if (choice) void this.sendMove({ ...pending, key: newIdempotencyKey() }, choice); else this.render();
        });
        if (asked) return undefined;
        throw error;
      });
      this.state.pending = undefined;
      if (!outcome) return;
      this.state.open = outcome.current;
      this.forgetHistory(); // A move may have proposed or fixed a version: read it again when asked.
      this.state.notice = outcome.kind === "conflict"
        ? { kind: "info", text: "Someone else changed this workflow first. Here it is as it stands now — decide again.", details: outcome.changes }
        : undefined;
    });
    if (asked) return;
    if (this.state.meeting && this.state.meeting.surface !== "outlook") { void this.loadMeeting(); void this.loadAll(); return; }
    // The mail or meeting this workflow is tracked on shows its quadrant as it is now, not as it was when tracked.
    const quadrant = this.state.open?.workflow.quadrant;
    if (linkedHere && this.state.item?.kind === "message" && quadrant && quadrant !== "closed") await this.ports.tagItem?.(quadrant).catch(() => undefined);
    if (meeting) void this.loadMeeting();
    void this.loadLists();
    void this.loadLinked();
    if (this.state.page === "review" && !this.state.guest) void this.loadReview(); // a move can take a line off the review, or move it
  }

  private async trackItem(): Promise<void> {
    const { item, track } = this.state;
    if (!this.api) return;
    // Checked here, in plain words beside the form; the server checks the same and says so in its own if it differs.
    const { start } = trackChoices(item, track);
    track.problem = trackProblem(start, track);
    if (track.problem) { this.render(); return; }
    const key = this.itemKey();
    const idempotencyKey = (this.trackKey ??= newIdempotencyKey());
    await this.guard(async () => {
      const created: Versioned = await this.api!.open({
        concern: track.concern,
        customer: track.customer || "me",
        performer: track.performer || "me",
        ...(start !== "draft" ? { start } : {}),
        ...(track.conditions ? { conditions: track.conditions } : {}),
        ...(track.dueBy ? { dueBy: endOfDay(track.dueBy) } : {}),
        ...(item && key ? { source: { key, kind: item.kind === "message" ? "message" : "event", subject: item.subject } } : {}),
      }, idempotencyKey);
      this.state.open = created;
      this.forgetHistory();
      this.trackKey = undefined;
      // The quadrant's category makes the tag visible in every Outlook client; a host without Mailbox 1.8 just lacks it.
      if (this.state.host && created.workflow.quadrant !== "closed") await this.ports.tagItem?.(created.workflow.quadrant).catch(() => undefined);
    });
    await Promise.all([this.loadLinked(), this.loadLists()]);
  }

  /**
   * A suggestion taken: the track form filled in as the mail says (who asked whom, the task, the day), or the move
   * started on the linked workflow with its day. Nothing is sent: the person sends the form or confirms the move.
   */
  private takeSuggestion(offer: Offer): void {
    const { found } = offer;
    if ("track" in offer) {
      Object.assign(this.state.track, { ...offer.track, conditions: found.task, dueBy: found.dueBy ?? "", problem: undefined });
      this.trackKey = undefined;
      this.focusNext = "form.track textarea[name=conditions]";
    } else {
      const opened = this.state.suggestions?.workflows?.find((v) => v.workflow.id === offer.workflowId);
      if (!opened) return;
      this.openAt(opened, offer.move);
      const pending = this.state.pending;
      if (pending?.button.input === "terms" && found.dueBy) pending.dueBy = found.dueBy;
    }
    this.render();
  }

  private readonly handlers: Handlers = {
    signIn: (email) => {
      const signInAs = this.ports.signInAs;
      if (!signInAs) return;
      void this.guard(async () => {
        const { api, who } = await signInAs(email);
        await this.signedIn(api, who);
      });
    },
    openWorkflow: (id) => {
      void this.guard(async () => { this.showCard(await this.api!.get(id)); });
    },
    showPage: (page) => { if (this.api) void this.showPage(page); else { this.state.page = page; this.render(); } },
    saveAsRole: (workflowId, concern) => { if (this.api) void this.showPage("roles", { workflowId, concern }); },
    closeCard: () => { this.state.open = undefined; this.state.pending = undefined; this.forgetHistory(); this.render(); },
    showTermsHistory: () => {
      const open = this.state.open;
      if (!open || this.state.guest) return;
      void this.guard(async () => {
        const history = await this.api!.history(open.workflow.id);
        this.state.termsHistory = termsVersions(history);
        this.state.events = eventLines(history);
      });
    },
    startMove: (button) => {
      this.state.pending = this.pendingFor(button);
      if (!button.input) { void this.sendMove(); return; }
      this.render();
    },
    editMove: (field, value) => { if (this.state.pending) this.state.pending[field] = value; },
    sendMove: () => { void this.sendMove(); },
    cancelMove: () => { this.state.pending = undefined; this.render(); },
    editTrack: (field, value) => {
      const track = this.state.track;
      track[field] = value;
      this.trackKey = undefined;
      // The parties decide which starts are offered; a problem shown goes once what it asked for is there.
      const shown = track.problem;
      if (shown) track.problem = trackProblem(trackChoices(this.state.item, track).start, track);
      if (field === "customer" || field === "performer" || shown) this.render();
    },
    chooseStart: (start) => {
      const track = this.state.track;
      track.start = start;
      track.problem = undefined;
      this.trackKey = undefined;
      this.render();
    },
    linkExisting: (workflowId) => {
      const item = this.state.item;
      const key = this.itemKey();
      if (!this.api || !item || !key || !workflowId) return;
      void this.guard(async () => {
        this.state.open = await this.api!.link(key, workflowId, item.kind === "message" ? "message" : "event", item.subject);
      }).then(() => this.loadLinked());
    },
    track: () => { void this.trackItem(); },
    showTab: (tab) => {
      this.state.tab = tab;
      this.state.list = undefined;
      void this.guard(async () => { this.state.list = await this.fetchTab(tab); });
    },
    filterQuadrant: (quadrant) => { this.state.quadrant = quadrant; this.render(); },
    filterDay: (day) => { this.state.day = day; this.render(); },
    clearFilters: () => { this.state.quadrant = undefined; this.state.day = undefined; this.render(); },
    dismissNotice: () => { this.state.notice = undefined; this.render(); },
    editPreferences: (field, value) => {
      const form = this.state.preferences;
      if (!form) return;
      if (field === "notify") form.notify = value as NotifyChoice; else form[field] = value;
      form.saved = false;
      if (field === "notify") this.render(); // the radio group shows the choice; typed fields keep their own value
    },
    savePreferences: () => { void this.savePreferences(); },
    downloadMine: () => { void this.downloadMine(); },
    typeForget: (text) => { this.state.forgetTyped = text; this.render(); },
    forgetMine: () => { void this.forgetMine(); },
    setGuestMail: (stopped) => {
      const api = this.api;
      if (!api || !this.state.guest) return;
      void this.guard(async () => {
        this.state.guestMail = await api.setGuestMail(stopped);
        this.state.notice = {
          kind: "info",
          text: this.state.guestMail.stopped
            ? `No more mails will go to ${this.state.guestMail.address}. The workflow goes on; this link still opens it until it expires.`
            : `Mails to ${this.state.guestMail.address} will come again.`,
        };
      });
    },
    setPurpose: (purpose: MeetingPurpose | null) => {
      this.changeMeeting("The meeting's purpose was not saved", async (api, m) => {
        // From Outlook, this copy shows it at once as its category (and the server shows it through Graph where it can).
        const item = m.surface === "outlook" && this.state.item?.kind === "appointment" ? this.state.item : undefined;
        m.record = await api.setPurpose(m.key, purpose, m.scope === "occurrence" ? m.on : undefined, item?.itemId);
        if (item && purpose) await this.ports.tagItem?.(purpose).catch(() => undefined);
      });
    },
    choosePurposeScope: (scope) => {
      if (this.state.meeting) this.state.meeting.scope = scope;
      this.render();
    },
    linkToMeeting: (workflowId) => {
      if (!workflowId) return;
      this.changeMeeting("The workflow was not linked to the meeting", async (api, m) => {
        this.state.open = await api.link(m.key, workflowId, "event");
        this.forgetHistory();
      });
    },
    unlinkFromMeeting: (workflowId) => {
      this.changeMeeting("The workflow was not unlinked from the meeting", async (api, m) => { await api.unlink(m.key, workflowId); });
    },
    takeSuggestion: (offer) => { this.takeSuggestion(offer); },
    dismissSuggestion: (offer) => {
      const s = this.state.suggestions;
      if (s) s.dismissed = dismiss(s.itemId, offer.key);
      this.render();
    },
    askRevoke: () => { this.state.confirmRevoke = true; this.render(); },
    confirmRevoke: () => { void this.revokeGuestLinks(); },
    cancelRevoke: () => { this.state.confirmRevoke = false; this.render(); },
  };
}

/** What went wrong, in the server's words when it answered, else the error's own. */
function errorText(error: unknown): string {
  return error instanceof ApiProblem ? problemText(error) : error instanceof Error ? error.message : String(error);
}

/** A problem in the server's own words: its title, then its detail. */
function problemText(error: ApiProblem): string {
  return `${error.problem.title ?? "That did not work."} ${error.problem.detail ?? ""}`.trim();
}

/** A date picked in the pane means "by the end of that day" in the person's own time zone. */
export function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

/** A day as YYYY-MM-DD in the browser's own time zone (an occurrence's date, as the person sees it). */
function localDate(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
}
