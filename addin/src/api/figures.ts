// Promise-keeping figures and opt-in teams (issue 15), generated from the API's contract like types.ts. Loaded with
// the Figures page (ui/figures.ts), not with the pane itself.
import type { components } from "./contract.gen";
import type { ApiClient } from "./client";

type Schemas = components["schemas"];
export type Figures = Schemas["FiguresView"];
export type FigureTotals = Schemas["FigureTotals"];
export type WeekFigures = Schemas["WeekFigures"];
export type TeamListing = Schemas["TeamListing"];
export type Team = Schemas["TeamView"];
export type DirectoryGroup = Schemas["DirectoryGroup"];

/** The windows the API takes: the last 4, 13 or 52 weeks. */
export type Window = 4 | 13 | 52;

export const figures = (api: ApiClient, weeks: Window, withEmail?: string) =>
  api.json<Figures>("GET", `/api/figures?${new URLSearchParams({ weeks: String(weeks), ...(withEmail ? { with: withEmail } : {}) }).toString()}`);
export const teams = (api: ApiClient) => api.json<Schemas["TeamListView"]>("GET", "/api/teams");
export const team = (api: ApiClient, id: string, weeks: Window) => api.json<Team>("GET", `/api/teams/${encodeURIComponent(id)}?weeks=${weeks}`);
export const createTeam = (api: ApiClient, name: string, members: string[]) => api.json<Team>("POST", "/api/teams", { name, members });
/** The directory groups I am in: the ones I may make a team of. */
export const myGroups = (api: ApiClient) => api.json<Schemas["GroupListView"]>("GET", "/api/teams/groups");
/** A team that follows a directory group I am in, named after it unless I name it. */
export const createGroupTeam = (api: ApiClient, group: string, name?: string) =>
  api.json<Team>("POST", "/api/teams", { group, ...(name ? { name } : {}) });
export const answerTeam = (api: ApiClient, id: string, optIn: boolean) =>
  api.json<TeamListing>("PUT", `/api/teams/${encodeURIComponent(id)}/membership`, { optIn });
