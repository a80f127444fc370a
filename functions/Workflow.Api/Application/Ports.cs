using Workflow.Domain;

namespace Workflow.Api.Application;

/// <summary>What a request carrying an idempotency key did: its request's fingerprint and the version it produced.</summary>
public sealed record IdempotencyRecord(string Key, string RequestHash, int ResultVersion);

/// <summary>
/// One stored event with who made it and under which idempotency key. <see cref="CommitId"/> is chosen by the server
/// for each commit, so a commit whose response was lost can recognise itself when the SDK's retry meets it.
/// </summary>
public sealed record StoredEvent(int Version, WorkflowEvent Event, UserId? Actor, string? IdempotencyKey, string? CommitId = null);

public enum CommitOutcome
{
    Committed,
    /// <summary>Another writer committed this version first; nothing of ours was stored.</summary>
    VersionTaken,
}

/// <summary>
/// The event store port: a workflow is an append-only history plus its current state, committed atomically.
/// Two writers that start from the same version can never both commit.
/// </summary>
public interface IWorkflowStore
{
    /// <summary>The current state (one point read); null if there is no such workflow.</summary>
    Task<WorkflowState?> LoadAsync(string id, CancellationToken cancellationToken);

    /// <summary>What an earlier request with this idempotency key produced on this workflow, if there was one.</summary>
    Task<IdempotencyRecord?> FindIdempotencyAsync(string id, IdempotencyScope scope, CancellationToken cancellationToken);

    /// <summary>The event stored at <paramref name="version"/>, if any.</summary>
    Task<StoredEvent?> EventAsync(string id, int version, CancellationToken cancellationToken);

    /// <summary>Creates a workflow from its first events. <see cref="CommitOutcome.VersionTaken"/> if the id exists.</summary>
    Task<CommitOutcome> CreateAsync(
        WorkflowState state, IReadOnlyList<StoredEvent> events, IdempotencyRecord? idempotency, CancellationToken cancellationToken);

    /// <summary>
    /// Appends <paramref name="events"/> (versions after <paramref name="expectedVersion"/>) and stores
    /// <paramref name="state"/> in one transaction. <see cref="CommitOutcome.VersionTaken"/> if the workflow moved on.
    /// </summary>
    Task<CommitOutcome> AppendAsync(
        int expectedVersion, WorkflowState state, IReadOnlyList<StoredEvent> events, IdempotencyRecord? idempotency, CancellationToken cancellationToken);

    /// <summary>Every event up to and including <paramref name="toVersion"/> (all when null), in order.</summary>
    Task<IReadOnlyList<StoredEvent>> HistoryAsync(string id, int? toVersion, CancellationToken cancellationToken);

    /// <summary>The events from <paramref name="fromVersion"/> to <paramref name="toVersion"/> inclusive, in order (one range query).</summary>
    Task<IReadOnlyList<StoredEvent>> HistoryRangeAsync(string id, int fromVersion, int toVersion, CancellationToken cancellationToken);
}

/// <summary>An idempotency key as the store keeps it: scoped to the user who sent it.</summary>
public sealed record IdempotencyScope(UserId User, string Key)
{
    /// <summary>A stable, storage-safe name for this key: users never collide, and any text is a valid row key.</summary>
    public string StorageKey => Hashing.Sha256Hex($"{User.TenantId}\n{User.ObjectId}\n{Key}");
}

/// <summary>One line of a person's lists (the person index).</summary>
public sealed record WorkflowSummary(
    string Id,
    int Version,
    string Concern,
    PartyRole Role,
    WorkflowStatus Status,
    Quadrant Quadrant,
    PartyRole? WhoseMove,
    string Counterpart,
    ClockKind? NextClock,
    DateTimeOffset? NextClockAt,
    DateTimeOffset UpdatedAt,
    Clocks Clocks,
    DateTimeOffset? CheckedInAt);

public enum ListView
{
    All,
    /// <summary>Every workflow not yet closed, whatever its quadrant or whose move: what the weekly review reads.</summary>
    Active,
    IOwe,
    OwedToMe,
    MyMove,
}

public sealed record ListQuery(ListView View, Quadrant? Quadrant, DateTimeOffset? DueBefore, string? Cursor);

public sealed record ListPage(IReadOnlyList<WorkflowSummary> Items, string? NextCursor);

/// <summary>The read side: index entities kept in other partitions, updated after each commit.</summary>
public interface IWorkflowIndex
{
    Task<ListPage> ListAsync(UserId user, ListQuery query, CancellationToken cancellationToken);

    /// <summary>The workflows linked to an item that <paramref name="user"/> is a party of.</summary>
    Task<IReadOnlyList<WorkflowSummary>> LinkedToAsync(string itemKey, UserId user, CancellationToken cancellationToken);
}

/// <summary>Brings a workflow's index entities up to date after a commit, and lets readers wait for that.</summary>
public interface IIndexUpdates
{
    void Enqueue(WorkflowState state);

    /// <summary>Waits (briefly) for queued index updates that concern <paramref name="user"/>, so a person sees their own writes.</summary>
    Task WaitForUserAsync(UserId user, CancellationToken cancellationToken);
}

/// <summary>A person as the directory knows them. A guest is an account invited from outside the tenant.</summary>
public sealed record DirectoryUser(UserId Id, string Email, string DisplayName, bool IsGuest = false);

/// <summary>How parties named by email are bound through the directory (configuration section "Directory").</summary>
public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>Bind guest accounts too. Off by default: only the tenant's members are bound by address.</summary>
    public bool AllowGuests { get; set; }

    /// <summary>How long "the directory does not know this email" is believed before asking again.</summary>
    public TimeSpan MissLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many misses are remembered per process.</summary>
    public int MissesRemembered { get; set; } = 10_000;
}

/// <summary>The organisation's directory: the only way an email becomes a (tenant, object id).</summary>
public interface IDirectory
{
    Task<DirectoryUser?> FindByEmailAsync(string tenantId, string email, CancellationToken cancellationToken);

    Task<DirectoryUser?> FindByIdAsync(UserId id, CancellationToken cancellationToken);
}
