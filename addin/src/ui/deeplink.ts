import { MOVES, type MoveName } from "../api/client";

/**
 * What a link into the pane or the web app asks for (the digest links with `?workflow=`): a workflow's card, one of its
 * moves started (never sent: a link does nothing without a click), the weekly review, or the notification preferences (every notification mail links there). `problem` says in plain words
 * why a part of it cannot be followed; the rest is still followed.
 */
export interface DeepLink {
  workflow?: string;
  move?: MoveName;
  view?: "review" | "preferences";
  problem?: string;
}

const WORKFLOW_ID = /^[0-9a-f]{32}$/i;

/** Reads a page's query string (`location.search`); parameters it does not know are left alone. */
export function deepLinkFrom(search: string): DeepLink {
  const query = new URLSearchParams(search);
  const link: DeepLink = {};
  const problems: string[] = [];
  const workflow = query.get("workflow");
  const move = query.get("move");
  const view = query.get("view");
  if (workflow !== null) {
    if (WORKFLOW_ID.test(workflow)) link.workflow = workflow.toLowerCase();
    else problems.push("That link does not name a workflow: its id is not one Workflow gives.");
  }
  if (move !== null) {
    if (!(MOVES as readonly string[]).includes(move)) problems.push(`That link asks for a move Workflow does not know ("${move}").`);
    else if (!link.workflow) problems.push("That link names a move but no workflow to make it on.");
    else link.move = move as MoveName;
  }
  if (view !== null) {
    if (view === "review" || view === "preferences") link.view = view;
    else problems.push(`That link asks for a page Workflow does not have ("${view}").`);
  }
  if (problems.length > 0) link.problem = problems.join(" ");
  return link;
}

/** True when the link asks for nothing (no card, move or page) and has no problem to tell: a plain open. */
export function isEmptyLink(link: DeepLink): boolean {
  return !link.workflow && !link.view && !link.problem;
}
