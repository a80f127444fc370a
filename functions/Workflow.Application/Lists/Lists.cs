using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// One line of a person's lists. <see cref="ProposedToYou"/>: opened by the other party, not yet answered by this one.
/// <see cref="CheckInEveryDays"/>: the customer's check-in cadence; <see cref="PartOf"/>: how it hangs under another.
/// </summary>
public sealed record WorkflowSummary(
    string Id,
    int Version,
    string Concern,
    PartyRole Role,
    WorkflowStatus Status,
    Quadrant Quadrant,
    PartyRole? WhoseMove,
    string Counterpart,
    ClockKind? NextClock,
    DateTimeOffset? NextClockAt,
    DateTimeOffset UpdatedAt,
    Clocks Clocks,
    DateTimeOffset? CheckedInAt,
    bool ProposedToYou,
    string? CounterpartEmail = null,
    bool Offered = false,
    int? CheckInEveryDays = null,
    bool Objective = false,
    ChildRelation? PartOf = null);

/// <summary>Which of a person's workflows a list shows (the API's <c>view</c> parameter).</summary>
public enum ListView
{
    All,
    /// <summary>Every workflow not yet closed, whatever its quadrant or whose move: what the weekly review reads.</summary>
    Active,
    IOwe,
    OwedToMe,
    MyMove,
}

public sealed record ListQuery(ListView View, Quadrant? Quadrant, DateTimeOffset? DueBefore, string? Cursor);

public sealed record ListPage(IReadOnlyList<WorkflowSummary> Items, string? NextCursor);

/// <summary>The read side: a person's lists and an item's links, kept up to date by the index projection follow-up.</summary>
public interface IWorkflowIndex
{
    Task<ListPage> ListAsync(UserId user, ListQuery query, CancellationToken cancellationToken);

    /// <summary>The workflows linked to an item that <paramref name="user"/> is a party of.</summary>
    Task<IReadOnlyList<WorkflowSummary>> LinkedToAsync(string itemKey, UserId user, CancellationToken cancellationToken);

    /// <summary>
    /// The workflows linked to an item that <paramref name="user"/> is a party of, and how many others are linked to it
    /// (their count only: nothing else of them), in one query.
    /// </summary>
    Task<(IReadOnlyList<WorkflowSummary> Linked, int Others)> LinkedWithOthersAsync(string itemKey, UserId user, CancellationToken cancellationToken);
}
