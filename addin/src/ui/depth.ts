// A workflow's depth (issue 14), loaded with the first card and never with the pane itself: what it is part of, its
// sub-commitments (the dual and delegations) with their risk, the forms that open them, the check-in cadence, the
// objective and sharing toggles, feedback both ways once it closes, the question a closing move asks about open
// children, and the objective tree (ui/tree.ts, loaded when asked for).
import { html, nothing, type TemplateResult } from "lit-html";
import { newIdempotencyKey, type ApiClient, type MoveName, type MoveRequest, type Party, type PartyRole, type Versioned, type Workflow } from "../api/client";
import {
  children as readChildren, closeChildren, openChild, openChildrenOf, tree as readTree,
  type Answer, type Child, type ChildRelation, type Children, type Feedback, type FeedbackAnswers, type OpenChild, type Risk, type Tree,
} from "../api/depth";
import { clockText, formatDate } from "./labels";
import type { TreeModule } from "./tree";
import { quadrantBadge } from "./views";

/** What the depth needs from the app: its client, the card as it stands, and the app's way of making moves and calls. */
export interface DepthHost {
  api: ApiClient;
  open(): Versioned | undefined;
  /** Makes a move on the card through the app (conflicts, lists and meetings handled as for any move). */
  move(move: MoveName, body: Partial<MoveRequest>): void;
  /** Runs a call with the pane busy, a failure said in the notice. */
  guard(work: () => Promise<void>): Promise<void>;
  openWorkflow(id: string): void;
  render(): void;
}

// ---- Words (pure; test/depth.test.ts) ----

const name = (p: Pick<Party, "displayName" | "email">) => p.displayName || p.email;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/**
 * A risk as the viewer reads it: the performer is told it is theirs ("Your part is overdue"), everyone else what stands.
 * Shown to both parties of the child, and to the customer above it.
 */
export function riskText(risk: Pick<Risk, "kind" | "since">, yourRole?: PartyRole | null): string {
  const mine = yourRole === "performer";
  const what = risk.kind === "overdue" ? (mine ? "Your part is overdue" : "Overdue")
    : risk.kind === "reneged" ? (mine ? "You reneged on it" : "Reneged") : "Being renegotiated";
  return `${what} since ${formatDate(risk.since)}`;
}

/** The children the viewer may not see, counted: "1 sub-commitment, at risk", "2 more sub-commitments (1 at risk)". */
export function countsText(c: Pick<Children, "others" | "othersAtRisk">, shown: number): string | undefined {
  if (c.others === 0) return undefined;
  const what = shown > 0 ? `${c.others} more sub-commitment${c.others === 1 ? "" : "s"}` : plural(c.others, "sub-commitment");
  const risk = c.othersAtRisk === 0 ? "" : c.others === 1 ? ", at risk" : ` (${c.othersAtRisk} at risk)`;
  return `${what}${risk}, not shared with you`;
}

/** Who does what in a child, from the viewer's side. */
export function childWho(c: Pick<Child, "relation" | "customer" | "performer" | "yourRole">): string {
  if (c.relation === "dual") return c.yourRole === "performer" ? `${name(c.customer)} needs it from you` : `You need it from ${name(c.performer)}`;
  if (c.yourRole === "customer") return `Delegated to ${name(c.performer)}`;
  if (c.yourRole === "performer") return "Delegated to you";
  return `${name(c.customer)} delegated it to ${name(c.performer)}, shared with you`;
}

/** The customer's cadence as both parties see it: when the next check-in is due, or that it was missed. */
export function checkInsText(c: NonNullable<Workflow["checkIns"]>): string {
  const every = `Check-ins every ${plural(c.everyDays, "day")}`;
  if (!c.nextBy) return every;
  return c.missed ? `${every} · Check-in missed (due ${formatDate(c.nextBy)})` : `${every} · Next check-in due ${formatDate(c.nextBy)}`;
}

/** The question a closing move asks when the caller holds open children under it. */
export function openChildrenQuestion(n: number): string {
  return `This promise has ${plural(n, "open sub-commitment")}: close ${n === 1 ? "it" : "them"} with it, or keep ${n === 1 ? "it" : "them"} open?`;
}

/** Each party's own questions when the loop closes: the customer on the result, the performer on the customership. */
export const FEEDBACK_QUESTIONS: Record<PartyRole, readonly { key: keyof FeedbackAnswers; text: string }[]> = {
  customer: [
    { key: "resultMet", text: "Did the result meet what was promised?" },
    { key: "keptInformed", text: "Were you kept informed along the way?" },
  ],
  performer: [
    { key: "concernClear", text: "Was the concern clear?" },
    { key: "conditionsNegotiable", text: "Could the conditions be negotiated?" },
    { key: "checkInsHelped", text: "Did the check-ins help?" },
  ],
};
const ANSWERS: readonly { id: Answer; text: string }[] = [{ id: "yes", text: "Yes" }, { id: "partly", text: "Partly" }, { id: "no", text: "No" }];

/** A party's feedback as lines: each question answered, in the order asked. */
export function feedbackLines(role: PartyRole, f: Feedback): string[] {
  return FEEDBACK_QUESTIONS[role].flatMap((q) => {
    const a = f.answers[q.key];
    return a ? [`${q.text} ${ANSWERS.find((x) => x.id === a)?.text ?? a}`] : [];
  });
}

// ---- State and calls ----

interface ChildForm { relation: ChildRelation; key: string; concern: string; performer: string; conditions: string; dueBy: string; problem?: string | undefined }
interface Ask { held: OpenChild[]; answer(choice: "close" | "keep" | undefined): void }

const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value;
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

export class Depth {
  private id: string | undefined;
  private version = -1;
  private list: Children | undefined;
  private form: ChildForm | undefined;
  private ask: Ask | undefined;
  private answers: FeedbackAnswers = {};
  private feedbackText = "";
  private cadence = "7";
  /** The customer of the promise a delegated child serves, named in "Share with …" (read from the parent once). */
  private parentCustomer: string | undefined;
  private tree: Tree | undefined;
  private treeModule: TreeModule | undefined;
  private treeShown = false;

  constructor(private readonly host: DepthHost) {}

  /** The card shows another workflow, or a new version of it: what was read for the old one is read again. */
  cardChanged(v: Versioned | undefined): void {
    if (!v) { this.id = undefined; return; }
    const w = v.workflow;
    if (w.id !== this.id) {
      Object.assign(this, { id: w.id, list: undefined, form: undefined, ask: undefined, answers: {}, feedbackText: "", parentCustomer: undefined, tree: undefined, treeShown: false });
      this.cadence = String(w.checkIns?.everyDays ?? 7);
      if (w.availableMoves.includes("shareWithParent") && w.partOf?.id && !this.host.api.guest) void this.readParentCustomer(w.partOf.id);
    } else if (w.version === this.version) return;
    this.version = w.version;
    // Through a personal link the workflow's own card is all there is: no children, no tree.
    if (w.state !== "draft" && !this.host.api.guest) void this.readChildren(w.id);
    if (this.treeShown) void this.showTree(false);
  }

  /**
   * A closing move was refused because the caller holds open children under it: the card asks (close them too, keep
   * them, or back) and `answer` resends it with the choice, or drops it.
   */
  askAbout(error: unknown, answer: (choice: "close" | "keep" | undefined) => void): boolean {
    const held = openChildrenOf(error);
    if (!held) return false;
    this.ask = { held, answer: (choice) => { this.ask = undefined; answer(choice); } };
    return true;
  }

  private async readChildren(id: string): Promise<void> {
    const list = await readChildren(this.host.api, id).catch(() => undefined);
    if (this.id !== id) return;
    // A server without the route (older than the pane) shows no section rather than a broken one.
    this.list = Array.isArray(list?.children) ? list : undefined;
    this.host.render();
  }

  private async readParentCustomer(parentId: string): Promise<void> {
    const parent = await this.host.api.get(parentId).catch(() => undefined);
    if (parent) { this.parentCustomer = name(parent.workflow.customer); this.host.render(); }
  }

  private openForm(relation: ChildRelation): void {
    this.form = { relation, key: newIdempotencyKey(), concern: "", performer: "", conditions: "", dueBy: "" };
    this.host.render();
    document.querySelector<HTMLElement>("form.child-form input")?.focus();
  }

  private async sendForm(parentId: string): Promise<void> {
    const f = this.form;
    if (!f) return;
    const missing = [f.concern.trim() ? "" : "what it is", f.relation === "delegated" && !f.performer.trim() ? "to whom" : "",
      f.conditions.trim() ? "" : "the conditions", f.dueBy ? "" : "a due date"].filter((m) => m);
    f.problem = missing.length ? `Give ${missing.join(", ")}.` : undefined;
    if (f.problem) { this.host.render(); return; }
    await this.host.guard(async () => {
      await openChild(this.host.api, parentId, {
        relation: f.relation, concern: f.concern.trim(), conditions: f.conditions.trim(), dueBy: endOfDay(f.dueBy),
        ...(f.relation === "delegated" ? { performer: f.performer.trim() } : {}),
      }, f.key);
      this.form = undefined;
      this.list = await readChildren(this.host.api, parentId);
    });
  }

  private async closeLeftOpen(parentId: string): Promise<void> {
    await this.host.guard(async () => { this.list = await closeChildren(this.host.api, parentId); });
  }

  private async showTree(focus = true): Promise<void> {
    const id = this.id;
    if (!id) return;
    this.treeShown = true;
    await this.host.guard(async () => {
      const [module, tree] = await Promise.all([this.treeModule ?? import("./tree"), readTree(this.host.api, id)]);
      if (this.id !== id) return;
      this.treeModule = module;
      this.tree = tree;
    });
    if (focus) document.querySelector<HTMLElement>('[role="tree"] [tabindex="0"]')?.focus();
  }

  // ---- The view, inside the card ----

  view(v: Versioned, busy: boolean): TemplateResult {
    const w = v.workflow;
    const can = (m: MoveName) => w.availableMoves.includes(m);
    const list = this.list;
    const hasChildren = !!list && list.children.length + list.others > 0;
    return html`<div class="depth">
      ${this.ask ? this.askView(busy) : nothing}
      ${w.partOf ? partOfView(w.partOf, this.host) : nothing}
      ${w.objective || w.sharedWithParent || w.checkIns ? html`<p class="depth-badges">
        ${w.objective ? html`<fluent-badge appearance="outline" class="objective">Objective</fluent-badge>` : nothing}
        ${w.sharedWithParent ? html`<fluent-badge appearance="outline">Shared with the customer above</fluent-badge>` : nothing}
        ${w.checkIns ? html`<span class="check-ins ${w.checkIns.missed ? "overdue" : ""}">${w.checkIns.missed ? "⚠ " : ""}${checkInsText(w.checkIns)}</span>` : nothing}
      </p>` : nothing}
      ${can("setCheckIns") ? this.cadenceView(w, busy) : nothing}
      ${can("markObjective") || can("shareWithParent") ? html`<div class="toggles">
        ${can("markObjective") ? html`<label class="toggle"><input type="checkbox" name="objective" .checked=${w.objective} ?disabled=${busy}
          @change=${() => this.host.move("markObjective", { objective: !w.objective })}> Mark as objective</label>` : nothing}
        ${can("shareWithParent") ? html`<label class="toggle"><input type="checkbox" name="shared" .checked=${w.sharedWithParent} ?disabled=${busy}
          @change=${() => this.host.move("shareWithParent", { shared: !w.sharedWithParent })}> Share with ${this.parentCustomer ?? "the customer of the promise it serves"}</label>` : nothing}
      </div>` : nothing}
      ${w.state === "draft" ? nothing : this.childrenView(w, busy)}
      ${(w.objective || w.partOf || hasChildren) && !this.host.api.guest ? html`<fluent-button size="small" appearance="subtle" data-action="tree" ?disabled=${busy}
        @click=${() => { if (this.treeShown) { this.treeShown = false; this.host.render(); } else void this.showTree(); }}>${this.treeShown ? "Hide the objective tree" : "Objective tree"}</fluent-button>` : nothing}
      ${this.treeShown && this.tree && this.treeModule ? this.treeModule.treeView(this.tree, this.host) : nothing}
      ${w.closed ? this.feedbackView(w, can("giveFeedback"), busy) : nothing}
    </div>`;
  }

  private askView(busy: boolean): TemplateResult {
    const ask = this.ask!;
    return html`<div class="ask-children" role="alertdialog" aria-labelledby="ask-children-text">
      <p id="ask-children-text">${openChildrenQuestion(ask.held.length)}</p>
      <ul>${ask.held.map((c) => html`<li>${c.concern} <small>(${c.relation === "dual" ? "dual" : "delegated"}, ${c.state})</small></li>`)}</ul>
      <fluent-button appearance="primary" data-open-children="close" ?disabled=${busy} @click=${() => ask.answer("close")}>Close them too</fluent-button>
      <fluent-button data-open-children="keep" ?disabled=${busy} @click=${() => ask.answer("keep")}>Keep them open</fluent-button>
      <fluent-button appearance="subtle" data-open-children="back" @click=${() => ask.answer(undefined)}>Back</fluent-button>
    </div>`;
  }

  private cadenceView(w: Workflow, busy: boolean): TemplateResult {
    return html`<form class="cadence" @submit=${(e: Event) => { e.preventDefault(); this.host.move("setCheckIns", { checkInEveryDays: Number(this.cadence) }); }}>
      <label>Check in every <input type="number" name="checkInEveryDays" min="1" max="90" required .value=${this.cadence}
        @input=${(e: Event) => { this.cadence = valueOf(e); }}> days</label>
      <fluent-button size="small" type="submit" ?disabled=${busy}>${w.checkIns ? "Change" : "Set"}</fluent-button>
      ${w.checkIns ? html`<fluent-button size="small" appearance="subtle" ?disabled=${busy}
        @click=${() => this.host.move("setCheckIns", { checkInEveryDays: null })}>Stop check-ins</fluent-button>` : nothing}
    </form>`;
  }

  private childrenView(w: Workflow, busy: boolean): TemplateResult {
    const list = this.list;
    if (!list) return html``;
    const counts = countsText(list, list.children.length);
    if (!list.children.length && !counts && !list.youMayOpen.length && !list.openAfterClose) return html``;
    return html`<section class="children" aria-labelledby="children-heading">
      <h3 id="children-heading">Sub-commitments</h3>
      ${list.children.length ? html`<ul class="list">${list.children.map((c) => childRow(c, this.host))}</ul>` : nothing}
      ${counts ? html`<p class="counts ${list.othersAtRisk ? "overdue" : ""}">${list.othersAtRisk ? "⚠ " : ""}${counts}</p>` : nothing}
      ${list.openAfterClose > 0 ? html`<p>You still hold ${plural(list.openAfterClose, "open sub-commitment")} under it.
        <fluent-button size="small" data-action="close-children" ?disabled=${busy} @click=${() => void this.closeLeftOpen(w.id)}>Close them too</fluent-button></p>` : nothing}
      ${this.form ? this.formView(w.id, busy) : html`<div class="moves">
        ${list.youMayOpen.includes("dual") ? html`<fluent-button size="small" data-open="dual" @click=${() => this.openForm("dual")}>Ask for what I need</fluent-button>` : nothing}
        ${list.youMayOpen.includes("delegated") ? html`<fluent-button size="small" data-open="delegated" @click=${() => this.openForm("delegated")}>Delegate part</fluent-button>` : nothing}
      </div>`}
    </section>`;
  }

  private formView(parentId: string, busy: boolean): TemplateResult {
    const f = this.form!;
    const field = (key: "concern" | "performer" | "conditions" | "dueBy", label: string, type = "text") => html`<label>${label}
      <input type=${type} name=${key} .value=${f[key]} @input=${(e: Event) => { f[key] = valueOf(e); }}></label>`;
    const dual = f.relation === "dual";
    return html`<form class="child-form" @submit=${(e: Event) => { e.preventDefault(); void this.sendForm(parentId); }}>
      <h4>${dual ? "To do this I need from you" : "Delegate part of it"}</h4>
      ${dual ? nothing : field("performer", "To whom (email)", "email")}
      ${field("concern", dual ? "What you need" : "What part")}
      ${field("conditions", "Conditions of satisfaction")}
      ${field("dueBy", "Due by", "date")}
      ${f.problem ? html`<p class="problem" role="alert">${f.problem}</p>` : nothing}
      <div class="moves">
        <fluent-button appearance="primary" type="submit" ?disabled=${busy}>${dual ? "Ask for it" : "Delegate"}</fluent-button>
        <fluent-button type="button" @click=${() => { this.form = undefined; this.host.render(); }}>Back</fluent-button>
      </div>
    </form>`;
  }

  private feedbackView(w: Workflow, mayGive: boolean, busy: boolean): TemplateResult {
    const mine = w.feedback[w.yourRole];
    const otherRole: PartyRole = w.yourRole === "customer" ? "performer" : "customer";
    const theirs = w.feedback[otherRole];
    const given = (role: PartyRole, f: Feedback, who: string) => html`<div class="feedback-given" data-party=${role}>
      <h4>${who}</h4><ul>${feedbackLines(role, f).map((l) => html`<li>${l}</li>`)}</ul>${f.text ? html`<p class="quote">“${f.text}”</p>` : nothing}</div>`;
    return html`<section class="feedback" aria-labelledby="feedback-heading">
      <h3 id="feedback-heading">Feedback</h3>
      ${mayGive ? html`<form class="feedback-form" @submit=${(e: Event) => {
        e.preventDefault();
        this.host.move("giveFeedback", { answers: this.answers, ...(this.feedbackText.trim() ? { text: this.feedbackText.trim() } : {}) });
      }}>
        ${FEEDBACK_QUESTIONS[w.yourRole].map((q) => html`<fieldset><legend>${q.text}</legend>
          ${ANSWERS.map((a) => html`<label class="choice"><input type="radio" name=${q.key} value=${a.id} .checked=${this.answers[q.key] === a.id}
            @change=${() => { this.answers = { ...this.answers, [q.key]: a.id }; }}> ${a.text}</label>`)}</fieldset>`)}
        <label>Anything else (optional) <textarea name="feedbackText" .value=${this.feedbackText} @input=${(e: Event) => { this.feedbackText = valueOf(e); }}></textarea></label>
        <fluent-button appearance="primary" type="submit" ?disabled=${busy}>Send feedback</fluent-button>
      </form>` : nothing}
      ${mine ? given(w.yourRole, mine, "Your feedback") : nothing}
      ${theirs ? given(otherRole, theirs, `${name(w[otherRole])}'s feedback`) : !mayGive && mine ? html`<p class="muted">${name(w[otherRole])} has not given feedback yet.</p>` : nothing}
    </section>`;
  }
}

function partOfView(p: NonNullable<Workflow["partOf"]>, host: DepthHost): TemplateResult {
  const how = p.relation === "dual" ? "needed to do it" : "delegated from it";
  return html`<p class="part-of">${p.id && p.concern
    ? html`Part of: <button class="link" data-part-of=${p.id} @click=${() => host.openWorkflow(p.id!)}>${p.concern}</button> <small>(${how})</small>`
    : "Part of a larger promise"}</p>`;
}

function childRow(c: Child, host: DepthHost): TemplateResult {
  const next = c.clocks.next;
  const face = html`${quadrantBadge(c.quadrant)} <span class="concern">${c.concern}</span>
    <span class="meta">${c.stateLabel} · ${childWho(c)}${next ? html` · <span class=${next.overdue ? "overdue" : ""}>${clockText(next.kind, next.at, next.overdue)}</span>` : nothing}</span>
    ${c.risk ? html`<span class="risk">⚠ ${riskText(c.risk, c.yourRole)}</span>` : nothing}`;
  // A shared delegation is shown to the customer above it, who is not its party: its line, not its card.
  return html`<li data-child=${c.id} data-relation=${c.relation}>${c.yourRole
    ? html`<button class="row" @click=${() => host.openWorkflow(c.id)}>${face}</button>` : html`<div class="row">${face}</div>`}</li>`;
}
