using Workflow.Domain;

namespace Workflow.Application;

public enum MeetingKind
{
    Teams,
    Zoom,
    InPerson,
}

/// <summary>A message or meeting as the server resolves it: stable ids, people, times, and what kind of meeting.</summary>
public sealed record MailItemContext(
    ItemKind Kind,
    string ImmutableId,
    string? InternetMessageId,
    string? ConversationId,
    string? ICalUId,
    string? Subject,
    string? From,
    IReadOnlyList<string> To,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    MeetingKind? Meeting,
    string? JoinUrl,
    string? SeriesICalUId = null,
    string? TeamsThreadId = null)
{
    /// <summary>
    /// The key items are linked by: the thread for a message; for a meeting, the one every attendee's copy shares
    /// (<see cref="MeetingIdentity"/>) — of the whole series, for an occurrence of a recurring meeting.
    /// </summary>
    public string Key => Kind == ItemKind.Message
        ? "thread:" + (ConversationId ?? ImmutableId)
        : MeetingIdentity.KeyOf(Meeting, JoinUrl, SeriesICalUId ?? ICalUId, ImmutableId, TeamsThreadId);

    /// <summary>For an occurrence of a recurring meeting, its date (UTC): what an occurrence's own purpose is kept under.</summary>
    public DateOnly? Occurrence => Kind == ItemKind.Event && SeriesICalUId is not null && Start is { } start
        ? DateOnly.FromDateTime(start.UtcDateTime)
        : null;
}

/// <summary>
/// One key for a meeting, whoever's calendar it is read from, and from Teams as well as Outlook:
/// <list type="bullet">
/// <item>Teams: <c>event:teams:&lt;thread id&gt;</c> — the meeting chat's thread, which the join URL carries and a Teams
/// meeting tab is given as its chat id (the same for every occurrence of a recurring meeting);</item>
/// <item>Zoom: <c>event:zoom:&lt;meeting number&gt;</c> from the join link;</item>
/// <item>otherwise the iCalendar id every attendee's copy shares (the series master's, for an occurrence).</item>
/// </list>
/// </summary>
public static class MeetingIdentity
{
    private const string TeamsJoinPath = "/l/meetup-join/";

    /// <param name="teamsThread">The meeting chat's thread as Graph's online meeting names it, for a join URL that does
    /// not carry it (Teams' short links, teams.microsoft.com/meet/…).</param>
    public static string KeyOf(MeetingKind? kind, string? joinUrl, string? iCalUId, string immutableId, string? teamsThread = null)
    {
        if (kind == MeetingKind.Teams && (TeamsThread(joinUrl) ?? teamsThread) is { Length: > 0 } thread)
        {
            return "event:teams:" + thread;
        }
        if (kind == MeetingKind.Zoom && ZoomMeeting(joinUrl) is { } number)
        {
            return "event:zoom:" + number;
        }
        return "event:" + (iCalUId ?? joinUrl ?? immutableId);
    }

    /// <summary>The chat thread in a Teams join URL (https://teams.microsoft.com/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=…).</summary>
    public static string? TeamsThread(string? joinUrl)
    {
        if (!Uri.TryCreate(joinUrl, UriKind.Absolute, out var url))
        {
            return null;
        }
        var path = url.AbsolutePath;
        var at = path.IndexOf(TeamsJoinPath, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }
        var segment = path[(at + TeamsJoinPath.Length)..].Split('/')[0];
        var thread = Uri.UnescapeDataString(segment);
        return thread.Length > 0 && !thread.Any(char.IsWhiteSpace) ? thread : null;
    }

    /// <summary>The meeting number in a Zoom link (https://x.zoom.us/j/91234567890?pwd=…, or zoommtg://…?confno=…).</summary>
    public static string? ZoomMeeting(string? joinUrl)
    {
        if (joinUrl is null)
        {
            return null;
        }
        var match = System.Text.RegularExpressions.Regex.Match(joinUrl, @"(?:/j/|confno=)(\d{9,12})");
        return match.Success ? match.Groups[1].Value : null;
    }
}

/// <summary>
/// A meeting in the review window, with the workflow it was tagged for, if any, and the key its record and links are
/// kept under (<see cref="MeetingIdentity"/>; <see cref="On"/> is an occurrence's date).
/// </summary>
public sealed record CalendarSlot(
    string ImmutableId, string? Subject, DateTimeOffset Start, DateTimeOffset End, string? WorkflowId, IReadOnlyList<string> Categories,
    string? Key = null, DateOnly? On = null);

/// <summary>A person's mailbox, on their behalf: context of items, tags that show in every Outlook, and the calendar.</summary>
public interface IMailbox
{
    /// <summary>False where no mailbox can be reached (local development, or Graph not configured).</summary>
    bool IsAvailable { get; }

    Task<MailItemContext?> GetAsync(UserId mailbox, ItemKind kind, string itemId, CancellationToken cancellationToken);

    /// <summary>Marks the item with the workflow (an extended property) and the quadrant's category, creating the category once.</summary>
    Task TagAsync(UserId mailbox, ItemKind kind, string itemId, string workflowId, Quadrant quadrant, CancellationToken cancellationToken);

    /// <summary>
    /// Shows a meeting's purpose on the caller's own copy of it: the purpose's quadrant category, in place of any other
    /// Workflow category (none when <paramref name="purpose"/> is null). The record is the meeting's; this is its view.
    /// </summary>
    Task ShowPurposeAsync(UserId mailbox, string eventId, Quadrant? purpose, CancellationToken cancellationToken);

    /// <summary>The ids of the items tagged with the workflow.</summary>
    Task<IReadOnlyList<string>> FindTaggedAsync(UserId mailbox, ItemKind kind, string workflowId, CancellationToken cancellationToken);

    Task<IReadOnlyList<CalendarSlot>> CalendarAsync(UserId mailbox, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);
}

/// <summary>Where there is no mailbox to reach (local development, or Graph not configured): nothing is found or changed.</summary>
public sealed class NoMailbox : IMailbox
{
    public bool IsAvailable => false;

    public Task<MailItemContext?> GetAsync(UserId mailbox, ItemKind kind, string itemId, CancellationToken cancellationToken) =>
        Task.FromResult<MailItemContext?>(null);

    public Task TagAsync(UserId mailbox, ItemKind kind, string itemId, string workflowId, Quadrant quadrant, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public Task ShowPurposeAsync(UserId mailbox, string eventId, Quadrant? purpose, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> FindTaggedAsync(UserId mailbox, ItemKind kind, string workflowId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<CalendarSlot>> CalendarAsync(UserId mailbox, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CalendarSlot>>([]);
}
