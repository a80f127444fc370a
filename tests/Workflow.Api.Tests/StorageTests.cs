using Azure.Data.Tables;
using System.Text.Json;
using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The event store against a real Azurite Table endpoint.</summary>
[Collection(SharedAzurite.Name)]
public sealed class StorageTests(Azurite azurite)
{
    private readonly StorageHarness _storage = new(azurite);

    [Fact]
    public async Task Two_writers_appending_the_same_version_never_both_commit()
    {
        var opened = await _storage.OpenAsync();
        var now = _storage.Time.GetUtcNow();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
        {
            var note = new NoteAdded($"writer {i}") { By = PartyRole.Customer, At = now };
            var next = WorkflowDecider.Evolve(opened, note);
            return _storage.Store.AppendAsync(opened.Version, new Commit(next, [new StoredEvent(next.Version, note, StorageHarness.Alice, null)], null, []), default);
        }));

        Assert.Single(outcomes, o => o == CommitOutcome.Committed);
        var history = await _storage.Store.HistoryAsync(opened.Id, null, default);
        Assert.Equal(2, history.Count);
        await AssertHistoryReplaysToStoredState(opened.Id);
    }

    [Fact]
    public async Task Creating_an_existing_workflow_is_refused_and_keeps_the_first()
    {
        var opened = await _storage.OpenAsync();
        var again = WorkflowDecider.Open(new OpenWorkflow(opened.Id, "Impostor", opened.Customer, opened.Performer, PartyRole.Customer), _storage.Time.GetUtcNow());
        var outcome = await _storage.Store.CreateAsync(new Commit(WorkflowDecider.Evolve(null, again.Events[0]),
            [new StoredEvent(1, again.Events[0], StorageHarness.Alice, null)], null, []), default);
        Assert.Equal(CommitOutcome.VersionTaken, outcome);
        Assert.Equal("Review the budget", (await _storage.Store.LoadAsync(opened.Id, default))!.Concern);
    }

    [Fact]
    public async Task A_state_larger_than_one_property_round_trips()
    {
        var state = await _storage.OpenAsync();
        for (var i = 0; i < 60; i++)
        {
            var outcome = await _storage.Workflows.LinkAsync(StorageHarness.AsAlice, state.Id,
                new LinkItem($"thread:{i}-{new string('k', 500)}", ItemKind.Message, new string('s', 500)), default);
            state = Assert.IsType<Outcome.Done>(outcome).State;
        }
        var loaded = (await _storage.Store.LoadAsync(state.Id, default))!;
        Assert.True(JsonSerializer.SerializeToUtf8Bytes(loaded, StorageJson.Options).Length > 64 * 1024);
        Assert.Equal(60, loaded.Links.Count);
        await AssertHistoryReplaysToStoredState(state.Id);
    }

    [Fact]
    public async Task Every_history_replays_to_its_stored_state()
    {
        var state = await _storage.OpenAsync("thread:replay");
        state = await _storage.MoveAsync(StorageHarness.AsAlice, state, Move.Request);
        state = await _storage.MoveAsync(StorageHarness.AsBob, state, Move.Counter, new MoveDetails { Conditions = "Top 20 lines only" });
        state = await _storage.MoveAsync(StorageHarness.AsAlice, state, Move.Accept);
        state = await _storage.MoveAsync(StorageHarness.AsBob, state, Move.ReportComplete);
        state = await _storage.MoveAsync(StorageHarness.AsAlice, state, Move.DeclareNotSatisfied, new MoveDetails { Text = "Line 7 is missing" });
        state = await _storage.MoveAsync(StorageHarness.AsBob, state, Move.ReportComplete);
        state = await _storage.MoveAsync(StorageHarness.AsAlice, state, Move.DeclareSatisfied);
        Assert.Equal(WorkflowStatus.Satisfied, state.Status);
        await AssertHistoryReplaysToStoredState(state.Id);
    }

    /// <summary>
    /// ADR 0002 was written when Azurite let a stale If-Match through inside an entity-group transaction (Azurite issue
    /// 1233), so no guard here relies on one. Azurite 3.37 refuses it with 412, as Azure does: a guard that does is
    /// testable now, and this test says so if an Azurite upgrade ever changes it back.
    /// </summary>
    [Fact]
    public async Task Azurite_refuses_a_stale_etag_inside_a_transaction_as_Azure_does()
    {
        await _storage.Tables.EnsureCreatedAsync();
        var table = _storage.Tables.Lists;
        var partition = Guid.NewGuid().ToString("N");
        var first = await table.AddEntityAsync(new TableEntity(partition, "row") { ["Version"] = 1 });
        await table.UpdateEntityAsync(new TableEntity(partition, "row") { ["Version"] = 2 }, first.Headers.ETag!.Value,
            TableUpdateMode.Replace);

        foreach (var stale in new[] { TableTransactionActionType.UpdateReplace, TableTransactionActionType.UpdateMerge,
            TableTransactionActionType.Delete })
        {
            var refused = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
            [
                new(stale, new TableEntity(partition, "row") { ["Version"] = 3 }, first.Headers.ETag!.Value),
                new(TableTransactionActionType.Add, new TableEntity(partition, "other-" + stale)),
            ]));
            Assert.Equal(412, refused.Status);
        }
        Assert.Equal(2, (await table.GetEntityAsync<TableEntity>(partition, "row")).Value.GetInt32("Version"));
    }

    [Fact]
    public async Task A_move_is_one_read_and_one_transaction_even_with_an_idempotency_key()
    {
        var counter = new StorageRequestCounter();
        var storage = new StorageHarness(azurite, counter);
        var opened = await storage.OpenAsync();

        using var measured = counter.Measure();
        await storage.Workflows.MoveAsync(StorageHarness.AsAlice, opened.Id, 1, new MakeMove(Move.Request, MoveDetails.None), "key-1", "h1", default);
        Assert.Equal(["GET", "POST"], measured.Requests.Select(r => r.Split(' ')[0]));

        var record = await storage.Store.FindIdempotencyAsync(opened.Id, new IdempotencyScope(StorageHarness.Alice, "key-1"), default);
        Assert.Equal(("h1", 2), (record!.RequestHash, record.ResultVersion));
    }

    [Fact]
    public async Task A_move_whose_commit_landed_but_whose_answer_was_lost_is_not_a_conflict()
    {
        // The SDK retries a transaction whose response was lost; the retry meets its own event row (409).
        var lose = new LoseFirstResponsePolicy("$batch");
        var storage = new StorageHarness(azurite, lose);
        var opened = await storage.OpenAsync();
        lose.Armed = true;

        var outcome = await storage.Workflows.MoveAsync(StorageHarness.AsAlice, opened.Id, 1, new MakeMove(Move.Request, MoveDetails.None), null, "h", default);

        lose.Armed = false;
        Assert.Equal(1, lose.Lost);
        Assert.Equal(WorkflowStatus.Requested, Assert.IsType<Outcome.Done>(outcome).State.Status);
        Assert.Equal(2, (await storage.Store.HistoryAsync(opened.Id, null, default)).Count);
    }

    [Fact]
    public async Task A_long_list_pages_with_cursors_that_never_leave_the_callers_own_list()
    {
        var storage = new StorageHarness(azurite);
        var index = new TableWorkflowIndex(storage.Tables) { PageSize = 2 };
        for (var i = 0; i < 5; i++)
        {
            await storage.Projector.ProjectAsync((await storage.OpenAsync(start: Start.Requested)).Id, default);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await index.ListAsync(StorageHarness.Bob, new ListQuery(ListView.All, null, null, cursor), default);
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(5, seen.Distinct().Count());

        // Bob's cursor in Alice's hands only continues Alice's own list.
        var first = await index.ListAsync(StorageHarness.Bob, new ListQuery(ListView.All, null, null, null), default);
        var alices = await index.ListAsync(StorageHarness.Alice, new ListQuery(ListView.All, null, null, first.NextCursor), default);
        Assert.All(alices.Items, i => Assert.Equal(PartyRole.Customer, i.Role));
        await Assert.ThrowsAsync<FormatException>(() => index.ListAsync(StorageHarness.Bob, new ListQuery(ListView.All, null, null, "not-a-cursor"), default));
    }

    private async Task AssertHistoryReplaysToStoredState(string id)
    {
        var stored = (await _storage.Store.LoadAsync(id, default))!;
        var history = await _storage.Store.HistoryAsync(id, null, default);
        Assert.Equal(Enumerable.Range(1, stored.Version), history.Select(e => e.Version));
        var replayed = WorkflowDecider.Replay(history.Select(e => e.Event));
        Assert.Equal(JsonSerializer.Serialize(stored, StorageJson.Options), JsonSerializer.Serialize(replayed, StorageJson.Options));
    }
}
