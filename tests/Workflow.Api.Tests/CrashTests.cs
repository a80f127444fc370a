using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>The handler process killed while clients write to it, then started again.</summary>
[Collection(SharedAzurite.Name)]
public sealed class CrashTests(Azurite azurite)
{
    private const int Clients = 6;

    [Fact]
    public async Task A_process_killed_under_load_loses_nothing_acknowledged_doubles_nothing_and_its_indexes_converge()
    {
        var prefix = "k" + Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string> { ["FollowUps__SweepInterval"] = "00:00:01" };
        await using var first = new HandlerProcess(azurite, prefix, settings);
        await first.StartAsync();
        var alice = await first.SignedInAsync("alice@contoso.test");
        var opened = new List<ApiClient.Answer>();
        for (var i = 0; i < Clients; i++)
        {
            opened.Add(await alice.OpenForBobAsync($"Crash {i}", source: new { key = $"thread:crash-{i}", kind = "message" }, start: "requested"));
        }

        // Each client writes notes to its own workflow, one after another, until the process dies under it.
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var inDoubt = new ConcurrentDictionary<string, (string Text, string ETag)>();
        using var stop = new CancellationTokenSource();
        var writers = opened.Select(w => Task.Run(async () =>
        {
            var etag = w.ETag!;
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var text = $"{w.Id}-{n}";
                try
                {
                    var answer = await alice.MoveAsync(w.Id, etag, new { move = "note", text }, idempotencyKey: text);
                    Assert.Equal(HttpStatusCode.OK, answer.Status);
                    acknowledged.GetOrAdd(w.Id, _ => []).Add(text);
                    etag = answer.ETag!;
                }
                catch (HttpRequestException)
                {
                    inDoubt[w.Id] = (text, etag);
                    return;
                }
            }
        })).ToList();
        await Task.Delay(1500);
        first.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Values.Sum(b => b.Count) > Clients, "The load did not get going before the kill.");

        await using var second = new HandlerProcess(azurite, prefix, settings);
        await second.StartAsync();
        var aliceAgain = await second.SignedInAsync("alice@contoso.test");
        var bob = await second.SignedInAsync("bob@contoso.test");

        // A request in doubt is retried with its key: it lands exactly once, whether or not it had landed before.
        foreach (var (id, (text, etag)) in inDoubt)
        {
            var retried = await aliceAgain.MoveAsync(id, etag, new { move = "note", text }, idempotencyKey: text);
            Assert.True(retried.Status == HttpStatusCode.OK, retried.ToString());
            acknowledged.GetOrAdd(id, _ => []).Add(text);
        }

        var store = new TableWorkflowStore(new TableStorage(new TableStorageOptions { ConnectionString = azurite.ConnectionString, TablePrefix = prefix }, []));
        foreach (var w in opened)
        {
            var history = await store.HistoryAsync(w.Id, null, default);
            var notes = history.Select(e => e.Event).OfType<NoteAdded>().Select(n => n.Text).ToList();
            Assert.Equal(notes.Count, notes.Distinct().Count());
            Assert.Equal(acknowledged.GetValueOrDefault(w.Id, []).Order(), notes.Order());
            var stored = (await store.LoadAsync(w.Id, default))!;
            Assert.Equal(Enumerable.Range(1, stored.Version), history.Select(e => e.Version));
            Assert.Equal(JsonSerializer.Serialize(stored, StorageJson.Options),
                JsonSerializer.Serialize(WorkflowDecider.Replay(history.Select(e => e.Event)), StorageJson.Options));
        }

        // The indexes catch up by themselves: the restarted process's sweep finishes what the killed one left.
        var expected = new Dictionary<string, int>();
        foreach (var w in opened)
        {
            expected[w.Id] = (await store.LoadAsync(w.Id, default))!.Version;
        }
        await Eventually(async () =>
        {
            var list = await bob.GetJsonAsync("/api/workflows?view=all");
            var versions = list.Body!["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<string>(), i => i!["version"]!.GetValue<int>());
            var links = await Task.WhenAll(opened.Select((w, i) => bob.GetJsonAsync($"/api/items/thread:crash-{i}/workflows")));
            return expected.All(e => versions.GetValueOrDefault(e.Key) == e.Value)
                && links.All(l => l.Body!.AsArray().Count == 1);
        });
        // And every follow-up the killed process owed was done by the one after it: the outbox is empty.
        await Eventually(async () => (await Task.WhenAll(opened.Select(w => store.PendingAsync(w.Id, default)))).All(p => p.Count == 0));
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("The indexes did not converge within 20 s.");
    }
}
