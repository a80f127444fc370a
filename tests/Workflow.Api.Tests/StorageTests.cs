using System.Text.Json;
using Workflow.Api.Application;
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
            return _storage.Store.AppendAsync(opened.Version, next, [new StoredEvent(next.Version, note, StorageHarness.Alice, null)], null, default);
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
        var outcome = await _storage.Store.CreateAsync(WorkflowDecider.Evolve(null, again.Events[0]),
            [new StoredEvent(1, again.Events[0], StorageHarness.Alice, null)], null, default);
        Assert.Equal(CommitOutcome.VersionTaken, outcome);
        Assert.Equal("Review the budget", (await _storage.Store.LoadAsync(opened.Id, null, default))!.State.Concern);
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
        var loaded = (await _storage.Store.LoadAsync(state.Id, null, default))!.State;
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

    [Fact]
    public async Task An_idempotency_key_is_found_with_the_state_in_one_request()
    {
        var counter = new StorageRequestCounter();
        var storage = new StorageHarness(azurite, counter);
        var opened = await storage.OpenAsync();
        var scope = new IdempotencyScope(StorageHarness.Alice, "key-1");
        await storage.Workflows.MoveAsync(StorageHarness.AsAlice, opened.Id, new ExpectedVersion(1),
            new MakeMove(Move.Request, MoveDetails.None), "key-1", "h1", default);

        using var measured = counter.Measure();
        var loaded = await storage.Store.LoadAsync(opened.Id, scope, default);
        Assert.Equal(1, measured.Count);
        Assert.Equal(("h1", 2), (loaded!.Prior!.RequestHash, loaded.Prior.ResultVersion));
    }

    private async Task AssertHistoryReplaysToStoredState(string id)
    {
        var stored = (await _storage.Store.LoadAsync(id, null, default))!.State;
        var history = await _storage.Store.HistoryAsync(id, null, default);
        Assert.Equal(Enumerable.Range(1, stored.Version), history.Select(e => e.Version));
        var replayed = WorkflowDecider.Replay(history.Select(e => e.Event));
        Assert.Equal(JsonSerializer.Serialize(stored, StorageJson.Options), JsonSerializer.Serialize(replayed, StorageJson.Options));
    }
}
