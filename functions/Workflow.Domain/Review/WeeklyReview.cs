namespace Workflow.Domain.Review;

/// <summary>One of a person's open workflows, as their list knows it: what the review is computed from.</summary>
public sealed record ReviewLine(
    string Id,
    string Concern,
    PartyRole Role,
    WorkflowStatus Status,
    PartyRole? WhoseMove,
    string Counterpart,
    Clocks Clocks,
    DateTimeOffset? LastCheckInAt,
    DateTimeOffset UpdatedAt,
    int? CheckInEveryDays = null);

public enum ReviewSection
{
    /// <summary>Work reported done to me: I owe a declaration (Q4 — the step everyone skips).</summary>
    DueForAssessment,

    /// <summary>My promises due by the end of the week, overdue ones included.</summary>
    MyPromisesDue,

    /// <summary>Requests, counters and changes waiting for my answer.</summary>
    WaitingOnMyAnswer,

    /// <summary>What I asked that got no answer by its reply-by: nudge, extend, or withdraw?</summary>
    NoAnswerToMe,

    /// <summary>Promises made to me that I have not checked in on for a long time (the customer's duty).</summary>
    NoRecentCheckIn,

    /// <summary>Everything else waiting on the other party, with how long.</summary>
    WaitingOnOthers,
}

/// <summary>One entry of the review: why it is there, by when, and how long it has waited.</summary>
public sealed record ReviewItem(ReviewSection Section, ReviewLine Line, DateTimeOffset? By, bool Overdue, TimeSpan Waiting);

/// <summary>
/// The weekly review (workflow-model.md, job 3): what I must assess, what I owe, what waits on me, what got no
/// answer, where I owe a check-in, and what waits on others. Pure: the lines, the week and the clock come in.
/// Each line appears once, in its most urgent section; sections come in the order above, each by date.
/// </summary>
public static class WeeklyReview
{
    /// <summary>How long a promise made to me may go without my checking in before the review reminds me, without a cadence.</summary>
    public static readonly TimeSpan CheckInInterval = TimeSpan.FromDays(14);

    /// <summary>
    /// When the customer's check-in falls due: the cadence they set after the last check-in (or, with none, since the
    /// promise or the last change), else the review's default interval.
    /// </summary>
    public static DateTimeOffset CheckInDueAt(DateTimeOffset? lastCheckInAt, DateTimeOffset updatedAt, int? everyDays) =>
        (lastCheckInAt ?? updatedAt) + (everyDays is { } days ? TimeSpan.FromDays(days) : CheckInInterval);

    public static IReadOnlyList<ReviewItem> Build(IEnumerable<ReviewLine> lines, ReviewWeek week, DateTimeOffset now) =>
        [.. lines
            .Select(line => Classify(line, week, now))
            .OfType<ReviewItem>()
            .OrderBy(item => item.Section)
            .ThenBy(item => item.By ?? DateTimeOffset.MaxValue)
            .ThenBy(item => item.Line.Id, StringComparer.Ordinal)];

    private static ReviewItem? Classify(ReviewLine line, ReviewWeek week, DateTimeOffset now)
    {
        var mine = line.WhoseMove == line.Role;
        var waiting = now - line.UpdatedAt;
        ReviewItem Item(ReviewSection section, DateTimeOffset? by) =>
            new(section, line, by, by is { } at && at < now, waiting < TimeSpan.Zero ? TimeSpan.Zero : waiting);

        switch (line.Status)
        {
            case WorkflowStatus.Reported when line.Role == PartyRole.Customer:
                return Item(ReviewSection.DueForAssessment, line.Clocks.AssessBy);
            case WorkflowStatus.Promised or WorkflowStatus.Renegotiating
                when line.Role == PartyRole.Performer && line.Clocks.DueBy is { } due && due < week.End:
                return Item(ReviewSection.MyPromisesDue, due);
            case WorkflowStatus.Requested or WorkflowStatus.Countered or WorkflowStatus.Renegotiating when mine:
                return Item(ReviewSection.WaitingOnMyAnswer, line.Clocks.ReplyBy);
            case WorkflowStatus.Requested or WorkflowStatus.Countered or WorkflowStatus.Renegotiating
                when line.Clocks.ReplyBy is { } replyBy && replyBy < now:
                return Item(ReviewSection.NoAnswerToMe, replyBy);
            case WorkflowStatus.Promised or WorkflowStatus.Renegotiating when line.Role == PartyRole.Customer && line.CheckInEveryDays is not null
                && CheckInDueAt(line.LastCheckInAt, line.UpdatedAt, line.CheckInEveryDays) is var checkInBy && checkInBy <= now:
                // A cadence the customer set themselves: the missed check-in is what they owe, dated when it fell due.
                return Item(ReviewSection.NoRecentCheckIn, checkInBy);
            case WorkflowStatus.Promised when line.Role == PartyRole.Customer && line.CheckInEveryDays is null
                && CheckInDueAt(line.LastCheckInAt, line.UpdatedAt, null) <= now:
                return Item(ReviewSection.NoRecentCheckIn, line.Clocks.DueBy);
            case WorkflowStatus.Draft when mine:
                return null; // An unsent draft is nobody's obligation yet.
            case WorkflowStatus.Satisfied or WorkflowStatus.Declined or WorkflowStatus.Reneged or WorkflowStatus.Cancelled:
                return null;
            default:
                return mine ? null : Item(ReviewSection.WaitingOnOthers, line.Clocks.Next?.At);
        }
    }
}
