using Azure;
using Azure.Data.Tables;
using Workflow.Api.Application;
using Workflow.Api.Hosting;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// Brings the index rows of one workflow (its parties' list lines and its item links) up to the stored state.
/// Runs after the commit, off the request path, so it may be interrupted anywhere: every write is idempotent and
/// guarded by version (an older projection never overwrites a newer one — an unlinked item becomes a versioned
/// tombstone rather than a deleted row, so a slow projector cannot bring it back), and the state row's
/// <c>IndexPending</c> flag is cleared only at the end — a sweep finds whatever a crash left behind and runs it again.
/// How far projection got is kept in the workflow's <c>projection</c> row, apart from the state the moves replace.
/// </summary>
public sealed class IndexProjector(TableStorage tables, WorkflowService workflows, IPeople people, ILogger<IndexProjector> logger)
{
    private const int GuardedWriteAttempts = 5;

    /// <summary>Projects the workflow's current state. Returns false if it was already up to date.</summary>
    public async Task<bool> ProjectAsync(string workflowId, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var stateRow = await tables.Workflows.GetEntityIfExistsAsync<TableEntity>(
            workflowId, TableWorkflowStore.StateRow, cancellationToken: cancellationToken);
        if (!stateRow.HasValue || stateRow.Value!.GetBoolean("IndexPending") != true)
        {
            return false;
        }
        var row = stateRow.Value;
        var state = TableWorkflowStore.ReadState(row);
        var progress = await tables.Workflows.GetEntityIfExistsAsync<TableEntity>(
            workflowId, TableWorkflowStore.ProjectionRow, cancellationToken: cancellationToken);
        var indexedVersion = progress.HasValue ? progress.Value!.GetInt32("IndexedVersion") ?? 0 : 0;

        // The events this projection has not seen yet: unlinks, repeats and parties bound since.
        var since = await tables.Workflows.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
                $"PartitionKey eq {workflowId} and RowKey gt {TableWorkflowStore.EventRow(indexedVersion)} and RowKey le {TableWorkflowStore.EventRow(state.Version)}"),
                cancellationToken: cancellationToken)
            .Select(TableWorkflowStore.ReadEvent)
            .ToListAsync(cancellationToken);
        var boundSince = since.Select(e => e.Event).OfType<PartyBound>().Select(b => b.Role).ToHashSet();

        foreach (var role in new[] { PartyRole.Customer, PartyRole.Performer })
        {
            if (state[role] is { User: { } user } party)
            {
                await WriteGuardedAsync(tables.People, IndexEntities.PersonRow(state, role), cancellationToken);
                // Whoever is a party is in the registry the weekly review goes through: written when they become a
                // bound party of this workflow (its first projection, or bound since), not again on every move —
                // two of a move's eleven index requests otherwise (scripts/bench.sh, L4).
                if (indexedVersion == 0 || boundSince.Contains(role))
                {
                    await people.RememberAsync(user, party.Email, party.DisplayName, cancellationToken);
                }
            }
        }
        foreach (var link in state.Links)
        {
            await WriteGuardedAsync(tables.Items, IndexEntities.ItemRow(state, link), cancellationToken);
        }

        // What the current state no longer shows: unlinked items, and a repeat whose new cycle may not exist yet.
        foreach (var stored in since)
        {
            switch (stored.Event)
            {
                case ItemUnlinked unlinked when state.Links.All(l => l.Key != unlinked.Key):
                    await WriteGuardedAsync(tables.Items, IndexEntities.Tombstone(unlinked.Key, workflowId, state.Version), cancellationToken);
                    break;
                case Repeated repeated:
                    await workflows.StartRepeatAsync(state, repeated.NewWorkflowId, repeated.By, cancellationToken);
                    break;
            }
        }

        if (state.Version > indexedVersion)
        {
            await tables.Workflows.UpsertEntityAsync(
                new TableEntity(workflowId, TableWorkflowStore.ProjectionRow) { ["IndexedVersion"] = state.Version },
                TableUpdateMode.Replace, cancellationToken);
        }
        try
        {
            // Conditional: a commit since our read set IndexPending again, and its projection must still run.
            await tables.Workflows.UpdateEntityAsync(
                new TableEntity(workflowId, TableWorkflowStore.StateRow) { ["IndexPending"] = false },
                row.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            Log.MovedOnWhileIndexing(logger, workflowId, state.Version);
        }
        return true;
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

    /// <summary>The workflows whose index rows a crash or a failure left behind.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {TableWorkflowStore.StateRow} and IndexPending eq {true}");
        var repaired = 0;
        await foreach (var row in tables.Workflows.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            try
            {
                if (await ProjectAsync(row.PartitionKey, cancellationToken))
                {
                    repaired++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One workflow's failure must not stop the sweep for the others.
                Log.IndexingFailed(logger, e, row.PartitionKey);
            }
        }
        return repaired;
    }
}
