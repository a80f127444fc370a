using System.Diagnostics;
using System.Globalization;

using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Bench;

/// <summary>
/// One run of the performance figures of quality-bars.md: start-up against an empty app, the L1-L4 ladder under
/// open-loop load, and storage requests and allocations per operation. Prints a table and writes it to a file.
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(e.Message + "\n" + BenchOptions.Usage);
            return 2;
        }

        var api = Built(Path.Combine("functions", "Workflow.Api"), "Workflow.Api");
        var empty = Built(Path.Combine("bench", "EmptyApp"), "EmptyApp");
        var clock = Stopwatch.StartNew();
        void Progress(string message) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{clock.Elapsed.TotalSeconds,5:0}s] {message}"));

        using var azurite = await AzuriteServer.StartAsync();
        Progress($"Azurite (in memory) on port {azurite.Port}");
        var startup = options.Parts.Contains("startup") ? await StartupBench.RunAsync(options, api, empty, azurite, Progress) : null;
        var ladder = options.Parts.Contains("ladder") ? await Ladder.RunAsync(options, api, azurite, Progress) : null;
        var allocations = options.Parts.Contains("allocations") ? await AllocationRatio.RunAsync(options, azurite, Progress) : null;
        var costs = options.Parts.Contains("costs") ? await InProcessCosts.RunAsync(options, azurite, Progress) : null;

        var report = Report.Render(options, startup, ladder, allocations, costs);
        Console.WriteLine();
        Console.Write(report);
        var output = Path.GetFullPath(options.Output, RepoRoot.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        Console.WriteLine($"Written to {Path.GetRelativePath(RepoRoot.Path, output)} ({clock.Elapsed.TotalSeconds:0} s).");
        return 0;
    }

    /// <summary>
    /// A project's executable as it ships (scripts/bench.sh publishes both for linux-x64): the API compiled ahead of time,
    /// as the Functions package has it (docs/decisions/0019), the empty app ReadyToRun; else its plain Release build.
    /// </summary>
    private static string Built(string project, string name)
    {
        var published = Path.Combine(RepoRoot.Path, "artifacts", "publish", name, name);
        if (File.Exists(published))
        {
            return published;
        }
        var path = Path.Combine(RepoRoot.Path, project, "bin", "Release", "net10.0", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build it in Release (scripts/bench.sh does).");
    }
}
