// The dual, delegation and the objective tree (issue 14): the routes beside a workflow that open children under it,
// list them as the caller may see them, close the ones left open, and read the tree it belongs to. Loaded with the
// pane's depth views (ui/depth.ts), not with the pane itself.
import type { components } from "./contract.gen";
import type { ApiClient } from "./client";
import { ApiProblem } from "./problems";
import type { Workflow } from "./types";

type Schemas = components["schemas"];
export type ChildRelation = Schemas["ChildRelation"];
export type Child = Schemas["ChildView"];
export type Children = Schemas["ChildrenView"];
export type Risk = Schemas["RiskView"];
export type TreeNode = Schemas["TreeNodeView"];
export type Tree = Schemas["TreeView"];
export type Answer = Schemas["Answer"];
export type FeedbackAnswers = Schemas["FeedbackAnswers"];
export type Feedback = Schemas["Feedback"];

/** What the pane sends to open a child: the dual ("to do this I need from you") names no performer; a delegation does. */
export interface ChildRequest {
  relation: ChildRelation; concern: string; performer?: string; conditions?: string; dueBy?: string;
}

/** One open child a closing move would leave behind, as the 409 `open-children` problem lists it. */
export interface OpenChild { id: string; relation: ChildRelation; concern: string; state: string }

const path = (id: string, rest: string) => `/api/workflows/${encodeURIComponent(id)}/${rest}`;

export const children = (api: ApiClient, id: string) => api.json<Children>("GET", path(id, "children"));
export const closeChildren = (api: ApiClient, id: string) => api.json<Children>("POST", path(id, "children/close"));
export const tree = (api: ApiClient, id: string) => api.json<Tree>("GET", path(id, "tree"));
/** 201 with the child as its opener sees it; the key makes a retry of the same form open it once. */
export const openChild = (api: ApiClient, parentId: string, body: ChildRequest, idempotencyKey: string) =>
  api.json<Workflow>("POST", path(parentId, "children"), body, { "Idempotency-Key": idempotencyKey });

/** The open children a closing move was refused for (409 `open-children`), or undefined for any other failure. */
export function openChildrenOf(error: unknown): OpenChild[] | undefined {
  if (!(error instanceof ApiProblem) || error.status !== 409 || error.kind !== "open-children") return undefined;
  const list = error.problem["openChildren"];
  return Array.isArray(list) ? (list as OpenChild[]) : [];
}
