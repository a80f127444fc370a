using System.Diagnostics;

namespace Workflow.Bench;

/// <summary>Wall-clock milliseconds to the first 200, and the CPU milliseconds the process had used by then.</summary>
internal sealed record StartupResult(IReadOnlyList<double> ApiMs, IReadOnlyList<double> EmptyMs, IReadOnlyList<double> ApiCpuMs, IReadOnlyList<double> EmptyCpuMs,
    IReadOnlyList<double> ApiSignedInMs)
{
    public double ApiMedian => Stats.Median(ApiMs);
    public double EmptyMedian => Stats.Median(EmptyMs);
    public double Ratio => ApiMedian / EmptyMedian;
    public double SignedInRatio => Stats.Median(ApiSignedInMs) / EmptyMedian;
}

/// <summary>
/// Start-up: process start → first 200 on GET /, for the API and for an empty ASP.NET Core app, both started as the
/// Functions host starts a handler. Alternated (and the order flipped every round) so drift on a shared machine
/// falls on both alike.
/// </summary>
internal static class StartupBench
{
    public static async Task<StartupResult> RunAsync(BenchOptions options, string apiExecutable, string emptyExecutable,
        AzuriteServer azurite, Action<string> progress)
    {
        var api = new List<double>();
        var empty = new List<double>();
        var apiCpu = new List<double>();
        var emptyCpu = new List<double>();
        var apiSignedIn = new List<double>();
        // Round 0 is discarded: it pays for the OS file cache and for the bench's own first HTTP calls.
        for (var round = 0; round <= options.Starts; round++)
        {
            var order = round % 2 == 0 ? new[] { false, true } : [true, false];
            foreach (var isApi in order)
            {
                var (ms, cpu, signedInMs) = await StartOnceAsync(isApi ? apiExecutable : emptyExecutable, isApi, azurite);
                if (round > 0)
                {
                    (isApi ? api : empty).Add(ms);
                    (isApi ? apiCpu : emptyCpu).Add(cpu);
                    if (isApi)
                    {
                        apiSignedIn.Add(signedInMs);
                    }
                }
            }
            progress($"start-up round {round}/{options.Starts}");
        }
        return new StartupResult(api, empty, apiCpu, emptyCpu, apiSignedIn);
    }

    /// <remarks>
    /// For the API, also the time to the first signed-in answer (a local sign-in, then GET /api/me): work the API
    /// leaves until a user first needs it — token validation, the storage client — shows up there, not hidden.
    /// </remarks>
    private static async Task<(double Ms, double CpuMs, double SignedInMs)> StartOnceAsync(string executable, bool isApi, AzuriteServer azurite)
    {
        var port = Ports.Free();
        using var http = FunctionsHost.Client(port);
        using var process = FunctionsHost.Start(executable, port, azurite.ConnectionString, "s" + Guid.NewGuid().ToString("N")[..12]);
        var ready = await FunctionsHost.WaitUntilReadyAsync(http, process, TimeSpan.FromSeconds(30));
        var cpu = process.CpuTime().TotalMilliseconds;
        if (!isApi)
        {
            return (ready.TotalMilliseconds, cpu, double.NaN);
        }
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        me.Headers.Authorization = new("Bearer", await Ladder.SignInAsync(http, "alice@contoso.test"));
        using var answer = await http.SendAsync(me);
        answer.EnsureSuccessStatusCode();
        return (ready.TotalMilliseconds, cpu, Stopwatch.GetElapsedTime(process.StartedAt).TotalMilliseconds);
    }
}

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
