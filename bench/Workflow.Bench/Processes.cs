using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

using Workflow.Api.Tests.Infrastructure;

namespace Workflow.Bench;

/// <summary>A process the bench started: its output drained (a full pipe would stall it), its tail kept for errors.</summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();

    private readonly Func<string, long, bool>? _observe;

    private ChildProcess(ProcessStartInfo start, Func<string, long, bool>? observe)
    {
        _observe = observe;
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        StartedAt = Stopwatch.GetTimestamp();
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Taken just before the process was created: start-up is measured from here.</summary>
    public long StartedAt { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>User + system CPU time the process has used so far (in 10 ms ticks on Linux: for a whole start-up).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>CPU time to the nanosecond, for differences between two reads (<see cref="ThreadCpuClock"/>).</summary>
    public ThreadCpuClock Cpu => _cpu ??= new ThreadCpuClock(_process);

    private ThreadCpuClock? _cpu;

    public string Describe() =>
        (_process.HasExited ? $"exited with code {_process.ExitCode}" : "still running") + "; last output:\n" + string.Join('\n', _tail);

    /// <summary>
    /// Starts the process; <paramref name="observe"/> sees each line of its output with the time it arrived, and keeps
    /// it out of the tail kept for errors by returning true.
    /// </summary>
    public static ChildProcess Start(ProcessStartInfo start, Func<string, long, bool>? observe = null) => new(start, observe);

    private void Keep(string? line)
    {
        if (line is null || _observe?.Invoke(line, Stopwatch.GetTimestamp()) == true)
        {
            return;
        }
        _tail.Enqueue(line);
        while (_tail.Count > TailLines && _tail.TryDequeue(out _))
        {
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}

internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Azurite's Table service, in memory, from the repository's node_modules (platform.md, D2), run by node with
/// <c>--trace-gc</c> so the ladder can see its full collections (<see cref="EmulatorPauses"/>).
/// </summary>
internal sealed class AzuriteServer : IDisposable
{
    private readonly ChildProcess _process;

    private AzuriteServer(ChildProcess process, int port, EmulatorPauses pauses)
    {
        _process = process;
        Port = port;
        Pauses = pauses;
    }

    public int Port { get; }

    public EmulatorPauses Pauses { get; }

    /// <summary>Azurite's CPU time, for differences between two reads (<see cref="ThreadCpuClock"/>).</summary>
    public TimeSpan CpuTime() => _process.Cpu.Read();

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartAsync()
    {
        // What node_modules/.bin/azurite-table runs, started by node itself so V8's flags can be given.
        var main = Path.Combine(RepoRoot.Path, "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed at {main}: run scripts/install-tools.sh (scripts/bench.sh does).");
        }
        var port = Ports.Free();
        var pauses = new EmulatorPauses();
        var process = ChildProcess.Start(new ProcessStartInfo("node",
            ["--trace-gc", main, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry"]),
            pauses.Read);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("Azurite " + process.Describe());
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new AzuriteServer(process, port, pauses);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        process.Dispose();
        throw new TimeoutException($"Azurite did not listen on port {port} within 30 s.");
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>
/// Starts a handler the way the Azure Functions host does (platform.md, D1): the port in FUNCTIONS_CUSTOMHANDLER_PORT,
/// the working directory host.json names (the build output), then GET / polled until it answers.
/// </summary>
internal static class FunctionsHost
{
    /// <summary>
    /// Settings for every API the bench starts, in process or not. Its one user sends thousands of requests a minute:
    /// the per-user limits (writes 60 burst, 120/min; reads 300, 600/min) would answer most of them 429, and the bench
    /// would time the limiter. Likewise it opens thousands of workflows towards one person in a day, far over the
    /// daily limit on opens (which it still pays for: the count is read and written on every open).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NoRateLimits = new Dictionary<string, string>
    {
        ["RateLimits:WriteBurst"] = "1000000",
        ["RateLimits:WritesPerMinute"] = "60000000",
        ["RateLimits:ReadBurst"] = "1000000",
        ["RateLimits:ReadsPerMinute"] = "60000000",
        ["RateLimits:AnonymousBurst"] = "1000000",
        ["RateLimits:AnonymousPerMinute"] = "60000000",
        ["Limits:OpensTowardsOnePersonPerDay"] = "100000000",
    };

    public static ChildProcess Start(string executable, int port, string connectionString, string tablePrefix,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo(executable) { WorkingDirectory = Path.GetDirectoryName(executable)! };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Tables__ConnectionString"] = connectionString;
        start.Environment["Tables__TablePrefix"] = tablePrefix;
        foreach (var (key, value) in NoRateLimits.Concat(settings ?? new Dictionary<string, string>()))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return ChildProcess.Start(start);
    }

    /// <summary>Polls GET / every few milliseconds; returns the time from process start to the first 200.</summary>
    public static async Task<TimeSpan> WaitUntilReadyAsync(HttpClient http, ChildProcess process, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The handler " + process.Describe());
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
                var ready = Stopwatch.GetElapsedTime(process.StartedAt);
                return response.StatusCode == HttpStatusCode.OK
                    ? ready
                    : throw new InvalidOperationException($"GET / answered {(int)response.StatusCode}.");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(5);
            }
        }
        throw new TimeoutException($"The handler did not answer GET / within {timeout.TotalSeconds} s; " + process.Describe());
    }

    /// <summary>A loopback client that never goes through a proxy and keeps its connections.</summary>
    public static HttpClient Client(int port) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = int.MaxValue,
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(10),
        };
}

/// <summary>
/// A process's CPU time read from each of its threads' <c>/proc/PID/task/TID/schedstat</c> (nanoseconds on the CPU),
/// summed as differences between reads. The process's own figure, <c>/proc/PID/stat</c>, counts 10 ms ticks: a batch of
/// 200 trivial requests uses ~100 ms, and two reads a tick each plus an idle rate measured in ticks over one second made
/// single rounds of the CPU-per-move figure swing from 3.2 to 5.8 (2026-12-05). A thread that ends between two reads
/// takes its time since the last read with it: .NET's pool threads end after 20 s without work, and the CPU figure reads
/// every quarter of a second while it waits for quiet. Elsewhere than Linux, the process's own figure.
/// </summary>
internal sealed class ThreadCpuClock(Process process)
{
    private readonly Lock _gate = new();
    private Dictionary<int, long> _seen = [];
    private long _nanoseconds;

    public TimeSpan Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
        lock (_gate)
        {
            var now = new Dictionary<int, long>();
            foreach (var (thread, onCpu) in Threads())
            {
                now[thread] = onCpu;
                // A thread not seen before (or a new one with an old one's id) counts from its start.
                _nanoseconds += _seen.TryGetValue(thread, out var before) && onCpu >= before ? onCpu - before : onCpu;
            }
            _seen = now;
            return TimeSpan.FromTicks(_nanoseconds / 100);
        }
    }

    private IEnumerable<(int Thread, long OnCpu)> Threads()
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{process.Id}/task");
        }
        catch (DirectoryNotFoundException)
        {
            yield break; // The process has ended: nothing more is spent.
        }
        foreach (var task in tasks)
        {
            string line;
            try
            {
                line = File.ReadAllText(Path.Combine(task, "schedstat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // The thread ended between the listing and the read.
            }
            var end = line.IndexOf(' ', StringComparison.Ordinal);
            if (int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out var thread)
                && long.TryParse(end > 0 ? line.AsSpan(0, end) : line.AsSpan(), CultureInfo.InvariantCulture, out var onCpu))
            {
                yield return (thread, onCpu);
            }
        }
    }
}
