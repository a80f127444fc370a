namespace Workflow.Domain;

/// <summary>
/// Something that happened to a workflow. Events are facts: named in the past tense, never changed once stored.
/// <see cref="By"/> is the party who made it happen and <see cref="At"/> when; the decider stamps both on every
/// event it returns.
/// </summary>
public abstract record WorkflowEvent
{
    public PartyRole By { get; init; }
    public DateTimeOffset At { get; init; }
}

public sealed record WorkflowOpened(
    string Id, string Concern, Party Customer, Party Performer, Terms? Terms, string? RepeatOf) : WorkflowEvent;

public sealed record Requested(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

public sealed record Offered(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

/// <summary>The request or offer was withdrawn before a promise formed.</summary>
public sealed record Withdrawn(string? Reason) : WorkflowEvent;

public sealed record Promised(int TermsVersion) : WorkflowEvent;

public sealed record Countered(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

public sealed record Declined(string? Reason) : WorkflowEvent;

/// <summary>commitToCommit: "I'll answer by …" — moves the reply-by clock, keeps the state.</summary>
public sealed record ReplyPromised(DateTimeOffset ReplyBy) : WorkflowEvent;

public sealed record CounterAccepted(int TermsVersion) : WorkflowEvent;

public sealed record CompletionReported(DateTimeOffset AssessBy, string? Text) : WorkflowEvent;

public sealed record Reneged(string? Reason) : WorkflowEvent;

public sealed record Cancelled(string? Reason) : WorkflowEvent;

public sealed record ChangeProposed(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

public sealed record ChangeAccepted(int TermsVersion) : WorkflowEvent;

public sealed record ChangeRejected(string? Reason) : WorkflowEvent;

public sealed record ChangeWithdrawn(string? Reason) : WorkflowEvent;

public sealed record CheckedIn(string? Text) : WorkflowEvent;

public sealed record ProgressReported(string? Text) : WorkflowEvent;

public sealed record SatisfactionDeclared(string? Text) : WorkflowEvent;

public sealed record DissatisfactionDeclared(string Gaps) : WorkflowEvent;

public sealed record NoteAdded(string Text) : WorkflowEvent;

/// <summary>A new cycle between the same parties was started from this closed one.</summary>
public sealed record Repeated(string NewWorkflowId) : WorkflowEvent;

public sealed record ItemLinked(ItemLink Item) : WorkflowEvent;

public sealed record ItemUnlinked(string Key) : WorkflowEvent;

/// <summary>A pending party was found in the directory and is now a known user.</summary>
/// <summary>A pending party was found in the directory; <see cref="Email"/> is the address as found there (null in older histories).</summary>
public sealed record PartyBound(PartyRole Role, UserId User, string? DisplayName, string? Email = null) : WorkflowEvent;
