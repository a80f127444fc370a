using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>The shapes of the index rows: a person's list line and an item's link line.</summary>
internal static class IndexEntities
{
    /// <summary>A user's partition in the lists table. Tenant and object ids are GUIDs, so the key needs no escaping.</summary>
    public static string UserKey(UserId user) => $"{user.TenantId}_{user.ObjectId}";

    /// <summary>An item's partition: a hash, because item keys may hold characters a partition key may not.</summary>
    public static string ItemPartition(string itemKey) => Hashing.Sha256Hex(itemKey);

    public static TableEntity ListRow(WorkflowState state, PartyRole role)
    {
        var user = state[role].User ?? throw new ArgumentException("Only bound parties have lists.", nameof(role));
        if (!state.IsVisibleTo(role))
        {
            throw new ArgumentException("A party who may not see the workflow has no line for it.", nameof(role));
        }
        var entity = SummaryRow(UserKey(user), state);
        entity["Role"] = WorkflowDecider.Name(role);
        entity["MyMove"] = state.WhoseMove == role;
        entity["Counterpart"] = state[WorkflowState.Other(role)].Shown();
        // Whom it is with, by address: a meeting's agenda matches it against the people in the room.
        entity["CounterpartEmail"] = state[WorkflowState.Other(role)].Email;
        return entity;
    }

    public static TableEntity ItemRow(WorkflowState state, ItemLink link)
    {
        var entity = SummaryRow(ItemPartition(link.Key), state);
        entity["ItemKey"] = link.Key;
        entity["Kind"] = WorkflowDecider.Name(link.Kind);
        entity["Subject"] = link.Subject;
        // A party who may not see the workflow yet (the other party of a draft) has no key, so the item does not list it for them.
        entity["CustomerKey"] = state.Customer.User is { } c && state.IsVisibleTo(PartyRole.Customer) ? UserKey(c) : null;
        entity["PerformerKey"] = state.Performer.User is { } p && state.IsVisibleTo(PartyRole.Performer) ? UserKey(p) : null;
        entity["CustomerName"] = state.Customer.Shown();
        entity["PerformerName"] = state.Performer.Shown();
        return entity;
    }

    public static WorkflowSummary ReadListRow(TableEntity e) => new(
        e.RowKey,
        e.GetInt32("Version") ?? 0,
        e.GetString("Concern") ?? "",
        Enum.Parse<PartyRole>(e.GetString("Role"), ignoreCase: true),
        Enum.Parse<WorkflowStatus>(e.GetString("Status"), ignoreCase: true),
        ReadQuadrant(e.GetString("Quadrant")),
        e.GetString("WhoseMove") is { } whose ? Enum.Parse<PartyRole>(whose, ignoreCase: true) : null,
        e.GetString("Counterpart") ?? "",
        e.GetString("NextClock") is { } clock ? Enum.Parse<ClockKind>(clock, ignoreCase: true) : null,
        e.GetDateTimeOffset("NextClockAt"),
        e.GetDateTimeOffset("UpdatedAt") ?? default,
        new Clocks(e.GetDateTimeOffset("ReplyBy"), e.GetDateTimeOffset("DueBy"), e.GetDateTimeOffset("AssessBy")),
        e.GetDateTimeOffset("CheckedInAt"),
        // Rows written before "proposed to you" existed have no ProposedTo: not flagged, like their workflows.
        e.GetString("ProposedTo") is { } proposedTo && string.Equals(proposedTo, e.GetString("Role"), StringComparison.OrdinalIgnoreCase),
        e.GetString("CounterpartEmail"),
        // An offer the customer has not answered: the performer's proposal, still proposed to the customer.
        string.Equals(e.GetString("Status"), "countered", StringComparison.OrdinalIgnoreCase) && e.GetString("ProposedTo") == "customer",
        e.GetInt32("CheckInEvery"),
        e.GetBoolean("Objective") ?? false,
        e.GetString("PartOf") is { } partOf ? Enum.Parse<ChildRelation>(partOf, ignoreCase: true) : null);

    public static WorkflowSummary ReadItemRow(TableEntity e, UserId user)
    {
        var role = e.GetString("CustomerKey") == UserKey(user) ? PartyRole.Customer : PartyRole.Performer;
        e["Role"] = WorkflowDecider.Name(role);
        e["Counterpart"] = e.GetString(role == PartyRole.Customer ? "PerformerName" : "CustomerName");
        return ReadListRow(e);
    }

    /// <summary>A child's line in its parent's partition: the line itself as JSON, its version for the guard.</summary>
    public static TableEntity ChildRow(ParentRef parent, WorkflowState child)
    {
        var entity = new TableEntity(parent.WorkflowId, child.Id) { ["Version"] = child.Version };
        StorageJson.WriteData(entity, ChildLine.Of(child, parent.Relation));
        return entity;
    }

    public static ChildLine ReadChildRow(TableEntity entity) => StorageJson.ReadData<ChildLine>(entity);

    /// <summary>An item row marking that the workflow was unlinked at <paramref name="version"/>; readers skip it.</summary>
    public static TableEntity Tombstone(string itemKey, string workflowId, int version) =>
        new(ItemPartition(itemKey), workflowId) { ["Version"] = version, ["Deleted"] = true };

    private static TableEntity SummaryRow(string partition, WorkflowState state)
    {
        var next = state.Clocks.Next;
        return new TableEntity(partition, state.Id)
        {
            ["Version"] = state.Version,
            ["Deleted"] = false,
            ["Concern"] = state.Concern,
            ["Status"] = WorkflowDecider.Name(state.Status),
            ["Quadrant"] = Quadrants.Name(state.Quadrant),
            ["Closed"] = state.IsClosed,
            ["WhoseMove"] = state.WhoseMove is { } whose ? WorkflowDecider.Name(whose) : null,
            ["NextClock"] = next is { } n ? WorkflowDecider.Name(n.Kind) : null,
            ["NextClockAt"] = next?.At,
            ["ReplyBy"] = state.Clocks.ReplyBy,
            ["DueBy"] = state.Clocks.DueBy,
            ["AssessBy"] = state.Clocks.AssessBy,
            // The customer's check-in duty runs from the last check-in, or from the promise if there was none.
            ["CheckedInAt"] = state.LastCheckInAt ?? state.PromisedAt,
            // Which party it is proposed to (shown as such until they move), one column for both parties' rows and the item's.
            ["ProposedTo"] = state.IsProposedTo(WorkflowState.Other(state.OpenedBy)) ? WorkflowDecider.Name(WorkflowState.Other(state.OpenedBy)) : null,
            ["UpdatedAt"] = state.UpdatedAt,
            ["CheckInEvery"] = state.CheckInEveryDays,
            ["Objective"] = state.IsObjective,
            ["PartOf"] = state.Parent is { } parent ? WorkflowDecider.Name(parent.Relation) : null,
        };
    }

    /// <summary>Rows written before quadrants had one spelling say "Closed"; both read the same.</summary>
    private static Quadrant ReadQuadrant(string? stored) =>
        Quadrants.TryParse(stored, out var quadrant) ? quadrant : Enum.Parse<Quadrant>(stored ?? "", ignoreCase: true);

}
