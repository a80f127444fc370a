using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Workflow.Bench;

/// <summary>The run as a table for people: machine facts, the command, every figure and each bar's verdict.</summary>
internal static class Report
{
    public static string Render(BenchOptions options, StartupResult? startup, LadderResult? ladder, AllocationResult? allocations,
        IReadOnlyList<OperationCost>? costs)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        var verdicts = new List<bool>();
        string Verdict(bool pass)
        {
            verdicts.Add(pass);
            return pass ? "PASS" : "MISS";
        }

        Line($"Workflow performance ladder — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line($"machine : nproc {Environment.ProcessorCount}, {CpuModel()}, {RuntimeInformation.OSDescription}");
        Line($".NET    : runtime {RuntimeInformation.FrameworkDescription}, SDK {Environment.GetEnvironmentVariable("BENCH_SDK") ?? "?"}");
        Line($"commit  : {Environment.GetEnvironmentVariable("BENCH_COMMIT") ?? "?"}");
        Line($"command : {Environment.GetEnvironmentVariable("BENCH_COMMAND") ?? Environment.CommandLine}");
        Line($"The bench, the API and Azurite (in memory) share these cores; figures are ratios within this run, or counts.");
        text.AppendLine();

        if (startup is not null)
        {
            Line($"1. Start-up: process start -> first 200 on GET /, started as the Functions host starts a handler (as scripts/bench.sh publishes them: the API native, the empty app ReadyToRun; Development)");
            Line($"   {"app",-22} {"median",8} {"min",8} {"max",8} {"CPU median",11}   samples (ms)");
            Line($"   {"EmptyApp",-22} {startup.EmptyMedian,8:0.0} {startup.EmptyMs.Min(),8:0.0} {startup.EmptyMs.Max(),8:0.0} {Stats.Median(startup.EmptyCpuMs),11:0}   {Samples(startup.EmptyMs)}");
            Line($"   {"Workflow.Api",-22} {startup.ApiMedian,8:0.0} {startup.ApiMs.Min(),8:0.0} {startup.ApiMs.Max(),8:0.0} {Stats.Median(startup.ApiCpuMs),11:0}   {Samples(startup.ApiMs)}");
            Line($"   API / empty = {startup.Ratio:0.00}   bar <= 1.5   {Verdict(startup.Ratio <= 1.5)}   (CPU: user + system time the process had used when GET / first answered)");
            Line($"   first signed-in answer / empty = {startup.SignedInRatio:0.00}   bar <= 1.5   {Verdict(startup.SignedInRatio <= 1.5)}   (API process start -> GET /api/me answered, with a token the API did not issue, as Entra's: median {Stats.Median(startup.ApiSignedInMs):0.0} ms; what the first user of a cold instance waits for)");
            Line($"   (for comparison, when the same cold instance first issues the token by its local sign-in: median {Stats.Median(startup.ApiLocalSignInMs):0.0} ms = {Stats.Median(startup.ApiLocalSignInMs) / startup.EmptyMedian:0.00} x empty, {startup.ApiLocalSignInMs.Count} starts; Azure has no local sign-in)");
            text.AppendLine();
        }
        if (ladder is not null)
        {

            Line($"2. Ladder: open loop, latency from the intended send time (ms, HdrHistogram); warm-up {options.Warmup.TotalSeconds:0} s per level,");
            Line($"   then {options.Duration.TotalSeconds:0} s per level in {options.Rounds} interleaved slices (L4 as many requests as each L2: {ladder.L4.Count} moves).");
            Line($"   CPU: each process's CPU time during the level's slices / requests (idle and background work included).");
            Line($"   Azurite GCs: its full collections (V8 Mark-Compact) that ended during the level's slices; held: the level's requests in flight during one.");
            if (!ladder.EmulatorTraced)
            {
                Line($"   (no GC trace was read from Azurite's node: the two columns and the 'none held' figures below count nothing)");
            }
            Line($"   {"level",-30} {"req/s",6} {"n",6} {"errors",6} {"p50",7} {"p90",7} {"p99",7} {"max",7} {"lag p99",7}  {"CPU bench",9} {"API",6} {"Azurite",7}  {"Azurite GCs",11} {"held",5}");
            foreach (var l in ladder.Levels)
            {
                Line($"   {l.Name,-30} {l.AchievedRate,6:0} {l.Count,6} {l.Errors,6} {l.P50,7:0.00} {l.P90,7:0.00} {l.P99,7:0.00} {l.Max,7:0.00} {l.SendLagP99,7:0.00}  {l.CpuMsPerRequest[0],9:0.00} {l.CpuMsPerRequest[1],6:0.00} {l.CpuMsPerRequest[2],7:0.00}  {l.Emulator.FullCollections,11} {l.Emulator.Held,5}");
            }
            foreach (var l in ladder.Levels.Where(l => l.FirstError is not null))
            {
                Line($"   {l.Name}: first error: {l.FirstError}");
            }
            if (ladder.L4Rerouted > 0)
            {
                Line($"   L4 passed over {ladder.L4Rerouted} workflows still busy with an earlier move (the pool keeps in-flight moves apart).");
            }
            Line($"   (lag p99: how late the load generator sent, already inside every latency above)");
            var p50 = ladder.L3.P50 / (ladder.L1.P50 + ladder.L2Read.P50);
            var p99 = ladder.L3.P99 / ladder.L2Read.P99;
            var move = ladder.L4.P99 / (ladder.L2Read.P99 + ladder.L2Insert.P99);
            Line($"   L3 p50 / (L1 + L2) p50             = {p50,5:0.00}   bar <= 1.15   {Verdict(p50 <= 1.15)}   (the API's own work over the two hops it cannot avoid)");
            Line($"   L3 p99 / L2 p99                    = {p99,5:0.00}   bar <= 1.5    {Verdict(p99 <= 1.5)}");
            Line($"     (over the requests no full collection of Azurite's held: {ladder.L3.Emulator.P99NotHeld:0.00} / {ladder.L2Read.Emulator.P99NotHeld:0.00} = {ladder.L3.Emulator.P99NotHeld / ladder.L2Read.Emulator.P99NotHeld:0.00})");
            Line($"   L4 p99 / (L2 read p99 + insert p99) = {move,5:0.00}   bar <= 2      {Verdict(move <= 2)}");
            var notHeld = ladder.L4.Emulator.P99NotHeld / (ladder.L2Read.Emulator.P99NotHeld + ladder.L2Insert.Emulator.P99NotHeld);
            Line($"     (over the requests no full collection of Azurite's held: {ladder.L4.Emulator.P99NotHeld:0.00} / ({ladder.L2Read.Emulator.P99NotHeld:0.00} + {ladder.L2Insert.Emulator.P99NotHeld:0.00}) = {notHeld:0.00}, for reading the tail: the emulator's pauses are not Azure's)");
            Line($"   L4 errors (any non-200)            = {ladder.L4.Errors,5}   bar = 0       {Verdict(ladder.L4.Errors == 0)}");
            var cpu = ladder.Cpu;
            Line($"   API CPU per move / per trivial signed-in GET = {cpu.AtRate.Move.ApiMs:0.00} / {cpu.AtRate.Trivial.ApiMs:0.00} ms = {cpu.AtRate.Ratio:0.00}   bar <= 4   {Verdict(cpu.AtRate.Ratio <= 4)}   ({cpu.AtRate.How}; per round {cpu.AtRate.Rounds})");
            Line($"     {cpu.BackToBack.How}: {cpu.BackToBack.Move.ApiMs:0.00} / {cpu.BackToBack.Trivial.ApiMs:0.00} ms = {cpu.BackToBack.Ratio:0.00} (per round {cpu.BackToBack.Rounds}): the requests' own work, for information");
            Line($"     (the move: {cpu.Move}, as L4 makes it; the trivial GET: {cpu.Trivial}, through the whole user pipeline, no storage. {cpu.AtRate.Move.Requests} + {cpu.BackToBack.Move.Requests} moves,");
            Line($"      {cpu.AtRate.Trivial.Requests} + {cpu.BackToBack.Trivial.Requests} GETs; the API's CPU from /proc until it is quiet after each batch, so a move's follow-ups count, its idle use ({cpu.IdleApiMsPerSecond:0.0} ms/s) taken off)");
            Line($"   Azurite CPU per move = {cpu.AtRate.Move.AzuriteMs:0.00} ms at {options.MoveRate:0}/s, {cpu.BackToBack.Move.AzuriteMs:0.00} ms back to back (for information)");
            text.AppendLine();
        }
        if (allocations is not null)
        {
            var a = allocations;
            Line($"Allocations per GET one workflow, API in process (WebApplicationFactory, Development), {a.Requests} sequential requests of each kind");
            Line($"   GET /api/workflows/{{id}} {a.GetKb:0.0} KB, less its floor (GET / through the same client and headers, body drained unparsed) {a.FloorKb:0.0} KB;");
            Line($"   the raw SDK point read of the same rows (L2) {a.RawReadKb:0.0} KB");
            Line($"   allocations per GET / raw SDK read = {a.Ratio:0.00}   bar <= 2   {Verdict(a.Ratio <= 2)}   (({a.GetKb:0.0} - {a.FloorKb:0.0}) / {a.RawReadKb:0.0})");
            text.AppendLine();
        }
        if (costs is not null)
        {

            Line($"3. Per operation, API in process (WebApplicationFactory, Development): storage requests on the request path, bytes allocated");
            Line($"   {"operation",-40} {"storage req",11} {"bar",11} {"",5} {"KB/request",11} {"requests",9}");
            foreach (var c in costs)
            {
                var count = c.MinStorage == c.MaxStorage ? $"{c.MaxStorage}" : $"{c.MinStorage}-{c.MaxStorage}";
                var verdict = c.Pass is { } pass ? Verdict(pass) : "";
                Line($"   {c.Name,-40} {count,11} {c.Bar,11} {verdict,5} {c.BytesPerRequest / 1024,11:0.0} {c.AllocationRequests,9}");
            }
            foreach (var c in costs.Where(c => c.ExampleStorage.Count > 0))
            {
                Line($"   {c.Name}: {string.Join(", ", c.ExampleStorage.Select(Shorten))}");
            }
            foreach (var c in costs.Where(c => c.Note is not null))
            {
                Line($"   {c.Name}: {c.Note}");
            }
            Line($"   (KB/request is the whole process: client and TestServer included — the GET / line is that floor)");
            text.AppendLine();
        }
        Line($"Bars: {verdicts.Count(v => v)} PASS, {verdicts.Count(v => !v)} MISS");
        return text.ToString();
    }

    private static string Samples(IEnumerable<double> ms) => string.Join(" ", ms.Select(m => m.ToString("0", CultureInfo.InvariantCulture)));

    /// <summary>"GET /devstoreaccount1/p1234workflows(PartitionKey='…',RowKey='state')" → "GET workflows(…)".</summary>
    private static string Shorten(string request)
    {
        var space = request.IndexOf(' ', StringComparison.Ordinal);
        var path = request[(space + 1)..];
        var table = path[(path.LastIndexOf('/') + 1)..];
        var paren = table.IndexOf('(', StringComparison.Ordinal);
        var name = paren < 0 ? table : table[..paren];
        var what = name == "$batch" ? "$batch" : name.Length > 13 ? name[13..] : name;
        return $"{request[..space]} {what}{(paren < 0 ? "" : "(…)")}";
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
                ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
                : "CPU model unknown";
        }
        catch (IOException)
        {
            return "CPU model unknown";
        }
    }
}
