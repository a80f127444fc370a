using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Workflow.Bench;

/// <summary>
/// Azurite's full garbage collections, read from its <c>node --trace-gc</c> output as each one ends. V8 collects the
/// young generation often and cheaply, but the old one (Mark-Compact) marks for 30-50 ms, in steps taken from the
/// JavaScript it interrupts, before a pause of 4-10 ms; every storage request Azurite's one thread serves meanwhile
/// waits. Measured on 2026-12-06: in two runs of 6,250 moves at 50/s, each of the 15 slowest moves (17-43 ms, against
/// a p50 of 5.7) fell in one of them. So the ladder can tell the tail the emulator adds from the API's own. Azure's
/// Table service is not this process.
/// </summary>
internal sealed partial class EmulatorPauses
{
    private readonly Lock _gate = new();
    private readonly List<(long Start, long End)> _pauses = [];
    private long _traceLines;

    /// <summary>False if no trace line was read: then no count here means anything (a node whose output changed).</summary>
    public bool Traced => Interlocked.Read(ref _traceLines) > 0;

    /// <summary>Records the line if it reports a full collection; true if it was trace output (kept out of the tail).</summary>
    public bool Read(string line, long arrivedAt)
    {
        if (!line.Contains(" ms: ", StringComparison.Ordinal) || !TraceLine().IsMatch(line))
        {
            return false;
        }
        Interlocked.Increment(ref _traceLines);
        if (FullCollection().Match(line) is { Success: true } full)
        {
            // The line is written when the collection ends; it began with the marking (incremental marking
            // reports how long ago that started) and its final pause.
            var pauseMs = double.Parse(full.Groups["pause"].Value, CultureInfo.InvariantCulture);
            var markingMs = full.Groups["marking"].Success ? double.Parse(full.Groups["marking"].Value, CultureInfo.InvariantCulture) : 0;
            lock (_gate)
            {
                _pauses.Add((arrivedAt - Ticks(markingMs + pauseMs), arrivedAt));
            }
        }
        return true;
    }

    /// <summary>Full collections that ended between the two timestamps.</summary>
    public int CountEndingBetween(long from, long to)
    {
        lock (_gate)
        {
            return _pauses.Count(p => p.End >= from && p.End <= to);
        }
    }

    /// <summary>
    /// Whether a request in flight between the two timestamps overlapped a full collection, give or take
    /// <see cref="SlackMs"/> for the line's way through the pipe.
    /// </summary>
    public bool Overlaps(long from, long to)
    {
        var slack = Ticks(SlackMs);
        lock (_gate)
        {
            return _pauses.Exists(p => p.Start - slack <= to && from <= p.End + slack);
        }
    }

    private const double SlackMs = 2;

    private static long Ticks(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    // [pid:isolate]   18159 ms: Scavenge ... / Mark-Compact 142.2 (177.4) -> 43.0 (130.9) MB, 4.24 / 0.01 ms  (+ 23.8 ms in
    // 89 steps since start of marking, biggest step 8.2 ms, walltime since start of marking 37 ms) ...
    [GeneratedRegex(@"^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: ")]
    private static partial Regex TraceLine();

    [GeneratedRegex(@" ms: Mark-Compact .*? MB, (?<pause>[0-9.]+) / [0-9.]+ ms(?:.*?walltime since start of marking (?<marking>[0-9.]+) ms)?")]
    private static partial Regex FullCollection();
}
