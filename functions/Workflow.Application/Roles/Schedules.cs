using Cronos;

namespace Workflow.Application;

/// <summary>
/// A role's schedule as people write it: five-field cron (minute hour day-of-month month day-of-week), read in the
/// holder's time zone by Cronos, which keeps an occurrence on its wall-clock time across daylight-saving changes (and
/// moves one that falls in the skipped hour to the hour after). Cycles are at most daily.
/// </summary>
public sealed class Schedule
{
    /// <summary>Consecutive occurrences at least this far apart: a day, less the hour a daylight-saving spring takes.</summary>
    public static readonly TimeSpan MinimumGap = TimeSpan.FromHours(23);

    private readonly CronExpression _expression;

    private Schedule(CronExpression expression, TimeZoneInfo zone, string timeZone)
    {
        _expression = expression;
        Zone = zone;
        TimeZone = timeZone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The zone's name as it was given (an IANA id, or a Windows name).</summary>
    public string TimeZone { get; }

    /// <summary>The first occurrence strictly after <paramref name="after"/>; null when the schedule has no more.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, Zone, inclusive: false);

    /// <summary>
    /// The schedule <paramref name="cron"/> in <paramref name="timeZone"/>, or what is wrong with them — said so a
    /// person can fix it (the API's 400). <paramref name="from"/> is when the check is made: the next occurrences must
    /// exist and be at least <see cref="MinimumGap"/> apart.
    /// </summary>
    public static (Schedule? Schedule, string? Problem) Parse(string? cron, string? timeZone, DateTimeOffset from)
    {
        if (string.IsNullOrWhiteSpace(cron) || cron.Length > 100)
        {
            return (null, "schedule is required: five cron fields, minute hour day-of-month month day-of-week (for example \"0 9 1 * *\", 09:00 on the 1st of each month).");
        }
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return (null, $"schedule has {fields.Length} fields; it takes five: minute hour day-of-month month day-of-week (no seconds), for example \"0 9 * * 1\" for 09:00 every Monday.");
        }
        if ((timeZone is null ? System.TimeZoneInfo.Utc : TimeZones.Find(timeZone)) is not { } zone)
        {
            return (null, $"timeZone '{timeZone}' is not a time zone: use an IANA id such as Europe/Berlin.");
        }
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return (null, $"schedule '{cron}' is not a cron expression Workflow reads: {e.Message}");
        }
        var schedule = new Schedule(expression, zone, timeZone ?? "UTC");
        var next = Domain.RoleSchedule.Next(from, 6, schedule.NextAfter);
        if (next.Count == 0)
        {
            return (null, $"schedule '{cron}' has no occurrence from now on.");
        }
        if (next.Zip(next.Skip(1)).Any(p => p.Second - p.First < MinimumGap))
        {
            return (null, $"schedule '{cron}' repeats more often than daily; a role's cycles are at most one a day.");
        }
        return (schedule, null);
    }
}
