using Azure;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Storage;

/// <summary>
/// The <see cref="ProjectIndex"/> follow-up: brings the index rows of one workflow (its parties' list lines, its item
/// links, the people registry) up to a stored state. Runs off the request path and may be interrupted anywhere: every
/// write is idempotent and guarded by version, so an older projection never overwrites a newer one (an unlinked item
/// becomes a versioned tombstone rather than a deleted row, so a slow projection cannot bring it back). The outbox row
/// that asked for it is crossed off only after it returns.
/// <para>
/// Right after a commit, the commit itself is projected: its state and events are in hand, so nothing is read, and
/// each row this instance wrote before is replaced with the ETag it got back (<see cref="KnownIndexRows"/>) — one
/// request per row. The sweep projects the stored state instead, reading what it needs.
/// </para>
/// </summary>
public sealed class IndexProjector(TableStorage tables, IPeopleRegistry registry, KnownIndexRows known) : IIndexProjection
{
    private const int GuardedWriteAttempts = 5;

    public IndexProjector(TableStorage tables, IPeopleRegistry registry) : this(tables, registry, new KnownIndexRows())
    {
    }

    public async Task ProjectCommitAsync(Commit commit, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        await ProjectAsync(commit.State, commit.Events, cancellationToken);
    }

    /// <summary>Projects the stored state, looking at every event (a test's or a tool's way in).</summary>
    public Task<int> ProjectAsync(string workflowId, CancellationToken cancellationToken) => ProjectAsync(workflowId, 1, cancellationToken);

    public async Task<int> ProjectAsync(string workflowId, int fromVersion, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync();
        // The state and the events the pending commits made, in one query.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {workflowId} and (RowKey eq {TableWorkflowStore.StateRow} or (RowKey ge {TableWorkflowStore.EventRow(Math.Max(1, fromVersion))} and RowKey lt {TableWorkflowStore.EventEnd}))");
        WorkflowState? state = null;
        var since = new List<StoredEvent>();
        await foreach (var row in tables.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey == TableWorkflowStore.StateRow)
            {
                state = TableWorkflowStore.ReadState(row);
            }
            else
            {
                since.Add(TableWorkflowStore.ReadEvent(row));
            }
        }
        if (state is null)
        {
            return 0;
        }
        await ProjectAsync(state, [.. since.Where(e => e.Version <= state.Version)], cancellationToken);
        return state.Version;
    }

    /// <summary>Writes the rows <paramref name="state"/> shows; <paramref name="since"/> are the events it has not projected.</summary>
    private async Task ProjectAsync(WorkflowState state, IReadOnlyList<StoredEvent> since, CancellationToken cancellationToken)
    {
        var workflowId = state.Id;
        // Made by these very events: no index row of it can exist yet, so none needs looking for.
        var created = since.Any(e => e.Event is WorkflowOpened);
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
                    if (created)
                    {
                        known.Absent(tables.Lists.Name, IndexEntities.UserKey(user), workflowId);
                    }
                    else
                    {
                        await DeleteGuardedAsync(tables.Lists, IndexEntities.UserKey(user), workflowId, state.Version, cancellationToken);
                    }
                    continue;
                }
                await WriteGuardedAsync(tables.Lists, IndexEntities.ListRow(state, role), created, cancellationToken);
                // Whoever is a party is in the registry the weekly review goes through: written when they become a
                // bound party of this workflow (its first projection, or bound since), not again on every move.
                if (created || boundSince.Contains(role) || (sentSince && role != state.OpenedBy)
                    || (role == PartyRole.Performer && since.Any(e => e.Event is PerformerHandedOver)))
                {
                    await registry.RememberAsync(user, party.Email, party.DisplayName, cancellationToken);
                }
            }
        }
        // A cycle handed over: the old performer's line for it goes (the new one's was written above).
        foreach (var handed in since.Select(e => e.Event).OfType<PerformerHandedOver>())
        {
            if (handed.From.User is { } former && former != state.Performer.User && former != state.Customer.User)
            {
                await DeleteGuardedAsync(tables.Lists, IndexEntities.UserKey(former), workflowId, state.Version, cancellationToken);
            }
        }
        // A party forgotten since: their line goes now (the deletion also clears their whole list partition).
        foreach (var forgotten in since.Where(e => e.Event is PartyForgotten && e.Actor is not null))
        {
            if (forgotten.Actor != state.Performer.User && forgotten.Actor != state.Customer.User)
            {
                await DeleteGuardedAsync(tables.Lists, IndexEntities.UserKey(forgotten.Actor!), workflowId, state.Version, cancellationToken);
            }
        }
        foreach (var link in state.Links)
        {
            await WriteGuardedAsync(tables.Items, IndexEntities.ItemRow(state, link), created, cancellationToken);
        }
        // A child's line beside its parent: what the parent shows of it, and the objective tree walks.
        if (state.Parent is { } parent)
        {
            await WriteGuardedAsync(tables.Children, IndexEntities.ChildRow(parent, state), created, cancellationToken);
        }
        // What the state no longer shows: items unlinked since.
        foreach (var unlinked in since.Select(e => e.Event).OfType<ItemUnlinked>())
        {
            if (state.Links.All(l => l.Key != unlinked.Key))
            {
                await WriteGuardedAsync(tables.Items, IndexEntities.Tombstone(unlinked.Key, workflowId, state.Version), created: false, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Deletes a row that shows <paramref name="version"/> or an earlier one: a projection of a later state, which may
    /// have written the row since, is never undone by a slower one of this state (the delete is ETag-guarded).
    /// </summary>
    private async Task DeleteGuardedAsync(TableClient table, string partition, string row, int version, CancellationToken cancellationToken)
    {
        if (known.IsAbsent(table.Name, partition, row))
        {
            return;
        }
        for (var attempt = 0; attempt < GuardedWriteAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, ["Version"], cancellationToken);
            if (!existing.HasValue)
            {
                known.Absent(table.Name, partition, row);
                return;
            }
            if ((existing.Value!.GetInt32("Version") ?? 0) > version)
            {
                return;
            }
            try
            {
                await table.DeleteEntityAsync(partition, row, existing.Value.ETag, cancellationToken);
                known.Absent(table.Name, partition, row);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Deleted or rewritten in between; read again and compare versions.
            }
        }
        throw new InvalidOperationException($"Index row {partition}/{row} kept changing; the sweep will retry.");
    }

    /// <summary>
    /// Writes <paramref name="entity"/> unless the row already shows the same or a later version. A row this instance
    /// knows is replaced with the ETag it last saw (or added, if it knows there is none); <paramref name="created"/>
    /// says no such row can exist yet. Whenever what it knew proves out of date, it reads the row and decides again.
    /// </summary>
    private async Task WriteGuardedAsync(TableClient table, TableEntity entity, bool created, CancellationToken cancellationToken)
    {
        var version = entity.GetInt32("Version") ?? 0;
        var remembered = known.Find(table.Name, entity.PartitionKey, entity.RowKey)
            ?? (created ? KnownIndexRows.Row.None : null);
        if (remembered is { } row)
        {
            if (row.Exists && row.Version >= version)
            {
                return; // This instance wrote (or saw) this version or a later one: the guard would refuse the write.
            }
            try
            {
                var answer = row.Exists
                    ? await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken)
                    : await table.AddEntityAsync(entity, cancellationToken);
                known.Wrote(table.Name, entity.PartitionKey, entity.RowKey, version, answer.Headers.ETag);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
            {
                // Written or removed elsewhere (another instance, a sweep): what this instance knew is out of date.
                known.Forget(table.Name, entity.PartitionKey, entity.RowKey);
            }
        }

        for (var attempt = 0; attempt < GuardedWriteAttempts; attempt++)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(
                entity.PartitionKey, entity.RowKey, ["Version"], cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    var added = await table.AddEntityAsync(entity, cancellationToken);
                    known.Wrote(table.Name, entity.PartitionKey, entity.RowKey, version, added.Headers.ETag);
                }
                else if ((existing.Value!.GetInt32("Version") ?? 0) is var shown && shown < version)
                {
                    var replaced = await table.UpdateEntityAsync(entity, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken);
                    known.Wrote(table.Name, entity.PartitionKey, entity.RowKey, version, replaced.Headers.ETag);
                }
                else
                {
                    known.Wrote(table.Name, entity.PartitionKey, entity.RowKey, shown, existing.Value.ETag);
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
