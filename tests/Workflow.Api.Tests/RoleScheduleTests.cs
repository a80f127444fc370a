using Workflow.Application;
using Workflow.Domain;

namespace Workflow.Api.Tests;

/// <summary>A role's schedule as Cronos reads it in the holder's zone: wall-clock time kept across daylight saving, and what is refused.</summary>
public sealed class RoleScheduleTests
{
    private static readonly DateTimeOffset March2030 = new(2030, 3, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_weekly_cycle_stays_at_nine_in_Berlin_across_the_spring_change_of_clocks()
    {
        // 31 March 2030: Berlin moves from UTC+1 to UTC+2.
        var schedule = Schedule.Parse("0 9 * * 1", "Europe/Berlin", March2030).Schedule!;

        var next = RoleSchedule.Next(March2030, 3, schedule.NextAfter);

        Assert.Equal(
            [new DateTimeOffset(2030, 3, 25, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 4, 1, 7, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 4, 8, 7, 0, 0, TimeSpan.Zero)],
            next.Select(n => n.ToUniversalTime()));
    }

    [Fact]
    public void An_occurrence_in_the_skipped_hour_opens_once_at_the_hour_after()
    {
        // 02:30 does not exist in Berlin on 31 March 2030; Cronos moves it to 03:00 local (01:00 UTC), once.
        var schedule = Schedule.Parse("30 2 * * *", "Europe/Berlin", March2030).Schedule!;
        var accountability = new Accountability("a", "c", "c", new Party("a@x.test", null, null), "30 2 * * *", "Europe/Berlin", TimeSpan.FromDays(1),
            CycleStart.Request, new DateTimeOffset(2030, 3, 30, 1, 0, 0, TimeSpan.Zero));

        var plan = RoleSchedule.Due(accountability, new DateTimeOffset(2030, 3, 30, 2, 0, 0, TimeSpan.Zero), schedule.NextAfter);

        Assert.Equal([new DateTimeOffset(2030, 3, 31, 1, 0, 0, TimeSpan.Zero)], plan.ToOpen.Select(d => d.ToUniversalTime()));
    }

    [Fact]
    public void A_monthly_schedule_on_the_31st_skips_the_months_without_one()
    {
        var schedule = Schedule.Parse("0 9 31 * *", "UTC", March2030).Schedule!;

        Assert.Equal([3, 5, 7], RoleSchedule.Next(March2030, 3, schedule.NextAfter).Select(d => d.Month));
    }

    [Theory]
    [InlineData("0 0 9 * * 1", null, "6 fields")]
    [InlineData("@monthly", null, "1 fields")]
    [InlineData("0 9 * * 8", null, "not a cron expression")]
    [InlineData("0 * * * *", null, "more often than daily")]
    [InlineData("0 9 30 2 *", null, "no occurrence")]
    [InlineData("0 9 * * 1", "Nowhere/Else", "not a time zone")]
    [InlineData("", null, "required")]
    public void A_schedule_that_cannot_be_a_roles_is_refused_saying_why(string cron, string? zone, string said)
    {
        var (schedule, problem) = Schedule.Parse(cron, zone, March2030);

        Assert.Null(schedule);
        Assert.Contains(said, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_windows_zone_name_is_read_as_its_IANA_zone()
    {
        var schedule = Schedule.Parse("0 9 * * 1", "W. Europe Standard Time", March2030).Schedule!;

        Assert.Equal(new DateTimeOffset(2030, 3, 25, 8, 0, 0, TimeSpan.Zero), schedule.NextAfter(March2030)!.Value.ToUniversalTime());
    }
}
