using System.Diagnostics;
using System.Globalization;

namespace Workflow.Bench;

/// <summary>A kind of request whose CPU is measured: <paramref name="Send"/> returns null when the answer was the expected one.</summary>
internal sealed record CpuProbe(string Name, Func<long, Task<string?>> Send);

/// <summary>CPU milliseconds per request of one kind, in all (what it set off in the background included).</summary>
internal sealed record CpuCost(long Requests, double ApiMs, double AzuriteMs);

/// <summary>The move's and the trivial request's CPU, one way of sending them.</summary>
internal sealed record CpuComparison(string How, CpuCost Trivial, CpuCost Move, IReadOnlyList<double> RoundRatios)
{
    public double Ratio => Move.ApiMs / Trivial.ApiMs;

    public string Rounds => string.Join(" ", RoundRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)));
}

/// <summary>
/// The API's CPU per move against its CPU per trivial signed-in request, in the same run (issue 17). The bar's figure
/// is <see cref="AtRate"/>: both sent at the move rate, as the ladder sends moves, so each request also pays what a
/// lightly loaded instance pays per request (the thread pool woken for it, and spinning before it sleeps again).
/// <see cref="BackToBack"/> is the requests' own work, for information.
/// </summary>
internal sealed record CpuResult(string Trivial, string Move, double IdleApiMsPerSecond, CpuComparison AtRate, CpuComparison BackToBack);

/// <summary>
/// CPU per request: the time the API process (and Azurite) spent on the CPU, from /proc to the nanosecond
/// (<see cref="ThreadCpuClock"/>), over a batch of requests
/// and after it until the API is quiet again (<see cref="QuietAsync"/>), so that what the batch set off (a move's
/// follow-ups, which lag behind moves sent back to back) counts against the requests that caused it and not against
/// the next batch; what the idle process uses in that settling time (timers, the notification poll), measured alone
/// just before, is taken off. Each batch is sent twice over: at a fixed rate (open loop, as the ladder sends), and back
/// to back, <see cref="Concurrency"/> at a time, where the requests' own work dominates. The kinds alternate, round by
/// round, so a neighbour's load falls on both alike.
/// </summary>
internal static class CpuPerRequest
{
    public const int Concurrency = 4;

    /// <summary>How long the idle API is watched before each batch; at least how long after it; how long a quiet spell lasts.</summary>
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan QuietSpell = TimeSpan.FromSeconds(0.25);

    /// <summary>What a quiet spell uses at most: 4 % of a core (the idle API uses ~0.5 %).</summary>
    private static readonly TimeSpan QuietUse = TimeSpan.FromMilliseconds(10);

    /// <summary>Back-to-back batch sizes: a trivial request costs a tenth of a millisecond, so its batch is the larger.</summary>
    private const int TrivialBatch = 1500;
    private const int MoveBatch = 300;

    public static async Task<CpuResult> RunAsync(CpuProbe trivial, CpuProbe move, double rate, TimeSpan batch, int rounds,
        Func<TimeSpan> api, Func<TimeSpan> azurite, Action<string> progress)
    {
        var idle = new List<double>();
        long next = 0;
        async Task<(double ApiMs, double AzuriteMs)> MeasureAsync(Func<Task> send)
        {
            var (apiBefore, started) = (api(), Stopwatch.GetTimestamp());
            await Task.Delay(IdleWindow);
            var idleRate = (api() - apiBefore).TotalMilliseconds / Stopwatch.GetElapsedTime(started).TotalSeconds;
            idle.Add(idleRate);
            (apiBefore, var azuriteBefore) = (api(), azurite());
            await send();
            var settled = await QuietAsync(api);
            return ((api() - apiBefore).TotalMilliseconds - (idleRate * settled.TotalSeconds), (azurite() - azuriteBefore).TotalMilliseconds);
        }
        Func<Task> AtRate(CpuProbe probe) => () => new OpenLoopLevel(probe.Name, rate, probe.Send, []).RunSliceAsync(batch, record: true);
        Func<Task> BackToBack(CpuProbe probe, int requests) => async () =>
        {
            var first = Interlocked.Add(ref next, requests) - requests;
            string? error = null;
            await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
                async (i, _) => error ??= await probe.Send(first + i));
            if (error is not null)
            {
                throw new InvalidOperationException($"{probe.Name}: {error}");
            }
        };

        // Warm-up: the first calls of each kind pay for tiered compilation.
        await BackToBack(trivial, TrivialBatch)();
        await BackToBack(move, MoveBatch)();
        await QuietAsync(api);

        var perRate = (long)(rate * batch.TotalSeconds);
        var atRate = new Comparison();
        var backToBack = new Comparison();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var isMove in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var probe = isMove ? move : trivial;
                atRate.Add(isMove, perRate, await MeasureAsync(AtRate(probe)));
                var requests = isMove ? MoveBatch : TrivialBatch;
                backToBack.Add(isMove, requests, await MeasureAsync(BackToBack(probe, requests)));
            }
            atRate.EndRound();
            backToBack.EndRound();
            progress($"CPU per request: round {round + 1}/{rounds}");
        }
        return new CpuResult(trivial.Name, move.Name, idle.Average(),
            atRate.Result($"at {rate:0}/s each, open loop"), backToBack.Result($"back to back, {Concurrency} at a time"));
    }

    /// <summary>Waits at least <see cref="Settle"/>, then until a quiet spell (no more CPU than idle); how long it waited.</summary>
    private static async Task<TimeSpan> QuietAsync(Func<TimeSpan> api)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(Settle);
        for (var spell = 0; spell < 120; spell++)
        {
            var before = api();
            await Task.Delay(QuietSpell);
            if (api() - before <= QuietUse)
            {
                break;
            }
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Totals over the rounds, and each round's ratio.</summary>
    private sealed class Comparison
    {
        private readonly (long Requests, double ApiMs, double AzuriteMs)[] _totals = new (long, double, double)[2];
        private readonly double[] _round = new double[2];
        private readonly List<double> _ratios = [];

        public void Add(bool isMove, long requests, (double ApiMs, double AzuriteMs) used)
        {
            var i = isMove ? 1 : 0;
            _totals[i] = (_totals[i].Requests + requests, _totals[i].ApiMs + used.ApiMs, _totals[i].AzuriteMs + used.AzuriteMs);
            _round[i] = used.ApiMs / requests;
        }

        public void EndRound() => _ratios.Add(_round[1] / _round[0]);

        public CpuComparison Result(string how) => new(how, Cost(0), Cost(1), _ratios);

        private CpuCost Cost(int i) => new(_totals[i].Requests, _totals[i].ApiMs / _totals[i].Requests, _totals[i].AzuriteMs / _totals[i].Requests);
    }
}
