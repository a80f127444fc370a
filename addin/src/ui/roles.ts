// The Roles page (issue 14): my roles with their recurring templates and next dates, adding and removing a template,
// handing a role over, the offers waiting for me, and saving a closed loop as a role. Loaded only when the page is
// first shown, so the pane's first load does not carry it.
import { html, nothing, render, type TemplateResult } from "lit-html";
import { newIdempotencyKey, type ApiClient } from "../api/client";
import type { Accountability, CycleStart, Role, RoleList, VersionedRole } from "../api/roles";
import { formatDate, partyText } from "./labels";
import { GuardedPage } from "./page";

/** How a schedule is chosen: weekly on a weekday, monthly on a day, or a cron expression as typed. */
export type ScheduleChoice =
  | { kind: "weekly"; weekday: number; time: string }
  | { kind: "monthly"; day: number; time: string }
  | { kind: "custom"; cron: string };

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The five cron fields a choice stands for; "09:30" is minute 30 of hour 9. */
export function cronOf(choice: ScheduleChoice): string {
  if (choice.kind === "custom") return choice.cron.trim().split(/\s+/).join(" ");
  const [hour = 9, minute = 0] = choice.time.split(":").map((n) => Number.parseInt(n, 10));
  return choice.kind === "weekly" ? `${minute} ${hour} * * ${choice.weekday}` : `${minute} ${hour} ${choice.day} * *`;
}

/** A schedule in words when it is one the pane offers; the cron text otherwise. */
export function scheduleText(cron: string): string {
  const weekly = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6])$/.exec(cron);
  const monthly = /^(\d{1,2}) (\d{1,2}) (\d{1,2}) \* \*$/.exec(cron);
  const at = (h: string, m: string) => `${h.padStart(2, "0")}:${m.padStart(2, "0")}`;
  if (weekly) return `Every ${WEEKDAYS[Number(weekly[3])]} at ${at(weekly[2]!, weekly[1]!)}`;
  if (monthly) return `Monthly on day ${monthly[3]} at ${at(monthly[2]!, monthly[1]!)}`;
  return `Schedule ${cron}`;
}

/** What is missing from a schedule choice before the server is asked (its own 400 says the rest). */
export function choiceProblem(choice: ScheduleChoice): string | undefined {
  if (choice.kind === "custom") return choice.cron.trim().split(/\s+/).length === 5 ? undefined : "A schedule has five fields: minute hour day month weekday.";
  if (!/^\d{2}:\d{2}$/.test(choice.time)) return "Pick a time of day.";
  if (choice.kind === "monthly" && !(choice.day >= 1 && choice.day <= 28)) return "Pick a day from 1 to 28 (every month has it).";
  return undefined;
}

interface TemplateForm {
  name: string; concern: string; conditions: string; customer: string; leadDays: string; start: CycleStart;
  choice: ScheduleChoice; preview: string[] | undefined; problem: string | undefined; key: string;
}

/** Saving a closed loop as a role: the loop's concern, terms and customer come with it. */
export interface SaveFrom { workflowId: string; concern: string }

const zone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const valueOf = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

function newForm(name = ""): TemplateForm {
  return {
    name, concern: "", conditions: "", customer: "", leadDays: "3", start: "request",
    choice: { kind: "monthly", day: 1, time: "09:00" }, preview: undefined, problem: undefined, key: newIdempotencyKey(),
  };
}

export class RolesPage extends GuardedPage {
  private list: RoleList | undefined;
  private etags = new Map<string, string>();
  private form: { roleId: string | undefined; form: TemplateForm } | undefined;
  private saveFrom: SaveFrom | undefined;
  private handover: { roleId: string; email: string; key: string } | undefined;
  private root: HTMLElement | undefined;

  constructor(private readonly api: ApiClient, private readonly openWorkflow: (id: string) => void) { super(); }

  /** Shows the page in <paramref name="root"/> and reads my roles. */
  async mount(root: HTMLElement, saveFrom?: SaveFrom): Promise<void> {
    this.root = root;
    if (saveFrom) {
      this.saveFrom = saveFrom;
      this.form = { roleId: undefined, form: newForm(saveFrom.concern) };
    }
    this.draw();
    await this.guard(async () => { await this.load(); });
    if (this.form) await this.previewSchedule();
  }

  private async load(): Promise<void> {
    this.list = await this.api.roles();
    for (const role of [...this.list.holding, ...this.list.offeredToYou, ...this.list.heldBefore]) this.etags.set(role.id, `"${role.version}"`);
  }

  private versioned(role: Role): VersionedRole {
    return { role, etag: this.etags.get(role.id) ?? `"${role.version}"` };
  }

  private async previewSchedule(): Promise<void> {
    const form = this.form?.form;
    if (!form) return;
    form.problem = choiceProblem(form.choice);
    form.preview = undefined;
    if (!form.problem) {
      try {
        form.preview = (await this.api.schedulePreview(cronOf(form.choice), zone())).next.map(formatDate);
      } catch (error) {
        form.problem = error instanceof Error ? error.message : String(error);
      }
    }
    this.draw();
  }

  private async submitForm(): Promise<void> {
    const target = this.form;
    if (!target) return;
    const f = target.form;
    f.problem = choiceProblem(f.choice);
    if (f.problem) { this.draw(); return; }
    const schedule = cronOf(f.choice);
    const leadDays = Number.parseInt(f.leadDays, 10);
    await this.guard(async () => {
      const role = target.roleId ? this.list?.holding.find((r) => r.id === target.roleId) : undefined;
      if (this.saveFrom && !target.roleId) {
        await this.api.saveAsRole(this.saveFrom.workflowId, { name: f.name, schedule, timeZone: zone(), leadDays, start: f.start }, f.key);
        this.saveFrom = undefined;
      } else if (role) {
        await this.api.addAccountability(this.versioned(role),
          { concern: f.concern, conditions: f.conditions, customer: f.customer, schedule, timeZone: zone(), leadDays, start: f.start }, f.key);
      }
      this.form = undefined;
      await this.load();
    });
  }

  protected draw(): void {
    if (this.root?.isConnected) render(this.view(), this.root);
  }

  private view(): TemplateResult {
    const list = this.list;
    return html`<section class="roles section" aria-label="Roles" aria-busy=${this.busy ? "true" : "false"}>
      <h2>Roles</h2>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.saveFrom ? html`<article class="role-save" aria-label="Save as a role">
        <h3>Save “${this.saveFrom.concern}” as a role</h3>
        <p class="muted">Do this again on a schedule: each cycle is opened for you and its customer.</p>
        ${this.formView(true)}</article>` : nothing}
      ${list === undefined ? html`<fluent-spinner size="small" aria-label="Loading roles"></fluent-spinner>` : html`
        ${list.offeredToYou.length ? html`<h3>Offered to you</h3>${list.offeredToYou.map((r) => this.offersView(r))}` : nothing}
        <h3>Roles you hold</h3>
        ${list.holding.length ? list.holding.map((r) => this.roleView(r)) : html`<p class="muted">None yet. Save a closed loop as a role from its card.</p>`}
        ${list.heldBefore.length ? html`<h3>Roles you held</h3><ul>${list.heldBefore.map((r) => html`<li>${r.name} — now ${partyText(r.holder)}</li>`)}</ul>` : nothing}`}
    </section>`;
  }

  private roleView(role: Role): TemplateResult {
    const adding = this.form?.roleId === role.id;
    const handing = this.handover?.roleId === role.id ? this.handover : undefined;
    // Offers to me are listed above, to be answered; these are the ones I made and wait on.
    const waiting = role.offers.filter((o) => !o.forYou);
    return html`<article class="role" data-role=${role.id} aria-label="Role: ${role.name}">
      <h4>${role.name}</h4>
      <ul class="accountabilities">${role.accountabilities.map((a) => this.accountabilityView(role, a))}</ul>
      ${role.missed.map((m) => html`<p class="missed">${m.count} cycle${m.count === 1 ? "" : "s"} missed (${formatDate(m.first)}${m.count > 1 ? ` – ${formatDate(m.last)}` : ""}) while the service was down.</p>`)}
      ${waiting.length ? html`<p class="muted">Waiting for ${partyText(waiting[0]!.to)} to answer ${waiting.length} offered cycle${waiting.length === 1 ? "" : "s"}.</p>` : nothing}
      ${adding ? this.formView(false) : html`<fluent-button size="small" appearance="secondary" ?disabled=${this.busy}
        @click=${() => { this.form = { roleId: role.id, form: newForm(role.name) }; void this.previewSchedule(); }}>Add a recurring promise</fluent-button>`}
      ${handing ? html`<form class="handover" @submit=${(e: Event) => { e.preventDefault(); void this.handOver(role); }}>
          <label>Hand over to (email) <input type="email" name="to" required .value=${handing.email} @input=${(e: Event) => { handing.email = valueOf(e); }}></label>
          <fluent-button type="submit" appearance="primary" ?disabled=${this.busy}>Hand over</fluent-button>
          <fluent-button appearance="subtle" @click=${() => { this.handover = undefined; this.draw(); }}>Cancel</fluent-button>
        </form>`
        : html`<fluent-button size="small" appearance="subtle" data-action="handover" ?disabled=${this.busy}
          @click=${() => { this.handover = { roleId: role.id, email: "", key: newIdempotencyKey() }; this.draw(); }}>Hand over…</fluent-button>`}
      <details><summary>Held by</summary><ul>${role.holders.map((h) => html`<li>${partyText(h.holder)}: ${formatDate(h.from)} – ${h.to ? formatDate(h.to) : "now"}</li>`)}</ul></details>
    </article>`;
  }

  private accountabilityView(role: Role, a: Accountability): TemplateResult {
    return html`<li data-accountability=${a.id}>
      <strong>${a.concern}</strong> for ${partyText(a.customer)} · ${scheduleText(a.schedule)} (${a.timeZone})
      ${a.nextDue[0] ? html`<br><small>Next due ${formatDate(a.nextDue[0])}${a.nextOpensAt ? `, opens ${formatDate(a.nextOpensAt)}` : ""}</small>` : nothing}
      <fluent-button size="small" appearance="subtle" aria-label="Remove ${a.concern}" ?disabled=${this.busy}
        @click=${() => void this.guard(async () => { await this.api.removeAccountability(this.versioned(role), a.id); await this.load(); })}>Remove</fluent-button>
    </li>`;
  }

  private offersView(role: Role): TemplateResult {
    return html`<article class="role offers" aria-label="Offered from ${role.name}">
      <h4>${role.name}</h4>
      <ul>${role.offers.filter((o) => o.forYou).map((o) => html`<li data-offer=${o.workflowId}>
        <a href="#" @click=${(e: Event) => { e.preventDefault(); this.openWorkflow(o.workflowId); }}>${o.concern}</a>, due ${formatDate(o.due)} — from ${partyText(o.from)}
        <fluent-button size="small" appearance="primary" ?disabled=${this.busy} @click=${() => void this.answer(role, o.workflowId, true)}>Take it</fluent-button>
        <fluent-button size="small" appearance="secondary" ?disabled=${this.busy} @click=${() => void this.answer(role, o.workflowId, false)}>Leave with ${o.from.displayName ?? o.from.email}</fluent-button>
      </li>`)}</ul>
    </article>`;
  }

  private async answer(role: Role, workflowId: string, accept: boolean): Promise<void> {
    await this.guard(async () => {
      await this.api.answerOffer(this.versioned(role), workflowId, accept, newIdempotencyKey());
      await this.load();
    });
  }

  private async handOver(role: Role): Promise<void> {
    const handing = this.handover;
    if (!handing) return;
    await this.guard(async () => {
      await this.api.handOver(this.versioned(role), handing.email.trim(), handing.key);
      this.handover = undefined;
      await this.load();
    });
  }

  private formView(saving: boolean): TemplateResult {
    const f = this.form!.form;
    const c = f.choice;
    const edit = (change: () => void, preview = false) => { change(); f.key = newIdempotencyKey(); if (preview) void this.previewSchedule(); };
    const time = c.kind === "custom" ? "" : c.time;
    return html`<form class="role-form" @submit=${(e: Event) => { e.preventDefault(); void this.submitForm(); }}>
      ${saving ? html`<label>Role name <input name="name" required .value=${f.name} @input=${(e: Event) => edit(() => { f.name = valueOf(e); })}></label>` : html`
        <label>Concern <input name="concern" required .value=${f.concern} @input=${(e: Event) => edit(() => { f.concern = valueOf(e); })}></label>
        <label>Conditions of satisfaction <textarea name="conditions" required .value=${f.conditions} @input=${(e: Event) => edit(() => { f.conditions = valueOf(e); })}></textarea></label>
        <label>Customer (email) <input type="email" name="customer" required .value=${f.customer} @input=${(e: Event) => edit(() => { f.customer = valueOf(e); })}></label>`}
      <fieldset><legend>Repeats</legend>
        ${(["monthly", "weekly", "custom"] as const).map((kind) => html`<label class="choice"><input type="radio" name="repeats" value=${kind} .checked=${c.kind === kind}
          @change=${() => edit(() => { f.choice = kind === "monthly" ? { kind, day: 1, time: time || "09:00" } : kind === "weekly" ? { kind, weekday: 1, time: time || "09:00" } : { kind, cron: cronOf(c) }; }, true)}>
          ${kind === "monthly" ? "Every month" : kind === "weekly" ? "Every week" : "Custom (cron)"}</label>`)}
        ${c.kind === "monthly" ? html`<label>On day <input type="number" name="day" min="1" max="28" .value=${String(c.day)}
          @change=${(e: Event) => edit(() => { c.day = Number.parseInt(valueOf(e), 10); }, true)}></label>` : nothing}
        ${c.kind === "weekly" ? html`<label>On <select name="weekday" @change=${(e: Event) => edit(() => { c.weekday = Number(valueOf(e)); }, true)}>
          ${WEEKDAYS.map((d, i) => html`<option value=${i} ?selected=${c.weekday === i}>${d}</option>`)}</select></label>` : nothing}
        ${c.kind === "custom" ? html`<label>Cron (minute hour day month weekday) <input name="cron" .value=${c.cron}
          @change=${(e: Event) => edit(() => { c.cron = valueOf(e); }, true)}></label>`
          : html`<label>At <input type="time" name="time" .value=${c.time} @change=${(e: Event) => edit(() => { c.time = valueOf(e); }, true)}></label>`}
      </fieldset>
      <p class="preview" aria-live="polite">${f.preview ? `Next: ${f.preview.join(", ")} (${zone()})` : ""}</p>
      <label>Opens this many days before <input type="number" name="leadDays" min="1" max="90" .value=${f.leadDays}
        @input=${(e: Event) => edit(() => { f.leadDays = valueOf(e); })}></label>
      <fieldset><legend>Each cycle starts as</legend>
        ${(["request", "promise"] as const).map((start) => html`<label class="choice"><input type="radio" name="cycle-start" value=${start} .checked=${f.start === start}
          @change=${() => edit(() => { f.start = start; })}>${start === "request" ? "Their request to me" : "My standing promise"}</label>`)}
      </fieldset>
      ${f.problem ? html`<p class="problem" role="alert">${f.problem}</p>` : nothing}
      <div class="moves">
        <fluent-button type="submit" appearance="primary" ?disabled=${this.busy}>${saving ? "Save as a role" : "Add"}</fluent-button>
        <fluent-button appearance="subtle" @click=${() => { this.form = undefined; this.saveFrom = undefined; this.draw(); }}>Cancel</fluent-button>
      </div>
    </form>`;
  }
}
