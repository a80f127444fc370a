using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The <see cref="ProjectIndex"/> follow-up: brings the index rows of one workflow (its parties' list lines, its item
/// links, the people registry) up to the stored state. Runs off the request path and may be interrupted anywhere:
/// every write is idempotent and guarded by version (an older projection never overwrites a newer one — an unlinked
/// item becomes a versioned tombstone rather than a deleted row, so a slow projection cannot bring it back). The
/// outbox row that asked for it is crossed off only after it returns. How far projection got is kept in the
/// workflow's <c>projection</c> row, apart from the state the moves replace.
/// </summary>
public sealed class IndexProjector(TableStorage tables, IPeopleRegistry registry) : IIndexProjection
{
    private const int GuardedWriteAttempts = 5;

    public async Task<int> ProjectAsync(string workflowId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        // The state and how far projection got, in one request.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {workflowId} and (RowKey eq {TableWorkflowStore.StateRow} or RowKey eq {TableWorkflowStore.ProjectionRow})");
        TableEntity? stateRow = null;
        var indexedVersion = 0;
        await foreach (var row in tables.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == TableWorkflowStore.StateRow)
            {
                stateRow = row;
            }
            else
            {
                indexedVersion = row.GetInt32("IndexedVersion") ?? 0;
            }
        }
        if (stateRow is null)
        {
            return 0;
        }
        var state = TableWorkflowStore.ReadState(stateRow);
        if (state.Version <= indexedVersion)
        {
            return indexedVersion;
        }

        // The events this projection has not seen yet: unlinks and parties bound since.
        var since = await tables.Workflows.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
                $"PartitionKey eq {workflowId} and RowKey gt {TableWorkflowStore.EventRow(indexedVersion)} and RowKey le {TableWorkflowStore.EventRow(state.Version)}"),
                cancellationToken: cancellationToken)
            .Select(TableWorkflowStore.ReadEvent)
            .ToListAsync(cancellationToken);
        var boundSince = since.Select(e => e.Event).OfType<PartyBound>().Select(b => b.Role).ToHashSet();
        // A draft sent since: its other party gets their first line now, so they enter the registry now too.
        var sentSince = since.Any(e => e.Event is Requested or Offered or RequestRecorded or PromiseRecorded);

        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            if (state[role] is { User: { } user } party)
            {
                if (!state.IsVisibleTo(role))
                {
                    // The other party of a draft has no line for it; one written before drafts were private goes.
                    await DeleteGuardedAsync(tables.Lists, IndexEntities.UserKey(user), workflowId, state.Version, cancellationToken);
                    continue;
                }
                await WriteGuardedAsync(tables.Lists, IndexEntities.ListRow(state, role), cancellationToken);
                // Whoever is a party is in the registry the weekly review goes through: written when they become a
                // bound party of this workflow (its first projection, or bound since), not again on every move —
                // two of a move's eleven index requests otherwise (scripts/bench.sh, L4).
                if (indexedVersion == 0 || boundSince.Contains(role) || (sentSince && role != state.OpenedBy))
                {
                    await registry.RememberAsync(user, party.Email, party.DisplayName, cancellationToken);
                }
            }
        }
        foreach (var link in state.Links)
        {
            await WriteGuardedAsync(tables.Items, IndexEntities.ItemRow(state, link), cancellationToken);
        }
        // What the current state no longer shows: unlinked items.
        foreach (var unlinked in since.Select(e => e.Event).OfType<ItemUnlinked>())
        {
            if (state.Links.All(l => l.Key != unlinked.Key))
            {
                await WriteGuardedAsync(tables.Items, IndexEntities.Tombstone(unlinked.Key, workflowId, state.Version), cancellationToken);
            }
        }

        await tables.Workflows.UpsertEntityAsync(
            new TableEntity(workflowId, TableWorkflowStore.ProjectionRow) { ["IndexedVersion"] = state.Version },
            TableUpdateMode.Replace, cancellationToken);
        return state.Version;
    }

    /// <summary>
    /// Deletes a row that shows <paramref name="version"/> or an earlier one: a projection of a later state, which may
    /// have written the row since, is never undone by a slower one of this state (the delete is ETag-guarded).
    /// </summary>
    private static async Task DeleteGuardedAsync(TableClient table, string partition, string row, int version, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < GuardedWriteAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, ["Version"], cancellationToken);
            if (!existing.HasValue || (existing.Value!.GetInt32("Version") ?? 0) > version)
            {
                return;
            }
            try
            {
                await table.DeleteEntityAsync(partition, row, existing.Value.ETag, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted or rewritten in between; read again and compare versions.
            }
        }
        throw new InvalidOperationException($"Index row {partition}/{row} kept changing; the sweep will retry.");
    }

    /// <summary>Writes <paramref name="entity"/> unless the stored row already shows the same or a later version.</summary>
    private static async Task WriteGuardedAsync(TableClient table, TableEntity entity, CancellationToken cancellationToken)
    {
        var version = entity.GetInt32("Version") ?? 0;
        for (var attempt = 0; attempt < GuardedWriteAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(
                entity.PartitionKey, entity.RowKey, ["Version"], cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else if ((existing.Value!.GetInt32("Version") ?? 0) < version)
                {
                    await table.UpdateEntityAsync(entity, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another projector wrote in between; read again and compare versions.
            }
        }
        throw new InvalidOperationException($"Index row {entity.PartitionKey}/{entity.RowKey} kept changing; the sweep will retry.");
    }
}
