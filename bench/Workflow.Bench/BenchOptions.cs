using System.Globalization;

namespace Workflow.Bench;

/// <summary>What one run does: rates, lengths and sizes, each settable as <c>--name value</c>.</summary>
internal sealed record BenchOptions
{
    /// <summary>Requests per second for L1, L2 (read and insert) and L3: one rate, so their latencies compare.</summary>
    public double Rate { get; init; } = 200;

    /// <summary>
    /// Moves per second for L4, the rate issue 17's bar names. Each move also sets off its follow-ups in the
    /// background (two storage requests for the bench's note). When they were ~9 index requests, at 100/s Azurite alone
    /// took ~0.7 of a core and the three processes ~1.3 of the 2: a saturated queue, not a latency.
    /// </summary>
    public double MoveRate { get; init; } = 50;

    /// <summary>
    /// Recorded time per level at <see cref="Rate"/>. L4 runs longer by Rate / MoveRate, so its p99 is taken over as
    /// many requests as the L2 p99s it is compared with.
    /// </summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Each level's <see cref="Duration"/> is sent in this many slices, interleaved with the other levels'.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Start-up samples per app (the API and the empty app, alternating).</summary>
    public int Starts { get; init; } = 7;

    /// <summary>Workflows the ladder reads and moves, round-robin.</summary>
    public int Pool { get; init; } = 256;

    /// <summary>Sequential requests per operation for allocated bytes per request (in process).</summary>
    public int Requests { get; init; } = 200;

    /// <summary>Active workflows in the person's list when a list page is counted (quality-bars: up to 1,000).</summary>
    public int ListSize { get; init; } = 1000;

    /// <summary>Sequential list requests for allocated bytes per request (each returns <see cref="ListSize"/> rows).</summary>
    public int ListRequests { get; init; } = 50;

    public string Output { get; init; } = "artifacts/bench.txt";

    /// <summary>Which parts to run: start-up, ladder, allocations, costs (all by default; fewer to look into one figure).</summary>
    public IReadOnlySet<string> Parts { get; init; } = AllParts;

    public static readonly IReadOnlySet<string> AllParts = new HashSet<string>(["startup", "ladder", "allocations", "costs"], StringComparer.Ordinal);

    public const string Usage =
        "usage: scripts/bench.sh [--rate 200] [--move-rate 50] [--duration 10] [--warmup 2] [--rounds 5] [--starts 7] [--pool 256]\n" +
        "                        [--requests 200] [--list-size 1000] [--list-requests 50] [--output artifacts/bench.txt]\n" +
        "                        [--parts startup,ladder,allocations,costs]\n" +
        "  rates in requests/s, durations in seconds.";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{args[i]} needs a value.");
            }
            var value = args[i + 1];
            options = args[i] switch
            {
                "--rate" => options with { Rate = Positive(args[i], double.Parse(value, CultureInfo.InvariantCulture)) },
                "--move-rate" => options with { MoveRate = Positive(args[i], double.Parse(value, CultureInfo.InvariantCulture)) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(args[i], double.Parse(value, CultureInfo.InvariantCulture))) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
                "--rounds" => options with { Rounds = (int)Positive(args[i], int.Parse(value, CultureInfo.InvariantCulture)) },
                "--starts" => options with { Starts = (int)Positive(args[i], int.Parse(value, CultureInfo.InvariantCulture)) },
                "--pool" => options with { Pool = (int)Positive(args[i], int.Parse(value, CultureInfo.InvariantCulture)) },
                "--requests" => options with { Requests = (int)Positive(args[i], int.Parse(value, CultureInfo.InvariantCulture)) },
                "--list-size" => options with { ListSize = (int)Positive(args[i], int.Parse(value, CultureInfo.InvariantCulture)) },
                "--list-requests" => options with { ListRequests = (int)Positive(args[i], int.Parse(value, CultureInfo.InvariantCulture)) },
                "--output" => options with { Output = value },
                "--parts" => options with { Parts = PartsOf(value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        return options;
    }

    private static HashSet<string> PartsOf(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return parts.Count > 0 && parts.IsSubsetOf(AllParts) ? parts : throw new ArgumentException("--parts takes startup, ladder, allocations and/or costs.");
    }

    private static double Positive(string name, double value) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be positive.");
}
