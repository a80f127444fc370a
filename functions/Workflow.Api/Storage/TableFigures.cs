using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The figures table: one row per person and workflow (partition: the person's user key, like their lists), holding
/// the facts of that workflow folded up to a version (<see cref="LoopFacts"/>). A commit folds its own events into the
/// row it knows (remembered here with its ETag, so no read), and writes only when a fact changed; a row behind the
/// commit (a restart, a party just bound or just sent the workflow) catches up from one range query of the history.
/// Every write is ETag-guarded: a row written elsewhere since is read again and folded from what it shows.
/// </summary>
public sealed class TableFigures(TableStorage tables, TableWorkflowStore store) : IFigureStore, IFigureProjection, IDisposable
{
    private const int GuardedWriteAttempts = 5;

    /// <summary>What this instance knows of a row: the version its facts are folded to (at least the stored one), its ETag.</summary>
    private sealed record Known(bool Exists, int Version, ETag ETag, FigureRow? Row);

    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public async Task<IReadOnlyList<FigureRow>> OfAsync(UserId user, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {IndexEntities.UserKey(user)} and CountsAt ge {since}");
        var rows = new List<FigureRow>();
        await foreach (var entity in tables.Figures.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            rows.Add(Read(entity));
        }
        return rows;
    }

    public async Task ProjectCommitAsync(Commit commit, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            await ProjectPartyAsync(commit.State, role, commit.Events, cancellationToken);
        }
    }

    public async Task<int> ProjectAsync(string workflowId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        if (await store.LoadAsync(workflowId, cancellationToken) is not { } state)
        {
            return 0;
        }
        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            await ProjectPartyAsync(state, role, [], cancellationToken);
        }
        return state.Version;
    }

    private async Task ProjectPartyAsync(WorkflowState state, PartyRole role, IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        // A party not yet found in the directory has no partition; one who may not see the draft has no facts in it.
        if (state[role].User is not { } user || !state.IsVisibleTo(role))
        {
            return;
        }
        var partition = IndexEntities.UserKey(user);
        var key = partition + "\n" + state.Id;
        for (var attempt = 0; attempt < GuardedWriteAttempts; attempt++)
        {
            var known = _known.TryGetValue(key, out Known? remembered) && remembered is not null
                ? remembered
                : await ReadAsync(partition, state.Id, cancellationToken);
            if (known.Version >= state.Version)
            {
                return;
            }
            var firstInHand = events.Count > 0 ? events[0].Version : state.Version + 1;
            var missing = known.Version + 1 < firstInHand
                ? await store.HistoryRangeAsync(state.Id, known.Version + 1, firstInHand - 1, cancellationToken)
                : [];
            var facts = missing.Concat(events.Where(e => e.Version > known.Version && e.Version <= state.Version))
                .Aggregate(known.Row?.Facts ?? LoopFacts.None, (f, e) => LoopFacts.Fold(f, e.Event));
            var other = state[WorkflowState.Other(role)];
            var row = new FigureRow(state.Id, role, other.Shown(), other.Email, facts);
            if (known.Exists && row == known.Row)
            {
                // Nothing changed that anyone's figures show: remember how far it is folded, and write nothing.
                Remember(key, known with { Version = state.Version });
                return;
            }
            try
            {
                var entity = Entity(partition, state.Version, row);
                var answer = known.Exists
                    ? await tables.Figures.UpdateEntityAsync(entity, known.ETag, TableUpdateMode.Replace, cancellationToken)
                    : await tables.Figures.AddEntityAsync(entity, cancellationToken);
                Remember(key, new Known(true, state.Version, answer.Headers.ETag ?? default, row));
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Written or removed elsewhere since: read the row again and fold from what it shows.
                _known.Remove(key);
            }
        }
        throw new InvalidOperationException($"Figures row {partition}/{state.Id} kept changing; the sweep will retry.");
    }

    private async Task<Known> ReadAsync(string partition, string workflowId, CancellationToken cancellationToken)
    {
        var existing = await tables.Figures.GetEntityIfExistsAsync<TableEntity>(partition, workflowId, cancellationToken: cancellationToken);
        return existing.HasValue
            ? new Known(true, existing.Value!.GetInt32("Version") ?? 0, existing.Value.ETag, Read(existing.Value))
            : new Known(false, 0, default, null);
    }

    private void Remember(string key, Known known) =>
        _known.Set(key, known, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });

    private static TableEntity Entity(string partition, int version, FigureRow row)
    {
        var entity = new TableEntity(partition, row.WorkflowId)
        {
            ["Version"] = version,
            ["Role"] = WorkflowDecider.Name(row.Role),
            ["Counterpart"] = row.Counterpart,
            ["CounterpartEmail"] = row.CounterpartEmail,
            // The week it counts in, as a column: a window's rows are one filtered query of the partition.
            ["CountsAt"] = row.Facts.CountsAt,
        };
        StorageJson.WriteData(entity, row.Facts);
        return entity;
    }

    private static FigureRow Read(TableEntity e) => new(
        e.RowKey,
        Enum.Parse<PartyRole>(e.GetString("Role") ?? "customer", ignoreCase: true),
        e.GetString("Counterpart") ?? "",
        e.GetString("CounterpartEmail"),
        StorageJson.ReadData<LoopFacts>(e));

    public void Dispose() => _known.Dispose();
}
