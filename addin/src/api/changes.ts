import type { Workflow } from "./types";

/** What changed between the version a person decided on and the current one, in plain words (for a 412). */
export function describeChanges(before: Workflow, after: Workflow): string[] {
  const changes: string[] = [];
  if (before.state !== after.state) changes.push(`It is now "${after.stateLabel}" (was "${before.stateLabel}").`);
  if (before.concern !== after.concern) changes.push(`The concern now reads "${after.concern}".`);
  const terms = (w: Workflow) => JSON.stringify([w.terms.promised ?? null, w.terms.proposed ?? null]);
  if (terms(before) !== terms(after)) {
    const t = after.terms.proposed ?? after.terms.promised;
    changes.push(t ? `The conditions are now "${t.conditions}"${t.dueBy ? ` by ${t.dueBy.slice(0, 10)}` : ""}.` : "The conditions changed.");
  }
  if ((before.whoseMove ?? null) !== (after.whoseMove ?? null)) {
    changes.push(after.yourMove ? "It is your move now." : after.whoseMove ? `It is the ${after.whoseMove}'s move now.` : "Nobody has a move left.");
  }
  if (before.links.length !== after.links.length) changes.push("Linked mail or meetings changed.");
  if (changes.length === 0) changes.push(`Someone else updated it (version ${before.version} → ${after.version}).`);
  return changes;
}
