using Microsoft.Extensions.Logging;
using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// Reminders before a clock runs out, to the person whose move it is — and to a customer whose request got no answer
/// by its reply-by ("nudge, extend, or withdraw?"), or who has not checked in on a promise made to them for the weekly
/// review's check-in interval (the dual: the customer's duty, reminded like the performer's). Each person's own lists are read (their "my move" list up to the
/// lead, and what they wait on); each reminder is taken into their notice box once per clock and time, so a job that
/// runs every hour, twice, or after a crash reminds once. People who chose weekly only are left to the weekly review.
/// </summary>
public sealed class ReminderJob(
    IPeopleRegistry people, IWorkflowIndex index, INoticeBox box, NotificationOptions options, TimeProvider time, ILogger<ReminderJob> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var added = 0;
        await foreach (var person in people.AllAsync(cancellationToken))
        {
            var preferences = person.Preferences;
            if (preferences.Frequency == NotifyFrequency.Weekly)
            {
                continue;
            }
            try
            {
                added += await RemindAsync(person, preferences, now, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.RemindersFailed(logger, e, person.Id.ToString());
            }
        }
        return added;
    }

    private async Task<int> RemindAsync(Person person, NotificationPreferences preferences, DateTimeOffset now, CancellationToken ct)
    {
        var zone = TimeZones.Find(preferences.TimeZone) ?? TimeZoneInfo.Utc;
        var recipient = new Addressee(person.Id, person.Email, person.DisplayName);
        var added = 0;
        // My move, with a clock running out within the lead (or already run out).
        await foreach (var line in AllAsync(person.Id, new ListQuery(ListView.MyMove, null, now + options.ReminderLead, null), ct))
        {
            if (line.NextClock is { } clock && line.NextClockAt is { } at && await AddAsync(recipient, line, clock, at, preferences, zone, now, ct))
            {
                added++;
            }
        }
        // A request of mine past its reply-by with no answer.
        await foreach (var line in AllAsync(person.Id, new ListQuery(ListView.OwedToMe, Quadrant.Q2, now, null), ct))
        {
            if (line.WhoseMove != line.Role && line.Clocks.ReplyBy is { } replyBy && replyBy <= now
                && await AddAsync(recipient, line, ClockKind.ReplyBy, replyBy, preferences, zone, now, ct))
            {
                added++;
            }
        }
        // The dual: a promise made to me that I have not asked about for my cadence, or the review's check-in interval.
        await foreach (var line in AllAsync(person.Id, new ListQuery(ListView.OwedToMe, Quadrant.Q3, null, null), ct))
        {
            var since = line.CheckedInAt ?? line.UpdatedAt;
            if (Domain.Review.WeeklyReview.CheckInDueAt(line.CheckedInAt, line.UpdatedAt, line.CheckInEveryDays) <= now
                && Delivery.DueAt(preferences, zone, now, TimeSpan.Zero) is { } due
                && await box.AddReminderAsync(recipient,
                    new Notice(line.Id, Notice.CheckInReminderId(line.Id, since), NoticeKind.Reminder, line.Version, line.Role, now, due, null, since)
                        .TimedBy(preferences), ct))
            {
                added++;
            }
        }
        return added;
    }

    /// <summary>Every line of a list, page after page.</summary>
    private async IAsyncEnumerable<WorkflowSummary> AllAsync(
        UserId user, ListQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        for (string? cursor = null; ;)
        {
            var page = await index.ListAsync(user, query with { Cursor = cursor }, ct);
            foreach (var line in page.Items)
            {
                yield return line;
            }
            if ((cursor = page.NextCursor) is null)
            {
                yield break;
            }
        }
    }

    private async Task<bool> AddAsync(
        Addressee recipient, WorkflowSummary line, ClockKind clock, DateTimeOffset at, NotificationPreferences preferences, TimeZoneInfo zone,
        DateTimeOffset now, CancellationToken ct)
    {
        // A reminder is not coalesced with anything: it is due now, unless the recipient's quiet hours or summary say later.
        if (Delivery.DueAt(preferences, zone, now, TimeSpan.Zero) is not { } due)
        {
            return false;
        }
        var reminder = new Notice(line.Id, Notice.ReminderId(line.Id, clock, at), NoticeKind.Reminder, line.Version, line.Role, now, due, clock, at)
            .TimedBy(preferences);
        return await box.AddReminderAsync(recipient, reminder, ct);
    }
}
