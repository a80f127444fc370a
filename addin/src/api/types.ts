// The backend's JSON shapes, generated from the API's contract (../contract/openapi.json, written by the API's build)
// into contract.gen.ts by `npm run api-types`, which every build, lint and test script runs first. Only friendly
// names live here: a field or move added to the API reaches the add-in with no hand edit.
import type { components, operations } from "./contract.gen";

type Schemas = components["schemas"];
type Json<Answer> = Answer extends { content: { "application/json": infer Body } } ? Body : never;

export type Quadrant = Schemas["Quadrant"];
export type PartyRole = Schemas["PartyRole"];
export type WorkflowStatus = Schemas["WorkflowStatus"];
export type ClockKind = Schemas["ClockKind"];
export type ItemKind = Schemas["ItemKind"];
export type ListName = NonNullable<NonNullable<operations["listWorkflows"]["parameters"]["query"]>["view"]>;

/** Every move the API knows, named exactly as in the model (the contract's `Move` enum). */
export { moveValues as MOVES } from "./contract.gen";
export type MoveName = Schemas["Move"];

/** `email` is the address as the directory has it once bound; `invitedAs` the one typed, when that differs. */
export type Party = Schemas["PartyView"];
export type Terms = Schemas["Terms"];
export type NextClock = Schemas["NextClockView"];
export type Clocks = Schemas["ClocksView"];
export type ItemLink = Schemas["ItemLink"];
export type Workflow = Schemas["WorkflowView"];
export type WorkflowSummary = Schemas["SummaryView"];
export type WorkflowList = Json<operations["listWorkflows"]["responses"][200]>;

/** One event of a workflow's history: who made it, when, and what it carried (terms for proposals, the version fixed for promises). */
export type HistoryEntry = Schemas["HistoryEntryView"];
/** A page of a workflow's history; `next` is the cursor of the following page, null on the last. */
export type HistoryPage = Json<operations["getHistory"]["responses"][200]>;

export type OpenWorkflow = Schemas["OpenBody"];
/** How a workflow opened from the pane starts: a draft, or already requested or promised (the other party is told and may dispute it). */
export type Start = Schemas["Start"];
export type MoveRequest = Schemas["MoveBody"];

/** Me, to the API: who I am, my notification preferences and the time zone they are read in. */
export type Me = Schemas["MeView"];
/** What deleting my data did; `complete` false: some workflows were busy, and asking again finishes. */
export type ForgetRun = Schemas["ForgetRun"];
/** Notification preferences to save: fields left out stay; quiet hours both or neither ("" for both clears them). */
export type Preferences = Schemas["PreferencesBody"];

export type ReviewSection = Schemas["ReviewSection"];
export type ReviewItem = Schemas["ReviewItemView"];
export type Review = Json<operations["getReview"]["responses"][200]>;

/** RFC 9457 problem details as the API sends them, with the extensions a problem type adds. */
export type ProblemDetails = Schemas["ProblemDetails"] & { [extension: string]: unknown };

/** Mail to the address a personal link was sent to (someone outside the organisation): whether it is stopped. */
export type GuestMail = Schemas["MailView"];
