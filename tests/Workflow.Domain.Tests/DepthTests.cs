namespace Workflow.Domain.Tests;

/// <summary>
/// The seed's depth in the domain: the dual's check-in cadence, feedback both ways when a loop closes, children (a dual or
/// a delegation) and who may open them, sharing a delegation upward, objectives, and what puts a commitment at risk.
/// </summary>
public sealed class DepthTests
{
    [Fact]
    public void A_cadence_makes_the_next_check_in_due_that_many_days_after_the_last_one_or_the_promise()
    {
        var promised = Given.Promised().Then(Move.SetCheckIns, PartyRole.Customer, new MoveDetails { CheckInEveryDays = 7 });
        Assert.Equal(7, promised.State.CheckInEveryDays);
        Assert.Equal(Given.Now.AddDays(7), promised.State.NextCheckInBy);

        var checkedIn = promised.Then(Move.CheckIn, PartyRole.Customer, MoveDetails.None, Given.Now.AddDays(3));
        Assert.Equal(Given.Now.AddDays(10), checkedIn.State.NextCheckInBy);
    }

    [Fact]
    public void A_cadence_owes_nothing_once_the_work_is_reported_and_can_be_stopped()
    {
        var withCadence = Given.Promised().Then(Move.SetCheckIns, PartyRole.Customer, new MoveDetails { CheckInEveryDays = 7 });

        Assert.Null(withCadence.Then(Move.ReportComplete, PartyRole.Performer).State.NextCheckInBy);
        var stopped = withCadence.Then(Move.SetCheckIns, PartyRole.Customer, MoveDetails.None);
        Assert.Null(stopped.State.CheckInEveryDays);
        Assert.Null(stopped.State.NextCheckInBy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(91)]
    public void A_cadence_outside_one_to_ninety_days_is_refused(int days)
    {
        Then.Refused(Given.Promised().When(Move.SetCheckIns, PartyRole.Customer, new MoveDetails { CheckInEveryDays = days }),
            RejectionKind.InvalidDetails);
    }

    [Fact]
    public void The_cadence_is_the_customers_to_set_not_the_performers()
    {
        Then.Refused(Given.Promised().When(Move.SetCheckIns, PartyRole.Performer), RejectionKind.NotYourMove);
    }

    [Fact]
    public void Each_party_gives_feedback_once_on_their_own_questions_and_each_sees_the_others()
    {
        var satisfied = Given.Satisfied()
            .Then(Move.GiveFeedback, PartyRole.Customer, new MoveDetails { Answers = new(ResultMet: Answer.Yes, KeptInformed: Answer.Partly), Text = "Good report." })
            .Then(Move.GiveFeedback, PartyRole.Performer, new MoveDetails { Answers = new(ConcernClear: Answer.Yes, ConditionsNegotiable: Answer.No, CheckInsHelped: Answer.Partly) });

        Assert.Equal(Answer.Partly, satisfied.State.CustomerFeedback!.Answers.KeptInformed);
        Assert.Equal("Good report.", satisfied.State.CustomerFeedback.Text);
        Assert.Equal(Answer.No, satisfied.State.PerformerFeedback!.Answers.ConditionsNegotiable);
        Assert.Null(satisfied.State.PerformerFeedback.Text);
        Assert.DoesNotContain(Move.GiveFeedback, TransitionTable.AvailableMoves(satisfied.State, PartyRole.Customer, Given.Now));
        var again = Then.Refused(satisfied.When(Move.GiveFeedback, PartyRole.Performer), RejectionKind.NotAllowedInState);
        Assert.Contains("already gave", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feedback_answers_only_the_movers_own_questions_and_says_something()
    {
        var satisfied = Given.Satisfied();

        Then.Refused(satisfied.When(Move.GiveFeedback, PartyRole.Customer, new MoveDetails { Answers = new(ConcernClear: Answer.Yes) }),
            RejectionKind.InvalidDetails);
        Then.Refused(satisfied.When(Move.GiveFeedback, PartyRole.Performer, new MoveDetails { Answers = new(ResultMet: Answer.Yes) }),
            RejectionKind.InvalidDetails);
        Then.Refused(satisfied.When(Move.GiveFeedback, PartyRole.Performer, new MoveDetails { Text = "   " }), RejectionKind.InvalidDetails);
        Then.Accepted<FeedbackGiven>(satisfied.When(Move.GiveFeedback, PartyRole.Performer, new MoveDetails { Answers = new(CheckInsHelped: Answer.Yes) }));
    }

    [Fact]
    public void Feedback_waits_for_the_loop_to_close()
    {
        Then.Refused(Given.Promised().When(Move.GiveFeedback, PartyRole.Customer), RejectionKind.NotAllowedInState);
    }

    [Fact]
    public void A_child_records_its_parent_and_only_the_parents_performer_opens_one_while_the_promise_is_negotiated_or_in_force()
    {
        var child = History.Open(Given.Opening() with { Parent = new ParentRef("wf-9", ChildRelation.Dual, "Ship it") });
        Assert.Equal(new ParentRef("wf-9", ChildRelation.Dual, "Ship it"), child.State.Parent);

        foreach (var relation in Enum.GetValues<ChildRelation>())
        {
            Assert.True(TransitionTable.MayOpenChild(Given.Promised().State, relation, PartyRole.Performer));
            Assert.True(TransitionTable.MayOpenChild(Given.Requested().State, relation, PartyRole.Performer));
            Assert.True(TransitionTable.MayOpenChild(Given.Renegotiating(PartyRole.Customer).State, relation, PartyRole.Performer));
            Assert.False(TransitionTable.MayOpenChild(Given.Promised().State, relation, PartyRole.Customer));
            Assert.False(TransitionTable.MayOpenChild(Given.Reported().State, relation, PartyRole.Performer));
            Assert.False(TransitionTable.MayOpenChild(Given.Cancelled().State, relation, PartyRole.Performer));
            // A draft the customer keeps is not the performer's to see, so nothing hangs under it yet.
            Assert.False(TransitionTable.MayOpenChild(Given.Draft().State, relation, PartyRole.Performer));
        }
        Assert.Equal([ChildRelation.Dual, ChildRelation.Delegated], TransitionTable.AvailableChildren(Given.Countered().State, PartyRole.Performer));
        Assert.Empty(TransitionTable.AvailableChildren(Given.Countered().State, PartyRole.Customer));
    }

    [Fact]
    public void A_workflow_cannot_be_opened_under_itself()
    {
        var decision = WorkflowDecider.Open(Given.Opening() with { Parent = new ParentRef(Given.WorkflowId, ChildRelation.Delegated, "x") }, Given.Now);

        Then.Refused(decision, RejectionKind.InvalidDetails);
    }

    [Fact]
    public void Only_a_delegated_workflow_is_shared_with_its_parents_customer()
    {
        var shared = Given.Promised().Then(Move.ShareWithParent, PartyRole.Customer, new MoveDetails { Shared = true });
        Assert.True(shared.State.SharedWithParent);
        Assert.False(shared.Then(Move.ShareWithParent, PartyRole.Customer, new MoveDetails { Shared = false }).State.SharedWithParent);

        var alone = History.Open(Given.Unparented()).Then(Move.Request, PartyRole.Customer, MoveDetails.None);
        var refusal = Then.Refused(alone.When(Move.ShareWithParent, PartyRole.Customer), RejectionKind.NotAllowedInState);
        Assert.Contains("'requested'", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Move.ShareWithParent, TransitionTable.AvailableMoves(alone.State, PartyRole.Customer, Given.Now));

        var dual = History.Open(Given.Opening() with { Parent = new ParentRef("wf-9", ChildRelation.Dual, "Ship it") })
            .Then(Move.Request, PartyRole.Customer, MoveDetails.None);
        Then.Refused(dual.When(Move.ShareWithParent, PartyRole.Customer), RejectionKind.NotAllowedInState);
    }

    [Fact]
    public void The_customer_marks_and_unmarks_an_objective()
    {
        var objective = Given.Requested().Then(Move.MarkObjective, PartyRole.Customer);
        Assert.True(objective.State.IsObjective);
        Assert.False(objective.Then(Move.MarkObjective, PartyRole.Customer, new MoveDetails { Objective = false }).State.IsObjective);
        Then.Refused(Given.Requested().When(Move.MarkObjective, PartyRole.Performer), RejectionKind.NotYourMove);
    }

    [Fact]
    public void Risk_is_an_answer_overdue_a_promise_overdue_a_renegotiation_or_a_renege_and_the_earliest_is_shown_first()
    {
        var promised = Given.Promised().State;
        Assert.Null(Risks.Of(promised, Given.Now));
        Assert.Equal(new Risk(RiskKind.Overdue, promised.Clocks.DueBy!.Value), Risks.Of(promised, promised.Clocks.DueBy.Value.AddMinutes(1)));

        var requested = Given.Requested().State;
        Assert.Equal(RiskKind.Overdue, Risks.Of(requested, requested.Clocks.ReplyBy!.Value.AddSeconds(1))!.Kind);

        var renegotiating = Given.Renegotiating(PartyRole.Performer).State;
        Assert.Equal(new Risk(RiskKind.Renegotiating, Given.Now), Risks.Of(renegotiating, Given.Now));
        Assert.Equal(new Risk(RiskKind.Reneged, Given.Now), Risks.Of(Given.Reneged().State, Given.Now));
        // Reported work waits on the customer's assessment, not on the performer.
        Assert.Null(Risks.Of(Given.Reported().State, Given.Now.AddYears(1)));
        Assert.Null(Risks.Of(Given.Satisfied().State, Given.Now.AddYears(1)));

        var early = new Risk(RiskKind.Renegotiating, Given.Now.AddDays(-2));
        Assert.Equal(early, Risks.Earliest([null, new Risk(RiskKind.Overdue, Given.Now), early]));
        Assert.Null(Risks.Earliest([null, null]));
    }

    [Fact]
    public void A_childs_customer_closes_it_with_the_way_out_its_state_gives_them()
    {
        Assert.Equal(Move.Withdraw, WaysOut.ForCustomer(Given.Requested().State));
        Assert.Equal(Move.Decline, WaysOut.ForCustomer(Given.Countered().State));
        Assert.Equal(Move.Cancel, WaysOut.ForCustomer(Given.Promised().State));
        Assert.Equal(Move.Cancel, WaysOut.ForCustomer(Given.Renegotiating(PartyRole.Customer).State));
        Assert.Equal(Move.Cancel, WaysOut.ForCustomer(Given.Reported().State));
        Assert.Equal(Move.Withdraw, WaysOut.ForCustomer(Given.Draft().State));
        Assert.Null(WaysOut.ForCustomer(Given.Draft(PartyRole.Performer).State));
        Assert.Null(WaysOut.ForCustomer(Given.Satisfied().State));

        // Each way out is a move the table gives the customer in that state.
        foreach (var state in new[] { Given.Requested(), Given.Countered(), Given.Promised(), Given.Reported(), Given.Draft() })
        {
            Assert.True(state.When(WaysOut.ForCustomer(state.State)!.Value, PartyRole.Customer, MoveDetails.None).IsAccepted);
        }
    }
}
