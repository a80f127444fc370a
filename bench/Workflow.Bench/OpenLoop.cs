using System.Diagnostics;
using System.Runtime.InteropServices;
using HdrHistogram;

namespace Workflow.Bench;

/// <summary>One level of the ladder: latency percentiles (ms) from the intended send time, and what went wrong.</summary>
internal sealed record LevelResult(
    string Name, double Rate, double AchievedRate, long Count, long Errors, string? FirstError,
    double P50, double P90, double P99, double Max, double SendLagP99, IReadOnlyList<double> CpuMsPerRequest,
    EmulatorShare Emulator);

/// <summary>
/// What Azurite's full collections did to a level: how many ended during its slices, how many of its requests were in
/// flight during one, and the level's p99 over the requests none held (for reading the tail, never a bar).
/// </summary>
internal sealed record EmulatorShare(int FullCollections, long Held, double P99NotHeld);

/// <summary>
/// One level under open-loop load: request i is sent at start + i/R whatever happened to the ones before, and its
/// latency is measured from that intended time — so a stall shows up in every request it delays (no coordinated
/// omission). A level runs in slices that the ladder interleaves with the other levels' (so drift on a shared machine
/// falls on every level alike) and accumulates one histogram over them. It also adds up the CPU time each watched
/// process spent during its slices, to tell "the API works hard" from "the machine is busy".
/// </summary>
internal sealed class OpenLoopLevel(
    string name, double rate, Func<long, Task<string?>> send, IReadOnlyList<Func<TimeSpan>> cpuClocks, EmulatorPauses? pauses = null)
{
    private const long MaxMicros = 60_000_000;

    private readonly LongHistogram _latency = new(MaxMicros, 3);
    private readonly LongHistogram _lag = new(MaxMicros, 3);
    private readonly Lock _gate = new();
    private readonly TimeSpan[] _cpu = new TimeSpan[cpuClocks.Count];
    private readonly List<(long Due, long End)> _requests = [];
    private readonly List<(long From, long To)> _slices = [];
    private long _next;
    private long _sent;
    private double _seconds;
    private long _errors;
    private string? _firstError;

    public string Name => name;

    /// <summary>Sends at the level's rate for <paramref name="length"/>; a warm-up slice is sent but not recorded.</summary>
    public async Task RunSliceAsync(TimeSpan length, bool record)
    {
        var count = (long)(rate * length.TotalSeconds);
        if (count == 0)
        {
            return;
        }
        var latency = record ? _latency : new LongHistogram(MaxMicros, 3);
        var sent = new Task[count];
        var period = Stopwatch.Frequency / rate;
        var firstIndex = _next;
        _next += count;

        async Task TrackAsync(long index, long due)
        {
            string? error;
            try
            {
                error = await send(index);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Azure.RequestFailedException or InvalidOperationException)
            {
                error = $"{e.GetType().Name}: {e.Message}";
            }
            var end = Stopwatch.GetTimestamp();
            var micros = Micros(end - due);
            lock (_gate)
            {
                latency.RecordValue(micros);
                if (record)
                {
                    _requests.Add((due, end));
                }
                if (error is not null && record)
                {
                    _errors++;
                    _firstError ??= error;
                }
            }
        }

        var cpuBefore = cpuClocks.Select(c => c()).ToArray();
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        var dispatcher = new Thread(() =>
        {
            Clock.PrepareThread();
            for (long i = 0; i < count; i++)
            {
                var due = start + (long)(i * period);
                Clock.WaitUntil(due);
                var lateBy = Micros(Stopwatch.GetTimestamp() - due);
                if (record)
                {
                    lock (_gate)
                    {
                        _lag.RecordValue(lateBy);
                    }
                }
                sent[i] = TrackAsync(firstIndex + i, due);
            }
            dispatched.SetResult();
        })
        { IsBackground = true, Name = "open-loop " + name };
        dispatcher.Start();
        await dispatched.Task;
        await Task.WhenAll(sent);
        if (record)
        {
            var lastDue = start + (long)((count - 1) * period);
            _seconds += (double)(Math.Max(Stopwatch.GetTimestamp(), lastDue) - start) / Stopwatch.Frequency;
            _sent += count;
            _slices.Add((start, Stopwatch.GetTimestamp()));
            for (var c = 0; c < _cpu.Length; c++)
            {
                _cpu[c] += cpuClocks[c]() - cpuBefore[c];
            }
        }
    }

    public LevelResult Result() => new(name, rate, _sent / _seconds, _latency.TotalCount, _errors, _firstError,
        Ms(_latency.GetValueAtPercentile(50)), Ms(_latency.GetValueAtPercentile(90)), Ms(_latency.GetValueAtPercentile(99)),
        Ms(_latency.GetMaxValue()), Ms(_lag.GetValueAtPercentile(99)),
        [.. _cpu.Select(c => c.TotalMilliseconds / Math.Max(1, _sent))], EmulatorShareOf());

    private EmulatorShare EmulatorShareOf()
    {
        if (pauses is null)
        {
            return new EmulatorShare(0, 0, Ms(_latency.GetValueAtPercentile(99)));
        }
        // The same histogram as the level's own p99, so the two read alike.
        var notHeld = new LongHistogram(MaxMicros, 3);
        foreach (var (due, end) in _requests.Where(r => !pauses.Overlaps(r.Due, r.End)))
        {
            notHeld.RecordValue(Micros(end - due));
        }
        return new EmulatorShare(
            _slices.Sum(s => pauses.CountEndingBetween(s.From, s.To)), _requests.Count - notHeld.TotalCount,
            notHeld.TotalCount == 0 ? 0 : Ms(notHeld.GetValueAtPercentile(99)));
    }

    private static long Micros(long ticks) => Math.Clamp(ticks * 1_000_000 / Stopwatch.Frequency, 0, MaxMicros);

    private static double Ms(long micros) => micros / 1000.0;
}

/// <summary>
/// Waits for a Stopwatch timestamp without burning a core the API and Azurite need. On Linux the Stopwatch is
/// CLOCK_MONOTONIC in nanoseconds, so the dispatcher sleeps until the exact timestamp with clock_nanosleep
/// (timer slack cut to 1 µs); elsewhere it sleeps to within a millisecond and spins the rest.
/// </summary>
internal static partial class Clock
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;
    private const int PrSetTimerSlack = 29;

    private static readonly bool Precise = OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint value, nuint arg3, nuint arg4, nuint arg5);

    public static void PrepareThread()
    {
        if (Precise)
        {
            _ = Prctl(PrSetTimerSlack, 1000, 0, 0, 0);
        }
    }

    public static void WaitUntil(long due)
    {
        if (Precise)
        {
            var at = new TimeSpec { Seconds = due / 1_000_000_000, Nanoseconds = due % 1_000_000_000 };
            while (Stopwatch.GetTimestamp() < due && ClockNanosleep(ClockMonotonic, TimerAbsTime, at, IntPtr.Zero) != 0)
            {
                // Interrupted by a signal: sleep again until the same absolute time.
            }
            return;
        }
        var spin = Stopwatch.Frequency / 1000;
        while (due - Stopwatch.GetTimestamp() is var remaining && remaining > 0)
        {
            if (remaining > 2 * spin)
            {
                Thread.Sleep((int)((remaining - spin) * 1000 / Stopwatch.Frequency));
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }
}
