namespace Workflow.Domain.Tests;

/// <summary>nudge: the customer's reminder about a request still unanswered — once a day, and it may extend the reply-by.</summary>
public sealed class NudgeTests
{
    [Fact]
    public void A_nudge_keeps_the_state_and_the_clocks_and_remembers_when_it_was_made()
    {
        var requested = Given.Requested();

        var nudged = requested.Then(Move.Nudge, PartyRole.Customer, new MoveDetails { Text = "  Any news?  " });

        var e = Assert.IsType<Nudged>(nudged.Events[^1]);
        Assert.Equal("Any news?", e.Text);
        Assert.Null(e.ReplyBy);
        Assert.Equal(WorkflowStatus.Requested, nudged.State.Status);
        Assert.Equal(requested.State.Clocks, nudged.State.Clocks);
        Assert.Equal(Given.Now, nudged.State.LastNudgeAt);
        Assert.Equal(Given.Now.AddDays(1), nudged.State.NextNudgeAt);
    }

    [Fact]
    public void A_nudge_with_a_later_reply_by_extends_the_performers_reply_by()
    {
        var extended = Given.Now.AddDays(5);

        var nudged = Given.Requested().Then(Move.Nudge, PartyRole.Customer, new MoveDetails { ReplyBy = extended });

        Assert.Equal(extended, nudged.State.Clocks.ReplyBy);
        Assert.Equal(PartyRole.Performer, nudged.State.WhoseMove);
    }

    [Fact]
    public void A_nudge_cannot_shorten_the_reply_by_nor_name_a_past_one()
    {
        var requested = Given.Requested();
        var current = requested.State.Clocks.ReplyBy!.Value;

        var earlier = Then.Refused(
            requested.When(Move.Nudge, PartyRole.Customer, new MoveDetails { ReplyBy = current.AddHours(-1) }), RejectionKind.InvalidDetails);
        Then.Refused(requested.When(Move.Nudge, PartyRole.Customer, new MoveDetails { ReplyBy = current }), RejectionKind.InvalidDetails);
        Then.Refused(requested.When(Move.Nudge, PartyRole.Customer, new MoveDetails { ReplyBy = Given.Now }), RejectionKind.InvalidDetails);
        Assert.Contains("'nudge'", earlier.Message, StringComparison.Ordinal);
        Assert.Contains("later than the current one", earlier.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_nudge_within_a_day_is_refused_naming_when_the_next_is_possible()
    {
        var nudged = Given.Requested().Then(Move.Nudge, PartyRole.Customer);

        var rejection = Then.Refused(
            nudged.When(Move.Nudge, PartyRole.Customer, at: Given.Now.AddDays(1).AddTicks(-1)), RejectionKind.NotAllowedInState);

        Assert.Contains("'nudge'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("'requested'", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("customer", rejection.Message, StringComparison.Ordinal);
        Assert.Contains($"{Given.Now.AddDays(1):u}", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exactly_a_day_after_the_last_nudge_the_next_is_allowed()
    {
        var nudged = Given.Requested().Then(Move.Nudge, PartyRole.Customer);

        var again = nudged.When(Move.Nudge, PartyRole.Customer, at: Given.Now.AddDays(1));

        Then.Accepted<Nudged>(again);
        Assert.Equal(Given.Now.AddDays(1), WorkflowDecider.Evolve(nudged.State, again.Events[0]).LastNudgeAt);
    }

    [Fact]
    public void Nudge_is_offered_to_the_customer_only_when_a_nudge_would_be_accepted()
    {
        var nudged = Given.Requested().Then(Move.Nudge, PartyRole.Customer);

        Assert.DoesNotContain(Move.Nudge, TransitionTable.AvailableMoves(nudged.State, PartyRole.Customer, Given.Now.AddHours(23)));
        Assert.Contains(Move.Nudge, TransitionTable.AvailableMoves(nudged.State, PartyRole.Customer, Given.Now.AddDays(1)));
        Assert.DoesNotContain(Move.Nudge, TransitionTable.AvailableMoves(nudged.State, PartyRole.Performer, Given.Now.AddDays(1)));
    }

    [Fact]
    public void A_refused_nudge_is_refused_by_the_once_a_day_rule_even_when_its_reply_by_would_be_valid()
    {
        var nudged = Given.Requested().Then(Move.Nudge, PartyRole.Customer);

        Then.Refused(nudged.When(Move.Nudge, PartyRole.Customer, new MoveDetails { ReplyBy = Given.Now.AddDays(9) }, Given.Now.AddHours(1)),
            RejectionKind.NotAllowedInState);
    }

    [Fact]
    public void A_history_with_nudges_replays_to_the_same_state()
    {
        var history = Given.Requested()
            .Then(Move.Nudge, PartyRole.Customer, new MoveDetails { ReplyBy = Given.Now.AddDays(4), Text = "Any news?" })
            .Then(Move.Nudge, PartyRole.Customer, MoveDetails.None, Given.Now.AddDays(1))
            .Then(Move.Promise, PartyRole.Performer, MoveDetails.None, Given.Now.AddDays(2));

        var replayed = WorkflowDecider.Replay(history.Events);

        Assert.Equal(Given.Now.AddDays(1), replayed.LastNudgeAt);
        Assert.Equal(WorkflowStatus.Promised, replayed.Status);
        Assert.Equal(history.Events.Count, replayed.Version);
    }
}
