using System.Net;
using System.Text.Json;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>Real concurrent clients over HTTP against one workflow, on Azurite.</summary>
[Collection(SharedAzurite.Name)]
public sealed class ConcurrencyTests(Azurite azurite) : IAsyncLifetime
{
    private const int ClientsPerParty = 12;
    private const int Rounds = 12;
    private const int SharedWorkflows = 3;

    private readonly ApiFactory _api = new(azurite);
    private HttpClient[] _alices = [];
    private HttpClient[] _bobs = [];

    public async Task InitializeAsync()
    {
        _alices = await Task.WhenAll(Enumerable.Range(0, ClientsPerParty).Select(_ => _api.SignedInAsync("alice@contoso.test")));
        _bobs = await Task.WhenAll(Enumerable.Range(0, ClientsPerParty).Select(_ => _api.SignedInAsync("bob@contoso.test")));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Conflicting_moves_never_both_succeed_and_the_history_replays_to_the_stored_state()
    {
        // Two dozen clients, every round all deciding on the same version of each of three shared workflows at once.
        var ids = await Task.WhenAll(Enumerable.Range(0, SharedWorkflows).Select(TortureAsync));

        foreach (var id in ids)
        {
            await AssertStoredStateEqualsReplay(id);
        }

        // The person and item indexes agree with the states once the projections have run.
        var alices = (await _alices[0].GetJsonAsync("/api/workflows?view=all")).Body!["items"]!.AsArray()
            .ToDictionary(i => i!["id"]!.GetValue<string>(), i => (i!["version"]!.GetValue<int>(), i["state"]!.GetValue<string>()));
        foreach (var (id, n) in ids.Select((id, n) => (id, n)))
        {
            var truth = await _bobs[0].GetJsonAsync($"/api/workflows/{id}");
            Assert.Equal((truth.Version, truth.State), alices[id]);
            var linked = await _bobs[0].GetJsonAsync($"/api/items/thread:torture-{n}/workflows");
            Assert.Equal(truth.Version, linked.Body!.AsArray().Single()!["version"]!.GetValue<int>());
        }
        // Every commit's follow-ups were done and crossed off: the outbox is empty (the sweep is off in tests, so this
        // process's own dispatch did it all).
        await StorageSnapshot.SettleAsync(azurite, _api.TablePrefix);
    }

    private async Task<string> TortureAsync(int n)
    {
        var opened = await _alices[0].OpenForBobAsync($"Contended {n}", source: new { key = $"thread:torture-{n}", kind = "message" });
        var asked = await _alices[0].MoveAsync(opened.Id, opened.ETag, new { move = "request" });
        var current = await _bobs[0].MoveAsync(opened.Id, asked.ETag, new { move = "promise" });

        for (var round = 0; round < Rounds; round++)
        {
            var last = round == Rounds - 1;
            // In the last round the moves change the state, and each would take the workflow somewhere different.
            var attempts = _alices.Select((c, i) => c.MoveAsync(opened.Id, current.ETag,
                    last ? (i % 2 == 0 ? new { move = "cancel", text = $"a{i}" } : new { move = "proposeChange", text = (string?)null, conditions = $"Change {i}" })
                         : new { move = i % 2 == 0 ? "checkIn" : "note", text = $"alice {round}.{i}" }))
                .Concat(_bobs.Select((c, i) => c.MoveAsync(opened.Id, current.ETag,
                    last ? new { move = "reportComplete", text = $"b{i}" } : new { move = i % 2 == 0 ? "reportProgress" : "note", text = $"bob {round}.{i}" })));
            var answers = await Task.WhenAll(attempts);

            var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            Assert.All(answers.Where(a => a != winner), a =>
            {
                Assert.Equal(HttpStatusCode.PreconditionFailed, a.Status);
                Assert.NotNull(a.ProblemType);
            });
            Assert.Equal(current.Version + 1, winner.Version);
            current = winner;
        }

        // No event lost, none duplicated: one per version, and exactly the winners' moves.
        var history = await _alices[0].HistoryAsync(opened.Id);
        Assert.Equal(Enumerable.Range(1, current.Version), history.Select(e => e!["version"]!.GetValue<int>()));
        Assert.Equal(4 + Rounds, current.Version);
        return opened.Id;
    }

    [Fact]
    public async Task Concurrent_retries_with_one_idempotency_key_apply_the_move_once()
    {
        var opened = await _alices[0].OpenForBobAsync("Retried");
        var answers = await Task.WhenAll(_alices.Select(c => c.MoveAsync(opened.Id, opened.ETag, new { move = "request" }, idempotencyKey: "same-click")));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, 2, "requested"), (a.Status, a.Version, a.State)));
        Assert.Equal(2, (await _alices[0].HistoryAsync(opened.Id)).Count);
        await AssertStoredStateEqualsReplay(opened.Id);
    }

    private async Task AssertStoredStateEqualsReplay(string id)
    {
        var storage = new TableWorkflowStore(new TableStorage(
            new TableStorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = _api.TablePrefix }, []));
        var stored = (await storage.LoadAsync(id, default))!;
        var replayed = WorkflowDecider.Replay((await storage.HistoryAsync(id, null, default)).Select(e => e.Event));
        Assert.Equal(JsonSerializer.Serialize(stored, StorageJson.Options), JsonSerializer.Serialize(replayed, StorageJson.Options));
    }
}
