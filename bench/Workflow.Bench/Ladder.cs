using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Workflow.Bench;

internal sealed record LadderResult(
    LevelResult L1, LevelResult L2Read, LevelResult L2Insert, LevelResult L3, LevelResult L4, long L4Rerouted, CpuResult Cpu, bool EmulatorTraced)
{
    public IEnumerable<LevelResult> Levels => [L1, L2Read, L2Insert, L3, L4];
}

/// <summary>
/// The API overhead ladder (quality-bars.md): one API process, started as the Functions host starts it, driven over
/// loopback at fixed rates — L1 a trivial endpoint, L2 the storage call itself from this process (a point read of the
/// very rows L3 reads, and an insert of a row of the same size), L3 GET a workflow, L4 a move.
/// </summary>
internal static class Ladder
{
    private const string Alice = "alice@contoso.test";

    public static async Task<LadderResult> RunAsync(BenchOptions options, string apiExecutable, AzuriteServer azurite, Action<string> progress)
    {
        var prefix = "l" + Guid.NewGuid().ToString("N")[..12];
        var port = Ports.Free();
        using var http = FunctionsHost.Client(port);
        using var api = FunctionsHost.Start(apiExecutable, port, azurite.ConnectionString, prefix);
        await FunctionsHost.WaitUntilReadyAsync(http, api, TimeSpan.FromSeconds(30));

        var token = await SignInAsync(http, Alice);
        var pool = await OpenPoolAsync(http, token, options.Pool);
        await SettleAsync(http, token, pool.Length);
        progress($"ladder: API on port {port}, {pool.Length} workflows open");

        var service = new TableServiceClient(azurite.ConnectionString);
        var workflows = service.GetTableClient(prefix + "workflows");
        var writes = service.GetTableClient(prefix + "benchwrites");
        await writes.CreateIfNotExistsAsync();
        // The insert writes what an open writes: a state row exactly as the API stored one.
        var sample = (await workflows.GetEntityAsync<TableEntity>(pool[0].Id, "state")).Value;

        var self = new ThreadCpuClock(System.Diagnostics.Process.GetCurrentProcess());
        IReadOnlyList<Func<TimeSpan>> cpu = [self.Read, api.Cpu.Read, azurite.CpuTime];

        var l1 = new OpenLoopLevel("L1  GET /", options.Rate, async i =>
        {
            using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
            return Expect(response, HttpStatusCode.OK);
        }, cpu, azurite.Pauses);

        var l2Read = new OpenLoopLevel("L2  Table point read (SDK)", options.Rate, async i =>
        {
            var row = await workflows.GetEntityAsync<TableEntity>(pool[i % pool.Length].Id, "state");
            return row.GetRawResponse().Status == 200 ? null : $"{row.GetRawResponse().Status}";
        }, cpu, azurite.Pauses);

        var l2Insert = new OpenLoopLevel("L2i Table insert (SDK)", options.Rate, async i =>
        {
            var row = new TableEntity(sample) { PartitionKey = Guid.NewGuid().ToString("N"), RowKey = "state" };
            row.Remove("odata.etag");
            row.Remove("Timestamp");
            var response = await writes.AddEntityAsync(row);
            return response.Status == 204 ? null : $"{response.Status}";
        }, cpu, azurite.Pauses);

        var l3 = new OpenLoopLevel("L3  GET /api/workflows/{id}", options.Rate, async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{pool[i % pool.Length].Id}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return Expect(response, HttpStatusCode.OK);
        }, cpu, azurite.Pauses);

        long rerouted = 0;
        var next = 0;
        async Task<string?> MoveAsync(long i)
        {
            // Round-robin; a workflow whose previous move is still in flight is passed over, so no two in-flight
            // moves ever name the same workflow (they would race for its next version).
            var workflow = TakeFree(pool, ref next, ref rerouted);
            if (workflow is null)
            {
                return "no workflow free: the pool is too small for this rate";
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/workflows/{workflow.Id}/moves")
                {
                    Content = new StringContent($$"""{"move":"note","text":"Bench note {{i}}"}""", Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{workflow.Version}\"");
                using var response = await http.SendAsync(request);
                if (VersionOf(response) is { } version)
                {
                    workflow.Version = version;
                }
                return Expect(response, HttpStatusCode.OK);
            }
            finally
            {
                Volatile.Write(ref workflow.Busy, 0);
            }
        }
        var l4 = new OpenLoopLevel("L4  POST .../moves (note)", options.MoveRate, MoveAsync, cpu, azurite.Pauses);

        // Each level in slices, the levels interleaved round by round: a neighbour's build that starts half-way
        // through slows every level alike instead of the ones that happened to run then.
        OpenLoopLevel[] levels = [l1, l2Read, l2Insert, l3, l4];
        var slice = options.Duration / options.Rounds;
        // L4's p99 is compared with the L2 p99s, so it is taken over as many requests as each of them: its slices are
        // longer by the ratio of the rates (8 s against 2 at 50 and 200/s). Over 500 moves the p99 was the 5th-slowest,
        // and two of Azurite's full collections in L4's ten seconds (two or three moves each) decided it.
        var moveSlice = slice * Math.Max(1, options.Rate / options.MoveRate);
        for (var round = -1; round < options.Rounds; round++)
        {
            foreach (var level in levels)
            {
                await level.RunSliceAsync(round < 0 ? options.Warmup : level == l4 ? moveSlice : slice, record: round >= 0);
                if (level == l4)
                {
                    // The moves' index projections run after their responses; let them finish before the next slice.
                    await SettleAsync(http, token, pool.Length);
                }
            }
            progress(round < 0 ? "ladder: warm-up done" : $"ladder: round {round + 1}/{options.Rounds}");
        }
        foreach (var level in levels)
        {
            progress(Line(level.Result()));
        }

        // CPU per move against CPU per trivial signed-in request: a GET that passes the whole user pipeline (token,
        // policy, rate limiter, caller binding) and reads no storage.
        var signedIn = new CpuProbe("GET /api/roles/schedule-preview", async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/roles/schedule-preview?schedule=0+9+1+*+*&timeZone=UTC");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            return Expect(response, HttpStatusCode.OK);
        });
        var cpuPerRequest = await CpuPerRequest.RunAsync(
            signedIn, new CpuProbe("POST .../moves (note)", MoveAsync), options.MoveRate, 2 * slice, options.Rounds, api.Cpu.Read, azurite.CpuTime, progress);
        return new LadderResult(l1.Result(), l2Read.Result(), l2Insert.Result(), l3.Result(), l4.Result(), rerouted, cpuPerRequest, azurite.Pauses.Traced);
    }

    internal static string Line(LevelResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Name}: p50 {r.P50:0.00} ms, p99 {r.P99:0.00} ms, errors {r.Errors}");

    private static PoolEntry? TakeFree(PoolEntry[] pool, ref int next, ref long rerouted)
    {
        for (var tried = 0; tried < pool.Length; tried++)
        {
            var candidate = pool[next];
            next = (next + 1) % pool.Length;
            if (Interlocked.CompareExchange(ref candidate.Busy, 1, 0) == 0)
            {
                return candidate;
            }
            rerouted++;
        }
        return null;
    }

    private static string? Expect(HttpResponseMessage response, HttpStatusCode expected) =>
        response.StatusCode == expected ? null : $"{(int)response.StatusCode} {response.ReasonPhrase}";

    private static int? VersionOf(HttpResponseMessage response) =>
        response.Headers.ETag?.Tag is { Length: > 2 } tag && int.TryParse(tag.AsSpan(1, tag.Length - 2), CultureInfo.InvariantCulture, out var v)
            ? v
            : null;

    internal static async Task<string> SignInAsync(HttpClient http, string email)
    {
        using var response = await http.PostAsJsonAsync("/api/dev/token", new { email });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    private static async Task<PoolEntry[]> OpenPoolAsync(HttpClient http, string token, int size)
    {
        var pool = new PoolEntry[size];
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workflows")
            {
                Content = JsonContent.Create(new
                {
                    concern = $"Bench workflow {i}",
                    customer = "me",
                    performer = "bob@contoso.test",
                    conditions = "Comments on every line over 10k",
                    dueBy = DateTimeOffset.UtcNow.AddDays(30),
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"Opening a pool workflow answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            pool[i] = new PoolEntry(body["id"]!.GetValue<string>()) { Version = VersionOf(response) ?? 0 };
        });
        return pool;
    }

    /// <summary>
    /// Waits until the index projections of the pool are done, so their background writes do not land in L1's
    /// measurement: a person's list read waits for the projections of their own writes (decision 0002).
    /// </summary>
    private static async Task SettleAsync(HttpClient http, string token, int expected)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/workflows?view=all");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            if (JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray().Count >= expected)
            {
                return;
            }
        }
        throw new InvalidOperationException($"The pool's {expected} workflows never all showed in the list.");
    }

    private sealed class PoolEntry(string id)
    {
        public string Id { get; } = id;

        public int Version { get; set; }

        /// <summary>1 while a move on this workflow is in flight.</summary>
        public int Busy;
    }
}
