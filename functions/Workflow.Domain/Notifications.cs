namespace Workflow.Domain;

/// <summary>
/// Who must be told of an event: the other party of whoever made it, for every move that hands them the ball or that
/// they must know about — and nobody for what only concerns the record (links, binding a party, a repeat's bookkeeping)
/// or for what happens while the workflow is still its opener's unsent draft.
/// </summary>
public static class Notifications
{
    /// <summary>Events that change what both parties see but ask nothing of the other: never mailed.</summary>
    private static readonly HashSet<Type> Silent = [typeof(WorkflowOpened), typeof(ItemLinked), typeof(ItemUnlinked), typeof(PartyBound), typeof(Repeated),
        // Told by mail, the holder would get a new link with it: revoking is silent.
        typeof(GuestLinksRevoked)];

    /// <summary>
    /// The party to tell of <paramref name="e"/>, which took the workflow from <paramref name="before"/> to
    /// <paramref name="after"/>; null when nobody is to be told. A draft is private: nothing said in it, nor its
    /// withdrawal, reaches the other party, who first hears of the workflow when it leaves draft.
    /// </summary>
    public static PartyRole? RecipientOf(WorkflowState? before, WorkflowEvent e, WorkflowState after)
    {
        if (before is null || Silent.Contains(e.GetType()))
        {
            return null;
        }
        // Whoever cannot see the workflow is told nothing of it: a draft, or one withdrawn before it was ever sent.
        var other = WorkflowState.Other(e.By);
        return after.IsVisibleTo(other) ? other : null;
    }

    /// <summary>Each event of a commit with whom it tells, folding the state through them.</summary>
    public static IEnumerable<(WorkflowEvent Event, int Version, PartyRole Recipient)> Of(
        WorkflowState? before, IEnumerable<(WorkflowEvent Event, int Version)> events)
    {
        var state = before;
        foreach (var (e, version) in events)
        {
            var after = WorkflowDecider.Evolve(state, e);
            foreach (var recipient in RecipientsOf(before, state, e, after))
            {
                yield return (e, version, recipient);
            }
            state = after;
        }
    }

    /// <summary>
    /// A role's cycle tells both its parties of its opening — the holder did not open it by hand: the customer of the
    /// opening itself, the holder of the start it records, and nobody of the rest of that commit. A cycle left with its
    /// old holder at a handover tells both its parties: the holder, who keeps it, and the customer, whose performer it
    /// stays. (At most two recipients per event: the follow-up's rows are named by version, and "also" for the second.)
    /// </summary>
    private static IEnumerable<PartyRole> RecipientsOf(WorkflowState? commitBefore, WorkflowState? before, WorkflowEvent e, WorkflowState after) =>
        e is WorkflowOpened { Cycle: not null } ? [PartyRole.Customer]
        : commitBefore is null && before?.Cycle is not null ? (before.Version == 1 ? [PartyRole.Performer] : [])
        : e is HandoverLeft ? [PartyRole.Performer, PartyRole.Customer]
        : RecipientOf(before, e, after) is { } recipient ? [recipient]
        : [];
}
