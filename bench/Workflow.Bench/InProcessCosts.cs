using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Workflow.Application;
using Workflow.Api.Storage;
using Workflow.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Domain;

namespace Workflow.Bench;

/// <summary>What one operation costs, machine-independently: storage requests on its request path, bytes allocated.</summary>
internal sealed record OperationCost(
    string Name, int MinStorage, int MaxStorage, IReadOnlyList<string> ExampleStorage, double BytesPerRequest, int AllocationRequests,
    string Bar, bool? Pass, string? Note = null);

/// <summary>
/// The API in process (WebApplicationFactory, as the API tests host it), counting storage requests with an SDK
/// pipeline policy whose AsyncLocal scope flows into the server (TestServer preserves the execution context), so
/// the index projection — which runs after the response, in the background — is not counted.
/// Allocated bytes are GC.GetTotalAllocatedBytes over sequential requests: the whole process, so the client's and
/// TestServer's share is in it too (the GET / line shows that floor). The index projection a write queues is held
/// back while allocations are measured and released after, so the figure is the request path's.
/// </summary>
internal static class InProcessCosts
{
    private const int Warmup = 10;
    private const int Counted = 10;

    public static async Task<IReadOnlyList<OperationCost>> RunAsync(BenchOptions options, AzuriteServer azurite, Action<string> progress)
    {
        await using var factory = new BenchApiFactory(azurite.ConnectionString);
        // The host (and with it the index worker) starts here, outside any counting scope.
        using var client = factory.CreateClient();
        // As the Functions host dials the handler: the readiness probe (the harness floor) answers the host only.
        client.BaseAddress = new Uri($"http://127.0.0.1:{LoopbackCaller.Port}");
        var token = await Ladder.SignInAsync(client, "alice@contoso.test");
        var alice = new UserId("11111111-1111-1111-1111-111111111111", "aaaaaaaa-0000-0000-0000-000000000001");
        var measure = new Measurer(factory, client, token, alice);

        var pool = new List<(string Id, int Version)>();
        for (var i = 0; i < 50; i++)
        {
            var (status, body, version) = await measure.OpenAsync(i, source: false, idempotencyKey: null);
            pool.Add((body!["id"]!.GetValue<string>(), version));
        }
        await measure.DrainIndexAsync();
        // The storage call by itself, through a pipeline with the same counting policy: the floor under GET one workflow.
        var rawOptions = new TableClientOptions();
        rawOptions.AddPolicy(factory.Requests, HttpPipelinePosition.PerRetry);
        var rawWorkflows = new TableServiceClient(azurite.ConnectionString, rawOptions).GetTableClient(factory.TablePrefix + "workflows");

        var costs = new List<OperationCost>
        {
            await measure.CostAsync("GET / (harness floor)", options.Requests, "-", max => null,
                async i => (await measure.SendAsync(HttpMethod.Get, "/", null, null)).Status == HttpStatusCode.OK),
            await measure.CostAsync("raw SDK point read (L2, no HTTP)", options.Requests, "-", max => null, async i =>
            {
                var row = await rawWorkflows.GetEntityAsync<TableEntity>(pool[i % pool.Count].Id, "state");
                return row.GetRawResponse().Status == 200;
            }),
            await measure.CostAsync("open from an email", options.Requests, "<= 2", max => max <= 2,
                async i => (await measure.OpenAsync(1000 + i, source: true, idempotencyKey: null)).Status == HttpStatusCode.Created),
            await measure.CostAsync("open from an email + Idempotency-Key", options.Requests, "<= 2", max => max <= 2,
                async i => (await measure.OpenAsync(2000 + i, source: true, idempotencyKey: $"bench-{Guid.NewGuid():N}")).Status == HttpStatusCode.Created),
            await measure.CostAsync("move (note, If-Match)", options.Requests, "<= 2", max => max <= 2, async i =>
            {
                var (id, version) = pool[i % pool.Count];
                var answer = await measure.SendAsync(HttpMethod.Post, $"/api/workflows/{id}/moves",
                    $$"""{"move":"note","text":"Bench note {{i}}"}""", $"\"{version}\"");
                pool[i % pool.Count] = (id, answer.Version);
                return answer.Status == HttpStatusCode.OK;
            }),
            await measure.CostAsync("GET one workflow", options.Requests, "= 1 (0002)", max => max == 1,
                async i => (await measure.SendAsync(HttpMethod.Get, $"/api/workflows/{pool[i % pool.Count].Id}", null, null)).Status == HttpStatusCode.OK),
        };
        progress("in process: open, move, get measured");
        costs.AddRange(await measure.MoveInAllAsync());
        costs.AddRange(await measure.OpenInAllAsync());
        costs.AddRange(await measure.FiguresAsync());
        progress("in process: a move and an open in all (follow-ups and notification) measured");

        // A person's list at the size the bar names: top up Alice's active workflows, then read them in one page.
        var have = await measure.ListCountAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, Math.Max(0, options.ListSize - have)), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => await measure.OpenAsync(10_000 + i, source: false, idempotencyKey: null));
        await measure.DrainIndexAsync();
        have = await measure.ListCountAsync();
        costs.Add(await measure.CostAsync($"GET list (view=all, {have} active)", options.ListRequests, "= 1 page", max => max == 1, async i =>
        {
            var answer = await measure.SendAsync(HttpMethod.Get, "/api/workflows?view=all", null, null);
            return answer.Status == HttpStatusCode.OK && answer.Body!["items"]!.AsArray().Count == have && answer.Body["next"] is null;
        }, note: have == options.ListSize ? null : $"list holds {have}, not {options.ListSize}"));
        progress("in process: list measured");
        return costs;
    }

    private sealed class Measurer(BenchApiFactory factory, HttpClient client, string token, UserId alice)
    {
        public sealed record Answer(HttpStatusCode Status, JsonNode? Body, int Version);

        public async Task<Answer> SendAsync(HttpMethod method, string path, string? json, string? ifMatch)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var version = response.Headers.ETag?.Tag is { Length: > 2 } tag
                && int.TryParse(tag.AsSpan(1, tag.Length - 2), CultureInfo.InvariantCulture, out var v) ? v : 0;
            return new Answer(response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null, version);
        }

        public Task<Answer> OpenAsync(int i, bool source, string? idempotencyKey)
        {
            var body = new JsonObject
            {
                ["concern"] = $"Bench workflow {i}",
                ["customer"] = "me",
                ["performer"] = "bob@contoso.test",
                ["conditions"] = "Comments on every line over 10k",
                ["dueBy"] = DateTimeOffset.UtcNow.AddDays(30),
            };
            if (source)
            {
                body["source"] = new JsonObject { ["key"] = $"thread:AAQkADBench{i:D6}", ["kind"] = "message", ["subject"] = $"Bench thread {i}" };
            }
            return idempotencyKey is null
                ? SendAsync(HttpMethod.Post, "/api/workflows", body.ToJsonString(), null)
                : SendKeyedAsync(body.ToJsonString(), idempotencyKey);
        }

        private async Task<Answer> SendKeyedAsync(string json, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            return new Answer(response.StatusCode, body, 0);
        }

        public async Task<int> ListCountAsync()
        {
            var answer = await SendAsync(HttpMethod.Get, "/api/workflows?view=all", null, null);
            return answer.Body!["items"]!.AsArray().Count;
        }

        /// <summary>Releases held projections and waits until this process has projected every write of Alice's.</summary>
        public async Task DrainIndexAsync()
        {
            factory.Index.Release();
            var pending = factory.Services.GetRequiredService<PendingFollowUps>();
            // The wait gives up after 5 s (a list is served as it stands): wait again until one finishes in time.
            for (var attempt = 0; attempt < 60; attempt++)
            {
                var started = Stopwatch.GetTimestamp();
                await pending.WaitForUserAsync(alice, CancellationToken.None);
                if (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(4.5))
                {
                    return;
                }
            }
            throw new TimeoutException("The index projections did not finish.");
        }

        /// <summary>
        /// What a move that hands the ball to the other party costs in all: its request path, its follow-ups (index
        /// projection, figures, the notice, the outbox's own writes), and the mail. Each part runs in a counting scope of
        /// its own, driven here rather than by the background workers (held meanwhile); the split of the follow-ups is
        /// taken on a twin workflow given the same move, so each figure is one part alone. The notice is held for a mail
        /// from memory (docs/decisions/0017), as it is whenever it waits out the coalescing window; what goes through the
        /// boxes instead (a second move before the first mail went, and every pass's query) is measured beside it.
        /// </summary>
        public async Task<IReadOnlyList<OperationCost>> MoveInAllAsync()
        {
            var drafts = new List<(string Id, int Version)>();
            // Two warm-up rounds, as every figure here has: the first move towards Bob also puts him in the people registry
            // (once per person) and this instance reads his preferences (once a minute).
            const int warmUp = 2;
            for (var i = 0; i < 2 * (warmUp + Counted); i++)
            {
                var (_, body, version) = await OpenAsync(5000 + i, source: false, idempotencyKey: null);
                drafts.Add((body!["id"]!.GetValue<string>(), version));
            }
            await DrainIndexAsync();
            var dispatcher = factory.Services.GetRequiredService<FollowUpDispatcher>();
            var projection = factory.Services.GetRequiredService<IIndexProjection>();
            var figures = factory.Services.GetRequiredService<IFigureProjection>();
            var notifier = factory.Services.GetRequiredService<Notifier>();
            var mailer = factory.Services.GetRequiredService<NotificationMailer>();
            // Whatever the writes measured before held (notes tell the other party) goes now: each round starts with none.
            await Task.Delay(BenchApiFactory.CoalesceWindow);
            await mailer.RunAsync(CancellationToken.None);

            var parts = new Dictionary<string, List<int>>();
            var examples = new Dictionary<string, IReadOnlyList<string>>();
            var counting = false;
            async Task<T> Count<T>(string part, Func<Task<T>> work)
            {
                using var scope = factory.Requests.Measure();
                var result = await work();
                if (!counting)
                {
                    return result;
                }
                (parts.TryGetValue(part, out var list) ? list : parts[part] = []).Add(scope.Count);
                examples.TryAdd(part, [.. scope.Requests]);
                return result;
            }

            factory.Index.Hold();
            for (var k = 0; k < warmUp + Counted; k++)
            {
                counting = k >= warmUp;
                var (id, version) = drafts[2 * k];
                var (twin, twinVersion) = drafts[2 * k + 1];
                var request = $$"""{"move":"request"}""";
                var asked = await Count("request path", () => SendAsync(HttpMethod.Post, $"/api/workflows/{id}/moves", request, $"\"{version}\""));
                Check("move in all", asked.Status == HttpStatusCode.OK);
                // As the follow-up worker does it: the commit the request stored, dispatched right after.
                var commit = factory.Index.Take(id);
                await Count("follow-ups in all", async () =>
                {
                    await dispatcher.DispatchCommitAsync(commit, CancellationToken.None);
                    return true;
                });
                // As the next pass after the coalescing window does it.
                await Task.Delay(BenchApiFactory.CoalesceWindow);
                var run = await Count("the mail (held: send + cross-off)", () => mailer.SendHeldAsync(CancellationToken.None));
                Check("move in all: one mail", run.Sent == 1);

                await SendAsync(HttpMethod.Post, $"/api/workflows/{twin}/moves", request, $"\"{twinVersion}\"");
                var twinCommit = factory.Index.Take(twin);
                await Count("  of which projectIndex", async () =>
                {
                    await projection.ProjectCommitAsync(twinCommit, CancellationToken.None);
                    return true;
                });
                await Count("  of which projectFigures", async () =>
                {
                    await figures.ProjectCommitAsync(twinCommit, CancellationToken.None);
                    return true;
                });
                await Count("  of which notify (held: no write)", async () =>
                {
                    var told = await notifier.TellAsync(twinCommit, [.. twinCommit.FollowUps.OfType<Notify>()],
                        [.. twinCommit.FollowUps.Where(f => f is not Notify)], CancellationToken.None);
                    Check("move in all: the notice is held", told.Held);
                    return true;
                });
                // Uncounted: the twin's mail sent and its commit crossed off, so the next round starts with nothing held.
                await Task.Delay(BenchApiFactory.CoalesceWindow);
                Check("move in all: the twin's mail", (await mailer.SendHeldAsync(CancellationToken.None)).Sent == 1);
            }
            var passes = new List<int>();
            IReadOnlyList<string> passExample = [];
            for (var p = 0; p < Counted; p++)
            {
                using var scope = factory.Requests.Measure();
                Check("a pass with nothing due", (await mailer.RunAsync(CancellationToken.None)).Sent == 0);
                passes.Add(scope.Count);
                passExample = passExample.Count > 0 ? passExample : [.. scope.Requests];
            }
            // The same projection by an instance that knows none of the rows (just started, or another one's commit):
            // each row is read before its guarded write.
            var cold = new List<int>();
            IReadOnlyList<string> coldExample = [];
            for (var k = 0; k < Counted; k++)
            {
                var (_, body, version) = await OpenAsync(6000 + k, source: false, idempotencyKey: null);
                var id = body!["id"]!.GetValue<string>();
                await SendAsync(HttpMethod.Post, $"/api/workflows/{id}/moves", $$"""{"move":"request"}""", $"\"{version}\"");
                await dispatcher.DispatchCommitAsync(factory.Index.Take(id), CancellationToken.None); // The open.
                var asked = factory.Index.Take(id);
                var fresh = new IndexProjector(
                    factory.Services.GetRequiredService<TableStorage>(), factory.Services.GetRequiredService<IPeopleRegistry>());
                using (var scope = factory.Requests.Measure())
                {
                    await fresh.ProjectCommitAsync(asked, CancellationToken.None);
                    cold.Add(scope.Count);
                    coldExample = coldExample.Count > 0 ? coldExample : [.. scope.Requests];
                }
                await dispatcher.DispatchCommitAsync(asked, CancellationToken.None);
                await Task.Delay(BenchApiFactory.CoalesceWindow);
                await mailer.RunAsync(CancellationToken.None);
            }
            await DrainIndexAsync();
            factory.Index.Hold();
            var burst = await BurstAsync(dispatcher, mailer);
            await DrainIndexAsync();

            var followUps = parts["follow-ups in all"];
            var path = parts["request path"];
            var mail = parts["the mail (held: send + cross-off)"];
            var total = path.Zip(followUps, mail).Select(t => t.First + t.Second + t.Third).ToList();
            OperationCost Line(string name, IReadOnlyList<int> counts, string bar = "-", bool? pass = null, string? note = null) =>
                new(name, counts.Min(), counts.Max(), examples.GetValueOrDefault(name, []), 0, 0, bar, pass, note);
            var bookkeeping = followUps.Zip(parts["  of which projectIndex"], parts["  of which notify (held: no write)"])
                .Zip(parts["  of which projectFigures"], (t, f) => t.First - t.Second - t.Third - f).ToList();
            return
            [
                Line("request path", path, "<= 2", path.Max() <= 2),
                Line("follow-ups in all", followUps),
                Line("  of which projectIndex", parts["  of which projectIndex"]),
                Line("  of which projectFigures", parts["  of which projectFigures"], note: "a request changes no one's figures yet: nothing written"),
                Line("  of which notify (held: no write)", parts["  of which notify (held: no write)"]),
                Line("  of which the outbox (left to the mail)", bookkeeping),
                new("  projectIndex by an instance that knows none of the rows", cold.Min(), cold.Max(), coldExample, 0, 0, "-", null,
                    "each row read before its guarded write: +1 per row on a cold or other instance"),
                Line("the mail (held: send + cross-off)", mail),
                Line("a move in all (request + follow-ups + mail)", total, "<= 5", total.Max() <= 5, "quality-bars.md: per move <= 5 in all"),
                new("a mailer pass over the boxes (fixed)", passes.Min(), passes.Max(), passExample, 0, 0, "-", null,
                    "nothing due: one query per pass (every PollInterval, and the timer's minute) however many mails it finds, "
                    + "not a move's; +1 a few times per claim lease, looking for abandoned claims"),
                burst,
            ];
        }

        /// <summary>
        /// Two moves towards one person before the first mail went: the second displaces the first held mail, both notices
        /// go into the box (one transaction) and both commits are crossed off (one), and the box's pass mails them as one
        /// (its query, the claim, the workflow read to compose, the mark). Counted in all, per move.
        /// </summary>
        private async Task<OperationCost> BurstAsync(FollowUpDispatcher dispatcher, NotificationMailer mailer)
        {
            var counts = new List<int>();
            IReadOnlyList<string> example = [];
            for (var k = 0; k < Counted; k++)
            {
                var (_, body, version) = await OpenAsync(8000 + k, source: false, idempotencyKey: null);
                var id = body!["id"]!.GetValue<string>();
                await dispatcher.DispatchCommitAsync(factory.Index.Take(id), CancellationToken.None); // The open.
                using var scope = factory.Requests.Measure();
                var asked = await SendAsync(HttpMethod.Post, $"/api/workflows/{id}/moves", """{"move":"request"}""", $"\"{version}\"");
                await dispatcher.DispatchCommitAsync(factory.Index.Take(id), CancellationToken.None);
                var noted = await SendAsync(HttpMethod.Post, $"/api/workflows/{id}/moves", """{"move":"note","text":"And the appendix."}""", $"\"{asked.Version}\"");
                Check("burst: both moves", asked.Status == HttpStatusCode.OK && noted.Status == HttpStatusCode.OK);
                await dispatcher.DispatchCommitAsync(factory.Index.Take(id), CancellationToken.None);
                await Task.Delay(BenchApiFactory.CoalesceWindow);
                Check("burst: one mail", (await mailer.RunAsync(CancellationToken.None)).Sent == 1);
                counts.Add(scope.Count);
                example = example.Count > 0 ? example : [.. scope.Requests];
            }
            var perMove = counts.Select(c => (c + 1) / 2).ToList();
            return new OperationCost("a burst of 2 moves (via box), per move", perMove.Min(), perMove.Max(), example, 0, 0, "-", null,
                $"two moves towards one person before the first mail went: {counts.Min()}-{counts.Max()} for both, one mail: each move's 2 + 2, "
                + "the notices into the box 1, both commits crossed off 1, the box's mail 4 (query, claim, compose read, mark)");
        }

        /// <summary>What opening a workflow from a mail costs in all: the request path and the follow-ups it owes.</summary>
        public async Task<IReadOnlyList<OperationCost>> OpenInAllAsync()
        {
            var path = new List<int>();
            var followUps = new List<int>();
            IReadOnlyList<string> example = [];
            var dispatcher = factory.Services.GetRequiredService<FollowUpDispatcher>();
            factory.Index.Hold();
            for (var k = 0; k < Warmup + Counted; k++)
            {
                int onPath;
                string id;
                using (var scope = factory.Requests.Measure())
                {
                    var (status, body, _) = await OpenAsync(7000 + k, source: true, idempotencyKey: null);
                    Check("open in all", status == HttpStatusCode.Created);
                    (onPath, id) = (scope.Count, body!["id"]!.GetValue<string>());
                }
                var commit = Take(id);
                using var dispatch = factory.Requests.Measure();
                await dispatcher.DispatchCommitAsync(commit, CancellationToken.None);
                if (k >= Warmup)
                {
                    path.Add(onPath);
                    followUps.Add(dispatch.Count);
                    example = example.Count > 0 ? example : [.. dispatch.Requests];
                }
            }
            await DrainIndexAsync();
            var total = path.Zip(followUps, (a, b) => a + b).ToList();
            return
            [
                new("open from an email: its follow-ups", followUps.Min(), followUps.Max(), example, 0, 0, "-", null),
                new("an open in all (request + follow-ups)", total.Min(), total.Max(), [], 0, 0, "<= 5", total.Max() <= 5,
                    "quality-bars.md: per open <= 5 in all"),
            ];
        }

        /// <summary>
        /// What the figures cost: the projection of a move that changes both sides' facts (a recorded promise: each
        /// party's first row), of one that changes none (a note), and a person's figures view (one query page).
        /// </summary>
        public async Task<IReadOnlyList<OperationCost>> FiguresAsync()
        {
            var figures = factory.Services.GetRequiredService<IFigureProjection>();
            var dispatcher = factory.Services.GetRequiredService<FollowUpDispatcher>();
            var promised = new List<int>();
            var noted = new List<int>();
            IReadOnlyList<string> example = [];
            factory.Index.Hold();
            for (var k = 0; k < Warmup + Counted; k++)
            {
                var body = new JsonObject
                {
                    ["concern"] = $"Bench promise {k}", ["customer"] = "me", ["performer"] = "bob@contoso.test",
                    ["conditions"] = "As agreed", ["dueBy"] = DateTimeOffset.UtcNow.AddDays(30), ["start"] = "promised",
                };
                var opened = await SendAsync(HttpMethod.Post, "/api/workflows", body.ToJsonString(), null);
                Check("figures: open promised", opened.Status == HttpStatusCode.Created);
                var id = opened.Body!["id"]!.GetValue<string>();
                var commit = Take(id);
                using (var scope = factory.Requests.Measure())
                {
                    await figures.ProjectCommitAsync(commit, CancellationToken.None);
                    if (k >= Warmup)
                    {
                        promised.Add(scope.Count);
                        example = example.Count > 0 ? example : [.. scope.Requests];
                    }
                }
                await dispatcher.DispatchCommitAsync(commit, CancellationToken.None);
                var note = await SendAsync(HttpMethod.Post, $"/api/workflows/{id}/moves", """{"move":"note","text":"Bench"}""", $"\"{opened.Version}\"");
                Check("figures: note", note.Status == HttpStatusCode.OK);
                var noteCommit = Take(id);
                using (var scope = factory.Requests.Measure())
                {
                    await figures.ProjectCommitAsync(noteCommit, CancellationToken.None);
                    if (k >= Warmup)
                    {
                        noted.Add(scope.Count);
                    }
                }
                await dispatcher.DispatchCommitAsync(noteCommit, CancellationToken.None);
            }
            await DrainIndexAsync();
            var view = await CostAsync("figures view: GET /api/figures?weeks=52", 20, "= 1 page", max => max == 1,
                async i => (await SendAsync(HttpMethod.Get, "/api/figures?weeks=52", null, null)).Status == HttpStatusCode.OK);
            return
            [
                new("projectFigures of a recorded promise (both sides' first rows)", promised.Min(), promised.Max(), example, 0, 0, "-", null),
                new("projectFigures of a note (no fact changes)", noted.Min(), noted.Max(), [], 0, 0, "= 0", noted.Max() == 0),
                view,
            ];
        }

        private Commit Take(string workflowId) => factory.Index.Take(workflowId);

        public async Task<OperationCost> CostAsync(
            string name, int requests, string bar, Func<int, bool?> meetsBar, Func<int, Task<bool>> send, string? note = null)
        {
            var i = 0;
            for (var w = 0; w < Warmup; w++)
            {
                Check(name, await send(i++));
            }
            await DrainIndexAsync();

            var counts = new List<int>();
            IReadOnlyList<string> example = [];
            for (var c = 0; c < Counted; c++)
            {
                using var scope = factory.Requests.Measure();
                Check(name, await send(i++));
                counts.Add(scope.Count);
                if (c == 0)
                {
                    example = [.. scope.Requests];
                }
            }
            await DrainIndexAsync();

            factory.Index.Hold();
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var r = 0; r < requests; r++)
            {
                Check(name, await send(i++));
            }
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            await DrainIndexAsync();

            return new OperationCost(name, counts.Min(), counts.Max(), example, (double)allocated / requests, requests, bar, meetsBar(counts.Max()), note);
        }

        private static void Check(string name, bool ok)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"'{name}' did not get the answer it expects.");
            }
        }
    }

    /// <summary>The API in process on its own tables, Development, storage requests counted (as the API tests host it).</summary>
    internal sealed class BenchApiFactory(string connectionString) : WebApplicationFactory<Program>
    {
        public static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(50);

        public StorageRequestCounter Requests { get; } = new();

        public string TablePrefix { get; } = "p" + Guid.NewGuid().ToString("N")[..12];

        public HeldIndexUpdates Index => Services.GetRequiredService<HeldIndexUpdates>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // WebApplicationFactory finds the content root through a manifest in the working directory; the bench may
            // run from anywhere, so name it (appsettings.Development.json holds the development directory).
            builder.UseContentRoot(Path.Combine(RepoRoot.Path, "functions", "Workflow.Api"));
            builder.UseTestServer(server => server.PreserveExecutionContext = true);
            builder.UseSetting("Tables:ConnectionString", connectionString);
            builder.UseSetting("Tables:TablePrefix", TablePrefix);
            builder.UseSetting("FollowUps:SweepInterval", "00:00:00");
            // The bench drives the mailer itself; mail goes to a folder of its own.
            builder.UseSetting("Notifications:PollInterval", "00:00:00");
            // A window, short for the bench, so immediate notices are held as in production (docs/decisions/0017).
            builder.UseSetting("Notifications:CoalesceWindow", CoalesceWindow.ToString("c", CultureInfo.InvariantCulture));
            builder.UseSetting("Mail:OutboxPath", Path.Combine(Path.GetTempPath(), "workflow-bench-outbox-" + TablePrefix));
            foreach (var (key, value) in FunctionsHost.NoRateLimits)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<HttpPipelinePolicy>(Requests);
                services.AddSingleton<IStartupFilter, LoopbackCaller>();
                services.AddSingleton<HeldIndexUpdates>();
                services.AddSingleton<IFollowUps>(sp => sp.GetRequiredService<HeldIndexUpdates>());
            });
        }
    }

    /// <summary>
    /// TestServer leaves the connection's addresses empty; the local sign-in answers loopback callers only, and the
    /// routes outside /api/ the host only (127.0.0.1 at the port we listen on).
    /// </summary>
    internal sealed class LoopbackCaller : IStartupFilter
    {
        public const int Port = 7071;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, Func<Task> nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                context.Connection.LocalPort = Port;
                return nextMiddleware();
            });
            next(app);
        };
    }

    /// <summary>
    /// The API's follow-up queue, able to hold back what writes enqueue (while their allocations are measured, or so the
    /// bench can dispatch a commit itself, counted) and release it after.
    /// </summary>
    internal sealed class HeldIndexUpdates(PendingFollowUps pending) : IFollowUps
    {
        private readonly Lock _gate = new();
        private readonly List<Commit> _held = [];
        private bool _holding;

        public void Hold()
        {
            lock (_gate)
            {
                _holding = true;
            }
        }

        public void Release()
        {
            Commit[] held;
            lock (_gate)
            {
                _holding = false;
                held = [.. _held];
                _held.Clear();
            }
            foreach (var commit in held)
            {
                pending.Committed(commit);
            }
        }

        /// <summary>Takes the oldest held commit of <paramref name="workflowId"/> off the queue: the caller dispatches it.</summary>
        public Commit Take(string workflowId)
        {
            lock (_gate)
            {
                var index = _held.FindIndex(c => c.State.Id == workflowId);
                if (index < 0)
                {
                    throw new InvalidOperationException($"No commit of {workflowId} is held.");
                }
                var commit = _held[index];
                _held.RemoveAt(index);
                return commit;
            }
        }

        public void Committed(Commit commit)
        {
            lock (_gate)
            {
                if (_holding)
                {
                    _held.Add(commit);
                    return;
                }
            }
            pending.Committed(commit);
        }

        public TimeSpan Lease => pending.Lease;

        public Task WaitForUserAsync(UserId user, CancellationToken cancellationToken) => pending.WaitForUserAsync(user, cancellationToken);

        public Task WaitForWorkflowAsync(string workflowId, CancellationToken cancellationToken) =>
            pending.WaitForWorkflowAsync(workflowId, cancellationToken);
    }
}
