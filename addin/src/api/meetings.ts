// A meeting's shared record (issue 13), generated from the API's contract like types.ts: only friendly names here.
import type { components, operations } from "./contract.gen";
import type { MoveRequest } from "./types";

type Schemas = components["schemas"];
type Json<Answer> = Answer extends { content: { "application/json": infer Body } } ? Body : never;

/** What a meeting is for: Q1 Listen, Q2 Negotiate, Q3 check-in, Q4 Assess (the contract's Quadrant less "closed"). */
export type MeetingPurpose = Exclude<Schemas["Quadrant"], "closed">;

/** The server only ever stores one of the four purposes (it refuses "closed"), so its answers are read as such. */
type WithPurpose<T> = Omit<T, "purpose"> & { purpose: MeetingPurpose | null };

/** A move made in the meeting: its event, in words ("promised"), by whom and when. */
export type MeetingOutcome = Schemas["OutcomeView"];

/**
 * `GET /api/meetings/{key}?on=` and `PUT /api/meetings/{key}/purpose`: the purpose (`purposeSetFor`: every occurrence,
 * or this one only), the linked workflows the viewer is a party to, how many others (never which), and the outcomes.
 */
export type MeetingView = WithPurpose<Json<operations["getMeeting"]["responses"][200]>>;

/** `PUT /api/meetings/{key}/purpose`: null clears it; `on` sets it for that occurrence only. */
export type PurposeBody = Schemas["PurposeBody"];

/** `GET /api/meetings/{key}/agenda?on=&with=`: the workflows the purpose calls for, between the attendees. */
export type MeetingAgenda = WithPurpose<Json<operations["getMeetingAgenda"]["responses"][200]>>;

/** A move made from the meeting panel carries the meeting and the occurrence it was made in. */
export type MeetingMoveRequest = MoveRequest & { meeting: string; on: string };

/** `GET /api/mailbox/{kind}/{itemId}`: an Outlook item as the server resolves it, with the key it is linked by. */
export type ResolvedItem = Json<operations["resolveMailItem"]["responses"][200]>;
