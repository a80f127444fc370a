using System.Globalization;

namespace Workflow.Domain.Review;

/// <summary>
/// An ISO week (Monday to Sunday) in one person's time zone, as the instants it starts and ends. Computed from local
/// midnights, so a week that contains a daylight-saving change is 167 or 169 hours long, as it is for that person.
/// </summary>
public sealed record ReviewWeek(int Year, int Week, TimeZoneInfo TimeZone)
{
    public DateTimeOffset Start => Midnight(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));

    public DateTimeOffset End => Midnight(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday).AddDays(7));

    public string Name => $"{Year:D4}-W{Week:D2}";

    public static ReviewWeek Containing(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, timeZone).DateTime;
        return new ReviewWeek(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local), timeZone);
    }

    /// <summary>Parses "2026-W48"; null if it is not an ISO week that exists.</summary>
    public static ReviewWeek? Parse(string text, TimeZoneInfo timeZone)
    {
        if (text.Length != 8 || text[4] != '-' || text[5] != 'W'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year is < 2000 or > 2999 || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            return null;
        }
        return new ReviewWeek(year, week, timeZone);
    }

    private DateTimeOffset Midnight(DateTime localDate)
    {
        var local = DateTime.SpecifyKind(localDate, DateTimeKind.Unspecified);
        // A midnight skipped by a daylight-saving jump does not exist; the day then starts at the first valid instant.
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }
        var utc = TimeZoneInfo.ConvertTimeToUtc(local, TimeZone);
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }
}
