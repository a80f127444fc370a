import { describeChanges } from "./changes";
import { ApiProblem, problemOf } from "./problems";
import type {
  HistoryEntry, HistoryPage, ListName, Me, MoveRequest, OpenWorkflow, Preferences, Quadrant, Review, Workflow, WorkflowList, WorkflowSummary, ItemKind, GuestMail, ForgetRun,
} from "./types";
import type { MeetingAgenda, MeetingMoveRequest, MeetingPurpose, MeetingView, ResolvedItem } from "./meetings";
import type { AccountabilityBody, RoleList, SaveAsRoleBody, SchedulePreview, VersionedRole } from "./roles";

/** Supplies a bearer token for each call; the api layer never knows where it comes from. */
export type TokenProvider = () => Promise<string>;

/** A workflow together with the ETag of the version it shows: moves are decided on that version. */
export interface Versioned { workflow: Workflow; etag: string }

export type MoveOutcome =
  | { kind: "moved"; current: Versioned }
  /** 412: somebody else moved first. `current` is the reloaded workflow, `changes` says what is different. */
  | { kind: "conflict"; current: Versioned; changes: string[] };

/** One key per user action: a retry of the same action reuses it, so the server applies it once. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * Who is calling: a signed-in person (a bearer token per call), or someone outside the organisation holding the
 * personal link a mail gave them (its token in the `Workflow-Link` header, for that link's one workflow only).
 */
export type Credentials = { token: TokenProvider } | { guestLink: string };

export type ApiClientOptions = Credentials & {
  /** "" for same origin (the dev server proxies /api), or e.g. "https://workflow-api.example.com". */
  baseUrl: string;
  fetch?: typeof fetch;
};

export class ApiClient {
  private readonly baseUrl: string;
  private readonly credentials: Credentials;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, "");
    this.credentials = "guestLink" in options ? { guestLink: options.guestLink } : { token: options.token };
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** True when this client acts through a personal link: it reaches that link's workflow and nothing else. */
  get guest(): boolean {
    return "guestLink" in this.credentials;
  }

  /** A workflow's own routes; through a personal link, the link's workflow whatever the id (the link names it). */
  private workflowPath(id: string): string {
    return this.guest ? "/api/guest/workflow" : `/api/workflows/${encodeURIComponent(id)}`;
  }

  async open(body: OpenWorkflow, idempotencyKey: string): Promise<Versioned> {
    return this.versioned(await this.send("POST", "/api/workflows", body, { "Idempotency-Key": idempotencyKey }));
  }

  async get(id: string): Promise<Versioned> {
    return this.versioned(await this.send("GET", this.workflowPath(id)));
  }

  /**
   * Makes a move on the version the person saw (`decidedOn`). A 412 is not an error to the person: the workflow is
   * reloaded and the outcome says what changed, so they can decide again.
   */
  async move(decidedOn: Versioned, move: MoveRequest | MeetingMoveRequest, idempotencyKey: string): Promise<MoveOutcome> {
    const path = `${this.workflowPath(decidedOn.workflow.id)}/moves`;
    try {
      const response = await this.send("POST", path, move, { "If-Match": decidedOn.etag, "Idempotency-Key": idempotencyKey });
      return { kind: "moved", current: await this.versioned(response) };
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 412) {
        const current = await this.get(decidedOn.workflow.id);
        return { kind: "conflict", current, changes: describeChanges(decidedOn.workflow, current.workflow) };
      }
      throw error;
    }
  }

  /**
   * Every event of the workflow, in order — read only when the person asks to see how the terms evolved. The API
   * pages long histories; this follows the pages (each `next` cursor once, so a server that repeated one cannot loop).
   */
  async history(id: string): Promise<HistoryEntry[]> {
    const base = `/api/workflows/${encodeURIComponent(id)}/history?limit=200`;
    const entries: HistoryEntry[] = [];
    const seen = new Set<string>();
    let cursor: string | null | undefined;
    do {
      const path = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
      const page = await (await this.send("GET", path)).json() as HistoryPage;
      entries.push(...page.items);
      cursor = page.next && !seen.has(page.next) ? page.next : null;
      if (cursor) seen.add(cursor);
    } while (cursor);
    return entries;
  }

  async list(view: ListName, filter: { quadrant?: Quadrant; dueBefore?: string; cursor?: string } = {}): Promise<WorkflowList> {
    const query = new URLSearchParams({ view });
    if (filter.quadrant) query.set("quadrant", filter.quadrant);
    if (filter.dueBefore) query.set("dueBefore", filter.dueBefore);
    if (filter.cursor) query.set("cursor", filter.cursor);
    return (await this.send("GET", `/api/workflows?${query.toString()}`)).json() as Promise<WorkflowList>;
  }

  /** The workflows linked to a mail thread or meeting: the one call the item panel needs. */
  async linkedTo(itemKey: string): Promise<WorkflowSummary[]> {
    return (await this.send("GET", `/api/items/${encodeURIComponent(itemKey)}/workflows`)).json() as Promise<WorkflowSummary[]>;
  }

  async link(itemKey: string, workflowId: string, kind: ItemKind, subject?: string): Promise<Versioned> {
    const body = subject === undefined ? { workflowId, kind } : { workflowId, kind, subject };
    return this.versioned(await this.send("POST", `/api/items/${encodeURIComponent(itemKey)}/workflows`, body));
  }

  async unlink(itemKey: string, workflowId: string): Promise<void> {
    await this.send("DELETE", `/api/items/${encodeURIComponent(itemKey)}/workflows/${encodeURIComponent(workflowId)}`);
  }

  /**
   * An Outlook item as the server resolves it through Graph: the key its links and record are kept under (a meeting's
   * is the same in every attendee's mailbox) and a recurring meeting's occurrence date. Null where the server has no
   * mailbox to ask (local development, Graph not configured) or does not find the item.
   */
  async resolveItem(kind: "message" | "event", itemId: string): Promise<{ key: string; on: string | null } | null> {
    try {
      const resolved = (await (await this.send("GET", `/api/mailbox/${kind}/${encodeURIComponent(itemId)}`)).json()) as ResolvedItem;
      return { key: resolved.key, on: resolved.on ?? null };
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) return null;
      throw error;
    }
  }

  /** A meeting's shared record for one occurrence (`on`, YYYY-MM-DD): its purpose, my linked workflows, its outcomes. */
  async meeting(key: string, on: string): Promise<MeetingView> {
    return (await this.send("GET", `/api/meetings/${encodeURIComponent(key)}?${new URLSearchParams({ on }).toString()}`)).json() as Promise<MeetingView>;
  }

  /**
   * Sets (or with null clears) what the meeting is for: for every occurrence, or with `on` for that one only. With
   * `itemId` (my own Outlook copy) the server also shows it there as its category.
   */
  async setPurpose(key: string, purpose: MeetingPurpose | null, on?: string, itemId?: string): Promise<MeetingView> {
    const body = { purpose, ...(on === undefined ? {} : { on }), ...(itemId === undefined ? {} : { itemId }) };
    return (await this.send("PUT", `/api/meetings/${encodeURIComponent(key)}/purpose`, body)).json() as Promise<MeetingView>;
  }

  /**
   * The workflows the meeting's purpose calls for, between the attendees, that I may see. `attendees` (emails) when the
   * pane knows them; without them the server takes the attendees it knows.
   */
  async agenda(key: string, on: string, attendees: readonly string[] = []): Promise<MeetingAgenda> {
    const query = new URLSearchParams({ on });
    for (const email of attendees) query.append("with", email);
    return (await this.send("GET", `/api/meetings/${encodeURIComponent(key)}/agenda?${query.toString()}`)).json() as Promise<MeetingAgenda>;
  }

  /**
   * Stops the personal links mailed to the workflow's other party (someone outside the organisation): they no longer
   * open it. A later mail about the workflow carries a new one.
   */
  async revokeGuestLinks(id: string): Promise<Versioned> {
    return this.versioned(await this.send("POST", `/api/workflows/${encodeURIComponent(id)}/guest-links/revoke`));
  }

  /**
   * Through a personal link: stops (or restarts) mail to the address the link was sent to. Works with any link ever
   * mailed there, expired or revoked too.
   */
  async setGuestMail(stopped: boolean): Promise<GuestMail> {
    await this.send("PUT", "/api/guest/mail", { stopped });
    return (await this.send("GET", "/api/guest/mail")).json() as Promise<GuestMail>;
  }

  /** Who I am to the API, with my notification preferences and the time zone they are read in. */
  async me(): Promise<Me> {
    return (await this.send("GET", "/api/me")).json() as Promise<Me>;
  }

  /** Saves notification preferences (fields left out stay as they are); a 400 carries the server's reason. */
  async setPreferences(preferences: Preferences): Promise<void> {
    await this.send("PUT", "/api/me/preferences", preferences);
  }

  /** Everything the product holds about me, as the file the API names (GET /api/me/export). */
  async exportMine(): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.send("GET", "/api/me/export");
    const named = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "");
    return { blob: await response.blob(), fileName: named?.[1] ?? "workflow-export.json" };
  }

  /** Has the product forget me (DELETE /api/me); `confirm` must be the server's exact words, or it answers 400. */
  async forgetMe(confirm: string): Promise<ForgetRun> {
    return (await this.send("DELETE", "/api/me", { confirm })).json() as Promise<ForgetRun>;
  }

  async review(): Promise<Review> {
    return (await this.send("GET", "/api/review")).json() as Promise<Review>;
  }

  /** JSON from a route of the API: the way api/ modules loaded later (api/depth.ts) call it without a client of their own. */
  async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.send(method, path, body, headers)).json() as Promise<T>;
  }

  /** Roles I hold, roles with cycles offered to me, and roles I held before. */
  async roles(): Promise<RoleList> {
    return (await this.send("GET", "/api/roles")).json() as Promise<RoleList>;
  }

  /** The next occurrences of a five-field cron schedule in a time zone, as the server reads it (a 400 says what is wrong). */
  async schedulePreview(schedule: string, timeZone: string): Promise<SchedulePreview> {
    const query = new URLSearchParams({ schedule, timeZone });
    return (await this.send("GET", `/api/roles/schedule-preview?${query.toString()}`)).json() as Promise<SchedulePreview>;
  }

  /** Saves a closed loop I performed as a role I hold (or adds it to my role of that name). */
  async saveAsRole(workflowId: string, body: SaveAsRoleBody, idempotencyKey: string): Promise<VersionedRole> {
    return this.role(await this.send("POST", `/api/workflows/${encodeURIComponent(workflowId)}/role`, body, { "Idempotency-Key": idempotencyKey }));
  }

  async addAccountability(on: VersionedRole, body: AccountabilityBody, idempotencyKey: string): Promise<VersionedRole> {
    return this.role(await this.send("POST", `${this.rolePath(on)}/accountabilities`, body, { "If-Match": on.etag, "Idempotency-Key": idempotencyKey }));
  }

  async removeAccountability(on: VersionedRole, accountabilityId: string): Promise<VersionedRole> {
    return this.role(await this.send("DELETE", `${this.rolePath(on)}/accountabilities/${encodeURIComponent(accountabilityId)}`, undefined, { "If-Match": on.etag }));
  }

  /** Hands the role to a colleague by email: they hold it from now on, and each open cycle is offered to them. */
  async handOver(on: VersionedRole, to: string, idempotencyKey: string): Promise<VersionedRole> {
    return this.role(await this.send("POST", `${this.rolePath(on)}/handover`, { to }, { "If-Match": on.etag, "Idempotency-Key": idempotencyKey }));
  }

  /** As the new holder: take an offered cycle (accept) or leave it with the old holder. */
  async answerOffer(on: VersionedRole, workflowId: string, accept: boolean, idempotencyKey: string): Promise<VersionedRole> {
    return this.role(await this.send("POST", `${this.rolePath(on)}/offers/${encodeURIComponent(workflowId)}`, { accept },
      { "If-Match": on.etag, "Idempotency-Key": idempotencyKey }));
  }

  private rolePath(on: VersionedRole): string {
    return `/api/roles/${encodeURIComponent(on.role.id)}`;
  }

  private async role(response: Response): Promise<VersionedRole> {
    const role = (await response.json()) as VersionedRole["role"];
    return { role, etag: response.headers.get("ETag") ?? `"${role.version}"` };
  }

  private async versioned(response: Response): Promise<Versioned> {
    const workflow = (await response.json()) as Workflow;
    return { workflow, etag: response.headers.get("ETag") ?? `"${workflow.version}"` };
  }

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = {
      method,
      headers: {
        Accept: "application/json, application/problem+json",
        ...("guestLink" in this.credentials
          ? { "Workflow-Link": this.credentials.guestLink }
          : { Authorization: `Bearer ${await this.credentials.token()}` }),
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await this.fetchImpl(this.baseUrl + path, init);
    if (!response.ok) throw await problemOf(response);
    return response;
  }
}

/** The local development sign-in (Development environment, loopback only): a token for a test user. */
export async function requestDevToken(baseUrl: string, email: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<string> {
  const response = await fetchImpl(`${baseUrl.replace(/\/$/, "")}/api/dev/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  if (!response.ok) throw await problemOf(response);
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new ApiProblem(response.status, { title: "The sign-in answered without a token." });
  return body.access_token;
}

export { ApiProblem } from "./problems";
export type * from "./types";
export type * from "./meetings";
export type * from "./roles";
export { MOVES } from "./types";
