using Azure.Data.Tables;
using Workflow.Api.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// People's lists and item links are written after the workflow's own commit. These tests interrupt that work
/// part-way and show the indexes converge and nothing is lost or doubled.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class IndexProjectionTests(Azurite azurite)
{
    [Fact]
    public async Task Indexes_converge_after_a_failure_midway_through_an_update()
    {
        var fault = new FaultPolicy("items");
        var storage = new StorageHarness(azurite, fault);
        var opened = await storage.OpenAsync("thread:crash");

        fault.Armed = true;
        await Assert.ThrowsAnyAsync<Exception>(() => storage.Projector.ProjectAsync(opened.Id, default));
        fault.Armed = false;

        // Half done: the people rows landed, the item link did not, and the workflow is still marked for indexing.
        Assert.Equal([opened.Id], await ListIds(storage, StorageHarness.Bob));
        Assert.Empty(await storage.Index.LinkedToAsync("thread:crash", StorageHarness.Bob, default));
        Assert.True(await IsIndexPending(storage, opened.Id));

        Assert.Equal(1, await storage.Projector.SweepAsync(default));

        Assert.Equal([opened.Id], (await storage.Index.LinkedToAsync("thread:crash", StorageHarness.Bob, default)).Select(s => s.Id));
        Assert.Equal([opened.Id], await ListIds(storage, StorageHarness.Alice));
        Assert.False(await IsIndexPending(storage, opened.Id));
        Assert.Equal(0, await storage.Projector.SweepAsync(default));
    }

    [Fact]
    public async Task A_commit_whose_index_update_never_ran_is_found_by_the_sweep()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync();
        var asked = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        // Nothing was projected (as if the process died right after both commits).

        Assert.Empty(await ListIds(storage, StorageHarness.Bob));
        Assert.Equal(1, await storage.Projector.SweepAsync(default));

        var bobs = (await storage.Index.ListAsync(StorageHarness.Bob, new ListQuery(ListView.MyMove, null, null, null), default)).Items;
        var line = Assert.Single(bobs);
        Assert.Equal((asked.Id, asked.Version, WorkflowStatus.Requested, Quadrant.Q2), (line.Id, line.Version, line.Status, line.Quadrant));
    }

    [Fact]
    public async Task An_older_projection_never_overwrites_a_newer_one()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync();
        var asked = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        await storage.Projector.ProjectAsync(asked.Id, default);

        // A slow projector that read version 1 finally writes it: the row must keep version 2.
        await storage.Tables.EnsureCreatedAsync();
        var row = IndexEntities.PersonRow(opened, PartyRole.Performer);
        var existing = await storage.Tables.People.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey);
        Assert.Equal(2, existing.Value.GetInt32("Version"));
        await storage.Tables.Workflows.UpdateEntityAsync(
            new TableEntity(opened.Id, "state") { ["IndexPending"] = true }, Azure.ETag.All, TableUpdateMode.Merge);
        await storage.Projector.ProjectAsync(opened.Id, default);
        var after = await storage.Tables.People.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey);
        Assert.Equal(2, after.Value.GetInt32("Version"));
    }

    [Fact]
    public async Task Unlinking_removes_the_item_row_even_when_projected_late()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync("thread:late");
        await storage.Projector.ProjectAsync(opened.Id, default);
        Assert.Single(await storage.Index.LinkedToAsync("thread:late", StorageHarness.Alice, default));

        await storage.Workflows.UnlinkAsync(StorageHarness.AsBob, opened.Id, "thread:late", default);
        await storage.Projector.SweepAsync(default);

        Assert.Empty(await storage.Index.LinkedToAsync("thread:late", StorageHarness.Alice, default));
    }

    [Fact]
    public async Task A_repeat_interrupted_before_its_new_cycle_was_created_is_completed_by_the_sweep()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync();
        var withdrawn = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Withdraw);
        // Record the repeat the way the service does, but stop before the new cycle is created.
        var repeated = WorkflowDecider.Decide(withdrawn, new MakeMove(Move.Repeat, new MoveDetails { NewWorkflowId = "0123456789abcdef0123456789abcdef" }),
            PartyRole.Performer, storage.Time.GetUtcNow());
        var next = repeated.Events.Aggregate(withdrawn, WorkflowDecider.Evolve);
        await storage.Store.AppendAsync(withdrawn.Version, next, [new StoredEvent(next.Version, repeated.Events[0], StorageHarness.Bob, null)], null, default);
        Assert.Null(await storage.Store.LoadAsync("0123456789abcdef0123456789abcdef", default));

        await storage.Projector.SweepAsync(default);

        var cycle = (await storage.Store.LoadAsync("0123456789abcdef0123456789abcdef", default))!;
        Assert.Equal((opened.Id, WorkflowStatus.Draft, PartyRole.Performer), (cycle.RepeatOf, cycle.Status, cycle.OpenedBy));
    }

    private static async Task<string[]> ListIds(StorageHarness storage, UserId user) =>
        [.. (await storage.Index.ListAsync(user, new ListQuery(ListView.All, null, null, null), default)).Items.Select(i => i.Id)];

    private static async Task<bool> IsIndexPending(StorageHarness storage, string id) =>
        (await storage.Tables.Workflows.GetEntityAsync<TableEntity>(id, "state")).Value.GetBoolean("IndexPending") == true;
}
