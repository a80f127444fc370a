using Workflow.Application;

namespace Workflow.Api.Tests;

/// <summary>When a notice may be mailed: after the coalescing window, at the daily summary, never in quiet hours.</summary>
public sealed class DeliveryTimeTests
{
    private static readonly TimeZoneInfo Berlin = TimeZones.Find("Europe/Berlin")!;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static NotificationPreferences Prefs(NotifyFrequency frequency, string? from = null, string? to = null) =>
        new(frequency, "Europe/Berlin", from is null ? null : TimeOnly.Parse(from), to is null ? null : TimeOnly.Parse(to));

    [Fact]
    public void Immediate_waits_out_the_window()
    {
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(at + Window, Delivery.DueAt(Prefs(NotifyFrequency.Immediate), Berlin, at, Window));
    }

    [Fact]
    public void Quiet_hours_across_midnight_hold_it_to_their_end_in_the_persons_own_time()
    {
        // 23:30 in Berlin (22:30 UTC) → 07:00 Berlin next day (06:00 UTC).
        var evening = new DateTimeOffset(2026, 12, 2, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero), Delivery.DueAt(Prefs(NotifyFrequency.Immediate, "22:00", "07:00"), Berlin, evening, Window));
        // 05:00 Berlin the same night → 07:00 that morning.
        var early = new DateTimeOffset(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero), Delivery.DueAt(Prefs(NotifyFrequency.Immediate, "22:00", "07:00"), Berlin, early, Window));
        // Outside them: as usual.
        var noon = new DateTimeOffset(2026, 12, 3, 11, 0, 0, TimeSpan.Zero);
        Assert.Equal(noon + Window, Delivery.DueAt(Prefs(NotifyFrequency.Immediate, "22:00", "07:00"), Berlin, noon, Window));
    }

    [Fact]
    public void Daily_goes_at_eight_in_the_morning_local_and_weekly_not_at_all()
    {
        var afternoon = new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero), Delivery.DueAt(Prefs(NotifyFrequency.Daily), Berlin, afternoon, Window));
        var dawn = new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 7, 0, 0, TimeSpan.Zero), Delivery.DueAt(Prefs(NotifyFrequency.Daily), Berlin, dawn, Window));
        Assert.Null(Delivery.DueAt(Prefs(NotifyFrequency.Weekly), Berlin, afternoon, Window));
    }

    [Fact]
    public void Across_the_spring_clock_change_the_morning_is_still_eight_local()
    {
        // 29 March 2026: Berlin moves from UTC+1 to UTC+2 at 02:00.
        var saturday = new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 6, 0, 0, TimeSpan.Zero), Delivery.DueAt(Prefs(NotifyFrequency.Daily), Berlin, saturday, Window));
    }
}
