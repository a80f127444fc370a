using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The figures table: one row per person and workflow (partition: the person's user key, like their lists), holding
/// their side of that workflow's facts (<see cref="LoopFacts.Side"/>) and the version they were folded to. A commit
/// folds its own events into the workflow's facts this instance remembers (or, after a restart, into the fold of the
/// history before it: one range query), and writes a party's row only when their side changed — a note, a link, a
/// report, or a move on the other side writes nothing. A row this instance knows is replaced with the ETag it got
/// back; one it does not know is added, and read only if that finds it there. A projection of an older state never
/// overwrites a newer one: the ETag or the stored version stops it.
/// </summary>
public sealed class TableFigures(TableStorage tables, TableWorkflowStore store) : IFigureStore, IFigureProjection, IDisposable
{
    private const int GuardedWriteAttempts = 5;

    /// <summary>What this instance knows of one row: the version it shows, its ETag, and what it holds.</summary>
    private sealed record KnownRow(int Version, ETag ETag, FigureRow Row);

    /// <summary>A workflow's facts folded to a version.</summary>
    private sealed record Folded(int Version, LoopFacts Facts);

    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = 200_000 });

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

    public async Task ForgetAsync(UserId user, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var partition = IndexEntities.UserKey(user);
        var keys = new List<string>();
        await foreach (var row in tables.Figures.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
            select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }
        // DeleteEntity answers a row gone already as done: a retried deletion converges.
        foreach (var key in keys)
        {
            await tables.Figures.DeleteEntityAsync(partition, key, ETag.All, cancellationToken);
        }
    }

    public async Task ProjectCommitAsync(Commit commit, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var state = commit.State;
        var first = commit.Events.Count > 0 ? commit.Events[0].Version : state.Version + 1;
        // A new workflow has no history before its first commit; one this instance folded before needs none read.
        var before = first <= 1 ? LoopFacts.None
            : _known.TryGetValue(state.Id, out Folded? folded) && folded!.Version == first - 1 ? folded.Facts
            : LoopFacts.Of((await store.HistoryRangeAsync(state.Id, 1, first - 1, cancellationToken)).Select(e => e.Event));
        var facts = commit.Events.Aggregate(before, (f, e) => LoopFacts.Fold(f, e.Event));
        await WriteRowsAsync(state, facts, cancellationToken);
    }

    public async Task<int> ProjectAsync(string workflowId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        if (await store.LoadWithEventsAsync(workflowId, 1, int.MaxValue, cancellationToken) is not { } stored)
        {
            return 0;
        }
        var (state, events) = stored;
        await WriteRowsAsync(state, LoopFacts.Of(events.Where(e => e.Version <= state.Version).Select(e => e.Event)), cancellationToken);
        return state.Version;
    }

    private async Task WriteRowsAsync(WorkflowState state, LoopFacts facts, CancellationToken cancellationToken)
    {
        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            await WriteRowAsync(state, role, facts, cancellationToken);
        }
        Remember(state.Id, new Folded(state.Version, facts));
    }

    private async Task WriteRowAsync(WorkflowState state, PartyRole role, LoopFacts facts, CancellationToken cancellationToken)
    {
        // A party not yet found in the directory has no partition; one who may not see the draft has no facts in it.
        if (state[role].User is not { } user || !state.IsVisibleTo(role))
        {
            return;
        }
        var other = state[WorkflowState.Other(role)];
        var row = new FigureRow(state.Id, role, other.Shown(), other.Email, facts.Side(role));
        var partition = IndexEntities.UserKey(user);
        var key = partition + "\n" + state.Id;
        var known = _known.TryGetValue(key, out KnownRow? remembered) ? remembered : null;
        for (var attempt = 0; attempt < GuardedWriteAttempts; attempt++)
        {
            if (known is not null && (known.Version >= state.Version || known.Row == row))
            {
                return; // as new as ours, or showing exactly what ours would
            }
            // Nothing counted yet and no row: nothing to show, so nothing to write.
            if (known is null && row.Facts.CountsAt is null && attempt == 0)
            {
                return;
            }
            try
            {
                var entity = Entity(partition, state.Version, row);
                var answer = known is null
                    ? await tables.Figures.AddEntityAsync(entity, cancellationToken)
                    : await tables.Figures.UpdateEntityAsync(entity, known.ETag, TableUpdateMode.Replace, cancellationToken);
                Remember(key, new KnownRow(state.Version, answer.Headers.ETag ?? default, row));
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Written or removed elsewhere since: read what it shows now and decide again.
                _known.Remove(key);
                var existing = await tables.Figures.GetEntityIfExistsAsync<TableEntity>(partition, state.Id, cancellationToken: cancellationToken);
                known = existing.HasValue
                    ? new KnownRow(existing.Value!.GetInt32("Version") ?? 0, existing.Value.ETag, Read(existing.Value))
                    : null;
            }
        }
        throw new InvalidOperationException($"Figures row {partition}/{state.Id} kept changing; the sweep will retry.");
    }

    private void Remember(string key, object known) =>
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
