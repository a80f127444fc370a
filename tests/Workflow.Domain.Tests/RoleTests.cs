namespace Workflow.Domain.Tests;

/// <summary>
/// Roles: a named, repeated pattern held by one person. Given (a role built by its own decisions) / When (a command) /
/// Then (events or a rejection) — and the schedule rule, with a plain weekly schedule standing in for cron.
/// </summary>
public sealed class RoleTests
{
    private static readonly DateTimeOffset Now = new(2030, 3, 4, 9, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly Party Holder = new("ben@contoso.com", "Ben", new UserId("t", "ben"));
    private static readonly Party Customer = new("ana@contoso.com", "Ana", new UserId("t", "ana"));
    private static readonly Party NewHolder = new("cy@contoso.com", "Cy", new UserId("t", "cy"));
    private static readonly Party Stranger = new("dan@contoso.com", "Dan", new UserId("t", "dan"));

    /// <summary>Every Friday at 17:00 UTC: the schedule the tests plug in (the rule takes any "next after").</summary>
    private static DateTimeOffset? NextFriday(DateTimeOffset after)
    {
        var day = after.UtcDateTime.Date;
        for (var i = 0; i < 8; i++)
        {
            var candidate = new DateTimeOffset(day.AddDays(i).AddHours(17), TimeSpan.Zero);
            if (candidate.DayOfWeek == DayOfWeek.Friday && candidate > after)
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("A week always has a Friday.");
    }

    private static Accountability Report(DateTimeOffset? coveredUntil = null, int leadDays = 3) => new(
        "acc-1", "Weekly board report", "A one-page report to the board", Customer, "0 17 * * 5", "UTC", TimeSpan.FromDays(leadDays),
        CycleStart.Request, coveredUntil ?? Now);

    private static Role Held(params Accountability[] accountabilities)
    {
        var created = RoleDecider.Create("role-1", "Board reporting", Holder, accountabilities.Length == 0 ? [Report()] : accountabilities, Now);
        Assert.True(created.IsAccepted, created.Rejection?.Message);
        return created.Events.Aggregate((Role?)null, RoleDecider.Evolve)!;
    }

    private static Role Then(Role role, RoleCommand command, UserId? by, DateTimeOffset? at = null)
    {
        var decision = RoleDecider.Decide(role, command, by, at ?? Now);
        Assert.True(decision.IsAccepted, decision.Rejection?.Message);
        return decision.Events.Aggregate(role, RoleDecider.Evolve);
    }

    private static HandOver ToCy(params string[] openCycles) =>
        new(NewHolder, [.. openCycles.Select(id => (id, "Weekly board report", Now.AddDays(4)))]);

    [Fact]
    public void A_role_starts_held_by_its_creator_since_its_creation()
    {
        var role = Held();

        Assert.Equal(Holder, role.Holder);
        Assert.Equal([new Holding(Holder, Now, null)], role.Holdings);
        Assert.Equal(Now, Assert.Single(role.Accountabilities).CoveredUntil);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(91)]
    public void A_lead_time_outside_a_day_to_ninety_days_is_refused(int leadDays)
    {
        var decision = RoleDecider.Create("role-1", "Board reporting", Holder, [Report(leadDays: leadDays)], Now);

        Assert.Equal(RejectionKind.InvalidDetails, decision.Rejection?.Kind);
        Assert.Contains("lead time", decision.Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_holder_cannot_be_the_customer_of_their_own_accountability()
    {
        var decision = RoleDecider.Create("role-1", "Board reporting", Holder, [Report() with { Customer = Holder }], Now);

        Assert.Equal(RejectionKind.InvalidDetails, decision.Rejection?.Kind);
    }

    [Fact]
    public void Only_the_holder_changes_a_role()
    {
        var decision = RoleDecider.Decide(Held(), new RemoveAccountability("acc-1"), Customer.User, Now);

        Assert.Equal(RejectionKind.NotYourMove, decision.Rejection?.Kind);
        Assert.Contains("Ben", decision.Rejection!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_an_accountability_twice_removes_it_once()
    {
        var role = Then(Held(), new RemoveAccountability("acc-1"), Holder.User);

        Assert.Empty(role.Accountabilities);
        Assert.Empty(RoleDecider.Decide(role, new RemoveAccountability("acc-1"), Holder.User, Now).Events);
    }

    [Fact]
    public void A_cycle_opens_its_lead_time_before_the_occurrence_and_not_earlier()
    {
        // Friday 8 March 17:00 is the next occurrence; with three days' lead its cycle opens on Tuesday 5 March 17:00.
        var friday = new DateTimeOffset(2030, 3, 8, 17, 0, 0, TimeSpan.Zero);

        Assert.Empty(RoleSchedule.Due(Report(), friday.AddDays(-3).AddMinutes(-1), NextFriday).ToOpen);
        Assert.Equal([friday], RoleSchedule.Due(Report(), friday.AddDays(-3), NextFriday).ToOpen);
    }

    [Fact]
    public void Recording_a_run_twice_records_its_cycles_once()
    {
        var friday = new DateTimeOffset(2030, 3, 8, 17, 0, 0, TimeSpan.Zero);
        var record = new RecordSchedule("acc-1", [new RoleCycle("wf-1", "acc-1", friday, Holder)], []);
        var role = Then(Held(), record, null);

        Assert.Empty(RoleDecider.Decide(role, record, null, Now).Events);
        Assert.Equal(friday, Assert.Single(role.Accountabilities).CoveredUntil);
        Assert.Empty(RoleSchedule.Due(role.Accountabilities[0], friday.AddDays(-1), NextFriday).ToOpen);
    }

    [Fact]
    public void Catching_up_after_downtime_opens_what_is_still_ahead_and_records_the_past_due_as_missed()
    {
        // Down from Monday 4 March to Wednesday 20 March: the Fridays 8 and 15 passed; the 22nd opens (its lead began the 19th).
        var back = new DateTimeOffset(2030, 3, 20, 8, 0, 0, TimeSpan.Zero);

        var plan = RoleSchedule.Due(Report(), back, NextFriday);

        Assert.Equal([new DateTimeOffset(2030, 3, 22, 17, 0, 0, TimeSpan.Zero)], plan.ToOpen);
        Assert.Equal([new DateTimeOffset(2030, 3, 8, 17, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 3, 15, 17, 0, 0, TimeSpan.Zero)], plan.Missed);
        var role = Then(Held(), new RecordSchedule("acc-1", [new RoleCycle("wf-22", "acc-1", plan.ToOpen[0], Holder)], plan.Missed), null, back);
        var missed = Assert.Single(role.Missed);
        Assert.Equal((plan.Missed[0], plan.Missed[1], 2, back), (missed.First, missed.Last, missed.Count, missed.NoticedAt));
        Assert.Empty(RoleSchedule.Due(role.Accountabilities[0], back, NextFriday).Missed);
    }

    [Fact]
    public void Only_the_job_records_cycles()
    {
        var decision = RoleDecider.Decide(Held(), new RecordSchedule("acc-1", [], [Now.AddDays(1)]), Holder.User, Now);

        Assert.Equal(RejectionKind.NotYourMove, decision.Rejection?.Kind);
    }

    [Fact]
    public void Handing_over_changes_the_holder_now_keeps_who_held_it_when_and_offers_the_open_cycles()
    {
        var later = Now.AddDays(30);

        var role = Then(Held(), ToCy("wf-1", "wf-2"), Holder.User, later);

        Assert.Equal(NewHolder, role.Holder);
        Assert.Equal([new Holding(Holder, Now, later), new Holding(NewHolder, later, null)], role.Holdings);
        Assert.Equal(["wf-1", "wf-2"], role.Offers.Select(o => o.WorkflowId));
        Assert.All(role.Offers, o => Assert.Equal((Holder, NewHolder), (o.From, o.To)));
        Assert.True(role.IsVisibleTo(Holder.User!) && role.IsVisibleTo(NewHolder.User!));
        Assert.False(role.IsVisibleTo(Stranger.User!));
    }

    [Fact]
    public void A_role_is_handed_only_to_someone_with_an_account_other_than_its_holder()
    {
        Assert.Equal(RejectionKind.InvalidDetails, RoleDecider.Decide(Held(), new HandOver(NewHolder with { User = null }, []), Holder.User, Now).Rejection?.Kind);
        Assert.Equal(RejectionKind.InvalidDetails, RoleDecider.Decide(Held(), new HandOver(Holder, []), Holder.User, Now).Rejection?.Kind);
        Assert.Equal(RejectionKind.InvalidDetails, RoleDecider.Decide(Held(), new HandOver(Customer, []), Holder.User, Now).Rejection?.Kind);
    }

    [Fact]
    public void The_old_holder_cannot_hand_over_a_role_they_no_longer_hold()
    {
        var role = Then(Held(), ToCy(), Holder.User);

        Assert.Equal(RejectionKind.NotYourMove, RoleDecider.Decide(role, new HandOver(Stranger, []), Holder.User, Now).Rejection?.Kind);
    }

    [Fact]
    public void Only_the_person_offered_a_cycle_answers_it()
    {
        var role = Then(Held(), ToCy("wf-1"), Holder.User);

        Assert.Equal(RejectionKind.NotYourMove, RoleDecider.Decide(role, new AnswerOffer("wf-1", true), Stranger.User, Now).Rejection?.Kind);
        Assert.Equal(RejectionKind.NotYourMove, RoleDecider.Decide(role, new AnswerOffer("wf-1", true), Holder.User, Now).Rejection?.Kind);
        Assert.Equal(RejectionKind.NotAllowedInState, RoleDecider.Decide(role, new AnswerOffer("wf-9", true), NewHolder.User, Now).Rejection?.Kind);
    }

    [Fact]
    public void An_accepted_cycle_becomes_the_new_holders_and_a_left_one_stays_with_the_old()
    {
        var friday = new DateTimeOffset(2030, 3, 8, 17, 0, 0, TimeSpan.Zero);
        var role = Then(Held(), new RecordSchedule("acc-1", [new RoleCycle("wf-1", "acc-1", friday, Holder), new RoleCycle("wf-2", "acc-1", friday.AddDays(7), Holder)], []), null);
        role = Then(role, ToCy("wf-1", "wf-2"), Holder.User);

        role = Then(Then(role, new AnswerOffer("wf-1", true), NewHolder.User), new AnswerOffer("wf-2", false), NewHolder.User);

        Assert.Empty(role.Offers);
        Assert.Equal([NewHolder, Holder], role.Cycles.Select(c => c.Performer));
        Assert.Equal(RejectionKind.NotAllowedInState, RoleDecider.Decide(role, new AnswerOffer("wf-1", true), NewHolder.User, Now).Rejection?.Kind);
    }

    [Fact]
    public void A_cycle_handed_over_has_the_new_holder_as_its_performer_and_one_left_tells_the_holder_who_keeps_it()
    {
        var cycle = new CycleRef("role-1", "Board reporting", "acc-1", Now.AddDays(4));
        var opened = WorkflowDecider.Open(new OpenWorkflow("wf-1", "Weekly board report", Customer, Holder, PartyRole.Performer,
            "A one-page report", Now.AddDays(4), Start: Start.Requested) { Cycle = cycle }, Now);
        var state = opened.Events.Aggregate((WorkflowState?)null, WorkflowDecider.Evolve)!;

        var handed = WorkflowDecider.Evolve(state, new PerformerHandedOver(Holder, NewHolder, "role-1") { By = PartyRole.Performer, At = Now });
        var left = new HandoverLeft(NewHolder, "role-1") { By = PartyRole.Performer, At = Now };

        Assert.Equal(cycle, state.Cycle);
        Assert.Equal((NewHolder, Customer, WorkflowStatus.Requested), (handed.Performer, handed.Customer, handed.Status));
        // Its history names who made each move then: the old holder before the handover, the new one from it.
        Assert.Equal((Holder, NewHolder, NewHolder), (handed.PartyAt(PartyRole.Performer, 2), handed.PartyAt(PartyRole.Performer, handed.Version), handed.PartyAt(PartyRole.Performer, 9)));
        Assert.Equal(Customer, handed.PartyAt(PartyRole.Customer, 1));
        Assert.Equal([PartyRole.Performer, PartyRole.Customer], Notifications.Of(state, [(left, state.Version + 1)]).Select(n => n.Recipient));
        Assert.Equal([PartyRole.Customer], Notifications.Of(state, [(new PerformerHandedOver(Holder, NewHolder, "role-1") { By = PartyRole.Performer, At = Now }, state.Version + 1)])
            .Select(n => n.Recipient));
    }

    [Fact]
    public void A_cycles_opening_tells_the_holder_and_the_customer_once_each()
    {
        var cycle = new CycleRef("role-1", "Board reporting", "acc-1", Now.AddDays(4));
        var opened = WorkflowDecider.Open(new OpenWorkflow("wf-1", "Weekly board report", Customer, Holder, PartyRole.Performer,
            "A one-page report", Now.AddDays(4), Start: Start.Promised) { Cycle = cycle }, Now);

        var told = Notifications.Of(null, opened.Events.Select((e, i) => (e, i + 1))).ToList();

        Assert.Equal(["WorkflowOpened", "RequestRecorded", "Promised"], opened.Events.Select(EventNames.Of));
        Assert.Equal([(PartyRole.Customer, "WorkflowOpened", 1), (PartyRole.Performer, "RequestRecorded", 2)],
            told.Select(t => (t.Recipient, EventNames.Of(t.Event), t.Version)));
    }

    [Fact]
    public void An_ordinary_opening_still_tells_only_the_other_party()
    {
        var opened = WorkflowDecider.Open(new OpenWorkflow("wf-1", "A report", Customer, Holder, PartyRole.Performer,
            "A one-page report", Now.AddDays(4), Start: Start.Requested), Now);

        var told = Notifications.Of(null, opened.Events.Select((e, i) => (e, i + 1))).ToList();

        Assert.Equal([(PartyRole.Customer, "RequestRecorded")], told.Select(t => (t.Recipient, EventNames.Of(t.Event))));
    }
}
