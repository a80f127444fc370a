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

    /// <summary>The meeting the move was made in, when it was made in one (its outcomes are these events).</summary>
    public MeetingRef? InMeeting { get; init; }
}

public sealed record WorkflowOpened(
    string Id, string Concern, Party Customer, Party Performer, Terms? Terms, string? RepeatOf) : WorkflowEvent
{
    /// <summary>The workflow this one was opened under, as its dual or a delegation (null for most).</summary>
    public ParentRef? Parent { get; init; }
    /// <summary>The role and occurrence this workflow is a cycle of, when a role's schedule opened it.</summary>
    public CycleRef? Cycle { get; init; }
}

public sealed record Requested(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

public sealed record Offered(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

/// <summary>The request or offer was withdrawn before a promise formed.</summary>
public sealed record Withdrawn(string? Reason) : WorkflowEvent;

public sealed record Promised(int TermsVersion) : WorkflowEvent;

public sealed record Countered(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

public sealed record Declined(string? Reason) : WorkflowEvent;

/// <summary>commitToCommit: "I'll answer by …" — moves the reply-by clock, keeps the state.</summary>
public sealed record ReplyPromised(DateTimeOffset ReplyBy) : WorkflowEvent;

/// <summary>
/// nudge: the customer reminds the performer of a request still unanswered. State unchanged; a <see cref="ReplyBy"/>
/// extends the performer's reply-by clock ("nudge, extend, or withdraw from the same place").
/// </summary>
public sealed record Nudged(DateTimeOffset? ReplyBy, string? Text) : WorkflowEvent;

/// <summary>
/// The performer recorded a request the customer made elsewhere (in a mail: "she asked me"), opening the workflow
/// directly in requested. <see cref="WorkflowEvent.By"/> is the performer: the history says who wrote it down, and
/// the customer, told of it, keeps every move the table gives them (withdraw, nudge, a note).
/// </summary>
public sealed record RequestRecorded(Terms Terms, DateTimeOffset ReplyBy) : WorkflowEvent;

/// <summary>
/// The customer recorded a promise the performer made elsewhere ("he promised me"), opening the workflow directly in
/// promised. <see cref="WorkflowEvent.By"/> is the customer; the performer, told of it, may dispute it (propose a
/// change, renege) like any promise.
/// </summary>
public sealed record PromiseRecorded(Terms Terms) : WorkflowEvent;

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

/// <summary>A pending party was found in the directory; <see cref="Email"/> is the address as found there (null in older histories).</summary>
public sealed record PartyBound(PartyRole Role, UserId User, string? DisplayName, string? Email = null) : WorkflowEvent;

/// <summary>The customer will check in every <see cref="EveryDays"/> days (null: no cadence, the review's default applies).</summary>
public sealed record CheckInCadenceSet(int? EveryDays) : WorkflowEvent;

/// <summary>The customer marked the concern an objective (or no longer one).</summary>
public sealed record ObjectiveMarked(bool Objective) : WorkflowEvent;

/// <summary>The customer of a delegated child showed it to the parent's customer (or stopped).</summary>
public sealed record SharedWithParent(bool Shared) : WorkflowEvent;

/// <summary>A party's feedback on the closed loop: the customer's on the result, the performer's on the customership.</summary>
public sealed record FeedbackGiven(string? Text, FeedbackAnswers Answers) : WorkflowEvent;

/// <summary>The personal links mailed to <see cref="Party"/> before this event no longer work.</summary>
public sealed record GuestLinksRevoked(PartyRole Party) : WorkflowEvent;

/// <summary>
/// The party <see cref="Role"/> had the product forget them (docs/decisions/0016): from here on they are
/// <see cref="Former"/>, a tombstone the other party sees as "a former colleague". Made as that party's own last act;
/// the events before it keep their <see cref="WorkflowEvent.By"/>, and the history names them as the party stands now.
/// </summary>
public sealed record PartyForgotten(PartyRole Role, Party Former) : WorkflowEvent;

/// <summary>
/// The names events are stored and shown under. Fixed here, never derived from a class name: a stored history
/// outlives any refactoring of this code, so renaming a class must not strand its events (EventNameTests pins every
/// name, and fails for an event without one). The names are the ones histories were first written with.
/// </summary>
public static class EventNames
{
    private static readonly Dictionary<Type, string> ByType = new()
    {
        [typeof(WorkflowOpened)] = "WorkflowOpened",
        [typeof(Requested)] = "Requested",
        [typeof(Offered)] = "Offered",
        [typeof(Withdrawn)] = "Withdrawn",
        [typeof(Promised)] = "Promised",
        [typeof(Countered)] = "Countered",
        [typeof(Declined)] = "Declined",
        [typeof(ReplyPromised)] = "ReplyPromised",
        [typeof(CounterAccepted)] = "CounterAccepted",
        [typeof(CompletionReported)] = "CompletionReported",
        [typeof(Reneged)] = "Reneged",
        [typeof(Cancelled)] = "Cancelled",
        [typeof(ChangeProposed)] = "ChangeProposed",
        [typeof(ChangeAccepted)] = "ChangeAccepted",
        [typeof(ChangeRejected)] = "ChangeRejected",
        [typeof(ChangeWithdrawn)] = "ChangeWithdrawn",
        [typeof(CheckedIn)] = "CheckedIn",
        [typeof(ProgressReported)] = "ProgressReported",
        [typeof(SatisfactionDeclared)] = "SatisfactionDeclared",
        [typeof(DissatisfactionDeclared)] = "DissatisfactionDeclared",
        [typeof(NoteAdded)] = "NoteAdded",
        [typeof(Repeated)] = "Repeated",
        [typeof(ItemLinked)] = "ItemLinked",
        [typeof(ItemUnlinked)] = "ItemUnlinked",
        [typeof(PartyBound)] = "PartyBound",
        [typeof(GuestLinksRevoked)] = "GuestLinksRevoked",
        [typeof(Nudged)] = "Nudged",
        [typeof(RequestRecorded)] = "RequestRecorded",
        [typeof(PromiseRecorded)] = "PromiseRecorded",
        [typeof(CheckInCadenceSet)] = "CheckInCadenceSet",
        [typeof(ObjectiveMarked)] = "ObjectiveMarked",
        [typeof(SharedWithParent)] = "SharedWithParent",
        [typeof(FeedbackGiven)] = "FeedbackGiven",
        [typeof(PerformerHandedOver)] = "PerformerHandedOver",
        [typeof(HandoverOffered)] = "HandoverOffered",
        [typeof(HandoverLeft)] = "HandoverLeft",
        [typeof(PartyForgotten)] = "PartyForgotten",
    };

    private static readonly Dictionary<string, Type> ByName = ByType.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyDictionary<Type, string> All => ByType;

    /// <summary>The stored name of <paramref name="e"/>'s kind.</summary>
    public static string Of(WorkflowEvent e) => ByType.TryGetValue(e.GetType(), out var name)
        ? name
        : throw new InvalidOperationException($"{e.GetType().Name} has no stored name: add it to {nameof(EventNames)}.");

    /// <summary>The event type stored under <paramref name="name"/>, or null.</summary>
    public static Type? TypeOf(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The name as the API shows it: camelCase of the stored name ("itemLinked").</summary>
    public static string ApiName(WorkflowEvent e)
    {
        var name = Of(e);
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
