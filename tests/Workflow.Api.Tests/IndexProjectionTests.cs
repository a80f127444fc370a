using NSubstitute;
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
    public async Task The_people_registry_is_written_when_a_party_is_bound_not_on_every_move()
    {
        var counter = new StorageRequestCounter();
        var storage = new StorageHarness(azurite, counter);
        var carol = new UserId(StorageHarness.Alice.TenantId, "cccccccc-0000-0000-0000-000000000003");
        // Carol is not in the directory yet: she is a pending party, with no registry row.
        var outcome = await storage.Workflows.OpenAsync(StorageHarness.AsAlice,
            new OpenRequest("Plan the offsite", "me", "carol@contoso.test", "A venue for 40", storage.Time.GetUtcNow().AddDays(7), null), null, "hash", default);
        var opened = Assert.IsType<Outcome.Done>(outcome).State;
        using (var first = counter.Measure())
        {
            Assert.True(await storage.Projector.ProjectAsync(opened.Id, default));
            Assert.Single(first.Requests, r => r.Contains("persons", StringComparison.Ordinal));
        }

        var asked = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        using (var move = counter.Measure())
        {
            Assert.True(await storage.Projector.ProjectAsync(asked.Id, default));
            Assert.DoesNotContain(move.Requests, r => r.Contains("persons", StringComparison.Ordinal));
        }

        // Carol joins the directory; Alice's next look binds her, and that projection registers her.
        storage.Directory.FindByEmailAsync(StorageHarness.Alice.TenantId, "carol@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(carol, "carol@contoso.test", "Carol Chen"));
        storage.Time.Advance(TimeSpan.FromMinutes(6)); // past the directory's memory of misses
        Assert.IsType<Outcome.Done>(await storage.Workflows.GetAsync(StorageHarness.AsAlice, opened.Id, default));
        using (var bound = counter.Measure())
        {
            Assert.True(await storage.Projector.ProjectAsync(opened.Id, default));
            Assert.Single(bound.Requests, r => r.Contains("persons", StringComparison.Ordinal));
        }
        var registry = new List<string>();
        await foreach (var person in storage.People.AllAsync(default))
        {
            registry.Add(person.Email);
        }
        Assert.Equal(["alice@contoso.test", "carol@contoso.test"], registry.Order(StringComparer.Ordinal));
        Assert.Equal([opened.Id], await ListIds(storage, carol));
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
