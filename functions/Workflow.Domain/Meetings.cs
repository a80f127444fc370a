namespace Workflow.Domain;

/// <summary>
/// The meeting a move was made in: its key, the same for every attendee (<c>event:teams:&lt;thread&gt;</c> for a Teams
/// meeting, <c>event:&lt;iCalendar id&gt;</c> otherwise), and for a meeting that recurs, the date of the occurrence.
/// </summary>
public sealed record MeetingRef(string Key, DateOnly? On);

/// <summary>What a meeting is for decides what is on its agenda (workflow-model.md, "Meeting → quadrant").</summary>
public static class MeetingAgenda
{
    /// <summary>A promise in progress is due a check-in this long after the last one (or after it was made).</summary>
    public static readonly TimeSpan CheckInAfter = TimeSpan.FromDays(7);

    /// <summary>A promise due within this long is worth a check-in whenever the last one was.</summary>
    public static readonly TimeSpan DueSoon = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether a meeting held for <paramref name="purpose"/> has a workflow in <paramref name="status"/> on its agenda:
    /// Q1 — concerns still being shaped: drafts, and offers the customer has not answered yet (<paramref name="offered"/>);
    /// Q2 — requests, counters and renegotiations, all waiting on one of the two; Q3 — promises in progress whose
    /// check-in is due (a week without one, or due within the week); Q4 — work reported done, awaiting assessment.
    /// </summary>
    public static bool CallsFor(
        Quadrant purpose, WorkflowStatus status, bool offered, DateTimeOffset? lastCheckIn, DateTimeOffset updatedAt, DateTimeOffset? dueBy,
        DateTimeOffset now) =>
        purpose switch
        {
            Quadrant.Q1 => status == WorkflowStatus.Draft || offered,
            Quadrant.Q2 => !offered && status is WorkflowStatus.Requested or WorkflowStatus.Countered or WorkflowStatus.Renegotiating,
            Quadrant.Q3 => status == WorkflowStatus.Promised
                && (now - (lastCheckIn ?? updatedAt) >= CheckInAfter || (dueBy is { } due && due - now <= DueSoon)),
            Quadrant.Q4 => status == WorkflowStatus.Reported,
            _ => false,
        };

    /// <summary>The four purposes a meeting can have (a closed workflow is no purpose).</summary>
    public static bool IsPurpose(Quadrant quadrant) => quadrant is Quadrant.Q1 or Quadrant.Q2 or Quadrant.Q3 or Quadrant.Q4;
}
