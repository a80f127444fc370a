using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The event store on Azure Table Storage. One partition per workflow holds:
/// <list type="bullet">
/// <item><c>state</c> — the current state (what every read needs, in one point read);</item>
/// <item><c>event-0000000042</c> — one row per event, keyed by version: append-only;</item>
/// <item><c>idempotency-&lt;hash&gt;</c> — what a request with that idempotency key produced;</item>
/// <item><c>outbox-0000000042-projectIndex</c> — a follow-up the commit of that version owes, until it is done
/// (docs/decisions/0008), with the commit's lease, if it has one (docs/decisions/0017);</item>
/// <item><c>projection</c> — how far the index projection got, in rows written before the outbox said it
/// (docs/decisions/0002); no longer written or read: a pending <c>projectIndex</c> row names its own commit.</item>
/// </list>
/// Every commit is one entity-group transaction. The guard against two writers is the event row key: both would add
/// the same <c>event-N</c>, so the second transaction fails with 409 on Azure and on Azurite alike (chosen when Azurite
/// did not check ETags inside transactions — docs/decisions/0002; it does since 3.37, pinned in StorageTests).
/// </summary>
public sealed class TableWorkflowStore(TableStorage tables) : IWorkflowStore, IOutbox
{
    internal const string StateRow = "state";
    internal const string EventPrefix = "event-";

    /// <summary>The first row key after every event row ('.' follows '-').</summary>
    internal const string EventEnd = "event.";
    internal const string IdempotencyPrefix = "idempotency-";
    internal const string OutboxPrefix = "outbox-";

    /// <summary>The first row key after every outbox row ('.' follows '-').</summary>
    private const string OutboxEnd = "outbox.";

    /// <summary>An outbox row's column: its commit's <see cref="Commit.LeaseUntil"/>, absent when it had none.</summary>
    private const string LeaseColumn = "LeaseUntil";

    internal static string EventRow(int version) => EventPrefix + version.ToString("D10", CultureInfo.InvariantCulture);

    public async Task<WorkflowState?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var state = await tables.Workflows.GetEntityIfExistsAsync<TableEntity>(id, StateRow, cancellationToken: cancellationToken);
        return state.HasValue ? ReadState(state.Value!) : null;
    }

    public async Task<IdempotencyRecord?> FindIdempotencyAsync(string id, IdempotencyScope scope, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = await tables.Workflows.GetEntityIfExistsAsync<TableEntity>(
            id, IdempotencyPrefix + scope.StorageKey, cancellationToken: cancellationToken);
        return row.HasValue
            ? new IdempotencyRecord(scope.StorageKey, row.Value!.GetString("RequestHash"), row.Value.GetInt32("ResultVersion") ?? 0)
            : null;
    }

    public async Task<StoredEvent?> EventAsync(string id, int version, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var row = await tables.Workflows.GetEntityIfExistsAsync<TableEntity>(id, EventRow(version), cancellationToken: cancellationToken);
        return row.HasValue ? ReadEvent(row.Value!) : null;
    }

    public async Task<CommitOutcome> CreateAsync(Commit commit, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        return await SubmitAsync(
            [new TableTransactionAction(TableTransactionActionType.Add, StateEntity(commit.State)), .. Appends(commit)],
            cancellationToken);
    }

    public async Task<CommitOutcome> AppendAsync(int expectedVersion, Commit commit, CancellationToken cancellationToken)
    {
        if (commit.Events.Count == 0 || commit.Events[0].Version != expectedVersion + 1 || commit.Events[^1].Version != commit.State.Version)
        {
            throw new ArgumentException("Events must continue the history from the expected version to the new state's.", nameof(commit));
        }
        await tables.EnsureCreatedAsync();
        // The state row is replaced unconditionally: the event rows' Add is what refuses a second writer, and the
        // whole transaction fails with it.
        return await SubmitAsync(
            [new TableTransactionAction(TableTransactionActionType.UpdateReplace, StateEntity(commit.State), ETag.All), .. Appends(commit)],
            cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> HistoryAsync(string id, int? toVersion, CancellationToken cancellationToken) =>
        HistoryRangeAsync(id, 1, toVersion ?? int.MaxValue, cancellationToken);

    public async Task<IReadOnlyList<StoredEvent>> HistoryRangeAsync(string id, int fromVersion, int toVersion, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var from = EventRow(Math.Max(1, fromVersion));
        var to = EventRow(toVersion);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {from} and RowKey le {to}");
        var history = new List<StoredEvent>();
        await foreach (var entity in tables.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            history.Add(ReadEvent(entity));
        }
        return history;
    }

    public async Task<(WorkflowState State, IReadOnlyList<StoredEvent> Events)?> LoadWithEventsAsync(
        string id, int fromVersion, int toVersion, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {id} and (RowKey eq {StateRow} or (RowKey ge {EventRow(Math.Max(1, fromVersion))} and RowKey le {EventRow(toVersion)}))");
        WorkflowState? state = null;
        var events = new List<StoredEvent>();
        await foreach (var row in tables.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == StateRow)
            {
                state = ReadState(row);
            }
            else
            {
                events.Add(ReadEvent(row));
            }
        }
        return state is null ? null : (state, events);
    }

    internal static StoredEvent ReadEvent(TableEntity entity)
    {
        var actor = entity.GetString("ActorTenant") is { } tenant && entity.GetString("ActorObject") is { } obj
            ? new UserId(tenant, obj)
            : null;
        var via = entity.GetString("Via") is { } channel ? new Via(channel, entity.GetString("ViaEmail") ?? "") : null;
        return new StoredEvent(
            entity.GetInt32("Version") ?? 0, StorageJson.ReadEvent(entity), actor, entity.GetString("IdempotencyKey"), entity.GetString("CommitId"), via);
    }

    internal static WorkflowState ReadState(TableEntity entity) => StorageJson.ReadData<WorkflowState>(entity);

    private static TableEntity StateEntity(WorkflowState state)
    {
        var entity = new TableEntity(state.Id, StateRow)
        {
            ["Version"] = state.Version,
            ["Status"] = WorkflowDecider.Name(state.Status),
        };
        StorageJson.WriteData(entity, state);
        return entity;
    }

    private static IEnumerable<TableTransactionAction> Appends(Commit commit)
    {
        var id = commit.State.Id;
        foreach (var stored in commit.Events)
        {
            var entity = new TableEntity(id, EventRow(stored.Version))
            {
                ["Version"] = stored.Version,
                ["Type"] = EventNames.Of(stored.Event),
                ["ActorTenant"] = stored.Actor?.TenantId,
                ["ActorObject"] = stored.Actor?.ObjectId,
                ["IdempotencyKey"] = stored.IdempotencyKey,
                ["CommitId"] = stored.CommitId,
                ["Via"] = stored.Via?.Channel,
                ["ViaEmail"] = stored.Via?.Email,
            };
            StorageJson.WriteData(entity, stored.Event);
            yield return new TableTransactionAction(TableTransactionActionType.Add, entity);
        }
        if (commit.Idempotency is { } idempotency)
        {
            yield return new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, IdempotencyPrefix + idempotency.Key)
            {
                ["RequestHash"] = idempotency.RequestHash,
                ["ResultVersion"] = idempotency.ResultVersion,
            });
        }
        foreach (var followUp in commit.FollowUps)
        {
            var entity = new TableEntity(id, OutboxRow(followUp))
            {
                ["Type"] = followUp.Name, ["Version"] = followUp.Version, [LeaseColumn] = commit.LeaseUntil,
            };
            StorageJson.WriteData(entity, followUp);
            yield return new TableTransactionAction(TableTransactionActionType.Add, entity);
        }
    }

    internal static string OutboxRow(FollowUp followUp) =>
        OutboxPrefix + followUp.Version.ToString("D10", CultureInfo.InvariantCulture) + "-" + followUp.Name;

    public async Task<IReadOnlyList<PendingFollowUp>> PendingAsync(string workflowId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workflowId} and RowKey ge {OutboxPrefix} and RowKey lt {OutboxEnd}");
        var pending = new List<PendingFollowUp>();
        await foreach (var row in tables.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            pending.Add(new PendingFollowUp(workflowId, StorageJson.ReadFollowUp(row), row.GetDateTimeOffset(LeaseColumn)));
        }
        return pending;
    }

    public async Task DoneAsync(string workflowId, IReadOnlyList<FollowUp> done, CancellationToken cancellationToken)
    {
        if (done.Count == 0)
        {
            return;
        }
        await tables.EnsureCreatedAsync();
        var rows = done.Select(OutboxRow).Distinct(StringComparer.Ordinal).ToList();
        // One transaction for a commit's follow-ups (they share the workflow's partition). If another dispatcher crossed
        // one off first, the transaction fails as a whole and each row is crossed off alone: a delete of a row already
        // gone answers 404, which the SDK's DeleteEntity treats as done.
        if (rows.Count > 1 && rows.Count <= 100)
        {
            try
            {
                await tables.Workflows.SubmitTransactionAsync(
                    [.. rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(workflowId, row), ETag.All))],
                    cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
            }
        }
        foreach (var row in rows)
        {
            await tables.Workflows.DeleteEntityAsync(workflowId, row, ETag.All, cancellationToken);
        }
    }

    public async IAsyncEnumerable<string> WorkflowsWithPendingAsync(
        DateTimeOffset now, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"RowKey ge {OutboxPrefix} and RowKey lt {OutboxEnd}");
        string? last = null;
        await foreach (var row in tables.Workflows.QueryAsync<TableEntity>(filter, select: ["PartitionKey", LeaseColumn], cancellationToken: cancellationToken))
        {
            // Rows come partition by partition: one workflow with several follow-ups is named once. A row still leased to
            // the instance that committed it is that instance's (rows written before leases have none).
            if (row.PartitionKey != last && PendingFollowUp.IsFree(row.GetDateTimeOffset(LeaseColumn), now))
            {
                last = row.PartitionKey;
                yield return row.PartitionKey;
            }
        }
    }

    private async Task<CommitOutcome> SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Workflows.SubmitTransactionAsync(actions, cancellationToken);
            return CommitOutcome.Committed;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return CommitOutcome.VersionTaken;
        }
    }
}
