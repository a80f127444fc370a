using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace Workflow.Bench;

/// <summary>Bytes allocated per request (KB): GET one workflow, the floor under it, and the storage call alone.</summary>
internal sealed record AllocationResult(double GetKb, double FloorKb, double RawReadKb, int Requests)
{
    /// <summary>What the API allocates for a GET beyond the cheapest request it answers, per byte the storage read allocates.</summary>
    public double Ratio => (GetKb - FloorKb) / RawReadKb;
}

/// <summary>
/// Allocations per GET one workflow against the raw SDK point read it rests on (issue 17), the API in process as
/// <see cref="InProcessCosts"/> hosts it. In process, <c>GC.GetTotalAllocatedBytes</c> counts the bench's client and
/// TestServer too, so the GET is measured less its floor: <c>GET /</c> (the readiness route: no token read, no storage)
/// through the same client with the same headers, its body drained the same way (never parsed). What is left is what
/// the API allocates to serve the GET — the token, the policy, the rate limiter's partition, the storage read, the
/// domain state and the JSON answer — against what the storage read alone allocates in the same process. The floor
/// also takes off the server's per-request share (HttpContext, routing), which no endpoint can avoid.
/// </summary>
internal static class AllocationRatio
{
    private const int Warmup = 50;
    private const int Rounds = 3;
    private const int Pool = 20;

    public static async Task<AllocationResult> RunAsync(BenchOptions options, AzuriteServer azurite, Action<string> progress)
    {
        await using var factory = new InProcessCosts.BenchApiFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();
        client.BaseAddress = new Uri($"http://127.0.0.1:{InProcessCosts.LoopbackCaller.Port}");
        var bearer = new AuthenticationHeaderValue("Bearer", await Ladder.SignInAsync(client, "alice@contoso.test"));

        var ids = new List<string>();
        for (var i = 0; i < Pool; i++)
        {
            using var open = new HttpRequestMessage(HttpMethod.Post, "/api/workflows")
            {
                Content = JsonContent.Create(new { concern = $"Bench workflow {i}", customer = "me", performer = "bob@contoso.test" }),
            };
            open.Headers.Authorization = bearer;
            using var opened = await client.SendAsync(open);
            opened.EnsureSuccessStatusCode();
            ids.Add(JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }
        var workflows = new TableServiceClient(azurite.ConnectionString).GetTableClient(factory.TablePrefix + "workflows");

        async Task<bool> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = bearer;
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
            return response.StatusCode == HttpStatusCode.OK;
        }
        Func<int, Task<bool>>[] kinds =
        [
            i => GetAsync($"/api/workflows/{ids[i % ids.Count]}"),
            _ => GetAsync("/"),
            async i => (await workflows.GetEntityAsync<TableEntity>(ids[i % ids.Count], "state")).GetRawResponse().Status == 200,
        ];
        var bytes = new long[kinds.Length];
        for (var round = -1; round < Rounds; round++)
        {
            for (var k = 0; k < kinds.Length; k++)
            {
                var requests = round < 0 ? Warmup : options.Requests;
                GC.Collect();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < requests; i++)
                {
                    if (!await kinds[k](i))
                    {
                        throw new InvalidOperationException($"Allocations: request kind {k} did not get a 200.");
                    }
                }
                if (round >= 0)
                {
                    bytes[k] += GC.GetTotalAllocatedBytes(precise: true) - before;
                }
            }
        }
        progress("allocations: GET one workflow, its floor and the raw read measured");
        double Kb(int k) => bytes[k] / 1024.0 / (Rounds * options.Requests);
        return new AllocationResult(Kb(0), Kb(1), Kb(2), Rounds * options.Requests);
    }
}
