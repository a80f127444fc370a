// The backend's JSON shapes (functions/Workflow.Api/Features). Enums are serialised camelCase, which leaves the
// quadrants "Q1".."Q4" as they are and makes "closed" lower case.

export type Quadrant = "Q1" | "Q2" | "Q3" | "Q4" | "closed";
export type PartyRole = "customer" | "performer";
export type WorkflowStatus =
  | "draft" | "requested" | "countered" | "promised" | "renegotiating" | "reported"
  | "satisfied" | "reneged" | "declined" | "cancelled";
export type ClockKind = "replyBy" | "dueBy" | "assessBy";
export type ItemKind = "message" | "event";
export type ListName = "iOwe" | "owedToMe" | "myMove" | "all";

/** Every move the API knows, named exactly as in the model. */
export const MOVES = [
  "request", "offer", "withdraw", "promise", "counter", "decline", "commitToCommit", "accept", "reportComplete",
  "renege", "cancel", "proposeChange", "acceptChange", "rejectChange", "withdrawChange", "checkIn", "reportProgress",
  "declareSatisfied", "declareNotSatisfied", "note", "repeat",
] as const;
export type MoveName = (typeof MOVES)[number];

/** `email` is the address as the directory has it once bound; `invitedAs` the one typed, when that differs. */
export interface Party { email: string; displayName?: string | null; pending: boolean; invitedAs?: string | null }
export interface Terms { version: number; conditions: string; dueBy?: string | null; proposedBy: PartyRole; proposedAt: string }
export interface NextClock { kind: ClockKind; at: string; overdue: boolean }
export interface Clocks { replyBy?: string | null; dueBy?: string | null; assessBy?: string | null; next?: NextClock | null }
export interface ItemLink { key: string; kind: ItemKind; subject?: string | null; linkedBy: PartyRole; linkedAt: string }

export interface Workflow {
  id: string;
  version: number;
  concern: string;
  state: WorkflowStatus;
  stateLabel: string;
  quadrant: Quadrant;
  closed: boolean;
  customer: Party;
  performer: Party;
  yourRole: PartyRole;
  whoseMove?: PartyRole | null;
  yourMove: boolean;
  terms: { promised?: Terms | null; proposed?: Terms | null };
  clocks: Clocks;
  gaps?: string | null;
  links: ItemLink[];
  repeatOf?: string | null;
  repeatedAs?: string | null;
  availableMoves: string[];
  openedAt: string;
  updatedAt: string;
}

export interface WorkflowSummary {
  id: string;
  version: number;
  concern: string;
  state: WorkflowStatus;
  stateLabel: string;
  quadrant: Quadrant;
  yourRole: PartyRole;
  whoseMove?: PartyRole | null;
  yourMove: boolean;
  counterpart: string;
  nextClock?: NextClock | null;
  /** Every running clock (while a change is renegotiated, the promise's due-by runs beside the reply-by). */
  clocks: Clocks;
  updatedAt: string;
}

export interface WorkflowList { items: WorkflowSummary[]; next?: string | null }

/** One event of a workflow's history: who made it, when, and what it carried (terms for proposals, the version fixed for promises). */
export interface HistoryEntry {
  version: number;
  event: string;
  by: PartyRole;
  who: string;
  at: string;
  details: { terms?: Terms; termsVersion?: number; text?: string; gaps?: string };
}

/** A page of a workflow's history; `next` is the cursor of the following page, null on the last. */
export interface HistoryPage { items: HistoryEntry[]; next?: string | null }

export interface OpenWorkflow {
  concern: string;
  /** An email address or "me". */
  customer: string;
  performer: string;
  conditions?: string;
  dueBy?: string;
  source?: { key: string; kind: ItemKind; subject?: string };
}

export interface MoveRequest {
  move: MoveName;
  conditions?: string;
  dueBy?: string;
  replyBy?: string;
  assessBy?: string;
  text?: string;
}

export type ReviewSection = string;
export interface ReviewItem {
  section: ReviewSection; id: string; concern: string; yourRole: PartyRole; state: WorkflowStatus; stateLabel: string;
  counterpart: string; by?: string | null; overdue: boolean; waitingDays: number;
}
export interface Review { week: string; timeZone: string; from: string; to: string; items: ReviewItem[] }

/** RFC 9457 problem details as the API sends them. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  [extension: string]: unknown;
}
