// Roles and their recurring cycles (issue 14), generated from the API's contract like types.ts: only friendly names here.
import type { components } from "./contract.gen";

type Schemas = components["schemas"];

/** A role as I see it: holder and past holders, its recurring templates (with their next dates), offers, what was missed. */
export type Role = Schemas["RoleView"];
export type Accountability = Schemas["AccountabilityView"];
export type RoleOffer = Schemas["OfferView"];
/** `GET /api/roles`: roles I hold, roles with cycles offered to me, roles I held before. */
export type RoleList = Schemas["RoleListView"];
/** A recurring template to add: the customer by email, a five-field cron schedule read in `timeZone`. */
export type AccountabilityBody = Schemas["AccountabilityBody"];
/** Saving a closed loop as a role: its concern, terms and customer make the template; these say when it recurs. */
export type SaveAsRoleBody = Schemas["SaveAsRoleBody"];
export type CycleStart = Schemas["CycleStart"];
export type SchedulePreview = Schemas["SchedulePreviewView"];

/** A role with the ETag of the version it shows: its changes are made on that version. */
export interface VersionedRole { role: Role; etag: string }
