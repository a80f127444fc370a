using NSubstitute;
using Azure.Data.Tables;
using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// People's lists, item links and a repeat's new cycle are follow-ups: outbox rows written in the commit's own
/// transaction and done after it. These tests interrupt that work part-way (or never start it) and show the outbox
/// converges: nothing is lost, and doing a follow-up twice changes nothing.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class IndexProjectionTests(Azurite azurite)
{
    [Fact]
    public async Task Indexes_converge_after_a_failure_midway_through_an_update()
    {
        var fault = new FaultPolicy("items");
        var storage = new StorageHarness(azurite, fault);
        var opened = await storage.OpenAsync("thread:crash", Start.Requested);

        fault.Armed = true;
        Assert.True(await storage.Dispatcher.DispatchAsync(opened.Id, default));
        fault.Armed = false;

        // Half done: the people rows landed, the item link did not, and the follow-up is still in the outbox.
        Assert.Equal([opened.Id], await ListIds(storage, StorageHarness.Bob));
        Assert.Empty(await storage.Index.LinkedToAsync("thread:crash", StorageHarness.Bob, default));
        Assert.Equal(["projectIndex"], await storage.PendingFollowUpsAsync(opened.Id));

        Assert.Equal(1, await storage.Dispatcher.SweepAsync(default));

        Assert.Equal([opened.Id], (await storage.Index.LinkedToAsync("thread:crash", StorageHarness.Bob, default)).Select(s => s.Id));
        Assert.Equal([opened.Id], await ListIds(storage, StorageHarness.Alice));
        Assert.Empty(await storage.PendingFollowUpsAsync(opened.Id));
        Assert.Equal(0, await storage.Dispatcher.SweepAsync(default));
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
            await storage.Projector.ProjectCommitAsync(storage.TakeCommits().Single(), default);
            Assert.Single(first.Requests, r => r.Contains("persons", StringComparison.Ordinal));
        }

        var asked = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        using (var move = counter.Measure())
        {
            await storage.Projector.ProjectCommitAsync(storage.TakeCommits().Single(), default);
            Assert.DoesNotContain(move.Requests, r => r.Contains("persons", StringComparison.Ordinal));
        }

        // Carol joins the directory; Alice's next look binds her, and that projection registers her.
        storage.Directory.FindByEmailAsync(StorageHarness.Alice.TenantId, "carol@contoso.test", Arg.Any<CancellationToken>())
            .Returns(new DirectoryUser(carol, "carol@contoso.test", "Carol Chen"));
        storage.Time.Advance(TimeSpan.FromMinutes(6)); // past the directory's memory of misses
        Assert.IsType<Outcome.Done>(await storage.Workflows.GetAsync(StorageHarness.AsAlice, opened.Id, default));
        using (var bound = counter.Measure())
        {
            var binding = storage.TakeCommits().Single();
            Assert.Equal(asked.Version + 1, binding.State.Version);
            await storage.Projector.ProjectCommitAsync(binding, default);
            Assert.Single(bound.Requests, r => r.Contains("persons", StringComparison.Ordinal));
        }
        var registry = new List<string>();
        await foreach (var person in storage.Registry.AllAsync(default))
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
        // Each commit owes its projections (the lists, the figures); the request also owes Bob his notice.
        Assert.Equal(["projectFigures", "projectIndex", "notify", "projectFigures", "projectIndex"], await storage.PendingFollowUpsAsync(opened.Id));
        Assert.Equal(1, await storage.Dispatcher.SweepAsync(default));
        Assert.Empty(await storage.PendingFollowUpsAsync(opened.Id));

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
        var row = IndexEntities.ListRow(opened, PartyRole.Customer);
        var existing = await storage.Tables.Lists.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey);
        Assert.Equal(2, existing.Value.GetInt32("Version"));
        await storage.Tables.Lists.UpsertEntityAsync(row, TableUpdateMode.Replace);
        await storage.Tables.Lists.UpsertEntityAsync(existing.Value, TableUpdateMode.Replace);
        // The guarded write itself: version 1 offered over version 2 is refused, by a projector that knows the row
        // (this one wrote it) and by one that must read it (another instance).
        var opening = new Commit(opened, [.. (await storage.Store.HistoryAsync(opened.Id, 1, default))], null, [new ProjectIndex(1, 1)]);
        await storage.Projector.ProjectCommitAsync(opening, default);
        await new IndexProjector(storage.Tables, storage.Registry).ProjectCommitAsync(opening, default);
        var after = await storage.Tables.Lists.GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey);
        Assert.Equal(2, after.Value.GetInt32("Version"));
    }

    [Fact]
    public async Task Unlinking_removes_the_item_row_even_when_projected_late()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync("thread:late", Start.Requested);
        await storage.Projector.ProjectAsync(opened.Id, default);
        Assert.Single(await storage.Index.LinkedToAsync("thread:late", StorageHarness.Alice, default));

        await storage.Workflows.UnlinkAsync(StorageHarness.AsBob, opened.Id, "thread:late", default);
        await storage.Dispatcher.SweepAsync(default);

        Assert.Empty(await storage.Index.LinkedToAsync("thread:late", StorageHarness.Alice, default));
    }

    [Fact]
    public async Task A_repeat_whose_process_died_after_the_commit_gets_its_new_cycle_from_the_sweep()
    {
        var storage = new StorageHarness(azurite);
        // Sent at once: Bob may repeat only what he could see (a draft withdrawn unsent stays Alice's alone).
        var opened = await storage.OpenAsync(start: Start.Requested);
        var withdrawn = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Withdraw);
        var repeated = await storage.MoveAsync(StorageHarness.AsBob, withdrawn, Move.Repeat);
        // The commit stored its follow-ups and nothing ran them (as if the process died right after it).
        var newId = repeated.RepeatedAs!;
        Assert.Null(await storage.Store.LoadAsync(newId, default));
        Assert.Contains("startCycle", await storage.PendingFollowUpsAsync(opened.Id));

        await storage.Dispatcher.SweepAsync(default);

        var cycle = (await storage.Store.LoadAsync(newId, default))!;
        Assert.Equal((opened.Id, WorkflowStatus.Draft, PartyRole.Performer), (cycle.RepeatOf, cycle.Status, cycle.OpenedBy));
        Assert.Empty(await storage.PendingFollowUpsAsync(opened.Id));
        // The new cycle is a commit of its own, with its own follow-ups: the next sweep (or this process's queue) lists it.
        Assert.Equal(["projectFigures", "projectIndex"], await storage.PendingFollowUpsAsync(newId));
        await storage.Dispatcher.SweepAsync(default);
        Assert.Contains(newId, await ListIds(storage, StorageHarness.Bob));
    }

    [Fact]
    public async Task A_follow_up_done_twice_changes_nothing()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync("thread:twice", Start.Requested);
        var withdrawn = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Withdraw);
        var repeated = await storage.MoveAsync(StorageHarness.AsBob, withdrawn, Move.Repeat);
        var outbox = await storage.Tables.Workflows.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {opened.Id} and RowKey ge {"outbox-"} and RowKey lt {"outbox."}")).ToListAsync();
        // Open (asked at once, with its link), withdraw and repeat each owe their projection, and the first two the
        // figures (a repeat changes no one's); the request and the withdrawal Bob's notices; the repeat its new cycle.
        Assert.Equal(["notify", "projectFigures", "projectIndex", "notify", "projectFigures", "projectIndex", "projectIndex", "startCycle"], outbox.Select(r => r.GetString("Type")));

        await storage.Dispatcher.DispatchAsync(opened.Id, default);
        Assert.Empty(await storage.PendingFollowUpsAsync(opened.Id));
        var snapshot = await StorageSnapshot.TakeAsync(azurite, storage.TablePrefix);
        // A crash between doing them and crossing them off: the same rows, run again.
        foreach (var row in outbox)
        {
            await storage.Tables.Workflows.AddEntityAsync(row);
        }
        await storage.Dispatcher.DispatchAsync(opened.Id, default);

        Assert.Equal(snapshot, await StorageSnapshot.TakeAsync(azurite, storage.TablePrefix));
        Assert.Equal(WorkflowStatus.Draft, (await storage.Store.LoadAsync(repeated.RepeatedAs!, default))!.Status);
    }

    [Fact]
    public async Task A_commit_is_dispatched_from_what_it_stored_with_one_request_per_index_row()
    {
        var counter = new StorageRequestCounter();
        var storage = new StorageHarness(azurite, counter);
        var opened = await storage.OpenAsync();
        await storage.Dispatcher.DispatchCommitAsync(storage.TakeCommits().Single(), default);

        var asked = await storage.MoveAsync(StorageHarness.AsAlice, opened, Move.Request);
        var commit = storage.TakeCommits().Single();
        using (var dispatch = counter.Measure())
        {
            await storage.Dispatcher.DispatchCommitAsync(commit, default);
            // Nothing of the workflow is read: not its state, its events, nor its outbox. Alice's line is replaced with
            // the ETag her first projection got back; Bob's, known not to exist while it was her draft, is added.
            Assert.DoesNotContain(dispatch.Requests, r => r.StartsWith("GET", StringComparison.Ordinal) && r.Contains("workflows", StringComparison.Ordinal));
            Assert.Equal(2, dispatch.Requests.Count(r => r.Contains("people", StringComparison.Ordinal)));
            Assert.DoesNotContain(dispatch.Requests, r => r.StartsWith("GET", StringComparison.Ordinal) && r.Contains("people", StringComparison.Ordinal));
            // Two transactions: Bob's notice into his box, and the commit's outbox rows crossed off.
            Assert.Equal(2, dispatch.Requests.Count(r => r.Contains("$batch", StringComparison.Ordinal)));
            Assert.DoesNotContain(dispatch.Requests, r => r.Contains("workflows", StringComparison.Ordinal));
        }

        Assert.Empty(await storage.PendingFollowUpsAsync(opened.Id));
        var bobs = (await storage.Index.ListAsync(StorageHarness.Bob, new ListQuery(ListView.MyMove, null, null, null), default)).Items;
        Assert.Equal((asked.Id, asked.Version), (Assert.Single(bobs).Id, bobs[0].Version));
        Assert.Equal(asked.Version, Assert.Single((await storage.Index.ListAsync(StorageHarness.Alice, new ListQuery(ListView.All, null, null, null), default)).Items).Version);
        // Bob's notice was recorded from the commit too: one mail to him.
        var mail = new RecordingMailSender();
        Assert.Equal(1, (await storage.Mailer(mail).RunAsync(default)).Sent);
        Assert.Equal("bob@contoso.test", Assert.Single(mail.Sent).ToEmail);
    }

    [Fact]
    public async Task A_projector_whose_knowledge_is_out_of_date_still_never_overwrites_a_newer_row()
    {
        var storage = new StorageHarness(azurite);
        // Two instances, each with its own memory of the rows it wrote.
        var first = new IndexProjector(storage.Tables, storage.Registry);
        var second = new IndexProjector(storage.Tables, storage.Registry);
        var opened = await storage.OpenAsync(start: Start.Requested);
        var noted = await storage.MoveAsync(StorageHarness.AsBob, opened, Move.Note, new MoveDetails { Text = "On it" });
        var countered = await storage.MoveAsync(StorageHarness.AsBob, noted, Move.Counter, new MoveDetails { Conditions = "Only the totals" });
        var (opening, note, counter) = storage.TakeCommits() switch { [var a, var b, var c] => (a, b, c), var all => throw new InvalidOperationException($"{all.Count} commits") };

        await first.ProjectCommitAsync(opening, default);
        await second.ProjectCommitAsync(counter, default);
        // The first instance projects the note last: it knows the rows at version 1, but they show version 3 now.
        await first.ProjectCommitAsync(note, default);

        foreach (var user in new[] { StorageHarness.Alice, StorageHarness.Bob })
        {
            var line = Assert.Single((await storage.Index.ListAsync(user, new ListQuery(ListView.All, null, null, null), default)).Items);
            Assert.Equal((countered.Version, WorkflowStatus.Countered), (line.Version, line.Status));
        }
        // And a second look by the first instance, now that it read the rows, writes nothing older either.
        await first.ProjectCommitAsync(note, default);
        Assert.Equal(countered.Version, Assert.Single((await storage.Index.ListAsync(StorageHarness.Alice, new ListQuery(ListView.All, null, null, null), default)).Items).Version);
    }

    [Fact]
    public async Task An_unlink_whose_projection_failed_is_carried_out_by_the_sweep_after_later_commits_were_projected()
    {
        var storage = new StorageHarness(azurite);
        var opened = await storage.OpenAsync("thread:lost-unlink", Start.Requested);
        await storage.Dispatcher.DispatchCommitAsync(storage.TakeCommits().Single(), default);
        Assert.Single(await storage.Index.LinkedToAsync("thread:lost-unlink", StorageHarness.Bob, default));

        // The unlink's dispatch never runs (its instance died); the next commit's does, and it knows only its own events.
        await storage.Workflows.UnlinkAsync(StorageHarness.AsBob, opened.Id, "thread:lost-unlink", default);
        var unlinked = (await storage.Store.LoadAsync(opened.Id, default))!;
        storage.TakeCommits();
        await storage.MoveAsync(StorageHarness.AsBob, unlinked, Move.Note, new MoveDetails { Text = "Unlinked the old thread" });
        await storage.Dispatcher.DispatchCommitAsync(storage.TakeCommits().Single(), default);
        Assert.Equal(["projectIndex"], await storage.PendingFollowUpsAsync(opened.Id));

        Assert.Equal(1, await storage.Dispatcher.SweepAsync(default));

        Assert.Empty(await storage.Index.LinkedToAsync("thread:lost-unlink", StorageHarness.Bob, default));
        Assert.Empty(await storage.Index.LinkedToAsync("thread:lost-unlink", StorageHarness.Alice, default));
        Assert.Empty(await storage.PendingFollowUpsAsync(opened.Id));
    }

    private static async Task<string[]> ListIds(StorageHarness storage, UserId user) =>
        [.. (await storage.Index.ListAsync(user, new ListQuery(ListView.All, null, null, null), default)).Items.Select(i => i.Id)];
}
