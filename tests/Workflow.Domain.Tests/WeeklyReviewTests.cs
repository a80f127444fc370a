using Workflow.Domain.Review;

namespace Workflow.Domain.Tests;

/// <summary>The weekly review's rules over a fixed clock, in people's own time zones.</summary>
public sealed class WeeklyReviewTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero); // Wednesday of 2026-W48

    private static ReviewLine Line(string id, PartyRole role, WorkflowStatus status, PartyRole? whose, Clocks clocks,
        DateTimeOffset? checkedIn = null, DateTimeOffset? updated = null) =>
        new(id, $"Concern {id}", role, status, whose, "Someone", clocks, checkedIn, updated ?? Now.AddDays(-1));

    [Fact]
    public void A_customers_own_cadence_decides_when_a_check_in_is_missed_dated_when_it_fell_due()
    {
        var week = ReviewWeek.Containing(Now, Berlin);
        var due = Clocks.None with { DueBy = Now.AddDays(20) };
        var weekly = Line("weekly", PartyRole.Customer, WorkflowStatus.Promised, PartyRole.Performer, due, checkedIn: Now.AddDays(-8)) with { CheckInEveryDays = 7 };
        var monthly = Line("monthly", PartyRole.Customer, WorkflowStatus.Promised, PartyRole.Performer, due, checkedIn: Now.AddDays(-20)) with { CheckInEveryDays = 30 };
        var renegotiated = Line("renegotiated", PartyRole.Customer, WorkflowStatus.Renegotiating, PartyRole.Customer, due, checkedIn: Now.AddDays(-3)) with { CheckInEveryDays = 2 };
        var byDefault = Line("default", PartyRole.Customer, WorkflowStatus.Promised, PartyRole.Performer, due, checkedIn: Now.AddDays(-15));

        var review = WeeklyReview.Build([weekly, monthly, renegotiated, byDefault], week, Now);

        var checkIns = review.Where(i => i.Section == ReviewSection.NoRecentCheckIn).ToList();
        // Twenty days without a check-in is fine on a monthly cadence, though the default's fourteen would have flagged it.
        Assert.Equal(["weekly", "default"], checkIns.Select(i => i.Line.Id));
        Assert.Equal(Now.AddDays(-1), checkIns[0].By);
        Assert.True(checkIns[0].Overdue);
        // Under renegotiation the customer's answer is owed first; the cadence waits behind it.
        Assert.Equal(ReviewSection.WaitingOnMyAnswer, review.Single(i => i.Line.Id == "renegotiated").Section);
        Assert.Equal(ReviewSection.WaitingOnOthers, review.Single(i => i.Line.Id == "monthly").Section);
    }

    [Fact]
    public void A_week_runs_from_local_Monday_midnight_to_the_next()
    {
        var week = ReviewWeek.Parse("2026-W48", Berlin)!;

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero), week.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.Zero), week.End);
    }

    [Fact]
    public void The_week_in_which_clocks_go_forward_is_an_hour_short()
    {
        var week = ReviewWeek.Parse("2026-W13", Berlin)!; // 29 March 2026, 02:00 → 03:00; back again on 25 October (week 43)

        Assert.Equal(TimeSpan.FromHours(167), week.End - week.Start);
        Assert.Equal(TimeSpan.FromHours(169), ReviewWeek.Parse("2026-W43", Berlin)!.End - ReviewWeek.Parse("2026-W43", Berlin)!.Start);
    }

    [Fact]
    public void The_same_instant_falls_in_different_weeks_in_different_time_zones()
    {
        var sundayEveningInBerlin = new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

        Assert.Equal("2026-W48", ReviewWeek.Containing(sundayEveningInBerlin, Berlin).Name);
        Assert.Equal("2026-W49", ReviewWeek.Containing(sundayEveningInBerlin, Auckland).Name);
    }

    [Theory]
    [InlineData("2026-W00")]
    [InlineData("2026-W54")]
    [InlineData("2026W48")]
    [InlineData("26-W48")]
    [InlineData("2026-w48")]
    public void Weeks_that_do_not_exist_are_not_parsed(string text) => Assert.Null(ReviewWeek.Parse(text, Berlin));

    [Fact]
    public void Year_with_53_weeks_has_a_week_53() => Assert.NotNull(ReviewWeek.Parse("2026-W53", Berlin));

    [Fact]
    public void Each_obligation_lands_in_its_section_in_order_of_urgency()
    {
        var week = ReviewWeek.Containing(Now, Berlin);
        var lines = new[]
        {
            Line("waiting", PartyRole.Customer, WorkflowStatus.Promised, PartyRole.Performer, Clocks.None with { DueBy = Now.AddDays(20) }, checkedIn: Now.AddDays(-2)),
            Line("assess", PartyRole.Customer, WorkflowStatus.Reported, PartyRole.Customer, Clocks.None with { AssessBy = Now.AddDays(1) }),
            Line("mine-due", PartyRole.Performer, WorkflowStatus.Promised, PartyRole.Performer, Clocks.None with { DueBy = Now.AddDays(2) }),
            Line("mine-later", PartyRole.Performer, WorkflowStatus.Promised, PartyRole.Performer, Clocks.None with { DueBy = Now.AddDays(30) }),
            Line("answer", PartyRole.Performer, WorkflowStatus.Requested, PartyRole.Performer, Clocks.None with { ReplyBy = Now.AddDays(1) }),
            Line("silence", PartyRole.Customer, WorkflowStatus.Requested, PartyRole.Performer, Clocks.None with { ReplyBy = Now.AddDays(-3) }),
            Line("check-in", PartyRole.Customer, WorkflowStatus.Promised, PartyRole.Performer, Clocks.None with { DueBy = Now.AddDays(40) }, checkedIn: Now.AddDays(-15)),
            Line("overdue", PartyRole.Performer, WorkflowStatus.Renegotiating, PartyRole.Customer, Clocks.None with { DueBy = Now.AddDays(-1), ReplyBy = Now.AddDays(1) }),
            Line("my-draft", PartyRole.Customer, WorkflowStatus.Draft, PartyRole.Customer, Clocks.None),
        };

        var review = WeeklyReview.Build(lines, week, Now);

        Assert.Equal(
            [
                (ReviewSection.DueForAssessment, "assess"),
                (ReviewSection.MyPromisesDue, "overdue"),
                (ReviewSection.MyPromisesDue, "mine-due"),
                (ReviewSection.WaitingOnMyAnswer, "answer"),
                (ReviewSection.NoAnswerToMe, "silence"),
                (ReviewSection.NoRecentCheckIn, "check-in"),
                (ReviewSection.WaitingOnOthers, "waiting"),
            ],
            review.Select(i => (i.Section, i.Line.Id)));
        Assert.True(review.Single(i => i.Line.Id == "overdue").Overdue);
        Assert.False(review.Single(i => i.Line.Id == "mine-due").Overdue);
    }

    [Fact]
    public void A_promise_due_just_after_the_local_week_ends_is_not_due_this_week()
    {
        var week = ReviewWeek.Containing(Now, Berlin);
        var justInside = Line("in", PartyRole.Performer, WorkflowStatus.Promised, PartyRole.Performer, Clocks.None with { DueBy = week.End.AddMinutes(-1) });
        var justOutside = Line("out", PartyRole.Performer, WorkflowStatus.Promised, PartyRole.Performer, Clocks.None with { DueBy = week.End });

        Assert.Equal(["in"], WeeklyReview.Build([justInside, justOutside], week, Now).Select(i => i.Line.Id));
    }

    [Fact]
    public void Waiting_on_others_says_for_how_long()
    {
        var line = Line("w", PartyRole.Customer, WorkflowStatus.Requested, PartyRole.Performer, Clocks.None with { ReplyBy = Now.AddDays(1) }, updated: Now.AddDays(-6));

        var item = Assert.Single(WeeklyReview.Build([line], ReviewWeek.Containing(Now, Berlin), Now));

        Assert.Equal((ReviewSection.WaitingOnOthers, 6), (item.Section, (int)item.Waiting.TotalDays));
    }
}
