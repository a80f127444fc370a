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
    string? JoinUrl)
{
    /// <summary>The key items are linked by: the thread for a message; the meeting's join URL or iCalendar id for a meeting.</summary>
    public string Key => Kind == ItemKind.Message
        ? "thread:" + (ConversationId ?? ImmutableId)
        : "event:" + (JoinUrl ?? ICalUId ?? ImmutableId);
}

/// <summary>A meeting in the review window, with the workflow it was tagged for, if any.</summary>
public sealed record CalendarSlot(string ImmutableId, string? Subject, DateTimeOffset Start, DateTimeOffset End, string? WorkflowId, IReadOnlyList<string> Categories);

/// <summary>A person's mailbox, on their behalf: context of items, tags that show in every Outlook, and the calendar.</summary>
public interface IMailbox
{
    /// <summary>False where no mailbox can be reached (local development, or Graph not configured).</summary>
    bool IsAvailable { get; }

    Task<MailItemContext?> GetAsync(UserId mailbox, ItemKind kind, string itemId, CancellationToken cancellationToken);

    /// <summary>Marks the item with the workflow (an extended property) and the quadrant's category, creating the category once.</summary>
    Task TagAsync(UserId mailbox, ItemKind kind, string itemId, string workflowId, Quadrant quadrant, CancellationToken cancellationToken);

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

    public Task<IReadOnlyList<string>> FindTaggedAsync(UserId mailbox, ItemKind kind, string workflowId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<CalendarSlot>> CalendarAsync(UserId mailbox, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CalendarSlot>>([]);
}
