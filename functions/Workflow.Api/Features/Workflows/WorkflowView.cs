using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Features.Workflows;

/// <summary>A workflow as the caller sees it, with exactly the moves they may make now.</summary>
/// <param name="ProposedToYou">
/// The other party opened it and you have made no move on it yet (a note counts as a move): it came to you unasked.
/// </param>
/// <param name="PartOf">The workflow it was opened under (as its dual, or delegated from it), as far as you may know it.</param>
/// <param name="CheckIns">The customer's check-in cadence and when the next check-in is due; null without a cadence.</param>
/// <param name="Feedback">What each party wrote when the loop closed; only the two parties ever see it.</param>
/// <param name="YouMayOpen">The kinds of child you may open under it now: <c>dual</c> and/or <c>delegated</c>.</param>
public sealed record WorkflowView(
    string Id,
    int Version,
    string Concern,
    WorkflowStatus State,
    string StateLabel,
    Quadrant Quadrant,
    bool Closed,
    PartyView Customer,
    PartyView Performer,
    PartyRole YourRole,
    PartyRole? WhoseMove,
    bool YourMove,
    bool ProposedToYou,
    TermsView Terms,
    ClocksView Clocks,
    string? Gaps,
    IReadOnlyList<ItemLink> Links,
    string? RepeatOf,
    string? RepeatedAs,
    IReadOnlyList<string> AvailableMoves,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    PartOfView? PartOf,
    CheckInsView? CheckIns,
    bool Objective,
    bool SharedWithParent,
    FeedbackView Feedback,
    IReadOnlyList<ChildRelation> YouMayOpen)
{
    /// <summary>The role and occurrence this workflow is a cycle of, when a role's schedule opened it.</summary>
    public CycleRef? Cycle { get; init; }

    public static WorkflowView Of(WorkflowState s, PartyRole role, DateTimeOffset now) => new(
        s.Id,
        s.Version,
        s.Concern,
        s.Status,
        LabelOf(s.Status),
        s.Quadrant,
        s.IsClosed,
        PartyView.Of(s.Customer),
        PartyView.Of(s.Performer),
        role,
        s.WhoseMove,
        s.WhoseMove == role,
        s.IsProposedTo(role),
        new TermsView(s.Promised, s.Proposed),
        ClocksView.Of(s.Clocks, now),
        s.Gaps,
        s.Links,
        s.RepeatOf,
        s.RepeatedAs,
        Names(TransitionTable.AvailableMoves(s, role, now)),
        s.OpenedAt,
        s.UpdatedAt,
        PartOfView.Of(s, role),
        s.CheckInEveryDays is { } every ? new CheckInsView(every, s.NextCheckInBy, s.NextCheckInBy < now) : null,
        s.IsObjective,
        s.SharedWithParent,
        new FeedbackView(s.CustomerFeedback, s.PerformerFeedback),
        TransitionTable.AvailableChildren(s, role)) { Cycle = s.Cycle };

    private static string[] Names(IReadOnlyList<Move> moves)
    {
        var names = new string[moves.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = WorkflowDecider.Name(moves[i]);
        }
        return names;
    }

    /// <summary>The plain words the UI uses (workflow-model.md, "Language in daily use").</summary>
    public static string LabelOf(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Draft => "Draft",
        WorkflowStatus.Requested => "Asked",
        WorkflowStatus.Countered => "Counter-offered",
        WorkflowStatus.Promised => "Agreed",
        WorkflowStatus.Renegotiating => "Renegotiating",
        WorkflowStatus.Reported => "Done?",
        WorkflowStatus.Satisfied => "Accepted",
        WorkflowStatus.Reneged => "Reneged",
        WorkflowStatus.Declined => "Declined",
        WorkflowStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };
}

/// <param name="Email">The address as the directory has it once the party is bound; as typed while pending.</param>
/// <param name="InvitedAs">The address the opener typed, when the directory's is another: whom it was bound to shows.</param>
public sealed record PartyView(string Email, string? DisplayName, bool Pending, string? InvitedAs = null)
{
    public static PartyView Of(Party party) => new(party.Email, party.DisplayName, party.IsPending, party.InvitedAs);
}

public sealed record TermsView(Terms? Promised, Terms? Proposed);

/// <summary>
/// The workflow a child hangs under. Its customer is the parent's performer and the parties of a dual are the parent's
/// own: they are shown the parent. The performer of a delegation is not a party of the parent: they learn only that
/// their work serves a larger promise, not whose or what (the objective tree shows them what they may see of it).
/// </summary>
public sealed record PartOfView(ChildRelation Relation, string? Id, string? Concern)
{
    public static PartOfView? Of(WorkflowState s, PartyRole role) => s.Parent is not { } parent ? null
        : role == PartyRole.Customer || parent.Relation == ChildRelation.Dual
            ? new PartOfView(parent.Relation, parent.WorkflowId, parent.Concern)
            : new PartOfView(parent.Relation, null, null);
}

/// <param name="Missed">The next check-in was due before now and has not happened.</param>
public sealed record CheckInsView(int EveryDays, DateTimeOffset? NextBy, bool Missed);

/// <summary>Each party's feedback on the closed loop: the customer's on the result, the performer's on the customership.</summary>
public sealed record FeedbackView(Feedback? Customer, Feedback? Performer);

public sealed record ClocksView(DateTimeOffset? ReplyBy, DateTimeOffset? DueBy, DateTimeOffset? AssessBy, NextClockView? Next)
{
    public static ClocksView Of(Clocks clocks, DateTimeOffset now) => new(
        clocks.ReplyBy, clocks.DueBy, clocks.AssessBy,
        clocks.Next is { } next ? new NextClockView(next.Kind, next.At, next.At < now) : null);
}

public sealed record NextClockView(ClockKind Kind, DateTimeOffset At, bool Overdue);

public sealed record SummaryView(
    string Id,
    int Version,
    string Concern,
    WorkflowStatus State,
    string StateLabel,
    Quadrant Quadrant,
    PartyRole YourRole,
    PartyRole? WhoseMove,
    bool YourMove,
    bool ProposedToYou,
    string Counterpart,
    NextClockView? NextClock,
    ClocksView Clocks,
    DateTimeOffset UpdatedAt,
    int? CheckInEveryDays,
    bool Objective,
    ChildRelation? PartOf,
    string? CounterpartEmail = null)
{
    /// <remarks>
    /// <see cref="CounterpartEmail"/> tells apart two people of the same name (the network picture groups by it); null
    /// on lines written before it was kept.
    /// <see cref="Clocks"/> lists every running clock, as the workflow itself does: while a change is renegotiated the
    /// promise's due-by keeps running beside the reply-by, and <see cref="NextClock"/> names only the earlier of them.
    /// </remarks>
    public static SummaryView Of(WorkflowSummary s, DateTimeOffset now) => new(
        s.Id, s.Version, s.Concern, s.Status, WorkflowView.LabelOf(s.Status), s.Quadrant, s.Role, s.WhoseMove,
        s.WhoseMove == s.Role, s.ProposedToYou, s.Counterpart,
        s.NextClock is { } kind && s.NextClockAt is { } at ? new NextClockView(kind, at, at < now) : null,
        ClocksView.Of(s.Clocks, now),
        s.UpdatedAt,
        s.CheckInEveryDays,
        s.Objective,
        s.PartOf,
        s.CounterpartEmail);
}

/// <summary>A page of one of my lists; <see cref="Next"/> is the cursor of the following page, null on the last.</summary>
public sealed record ListPageView(IReadOnlyList<SummaryView> Items, string? Next);

/// <summary>One line of a workflow's history: who, when, and what the move carried.</summary>
/// <remarks><see cref="Details"/> is typed <c>object</c> so the event is written with all of its own fields.</remarks>
/// <see cref="Via"/> is "mailedLink" for a move made by someone outside the organisation through a personal link.
public sealed record HistoryEntryView(int Version, string Event, PartyRole By, string Who, DateTimeOffset At, object Details, string? Via = null);

/// <summary>A page of a workflow's history; <see cref="Next"/> is the cursor of the following page, null on the last.</summary>
public sealed record HistoryPageView(IReadOnlyList<HistoryEntryView> Items, string? Next);
