namespace Workflow.Domain;

/// <summary>
/// What a stored history shows once a party has been forgotten (docs/decisions/0016). Stored events are facts and are
/// never rewritten; the events that carried the forgotten party's identity — the opening that named them, their
/// binding, a role's handover of them — are shown with the tombstone in its place, as the actors already are. (A role's handover events still name the holders they moved a cycle between.)
/// </summary>
public static class Forgetting
{
    /// <summary><paramref name="e"/> as it is shown now, with every party <paramref name="state"/> has forgotten replaced by their tombstone.</summary>
    public static WorkflowEvent Shown(WorkflowState state, WorkflowEvent e)
    {
        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            if (state[role].IsFormer)
            {
                e = Redacted(e, role, state[role], state);
            }
        }
        return e;
    }

    private static WorkflowEvent Redacted(WorkflowEvent e, PartyRole role, Party former, WorkflowState state) => e switch
    {
        WorkflowOpened o when role == PartyRole.Customer => o with { Customer = former },
        // A cycle's performer may since have been handed over: only the one the tombstone replaced is hidden.
        WorkflowOpened o when state.FormerPerformers.Count == 0 => o with { Performer = former },
        PartyBound b when b.Role == role => b with { User = new UserId("", ""), DisplayName = former.DisplayName, Email = former.Email },
        _ => e,
    };
}
