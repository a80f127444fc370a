using Workflow.Domain;
using Workflow.Domain.Review;

namespace Workflow.Application;

/// <summary>One line of a person's review, and whether a meeting to assess it is on their calendar.</summary>
/// <param name="AssessmentMeeting">"scheduled" or "missing" for what falls due; null where no calendar can be read.</param>
public sealed record ReviewEntry(ReviewItem Item, string? AssessmentMeeting);

/// <summary>
/// A meeting held in the last week that was given a purpose, and how many moves were made in it in the person's own
/// workflows ("a Q2 meeting, and no promise came out of it" is <see cref="Moves"/> = 0).
/// </summary>
public sealed record MeetingHeld(string? Subject, DateTimeOffset Start, Quadrant Purpose, int Moves);

/// <summary>
/// A person's weekly review: what is due for assessment, what waits on them, what waits on others (the rules are
/// the domain's <see cref="WeeklyReview"/>). Read the same way by the add-in's review and the weekly digest.
/// </summary>
public sealed class PersonalReview(IWorkflowIndex index, IMailbox mailbox, IMeetingStore meetings)
{
    /// <summary>How far back "meetings held this week" looks.</summary>
    public static readonly TimeSpan MeetingsHeldWindow = TimeSpan.FromDays(7);

    /// <summary>The review from the person's active list: one query page, no scan.</summary>
    public async Task<IReadOnlyList<ReviewItem>> ItemsAsync(UserId user, ReviewWeek week, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lines = new List<ReviewLine>();
        string? cursor = null;
        do
        {
            var page = await index.ListAsync(user, new ListQuery(ListView.Active, null, null, cursor), cancellationToken);
            lines.AddRange(page.Items.Select(s => new ReviewLine(
                s.Id, s.Concern, s.Role, s.Status, s.WhoseMove, s.Counterpart, s.Clocks, s.CheckedInAt, s.UpdatedAt, s.CheckInEveryDays)));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return WeeklyReview.Build(lines, week, now);
    }

    /// <summary>The review with, for what falls due, whether a meeting tagged for it is on the calendar in time.</summary>
    public async Task<IReadOnlyList<ReviewEntry>> WithMeetingsAsync(UserId user, ReviewWeek week, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(user, week, now, cancellationToken);
        var meetings = await AssessmentMeetingsAsync(user, items, week, cancellationToken);
        return [.. items.Select(i => new ReviewEntry(i, meetings?.GetValueOrDefault(i.Line.Id)))];
    }

    /// <summary>
    /// For what is due to be assessed or delivered: is a meeting tagged for that workflow on the calendar before it
    /// falls due ("scheduled"), or not ("missing")? Null where no calendar can be read.
    /// </summary>
    private async Task<Dictionary<string, string>?> AssessmentMeetingsAsync(
        UserId user, IReadOnlyList<ReviewItem> items, ReviewWeek week, CancellationToken cancellationToken)
    {
        var due = items.Where(i => i.Section is ReviewSection.DueForAssessment or ReviewSection.MyPromisesDue).ToList();
        if (!mailbox.IsAvailable || due.Count == 0)
        {
            return null;
        }
        var until = due.Max(i => i.By ?? week.End);
        var slots = await mailbox.CalendarAsync(user, week.Start, until > week.End ? until : week.End, cancellationToken);
        // A meeting serves a workflow when it was tagged for it, or when the workflow is linked to the meeting.
        var linkedTo = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var key in slots.Select(s => s.Key).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            linkedTo[key] = [.. (await index.LinkedToAsync(key, user, cancellationToken)).Select(w => w.Id)];
        }
        bool Serves(CalendarSlot slot, string workflowId) =>
            slot.WorkflowId == workflowId || (slot.Key is { } key && linkedTo.TryGetValue(key, out var ids) && ids.Contains(workflowId));
        return due.ToDictionary(
            i => i.Line.Id,
            i => slots.Any(s => Serves(s, i.Line.Id) && (i.By is null || s.Start <= i.By)) ? "scheduled" : "missing");
    }

    /// <summary>
    /// The meetings on the person's calendar in the last week that were given a purpose, with the moves made in each in
    /// their own workflows, oldest first. Null where no calendar can be read.
    /// </summary>
    public async Task<IReadOnlyList<MeetingHeld>?> MeetingsHeldAsync(
        UserId user, DateTimeOffset now, CancellationToken cancellationToken, IMailbox? calendar = null)
    {
        // The person's own mailbox on their behalf, or (the digest, with nobody signed in) the calendar it is given.
        calendar ??= mailbox;
        if (!calendar.IsAvailable)
        {
            return null;
        }
        var slots = await calendar.CalendarAsync(user, now - MeetingsHeldWindow, now, cancellationToken);
        var held = new List<MeetingHeld>();
        foreach (var slot in slots.Where(s => s.Key is not null && s.Start <= now).OrderBy(s => s.Start))
        {
            var record = await meetings.GetAsync(slot.Key!, slot.On, cancellationToken);
            if (record.PurposeOn(slot.On) is { } purpose)
            {
                held.Add(new MeetingHeld(slot.Subject, slot.Start, purpose.Purpose,
                    record.Outcomes.Count(o => o.Customer == user || o.Performer == user)));
            }
        }
        return held;
    }
}
