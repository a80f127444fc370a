using Workflow.Domain;

namespace Workflow.Application;

/// <summary>
/// What a commit owes once it is stored. Written as an outbox row in the workflow's partition, in the commit's own
/// transaction, then dispatched off the request path and retried until done (docs/decisions/0008). Each one is safe
/// to run twice: a crash between doing it and crossing it off repeats it, and the repeat changes nothing.
/// </summary>
public abstract record FollowUp(int Version)
{
    /// <summary>
    /// The follow-ups of one commit, which took the workflow from <paramref name="before"/> (null for a new one) to
    /// <paramref name="committed"/>. The one place a new kind of follow-up is added.
    /// </summary>
    public static IReadOnlyList<FollowUp> For(WorkflowState? before, WorkflowState committed, IReadOnlyList<StoredEvent> events)
    {
        var owed = new List<FollowUp> { new ProjectIndex(committed.Version, (before?.Version ?? 0) + 1) };
        foreach (var stored in events)
        {
            if (stored.Event is Repeated repeated)
            {
                owed.Add(new StartCycle(stored.Version, repeated.NewWorkflowId, repeated.By));
            }
        }
        // The moves made in a meeting become its outcomes.
        if (events.Any(e => e.Event.InMeeting is not null))
        {
            owed.Add(new RecordOutcomes(committed.Version, (before?.Version ?? 0) + 1));
        }
        // Each party's figures fold in the commit's events, when any of them can change a fact.
        if (events.Any(e => LoopFacts.Concerns(e.Event)))
        {
            owed.Add(new ProjectFigures(committed.Version, (before?.Version ?? 0) + 1));
        }
        // One row per event and recipient: the row's key (its version, and "also" for an event's second recipient) is what
        // makes telling them happen once.
        foreach (var told in Notifications.Of(before, events.Select(s => (s.Event, s.Version))).GroupBy(t => t.Version))
        {
            var recipients = told.Select(t => t.Recipient).Distinct().ToList();
            owed.Add(new Notify(told.Key, recipients[0]));
            if (recipients.Count > 1)
            {
                owed.Add(new NotifyAlso(told.Key, recipients[1]));
            }
        }
        return owed;
    }

    /// <summary>
    /// The names follow-ups are stored under: fixed here, never derived from a class name, so renaming a class cannot
    /// strand a row in the outbox (FollowUpNameTests pins them).
    /// </summary>
    public static readonly IReadOnlyDictionary<Type, string> Names = new Dictionary<Type, string>
    {
        [typeof(ProjectIndex)] = "projectIndex",
        [typeof(StartCycle)] = "startCycle",
        [typeof(Notify)] = "notify",
        [typeof(NotifyAlso)] = "notifyAlso",
        [typeof(RecordOutcomes)] = "meetingOutcomes",
        [typeof(ProjectFigures)] = "projectFigures",
    };

    public string Name => Names[GetType()];

    public static Type? TypeNamed(string name) => Names.FirstOrDefault(n => n.Value == name).Key;
}

/// <summary>
/// Bring the parties' lists, the item links and the people registry up to the committed version. <see cref="From"/> is
/// the commit's first version: what the projection must look at (unlinks, parties bound) starts there. Rows stored
/// before it existed read as 0, which means "from the first event".
/// </summary>
public sealed record ProjectIndex(int Version, int From = 0) : FollowUp(Version);

/// <summary>Create the new cycle a repeat names (its id was fixed by the repeat, so it is created once).</summary>
public sealed record StartCycle(int Version, string NewWorkflowId, PartyRole By) : FollowUp(Version);

/// <summary>
/// Tell <see cref="Recipient"/> of the event stored at <see cref="FollowUp.Version"/>: it becomes a notice in their
/// notice box, mailed by their preferences (immediately, coalesced with other moves on the workflow, or in a summary).
/// </summary>
public record Notify(int Version, PartyRole Recipient) : FollowUp(Version);

/// <summary>
/// An event's second recipient (a role's cycle opened by its schedule tells both its parties): a <see cref="Notify"/> under
/// a row of its own, since an outbox row is named by its version and name.
/// </summary>
public sealed record NotifyAlso(int Version, PartyRole Recipient) : Notify(Version, Recipient);

/// <summary>Record the moves of the commit from <see cref="From"/> to <see cref="FollowUp.Version"/> made in a meeting as its outcomes.</summary>
public sealed record RecordOutcomes(int Version, int From) : FollowUp(Version);

/// <summary>Fold the events from <see cref="From"/> to <see cref="FollowUp.Version"/> into each party's figures row.</summary>
public sealed record ProjectFigures(int Version, int From) : FollowUp(Version);

/// <summary>
/// A follow-up waiting in a workflow's outbox (its row is named by its version and name). <see cref="LeaseUntil"/> is its
/// commit's <see cref="Commit.LeaseUntil"/>: until then it is the committing instance's to finish.
/// </summary>
public sealed record PendingFollowUp(string WorkflowId, FollowUp FollowUp, DateTimeOffset? LeaseUntil = null)
{
    /// <summary>Whether a sweep may take it at <paramref name="now"/>: its commit's lease, if it had one, has run out.</summary>
    public bool IsFree(DateTimeOffset now) => IsFree(LeaseUntil, now);

    public static bool IsFree(DateTimeOffset? leaseUntil, DateTimeOffset now) => leaseUntil is not { } lease || lease <= now;
}

/// <summary>The outbox: follow-ups are written by the store's commits, read and crossed off here.</summary>
public interface IOutbox
{
    /// <summary>A workflow's follow-ups not yet done, oldest first (one range query).</summary>
    Task<IReadOnlyList<PendingFollowUp>> PendingAsync(string workflowId, CancellationToken cancellationToken);

    /// <summary>Crosses follow-ups of one workflow off, in one request. Crossing one off twice is not an error.</summary>
    Task DoneAsync(string workflowId, IReadOnlyList<FollowUp> done, CancellationToken cancellationToken);

    /// <summary>
    /// Every workflow with follow-ups left behind (by a crash, a failure, or another instance) that a sweep may take at
    /// <paramref name="now"/>: a workflow whose every pending row is still leased to the instance that committed it is not named.
    /// </summary>
    IAsyncEnumerable<string> WorkflowsWithPendingAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The read side's writer: brings a workflow's index rows up to its stored state.</summary>
public interface IIndexProjection
{
    /// <summary>
    /// Projects one commit from what it stored (no read of the workflow): the dispatch right after the commit.
    /// A later commit's projection may have run first; nothing it wrote is overwritten.
    /// </summary>
    Task ProjectCommitAsync(Commit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Projects the workflow's current state, looking at its events from <paramref name="fromVersion"/> on (the first
    /// commit not yet projected), and returns the version its index rows now show: the sweep's way, after a crash.
    /// </summary>
    Task<int> ProjectAsync(string workflowId, int fromVersion, CancellationToken cancellationToken);
}
