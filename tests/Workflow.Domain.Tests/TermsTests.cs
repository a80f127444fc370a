namespace Workflow.Domain.Tests;

/// <summary>Versioned conditions of satisfaction: what is proposed, what is promised, and how versions advance.</summary>
public sealed class TermsTests
{
    [Fact]
    public void Opening_with_conditions_proposes_version_1()
    {
        var state = Given.Draft().State;

        Assert.Equal(new Terms(1, Given.OpeningConditions, Given.OpeningDueBy, PartyRole.Customer, Given.Now), state.Proposed);
        Assert.Null(state.Promised);
        Assert.Equal(1, state.LastTermsVersion);
    }

    [Fact]
    public void Opening_without_conditions_or_due_by_proposes_nothing()
    {
        var state = History.Open(Given.Opening() with { Conditions = null, DueBy = null }).State;

        Assert.Null(state.Proposed);
        Assert.Equal(0, state.LastTermsVersion);
    }

    [Fact]
    public void Requesting_the_terms_proposed_at_opening_keeps_version_1()
    {
        var e = Then.Accepted<Requested>(Given.Draft().When(Move.Request, PartyRole.Customer, MoveDetails.None));

        Assert.Equal(1, e.Terms.Version);
    }

    [Fact]
    public void Requesting_without_terms_when_none_were_proposed_is_refused()
    {
        var draft = History.Open(Given.Opening() with { Conditions = null, DueBy = null });

        Then.Refused(draft.When(Move.Request, PartyRole.Customer, MoveDetails.None), RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Requesting_terms_whose_due_date_has_passed_since_opening_is_refused()
    {
        var late = Given.OpeningDueBy.AddDays(1);

        var refused = Then.Refused(Given.Draft().When(Move.Request, PartyRole.Customer, MoveDetails.None, at: late), RejectionKind.InvalidDetails);

        Assert.Contains("has passed", refused.Message);
    }

    [Fact]
    public void Proposing_a_change_to_an_overdue_promise_needs_a_new_due_date()
    {
        var late = Given.OpeningDueBy.AddDays(1);
        var promised = Given.Promised();

        Then.Refused(promised.When(Move.ProposeChange, PartyRole.Performer, new MoveDetails { Conditions = "Only half" }, at: late), RejectionKind.InvalidDetails);
        Then.Accepted<ChangeProposed>(promised.When(Move.ProposeChange, PartyRole.Performer,
            new MoveDetails { Conditions = "Only half", DueBy = late.AddDays(5) }, at: late));
    }

    [Fact]
    public void Countering_proposes_version_2_and_nothing_is_promised_yet()
    {
        var state = Given.Countered().State;

        Assert.Equal(
            new Terms(2, Given.PerformersCounter.Conditions!, Given.PerformersCounter.DueBy, PartyRole.Performer, Given.Now),
            state.Proposed);
        Assert.Null(state.Promised);
    }

    [Fact]
    public void A_counter_that_only_moves_the_due_by_keeps_the_conditions()
    {
        var dueBy = Given.Now.AddDays(30);

        var e = Then.Accepted<Countered>(Given.Requested().When(Move.Counter, PartyRole.Performer, new MoveDetails { DueBy = dueBy }));

        Assert.Equal(Given.OpeningConditions, e.Terms.Conditions);
        Assert.Equal(dueBy, e.Terms.DueBy);
        Assert.Equal(2, e.Terms.Version);
    }

    [Fact]
    public void Accepting_a_counter_fixes_version_2_as_the_promise()
    {
        var countered = Given.Countered().State.Proposed;

        var e = Then.Accepted<CounterAccepted>(Given.Countered().When(Move.Accept, PartyRole.Customer));
        var state = Given.Countered().Then(Move.Accept, PartyRole.Customer).State;

        Assert.Equal(2, e.TermsVersion);
        Assert.Equal(countered, state.Promised);
        Assert.Null(state.Proposed);
    }

    [Fact]
    public void Countering_a_counter_proposes_version_3_and_hands_the_move_back_to_the_performer()
    {
        var state = Given.Countered().Then(Move.Counter, PartyRole.Customer).State;

        Assert.Equal(WorkflowStatus.Requested, state.Status);
        Assert.Equal(3, state.Proposed!.Version);
        Assert.Equal(PartyRole.Customer, state.Proposed.ProposedBy);
        Assert.Equal(PartyRole.Performer, state.WhoseMove);
    }

    [Fact]
    public void Proposing_a_change_proposes_version_3_while_version_2_stays_promised()
    {
        var promised = Given.Countered().Then(Move.Accept, PartyRole.Customer);

        var state = promised.Then(Move.ProposeChange, PartyRole.Performer, Given.ProposedChange).State;

        Assert.Equal(2, state.Promised!.Version);
        Assert.Equal(promised.State.Promised, state.Promised);
        Assert.Equal(
            new Terms(3, Given.ProposedChange.Conditions!, Given.ProposedChange.DueBy, PartyRole.Performer, Given.Now),
            state.Proposed);
        Assert.Equal(PartyRole.Performer, state.ChangeProposedBy);
    }

    [Fact]
    public void Accepting_a_change_promises_version_3()
    {
        var renegotiating = Given.Countered().Then(Move.Accept, PartyRole.Customer)
            .Then(Move.ProposeChange, PartyRole.Performer, Given.ProposedChange);

        var e = Then.Accepted<ChangeAccepted>(renegotiating.When(Move.AcceptChange, PartyRole.Customer));
        var state = WorkflowDecider.Evolve(renegotiating.State, e);

        Assert.Equal(3, e.TermsVersion);
        Assert.Equal(WorkflowStatus.Promised, state.Status);
        Assert.Equal(renegotiating.State.Proposed, state.Promised);
        Assert.Null(state.Proposed);
        Assert.Null(state.ChangeProposedBy);
    }

    [Theory]
    [InlineData(Move.RejectChange, PartyRole.Customer)]
    [InlineData(Move.WithdrawChange, PartyRole.Performer)]
    public void Rejecting_or_withdrawing_a_change_keeps_version_2_promised_and_clears_the_proposal(Move move, PartyRole by)
    {
        var renegotiating = Given.Countered().Then(Move.Accept, PartyRole.Customer)
            .Then(Move.ProposeChange, PartyRole.Performer, Given.ProposedChange);

        var state = renegotiating.Then(move, by).State;

        Assert.Equal(WorkflowStatus.Promised, state.Status);
        Assert.Equal(2, state.Promised!.Version);
        Assert.Null(state.Proposed);
        Assert.Null(state.ChangeProposedBy);
    }

    [Fact]
    public void A_proposal_after_a_rejected_change_takes_a_new_version_number()
    {
        var state = Given.Renegotiating(PartyRole.Customer)
            .Then(Move.RejectChange, PartyRole.Performer)
            .Then(Move.ProposeChange, PartyRole.Performer)
            .State;

        Assert.Equal(3, state.Proposed!.Version);
        Assert.Equal(1, state.Promised!.Version);
    }

    [Fact]
    public void A_counter_that_changes_nothing_is_refused()
    {
        var countered = Given.Countered();
        var same = new MoveDetails { Conditions = $" {Given.PerformersCounter.Conditions} ", DueBy = Given.PerformersCounter.DueBy };

        Then.Refused(countered.When(Move.Counter, PartyRole.Customer, same), RejectionKind.InvalidDetails);
        Then.Refused(countered.When(Move.Counter, PartyRole.Customer, MoveDetails.None), RejectionKind.InvalidDetails);
    }

    [Fact]
    public void A_change_that_changes_nothing_is_refused()
    {
        var same = new MoveDetails { Conditions = Given.OpeningConditions, DueBy = Given.OpeningDueBy };

        Then.Refused(Given.Promised().When(Move.ProposeChange, PartyRole.Customer, same), RejectionKind.InvalidDetails);
    }

    public static TheoryData<string, Move, PartyRole, MoveDetails> MovesWithADateInThePast() => new()
    {
        { "draft opened by the customer", Move.Request, PartyRole.Customer, new MoveDetails { DueBy = Given.Now.AddDays(-1) } },
        { "draft opened by the customer", Move.Request, PartyRole.Customer, new MoveDetails { ReplyBy = Given.Now.AddMinutes(-1) } },
        { "draft opened by the performer", Move.Offer, PartyRole.Performer, new MoveDetails { DueBy = Given.Now } },
        { "requested", Move.Counter, PartyRole.Performer, new MoveDetails { DueBy = Given.Now.AddDays(-1) } },
        { "requested", Move.Counter, PartyRole.Performer, new MoveDetails { Conditions = "Other", ReplyBy = Given.Now.AddDays(-1) } },
        { "requested", Move.CommitToCommit, PartyRole.Performer, new MoveDetails { ReplyBy = Given.Now } },
        { "countered by the performer", Move.Counter, PartyRole.Customer, new MoveDetails { DueBy = Given.Now.AddHours(-1) } },
        { "promised", Move.ProposeChange, PartyRole.Customer, new MoveDetails { DueBy = Given.Now.AddDays(-2) } },
        { "promised", Move.ReportComplete, PartyRole.Performer, new MoveDetails { AssessBy = Given.Now.AddDays(-1) } },
    };

    [Theory]
    [MemberData(nameof(MovesWithADateInThePast))]
    public void A_date_that_is_not_in_the_future_is_refused(string situationName, Move move, PartyRole by, MoveDetails details)
    {
        var rejection = Then.Refused(Situation.Named(situationName).Build().When(move, by, details), RejectionKind.InvalidDetails);

        Assert.Contains("must be in the future", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_with_a_due_by_in_the_past_is_refused()
    {
        var decision = WorkflowDecider.Open(Given.Opening() with { DueBy = Given.Now.AddDays(-1) }, Given.Now);

        Then.Refused(decision, RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Conditions_longer_than_the_limit_are_refused()
    {
        var details = new MoveDetails { Conditions = new string('x', WorkflowDecider.MaxConditionsLength + 1) };

        Then.Refused(Given.Requested().When(Move.Counter, PartyRole.Performer, details), RejectionKind.InvalidDetails);
    }
}
