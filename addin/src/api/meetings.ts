// The meeting record's JSON shapes (issue 13), written by hand from the agreed contract until the API's
// contract/openapi.json carries them: then each of these becomes a name for the generated type, as types.ts does, and
// nothing else in the pane changes. Kept in this one file for that swap.
import type { MoveRequest, WorkflowSummary } from "./types";

/** What a meeting is for: Q1 Listen, Q2 Negotiate, Q3 check-in, Q4 Assess. */
export type MeetingPurpose = "Q1" | "Q2" | "Q3" | "Q4";

/** A move made in the meeting (a move request that carried the meeting's key). */
export interface MeetingOutcome {
  workflowId: string;
  concern: string;
  move: string;
  by: "customer" | "performer";
  byName: string;
  at: string;
}

/** `GET /api/meetings/{key}?on=` and `PUT /api/meetings/{key}/purpose`. */
export interface MeetingView {
  key: string;
  /** The occurrence (YYYY-MM-DD) the view was read for, null for the meeting as a whole. */
  on: string | null;
  purpose: MeetingPurpose | null;
  /** Whether the purpose was set for every occurrence or for this one only; null when none is set. */
  purposeSetFor: "meeting" | "occurrence" | null;
  /** The linked workflows the viewer is a party to. */
  workflows: WorkflowSummary[];
  /** How many more are linked that the viewer is not a party to (never which). */
  othersLinked: number;
  outcomes: MeetingOutcome[];
}

/** `PUT /api/meetings/{key}/purpose`: null clears it; `on` sets it for that occurrence only. */
export interface PurposeBody {
  purpose: MeetingPurpose | null;
  on?: string;
}

/** `GET /api/meetings/{key}/agenda?on=&with=`: the workflows the purpose calls for, between the attendees. */
export interface MeetingAgenda {
  purpose: MeetingPurpose | null;
  items: WorkflowSummary[];
}

/** A move made from the meeting panel carries the meeting and the occurrence it was made in. */
export type MeetingMoveRequest = MoveRequest & { meeting: string; on: string };
