using Workflow.Domain;

namespace Workflow.Application;

/// <summary>What a request carrying an idempotency key did: its request's fingerprint and the version it produced.</summary>
public sealed record IdempotencyRecord(string Key, string RequestHash, int ResultVersion);

/// <summary>
/// One stored event with who made it and under which idempotency key. <see cref="CommitId"/> is chosen by the server
/// for each commit, so a commit whose response was lost can recognise itself when the SDK's retry meets it.
/// </summary>
public sealed record StoredEvent(int Version, WorkflowEvent Event, UserId? Actor, string? IdempotencyKey, string? CommitId = null, Via? Via = null)
{
    /// <summary>Made by someone outside the organisation through the personal link a mail gave them.</summary>
    public const string ViaMailedLink = "mailedLink";
}

/// <summary>How a move reached us when not from a signed-in user: the channel, and the address the link was mailed to.</summary>
public sealed record Via(string Channel, string Email);

/// <summary>
/// Everything one write stores, in one transaction: the new state, its events, what the idempotency key produced, and
/// the follow-ups the write owes (outbox rows, dispatched after the commit — docs/decisions/0008).
/// </summary>
public sealed record Commit(
    WorkflowState State, IReadOnlyList<StoredEvent> Events, IdempotencyRecord? Idempotency, IReadOnlyList<FollowUp> FollowUps)
{
    /// <summary>
    /// Until when the follow-ups are the committing instance's own: it may hold the notice in memory and mail it, and
    /// the sweep leaves the outbox rows alone until then (docs/decisions/0017). Null: the sweep may take them at once.
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}

public enum CommitOutcome
{
    Committed,
    /// <summary>Another writer committed this version first; nothing of ours was stored.</summary>
    VersionTaken,
}

/// <summary>
/// The event store port: a workflow is an append-only history plus its current state and its pending follow-ups,
/// committed atomically. Two writers that start from the same version can never both commit.
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
    Task<CommitOutcome> CreateAsync(Commit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Appends the commit's events (versions after <paramref name="expectedVersion"/>) and stores its state and
    /// follow-ups in one transaction. <see cref="CommitOutcome.VersionTaken"/> if the workflow moved on.
    /// </summary>
    Task<CommitOutcome> AppendAsync(int expectedVersion, Commit commit, CancellationToken cancellationToken);

    /// <summary>Every event up to and including <paramref name="toVersion"/> (all when null), in order.</summary>
    Task<IReadOnlyList<StoredEvent>> HistoryAsync(string id, int? toVersion, CancellationToken cancellationToken);

    /// <summary>
    /// The current state and the events from <paramref name="fromVersion"/> to <paramref name="toVersion"/>, in one
    /// query (what telling someone of those events needs); null if there is no such workflow.
    /// </summary>
    Task<(WorkflowState State, IReadOnlyList<StoredEvent> Events)?> LoadWithEventsAsync(
        string id, int fromVersion, int toVersion, CancellationToken cancellationToken);

    /// <summary>The events from <paramref name="fromVersion"/> to <paramref name="toVersion"/> inclusive, in order (one range query).</summary>
    Task<IReadOnlyList<StoredEvent>> HistoryRangeAsync(string id, int fromVersion, int toVersion, CancellationToken cancellationToken);
}

/// <summary>An idempotency key as the store keeps it: scoped to the user who sent it.</summary>
public sealed record IdempotencyScope(UserId User, string Key)
{
    /// <summary>A stable, storage-safe name for this key: users never collide, and any text is a valid row key.</summary>
    public string StorageKey => Hashing.Sha256Hex($"{User.TenantId}\n{User.ObjectId}\n{Key}");
}

/// <summary>Workflow ids: 32 lowercase hex digits. Anything else cannot exist, so it is simply not found.</summary>
public static class WorkflowIds
{
    public static bool IsValid(string id) =>
        id.Length == 32 && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
