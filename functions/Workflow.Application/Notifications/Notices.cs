using Workflow.Domain;

namespace Workflow.Application;

/// <summary>How often a person wants to be told of moves made towards them.</summary>
public enum NotifyFrequency
{
    /// <summary>A mail per workflow soon after a move (moves close together become one mail).</summary>
    Immediate,
    /// <summary>One summary mail a day, in the morning of their time zone.</summary>
    Daily,
    /// <summary>No notification mail: the weekly review carries it.</summary>
    Weekly,
}

/// <summary>A person's notification preferences. Quiet hours are local times in <see cref="TimeZone"/>; none when either is null.</summary>
public sealed record NotificationPreferences(NotifyFrequency Frequency, string TimeZone, TimeOnly? QuietFrom, TimeOnly? QuietTo)
{
    /// <summary>The zone was taken from the person's Outlook mailbox settings, not chosen in the pane.</summary>
    public bool TimeZoneFromMailbox { get; init; }

    public static readonly NotificationPreferences Default = new(NotifyFrequency.Immediate, "UTC", null, null);
}

/// <summary>
/// Whom a notice is for: a person of the tenant (<see cref="User"/>), or someone named only by email — outside the
/// organisation, or not yet found in the directory — who is reached by mail and acts through a personal link.
/// <see cref="Key"/> names their notice box.
/// </summary>
public sealed record Addressee(UserId? User, string Email, string? DisplayName)
{
    public string Key => User is { } user
        ? $"u-{user.TenantId}_{user.ObjectId}"
        : "e-" + Hashing.Sha256Hex(Email.Trim().ToLowerInvariant());

    public static Addressee Of(Party party) => new(party.User, party.Email, party.DisplayName);
}

/// <summary>What a notice is about: a move made towards the recipient, or a clock about to run out on them.</summary>
public enum NoticeKind
{
    Move,
    Reminder,
    /// <summary>What came out of a meeting (<see cref="Notice.Meeting"/>): one per meeting occurrence and person.</summary>
    MeetingOutcomes,
}

/// <summary>
/// One thing to tell one person about one workflow — or, for <see cref="NoticeKind.MeetingOutcomes"/>, one meeting
/// occurrence, whose key <see cref="WorkflowId"/> then holds (so it is mailed on its own) beside <see cref="Meeting"/>.
/// <see cref="Id"/> is fixed by what it is about (the event's version, or the clock and its time), so adding it twice
/// keeps one. <see cref="DueAt"/> is when it may be mailed:
/// after the coalescing window, outside quiet hours, or at the daily summary. <see cref="Frequency"/> and
/// <see cref="TimeZone"/> are the recipient's choices it was timed by, kept with it so the mail follows the same ones
/// without reading the person again (null in notices stored before they were kept: the mailer reads them then).
/// </summary>
public sealed record Notice(
    string WorkflowId, string Id, NoticeKind Kind, int Version, PartyRole RecipientRole, DateTimeOffset At, DateTimeOffset DueAt,
    ClockKind? Clock = null, DateTimeOffset? ClockAt = null, NotifyFrequency? Frequency = null, string? TimeZone = null,
    MeetingRef? Meeting = null)
{
    /// <summary>A meeting occurrence's outcomes, told once to each party: the same id however many moves were made in it.</summary>
    public static string MeetingOutcomesId(MeetingRef meeting) =>
        "m-" + Hashing.Sha256Hex(meeting.Key + "\n" + meeting.On?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))[..40];

    /// <summary>This notice, with the preferences its <see cref="DueAt"/> was worked out from.</summary>
    public Notice TimedBy(NotificationPreferences preferences) =>
        this with { Frequency = preferences.Frequency, TimeZone = preferences.TimeZone };

    public static string MoveId(string workflowId, int version) => $"{workflowId}-{version:D10}";

    public static string ReminderId(string workflowId, ClockKind clock, DateTimeOffset at) =>
        $"{workflowId}-r{(int)clock}-{at.UtcTicks:D19}";

    /// <summary>A check-in reminder, once per stretch without one: named by when the customer last checked in (or the last change).</summary>
    public static string CheckInReminderId(string workflowId, DateTimeOffset since) => $"{workflowId}-c-{since.UtcTicks:D19}";
}

/// <summary>
/// A claim on sending one mail: the notices it carries, taken out of the box in the same transaction.
/// <see cref="Attempt"/> counts the senders that took it (1, then one more per take-over); <see cref="ETag"/> is the
/// claim row's, so only one sender can take it over.
/// </summary>
public sealed record MailClaim(Addressee Addressee, string MailId, IReadOnlyList<Notice> Notices, DateTimeOffset ClaimedAt, int Attempt, string ETag);

/// <summary>
/// Each person's notice box. A notice is added once however often it is added; a mail takes its notices out of the box
/// in one transaction with its own claim, so two senders can never both take them; a claim is marked sent after the
/// mail went out, and a claim left behind (a crash mid-send) is taken over after its lease by one sender only.
/// </summary>
public interface INoticeBox
{
    /// <summary>Adds notices for one recipient (keeping one per <see cref="Notice.Id"/>).</summary>
    Task AddAsync(Addressee recipient, IReadOnlyList<Notice> notices, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a reminder unless it was given before: the box remembers each reminder it took, so a job that runs every
    /// hour reminds once per clock. False if it was given before.
    /// </summary>
    Task<bool> AddReminderAsync(Addressee recipient, Notice reminder, CancellationToken cancellationToken);

    /// <summary>
    /// The recipients with at least one notice due by <paramref name="now"/>, each with their notices due by
    /// <paramref name="rideAlongUntil"/>, oldest first: those due a little later may ride along in the same mail. One
    /// query for every box, so a pass costs one request however many people are due. A notice due after
    /// <paramref name="rideAlongUntil"/> — held by quiet hours, or tomorrow's summary — is not read: it waits for its
    /// own time and its own mail.
    /// </summary>
    IAsyncEnumerable<(Addressee Recipient, IReadOnlyList<Notice> Notices)> DueAsync(
        DateTimeOffset now, DateTimeOffset rideAlongUntil, CancellationToken cancellationToken);

    /// <summary>Takes <paramref name="notices"/> out of the box under one claim; null if another sender took any of them first.</summary>
    Task<MailClaim?> ClaimAsync(Addressee recipient, string mailId, IReadOnlyList<Notice> notices, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The mail went out: the claim is done.</summary>
    Task MarkSentAsync(MailClaim claim, CancellationToken cancellationToken);

    /// <summary>Claims not marked sent whose lease ran out before <paramref name="claimedBefore"/> (a sender crashed or failed).</summary>
    IAsyncEnumerable<MailClaim> AbandonedAsync(DateTimeOffset claimedBefore, CancellationToken cancellationToken);

    /// <summary>Takes over an abandoned claim; null if another sender took it over (or finished it) first.</summary>
    Task<MailClaim?> TakeOverAsync(MailClaim claim, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Whether someone outside the organisation asked for no more mail at this address (from a personal link). People in
    /// the organisation choose in their preferences instead.
    /// </summary>
    Task<bool> IsStoppedAsync(Addressee addressee, CancellationToken cancellationToken);

    /// <summary>Stops (or restarts) mail to an address outside the organisation.</summary>
    Task SetStoppedAsync(Addressee addressee, bool stopped, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// When a notice may be mailed, by the recipient's preferences: immediate notices wait out the coalescing window (so a
/// burst of moves is one mail); daily ones wait for the morning summary; none is sent in quiet hours — it waits for
/// them to end. Pure: time and the zone come in.
/// </summary>
public static class Delivery
{
    /// <summary>When the daily summary goes out, in the recipient's own time.</summary>
    public static readonly TimeOnly DailySummaryAt = new(8, 0);

    /// <summary>Null when the recipient gets no notification mail (weekly only).</summary>
    public static DateTimeOffset? DueAt(NotificationPreferences preferences, TimeZoneInfo zone, DateTimeOffset at, TimeSpan window)
    {
        DateTimeOffset due;
        switch (preferences.Frequency)
        {
            case NotifyFrequency.Weekly:
                return null;
            case NotifyFrequency.Daily:
                var local = TimeZoneInfo.ConvertTime(at, zone);
                var today = LocalToUtc(DateOnly.FromDateTime(local.DateTime), DailySummaryAt, zone);
                due = today > at ? today : LocalToUtc(DateOnly.FromDateTime(local.DateTime).AddDays(1), DailySummaryAt, zone);
                break;
            default:
                due = at + window;
                break;
        }
        return OutsideQuietHours(preferences, zone, due);
    }

    /// <summary><paramref name="due"/>, or the end of the quiet hours it falls in.</summary>
    public static DateTimeOffset OutsideQuietHours(NotificationPreferences preferences, TimeZoneInfo zone, DateTimeOffset due)
    {
        if (preferences.QuietFrom is not { } from || preferences.QuietTo is not { } to || from == to)
        {
            return due;
        }
        var local = TimeZoneInfo.ConvertTime(due, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var date = DateOnly.FromDateTime(local.DateTime);
        // Quiet hours may span midnight (22:00–07:00): then they end on the next day when we are in their evening part.
        var quiet = from < to ? time >= from && time < to : time >= from || time < to;
        if (!quiet)
        {
            return due;
        }
        var endDate = from > to && time >= from ? date.AddDays(1) : date;
        return LocalToUtc(endDate, to, zone);
    }

    private static DateTimeOffset LocalToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        // A local time skipped by a clock change (spring forward) is taken an hour later, as people's clocks do.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
