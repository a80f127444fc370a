namespace Workflow.Domain.Tests;

/// <summary>The three clocks: which one runs in which state, and who owes the next move by then.</summary>
public sealed class ClockTests
{
    [Fact]
    public void Requesting_starts_the_performers_reply_by_clock()
    {
        var replyBy = Given.Now.AddDays(2);

        var state = Given.Draft().Then(Move.Request, PartyRole.Customer, new MoveDetails { ReplyBy = replyBy }).State;

        Assert.Equal(WorkflowStatus.Requested, state.Status);
        Assert.Equal(new Clocks(replyBy, null, null), state.Clocks);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void Requesting_without_a_reply_by_gives_the_performer_the_default_window()
    {
        var state = Given.Requested().State;

        Assert.Equal(new Clocks(Given.Now + WorkflowDecider.DefaultReplyWindow, null, null), state.Clocks);
    }

    [Fact]
    public void Countering_puts_the_reply_by_clock_on_the_other_party()
    {
        var state = Given.Countered().State;

        Assert.Equal(new Clocks(Given.PerformersCounter.ReplyBy, null, null), state.Clocks);
        Assert.Equal(PartyRole.Customer, state.WhoseMove);
    }

    [Fact]
    public void Committing_to_commit_moves_the_reply_by_clock_and_keeps_the_state()
    {
        var later = Given.Now.AddDays(6);
        var given = Given.Requested();

        var e = Then.Accepted<ReplyPromised>(given.When(Move.CommitToCommit, PartyRole.Performer, new MoveDetails { ReplyBy = later }));
        var state = WorkflowDecider.Evolve(given.State, e);

        Assert.Equal(later, e.ReplyBy);
        Assert.Equal(WorkflowStatus.Requested, state.Status);
        Assert.Equal(new Clocks(later, null, null), state.Clocks);
        Assert.Equal(given.State.Proposed, state.Proposed);
    }

    [Fact]
    public void Committing_to_commit_without_a_reply_by_is_refused()
    {
        Then.Refused(Given.Requested().When(Move.CommitToCommit, PartyRole.Performer, MoveDetails.None), RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Promising_stops_the_reply_by_clock_and_starts_due_by_from_the_promised_terms()
    {
        var state = Given.Promised().State;

        Assert.Equal(new Clocks(null, Given.OpeningDueBy, null), state.Clocks);
        Assert.Equal(state.Promised!.DueBy, state.Clocks.DueBy);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void Accepting_a_counter_starts_due_by_from_the_countered_terms()
    {
        var state = Given.Countered().Then(Move.Accept, PartyRole.Customer).State;

        Assert.Equal(new Clocks(null, Given.PerformersCounter.DueBy, null), state.Clocks);
    }

    [Fact]
    public void Reporting_completion_stops_due_by_and_starts_the_customers_assess_by_clock()
    {
        var assessBy = Given.Now.AddDays(4);

        var state = Given.Promised().Then(Move.ReportComplete, PartyRole.Performer, new MoveDetails { AssessBy = assessBy }).State;

        Assert.Equal(WorkflowStatus.Reported, state.Status);
        Assert.Equal(new Clocks(null, null, assessBy), state.Clocks);
        Assert.Equal(PartyRole.Customer, state.WhoseMove);
    }

    [Fact]
    public void Reporting_completion_without_an_assess_by_gives_the_customer_the_default_window()
    {
        var state = Given.Reported().State;

        Assert.Equal(new Clocks(null, null, Given.Now + WorkflowDecider.DefaultAssessWindow), state.Clocks);
    }

    [Fact]
    public void Declaring_satisfaction_stops_every_clock()
    {
        var state = Given.Satisfied().State;

        Assert.Equal(Clocks.None, state.Clocks);
        Assert.Null(state.Clocks.Next);
        Assert.Null(state.WhoseMove);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Declaring_dissatisfaction_without_saying_what_is_missing_is_refused(string? gaps)
    {
        var rejection = Then.Refused(
            Given.Reported().When(Move.DeclareNotSatisfied, PartyRole.Customer, new MoveDetails { Text = gaps }),
            RejectionKind.InvalidDetails);

        Assert.Contains("'declareNotSatisfied'", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declaring_dissatisfaction_sends_the_work_back_under_the_promise_with_due_by_running_and_the_gaps_recorded()
    {
        var given = Given.Reported();

        var e = Then.Accepted<DissatisfactionDeclared>(
            given.When(Move.DeclareNotSatisfied, PartyRole.Customer, new MoveDetails { Text = "  The risks section is missing. " }));
        var state = WorkflowDecider.Evolve(given.State, e);

        Assert.Equal(WorkflowStatus.Promised, state.Status);
        Assert.Equal(new Clocks(null, Given.OpeningDueBy, null), state.Clocks);
        Assert.Equal("The risks section is missing.", state.Gaps);
        Assert.Equal(given.State.Promised, state.Promised);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void Proposing_a_change_keeps_due_by_running_under_the_current_promise_and_starts_reply_by()
    {
        var given = Given.Promised();

        var state = given.Then(Move.ProposeChange, PartyRole.Customer, Given.ProposedChange).State;

        Assert.Equal(WorkflowStatus.Renegotiating, state.Status);
        Assert.Equal(new Clocks(Given.ProposedChange.ReplyBy, Given.OpeningDueBy, null), state.Clocks);
        Assert.Equal(given.State.Promised, state.Promised);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void Accepting_a_change_stops_reply_by_and_runs_due_by_from_the_new_terms()
    {
        var state = Given.Renegotiating(PartyRole.Customer).Then(Move.AcceptChange, PartyRole.Performer).State;

        Assert.Equal(new Clocks(null, Given.ProposedChange.DueBy, null), state.Clocks);
    }

    [Theory]
    [InlineData(Move.RejectChange, PartyRole.Performer)]
    [InlineData(Move.WithdrawChange, PartyRole.Customer)]
    public void Rejecting_or_withdrawing_a_change_stops_reply_by_and_keeps_the_old_due_by(Move move, PartyRole by)
    {
        var state = Given.Renegotiating(PartyRole.Customer).Then(move, by).State;

        Assert.Equal(new Clocks(null, Given.OpeningDueBy, null), state.Clocks);
    }

    [Theory]
    [InlineData("reneged")]
    [InlineData("declined")]
    [InlineData("cancelled")]
    [InlineData("satisfied")]
    public void No_clock_runs_once_the_workflow_is_closed(string situationName)
    {
        Assert.Equal(Clocks.None, Situation.Named(situationName).Build().State.Clocks);
    }

    [Fact]
    public void Closing_from_renegotiation_stops_both_running_clocks()
    {
        Assert.Equal(Clocks.None, Given.Renegotiating(PartyRole.Performer).Then(Move.Renege, PartyRole.Performer).State.Clocks);
        Assert.Equal(Clocks.None, Given.Renegotiating(PartyRole.Performer).Then(Move.Cancel, PartyRole.Customer).State.Clocks);
    }

    [Theory]
    [InlineData(1, 2, 3, ClockKind.ReplyBy)]
    [InlineData(2, 1, 3, ClockKind.DueBy)]
    [InlineData(3, 2, 1, ClockKind.AssessBy)]
    [InlineData(null, 5, 4, ClockKind.AssessBy)]
    [InlineData(7, null, null, ClockKind.ReplyBy)]
    public void The_next_clock_is_the_earliest_running_one(int? replyInDays, int? dueInDays, int? assessInDays, ClockKind kind)
    {
        var clocks = new Clocks(InDays(replyInDays), InDays(dueInDays), InDays(assessInDays));

        var next = Assert.NotNull(clocks.Next);

        Assert.Equal(kind, next.Kind);
        Assert.Equal(new[] { InDays(replyInDays), InDays(dueInDays), InDays(assessInDays) }.Min(), next.At);
    }

    [Fact]
    public void The_next_clock_while_renegotiating_is_the_reply_by_when_it_comes_before_the_due_by()
    {
        var next = Given.Renegotiating(PartyRole.Customer).State.Clocks.Next;

        Assert.Equal((ClockKind.ReplyBy, Given.ProposedChange.ReplyBy!.Value), next);
    }

    [Fact]
    public void No_running_clock_means_no_next_clock()
    {
        Assert.Null(Clocks.None.Next);
    }

    private static DateTimeOffset? InDays(int? days) => days is { } d ? Given.Now.AddDays(d) : null;
}
