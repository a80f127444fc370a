using System.Net;
using System.Text.Json;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Api.Storage;
using Workflow.Application;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>
/// Whole loops driven through storage that loses the responses of writes that landed, answers 500/503 and times
/// out. Clients retry what failed with the same Idempotency-Key, as the add-in does. Every move must land exactly
/// once, every retry must get the original result, and the indexes must agree with the states afterwards.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ChaosTests : IAsyncLifetime
{
    private const int Workflows = 6;
    private const int MaxClientTries = 30;

    private static readonly (string Who, string Move, string State)[] Loop =
    [
        ("alice", "request", "requested"),
        ("bob", "promise", "promised"),
        ("bob", "reportProgress", "promised"),
        ("alice", "checkIn", "promised"),
        ("bob", "reportComplete", "reported"),
        ("alice", "declareNotSatisfied", "promised"),
        ("bob", "reportComplete", "reported"),
        ("alice", "declareSatisfied", "satisfied"),
    ];

    private static int s_clientRetries;
    private readonly Azurite _azurite;
    private readonly ChaosPolicy _chaos = new(seed: 7);
    private readonly ApiFactory _api;

    public ChaosTests(Azurite azurite)
    {
        _azurite = azurite;
        // One SDK retry only, so that some requests fail all the way to the client and the client's retry is tested too.
        _api = new ApiFactory(azurite, services: s => s.AddSingleton<HttpPipelinePolicy>(_chaos),
            settings: new Dictionary<string, string?> { ["Tables:MaxRetries"] = "1" });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Every_move_lands_exactly_once_through_lost_responses_errors_and_timeouts()
    {
        var clients = new Dictionary<string, HttpClient>
        {
            ["alice"] = await _api.SignedInAsync("alice@contoso.test"),
            ["bob"] = await _api.SignedInAsync("bob@contoso.test"),
        };
        _chaos.Armed = true;

        var ids = await Task.WhenAll(Enumerable.Range(0, Workflows).Select(i => RunLoopAsync(i, clients)));

        _chaos.Armed = false;
        Assert.True(_chaos.LostResponses > 0 && _chaos.ServerErrors > 0 && _chaos.Timeouts > 0 && s_clientRetries > 0,
            $"The faults were not all exercised: {_chaos.LostResponses} lost, {_chaos.ServerErrors} errors, {_chaos.Timeouts} timeouts, {s_clientRetries} client retries.");

        var store = new TableWorkflowStore(new TableStorage(
            new TableStorageOptions { ConnectionString = _azurite.ConnectionString, TablePrefix = _api.TablePrefix }, []));
        foreach (var id in ids)
        {
            var history = await store.HistoryAsync(id, null, default);
            Assert.Equal(
                [nameof(WorkflowOpened), nameof(ItemLinked), nameof(Requested), nameof(Promised), nameof(ProgressReported), nameof(CheckedIn),
                 nameof(CompletionReported), nameof(DissatisfactionDeclared), nameof(CompletionReported), nameof(SatisfactionDeclared)],
                history.Select(e => e.Event.GetType().Name));
            var stored = (await store.LoadAsync(id, default))!;
            Assert.Equal(JsonSerializer.Serialize(stored, StorageJson.Options),
                JsonSerializer.Serialize(WorkflowDecider.Replay(history.Select(e => e.Event)), StorageJson.Options));
        }

        // Index updates that failed under the chaos are finished by the sweep; then every list agrees with the states.
        await _api.Services.GetRequiredService<FollowUpDispatcher>().SweepAsync(default);
        var bobs = await clients["bob"].GetJsonAsync("/api/workflows?view=all");
        var versions = bobs.Body!["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<string>(), i => (i!["version"]!.GetValue<int>(), i["state"]!.GetValue<string>()));
        Assert.All(ids, id => Assert.Equal((10, "satisfied"), versions[id]));
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            Assert.Equal([id], (await clients["alice"].GetJsonAsync($"/api/items/thread:chaos-{i}/workflows")).Ids());
        }
    }

    private static async Task<string> RunLoopAsync(int i, Dictionary<string, HttpClient> clients)
    {
        // Fixed before the retries: a retry must send the same body, or the reused Idempotency-Key is rightly refused (422).
        var dueBy = DateTimeOffset.UtcNow.AddDays(7);
        var opened = await WithRetries(() => clients["alice"].OpenAsync(new
        {
            concern = $"Chaos {i}",
            customer = "me",
            performer = "bob@contoso.test",
            conditions = "Survives",
            dueBy,
            source = new { key = $"thread:chaos-{i}", kind = "message" },
        }, idempotencyKey: $"chaos-open-{i}"));
        Assert.Equal(HttpStatusCode.Created, opened.Status);

        var current = opened;
        foreach (var (step, (who, move, state)) in Loop.Select((s, n) => (n, s)))
        {
            var body = move == "declareNotSatisfied" ? (object)new { move, text = "The totals are missing" } : new { move, text = $"step {step}" };
            var previous = current;
            var answer = await WithRetries(() => clients[who].MoveAsync(opened.Id, previous.ETag, body, idempotencyKey: $"chaos-{i}-{step}"));
            Assert.True(answer.Status == HttpStatusCode.OK, $"{move}: {answer}");
            Assert.Equal((previous.Version + 1, state), (answer.Version, answer.State));
            current = answer;
        }
        return opened.Id;
    }

    /// <summary>The client's part: a 503 means "try again later" — with the same request and the same key.</summary>
    private static async Task<ApiClient.Answer> WithRetries(Func<Task<ApiClient.Answer>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await send();
            if (answer.Status != HttpStatusCode.ServiceUnavailable || attempt == MaxClientTries)
            {
                return answer;
            }
            Assert.NotNull(answer.Body?["title"]);
            Interlocked.Increment(ref s_clientRetries);
        }
    }
}
